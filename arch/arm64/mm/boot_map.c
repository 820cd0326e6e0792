/* SPDX-License-Identifier: MIT */
/*
 * The boot tables' direct map. Until mm/paging.c builds the hypervisor's
 * own tables, DIRECTMAP_BASE + pa must already work: the device tree, the
 * boot allocator's first tables and arch_mfn_to_virt() all use it. head.S
 * leaves the L0 slot empty; this fills it with 1 GiB blocks (Arm ARM
 * D8) around the RAM the device tree names. Adding a mapping where
 * there was none needs no TLB invalidation (an invalid entry is never
 * cached: Arm ARM, "Translation Lookaside Buffers"), only a barrier
 * before the first use.
 */
#include <orrery/console.h>
#include <asm/layout.h>
#include <asm/platform_info.h>
#include <asm/pte.h>

#define SZ_1G (1ULL << 30)
#define L0_SPAN (512 * SZ_1G)

extern uint64_t boot_l0[512], boot_l1_dmap[512];

static paddr_t image_pa(const void *va)
{
    return arm64_plat.image_phys + ((uintptr_t)va - IMAGE_VIRT_BASE);
}

void boot_map_ram_1g(paddr_t start, paddr_t end)
{
    unsigned int l0 = (DIRECTMAP_BASE >> 39) & 511;

    if ( end > L0_SPAN )
        panic("boot: RAM at %#llx-%#llx lies above 512 GiB, beyond the "
              "boot direct map", (unsigned long long)start,
              (unsigned long long)end);
    if ( !boot_l0[l0] )
        boot_l0[l0] = image_pa(boot_l1_dmap) | PTE_TABLE;
    /* Whole blocks may take in a little non-RAM beside the RAM: Normal
     * memory there is only ever reached by speculation, and only until
     * the exact tables replace these. */
    for ( paddr_t pa = ROUNDDOWN(start, SZ_1G); pa < end; pa += SZ_1G )
        boot_l1_dmap[pa >> 30] = pa | PTE_MEM | PTE_XN | PTE_BLOCK;
    dsb(ishst);
    isb();
}
