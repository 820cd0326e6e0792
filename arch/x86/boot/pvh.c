/* SPDX-License-Identifier: MIT */
/* Reading struct hvm_start_info (reference §1.4) into a struct boot_info. */
#include <orrery/console.h>
#include <public/hvm/start_info.h>

#include "boot_x86.h"

static char pvh_cmdline[1024];
static char pvh_modcmd[BOOT_MAX_MODULES][256];

void pvh_parse(paddr_t pa, struct boot_info *bi)
{
    const struct hvm_start_info *si = boot_phys_to_virt(pa);

    bi->loader = "PVH";
    if ( si->magic != XEN_HVM_START_MAGIC_VALUE )
        panic("PVH: start info at %#llx has magic %#x, expected %#x",
              (unsigned long long)pa, si->magic, XEN_HVM_START_MAGIC_VALUE);
    boot_reserve(bi, pa, pa + sizeof(*si), "PVH start info");

    bi->cmdline = boot_copy_string(si->cmdline_paddr, pvh_cmdline,
                                   sizeof(pvh_cmdline));
    x86_rsdp_paddr = si->rsdp_paddr;

    if ( si->version >= 1 && si->memmap_paddr )
    {
        const struct hvm_memmap_table_entry *e =
            boot_phys_to_virt(si->memmap_paddr);

        for ( uint32_t i = 0; i < si->memmap_entries; i++ )
            if ( memmap_add(&bi->map, e[i].addr, e[i].size, e[i].type) < 0 )
                printk(LOG_WARNING "PVH: memory map entry %u dropped: map "
                       "full\n", i);
    }

    if ( si->nr_modules && si->modlist_paddr )
    {
        const struct hvm_modlist_entry *m =
            boot_phys_to_virt(si->modlist_paddr);

        for ( uint32_t i = 0; i < si->nr_modules; i++ )
        {
            struct boot_module *bm;

            if ( bi->nr_modules == BOOT_MAX_MODULES )
            {
                printk(LOG_WARNING "PVH: only %u modules are kept\n",
                       BOOT_MAX_MODULES);
                break;
            }
            bm = &bi->modules[bi->nr_modules];
            bm->start = m[i].paddr;
            bm->size = m[i].size;
            bm->cmdline = boot_copy_string(m[i].cmdline_paddr,
                                           pvh_modcmd[bi->nr_modules],
                                           sizeof(pvh_modcmd[0]));
            boot_reserve(bi, bm->start, bm->start + bm->size, "module");
            bi->nr_modules++;
        }
    }
}
