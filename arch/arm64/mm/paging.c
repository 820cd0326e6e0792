/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own EL2 stage-1 tables (4 KiB granule, 48-bit VA, Arm
 * ARM D8), built once the boot allocator runs:
 *   - the image at IMAGE_VIRT_BASE in 4 KiB pages: text read-only and
 *     executable, rodata read-only, data and bss writable, both
 *     execute-never (W^X);
 *   - the direct map at DIRECTMAP_BASE + pa: every RAM range Normal
 *     write-back, the devices Orrery drives (PL011, GIC) Device-nGnRE,
 *     all execute-never. 2 MiB blocks where a whole block is one RAM
 *     range, 4 KiB pages elsewhere.
 * Nothing else: no identity map, nothing below IMAGE_VIRT_BASE.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/platform.h>
#include <asm/layout.h>
#include <asm/platform_info.h>
#include <asm/pte.h>

#define SZ_2M (2ULL << 20)

extern char _start_image[], _etext[], _srodata[], _erodata[], _end[];

static uint64_t *root;
static paddr_t root_pa;

static uint64_t *new_table(void)
{
    paddr_t pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, 0);
    uint64_t *t = arch_mfn_to_virt(paddr_to_mfn(pa));

    memset(t, 0, PAGE_SIZE);
    return t;
}

static unsigned int index_at(uint64_t va, int level)
{
    return (va >> (12 + 9 * (3 - level))) & 511;
}

/* The table at @level (1..3) covering @va, created on demand. */
static uint64_t *walk(uint64_t va, int level)
{
    uint64_t *t = root;

    for ( int l = 0; l < level; l++ )
    {
        uint64_t *e = &t[index_at(va, l)];

        if ( !(*e & PTE_VALID) )
            *e = mfn_to_paddr(arch_virt_to_mfn(new_table())) | PTE_TABLE;
        BUG_ON((*e & PTE_TYPE_MASK) != PTE_TABLE);
        t = arch_mfn_to_virt(paddr_to_mfn(*e & PTE_ADDR_MASK));
    }
    return t;
}

static void map_4k(uint64_t va, paddr_t pa, uint64_t attr)
{
    walk(va, 3)[index_at(va, 3)] = pa | attr | PTE_PAGE;
}

static void map_2m(uint64_t va, paddr_t pa, uint64_t attr)
{
    walk(va, 2)[index_at(va, 2)] = pa | attr | PTE_BLOCK;
}

static void map_ram_range(paddr_t s, paddr_t e)
{
    uint64_t attr = PTE_MEM | PTE_XN;

    if ( e > DIRECTMAP_SIZE )
        panic("Paging: RAM up to %#llx does not fit the direct map",
              (unsigned long long)e);
    while ( s < e )
    {
        if ( IS_ALIGNED(s, SZ_2M) && e - s >= SZ_2M )
        {
            map_2m(DIRECTMAP_BASE + s, s, attr);
            s += SZ_2M;
        }
        else
        {
            map_4k(DIRECTMAP_BASE + s, s, attr);
            s += PAGE_SIZE;
        }
    }
}

static void map_device(paddr_t pa, uint64_t size)
{
    for ( paddr_t p = ROUNDDOWN(pa, PAGE_SIZE); p < pa + size;
          p += PAGE_SIZE )
        map_4k(DIRECTMAP_BASE + p, p, PTE_DEV);
}

static void map_image(void)
{
    for ( uintptr_t va = (uintptr_t)_start_image; va < (uintptr_t)_end;
          va += PAGE_SIZE )
    {
        uint64_t attr = PTE_MEM;

        if ( va < (uintptr_t)_etext )
            attr |= PTE_RDONLY;                     /* RX */
        else if ( va >= (uintptr_t)_srodata && va < (uintptr_t)_erodata )
            attr |= PTE_RDONLY | PTE_XN;            /* R */
        else
            attr |= PTE_XN;                         /* RW */
        map_4k(va, mfn_to_paddr(arch_virt_to_mfn((void *)va)), attr);
    }
}

/*
 * Count leaf mappings that are both writable and executable, walking the
 * live tables. W^X is a claim the boot log makes; this checks it.
 */
static unsigned long audit_wx(const uint64_t *t, int level)
{
    unsigned long bad = 0;

    for ( unsigned int i = 0; i < 512; i++ )
    {
        uint64_t e = t[i];

        if ( !(e & PTE_VALID) )
            continue;
        if ( level == 3 || (e & PTE_TYPE_MASK) == PTE_BLOCK )
            bad += !(e & PTE_RDONLY) && !(e & PTE_XN);
        else
            bad += audit_wx(arch_mfn_to_virt(paddr_to_mfn(e &
                                                          PTE_ADDR_MASK)),
                            level + 1);
    }
    return bad;
}

/* TTBR0_EL2 to the new root, then drop every EL2 TLB entry: the old and
 * new tables map the image with different block sizes, which must not
 * meet in the TLB (the break-before-make rule, Arm ARM D8). */
static void switch_tables(void)
{
    dsb(ish);
    WRITE_SYSREG(ttbr0_el2, root_pa);
    isb();
    asm volatile ( "tlbi alle2" ::: "memory" );
    dsb(nsh);
    isb();
}

void arch_paging_init(const struct memmap *map)
{
    root = new_table();
    root_pa = mfn_to_paddr(arch_virt_to_mfn(root));
    map_image();
    for ( unsigned int i = 0; i < map->nr; i++ )
        if ( map->e[i].type == MEMMAP_RAM )
            map_ram_range(map->e[i].addr, map->e[i].addr + map->e[i].size);
    map_device(arm64_plat.uart_phys, arm64_plat.uart_size);
    map_device(arm64_plat.gicd_phys, arm64_plat.gicd_size);
    for ( unsigned int i = 0; i < arm64_plat.nr_gicr; i++ )
        map_device(arm64_plat.gicr_phys[i], arm64_plat.gicr_size[i]);

    switch_tables();
    pl011_relocate(DIRECTMAP_BASE + arm64_plat.uart_phys);

    printk("Paging: own page tables at %#llx, direct map at %#llx\n",
           (unsigned long long)root_pa, (unsigned long long)DIRECTMAP_BASE);
    printk("Paging: W^X audit: %lu writable+executable mappings\n",
           audit_wx(root, 0));
}

void paging_switch_secondary(void)
{
    switch_tables();
}

void *arch_mfn_to_virt(mfn_t mfn)
{
    return (void *)(uintptr_t)(DIRECTMAP_BASE + mfn_to_paddr(mfn));
}

mfn_t arch_virt_to_mfn(const void *va)
{
    uintptr_t v = (uintptr_t)va;

    if ( v >= IMAGE_VIRT_BASE && v < (uintptr_t)_end )
        return paddr_to_mfn(arm64_plat.image_phys + (v - IMAGE_VIRT_BASE));
    return paddr_to_mfn(v - DIRECTMAP_BASE);
}
