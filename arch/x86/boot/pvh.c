/* SPDX-License-Identifier: MIT */
/*
 * Reading struct hvm_start_info (reference §1.4) into a struct boot_info.
 *
 * The start info itself must be readable: without it nothing can boot, so
 * a missing one or a wrong magic is a panic. Everything it points to is
 * checked against the boot map before it is read; an array or string
 * that is not mapped is dropped with a warning that names it, and arrays
 * longer than boot_info can hold are cut with one warning, not one per
 * entry. Entries are copied out with memcpy (no alignment assumed).
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <public/hvm/start_info.h>

#include "boot_x86.h"

/* Version 0 of the start info ends before memmap_paddr (version 1 added
 * the memory map fields); reading 56 bytes of a 40-byte block would read
 * past its end. */
#define PVH_V0_SIZE offsetof(struct hvm_start_info, memmap_paddr)

static char pvh_cmdline[1024];
static char pvh_modcmd[BOOT_MAX_MODULES][256];

static void pvh_memmap(const struct hvm_start_info *si, struct boot_info *bi)
{
    uint32_t n = si->memmap_entries, room = MEMMAP_MAX - bi->map.nr;
    struct hvm_memmap_table_entry e;
    const uint8_t *table;

    if ( !n )
        return;
    if ( n > room )
    {
        printk(LOG_WARNING "PVH: %u memory map entries, only the first %u "
               "are kept\n", n, room);
        n = room;
    }
    table = boot_map(si->memmap_paddr, (uint64_t)n * sizeof(e));
    if ( !table )
    {
        printk(LOG_WARNING "PVH: memory map (%u entries at %#llx) runs past "
               "mapped memory, ignored\n", n,
               (unsigned long long)si->memmap_paddr);
        return;
    }
    for ( uint32_t i = 0; i < n; i++ )
    {
        memcpy(&e, table + i * sizeof(e), sizeof(e));
        memmap_add(&bi->map, e.addr, e.size, e.type);
    }
}

static void pvh_modules(const struct hvm_start_info *si,
                        struct boot_info *bi)
{
    uint32_t n = si->nr_modules;
    struct hvm_modlist_entry m;
    const uint8_t *list;

    if ( !si->modlist_paddr )
    {
        printk(LOG_WARNING "PVH: %u modules but no module list\n", n);
        return;
    }
    if ( n > BOOT_MAX_MODULES - bi->nr_modules )
    {
        printk(LOG_WARNING "PVH: only %u modules are kept\n",
               BOOT_MAX_MODULES);
        n = BOOT_MAX_MODULES - bi->nr_modules;
    }
    list = boot_map(si->modlist_paddr, (uint64_t)n * sizeof(m));
    if ( !list )
    {
        printk(LOG_WARNING "PVH: module list (%u entries at %#llx) runs past "
               "mapped memory, ignored\n", n,
               (unsigned long long)si->modlist_paddr);
        return;
    }
    for ( uint32_t i = 0; i < n; i++ )
    {
        struct boot_module *bm = &bi->modules[bi->nr_modules];

        memcpy(&m, list + i * sizeof(m), sizeof(m));
        if ( m.size > UINT64_MAX - m.paddr )
        {
            printk(LOG_WARNING "PVH: module %u (%#llx, %#llx bytes) wraps "
                   "the address space, ignored\n", i,
                   (unsigned long long)m.paddr, (unsigned long long)m.size);
            continue;
        }
        bm->start = m.paddr;
        bm->size = m.size;
        bm->cmdline = boot_copy_string(m.cmdline_paddr,
                                       pvh_modcmd[bi->nr_modules],
                                       sizeof(pvh_modcmd[0]));
        boot_reserve(bi, bm->start, bm->start + bm->size, "module");
        bi->nr_modules++;
    }
}

void pvh_parse(paddr_t pa, struct boot_info *bi)
{
    struct hvm_start_info si = { 0 };
    size_t size = PVH_V0_SIZE;
    const void *p;

    bi->loader = "PVH";
    p = boot_map(pa, size);
    if ( !p )
        panic("PVH: start info at %#llx is not mapped",
              (unsigned long long)pa);
    memcpy(&si, p, size);
    if ( si.magic != XEN_HVM_START_MAGIC_VALUE )
        panic("PVH: start info at %#llx has magic %#x, expected %#x",
              (unsigned long long)pa, si.magic, XEN_HVM_START_MAGIC_VALUE);
    if ( si.version >= 1 )
    {
        p = boot_map(pa, sizeof(si));
        if ( p )
        {
            size = sizeof(si);
            memcpy(&si, p, size);
        }
        else
            printk(LOG_WARNING "PVH: version %u start info at %#llx runs "
                   "past mapped memory, read as version 0\n", si.version,
                   (unsigned long long)pa);
    }
    boot_reserve(bi, pa, pa + size, "PVH start info");

    bi->cmdline = boot_copy_string(si.cmdline_paddr, pvh_cmdline,
                                   sizeof(pvh_cmdline));
    x86_rsdp_paddr = si.rsdp_paddr;

    if ( size == sizeof(si) && si.memmap_paddr )
        pvh_memmap(&si, bi);
    if ( si.nr_modules )
        pvh_modules(&si, bi);
}
