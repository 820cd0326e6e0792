/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page tables (4-level, AMD APM vol. 2 §5.3), built
 * once the boot allocator runs:
 *   - the image at IMAGE_VIRT_BASE + phys in 4 KiB pages: text read-only
 *     and executable, rodata read-only, data and bss writable, both NX
 *     (W^X; CR0.WP makes read-only binding in ring 0);
 *   - the direct map at DIRECTMAP_BASE: every RAM frame write-back, and
 *     below 4 GiB every non-RAM frame uncached (PCD|PWT) for MMIO such as
 *     the local APIC and the IO-APIC; all NX.
 * 2 MiB pages where a whole 2 MiB range has one kind, 4 KiB pages where
 * RAM and non-RAM meet.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/platform.h>
#include <orrery/mm.h>
#include <asm/layout.h>
#include <asm/x86.h>

#include "paging.h"

#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS  (1ull << 7)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define SZ_2M (2ull << 20)
#define SZ_4G (4ull << 30)

extern char _start_image[], _etext[], _srodata[], _erodata[], _sdata[],
    _end[];

static uint64_t nx_bit;                 /* PTE_NX if EFER.NXE is on */
static uint64_t *root;
paddr_t x86_trampoline_paddr;

static uint64_t *new_table(void)
{
    paddr_t pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, SZ_4G);
    uint64_t *t = arch_mfn_to_virt(paddr_to_mfn(pa));

    memset(t, 0, PAGE_SIZE);
    return t;
}

/* The table at @level (3: PDPT, 2: PD, 1: PT) covering @va, created on
 * demand. */
static uint64_t *walk(uint64_t va, int level)
{
    uint64_t *t = root;

    for ( int l = 4; l > level; l-- )
    {
        uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];

        if ( !(*e & PTE_P) )
        {
            uint64_t *n = new_table();

            *e = mfn_to_paddr(arch_virt_to_mfn(n)) | PTE_P | PTE_RW;
        }
        BUG_ON(*e & PTE_PS);
        t = arch_mfn_to_virt(paddr_to_mfn(*e & PTE_ADDR));
    }
    return t;
}

static void map_4k(uint64_t va, paddr_t pa, uint64_t flags)
{
    walk(va, 1)[(va >> 12) & 511] = pa | flags | PTE_P;
}

static void map_2m(uint64_t va, paddr_t pa, uint64_t flags)
{
    walk(va, 2)[(va >> 21) & 511] = pa | flags | PTE_P | PTE_PS;
}

static bool is_ram(const struct memmap *map, paddr_t pa)
{
    for ( unsigned int i = 0; i < map->nr; i++ )
        if ( map->e[i].type == MEMMAP_RAM && pa >= map->e[i].addr &&
             pa - map->e[i].addr < map->e[i].size )
            return true;
    return false;
}

/* 0: no RAM in [pa, pa+2M), 1: all RAM, -1: mixed. A sanitised map has
 * merged adjacent RAM entries, so "all RAM" means inside one entry. */
static int ram_kind_2m(const struct memmap *map, paddr_t pa)
{
    bool any = false;

    for ( unsigned int i = 0; i < map->nr; i++ )
    {
        paddr_t s = map->e[i].addr, e = s + map->e[i].size;

        if ( map->e[i].type != MEMMAP_RAM || e <= pa || s >= pa + SZ_2M )
            continue;
        if ( s <= pa && e >= pa + SZ_2M )
            return 1;
        any = true;
    }
    return any ? -1 : 0;
}

static void map_direct(const struct memmap *map)
{
    paddr_t top = SZ_4G;

    for ( unsigned int i = 0; i < map->nr; i++ )
        if ( map->e[i].type == MEMMAP_RAM )
            top = MAX(top, ROUNDUP(map->e[i].addr + map->e[i].size, SZ_2M));

    for ( paddr_t pa = 0; pa < top; pa += SZ_2M )
    {
        uint64_t va = DIRECTMAP_BASE + pa;
        uint64_t ram = PTE_RW | nx_bit;
        uint64_t mmio = PTE_RW | PTE_PCD | PTE_PWT | nx_bit;
        int kind = ram_kind_2m(map, pa);

        if ( kind == 1 )
            map_2m(va, pa, ram);
        else if ( kind == 0 && pa < SZ_4G )
            map_2m(va, pa, mmio);
        else if ( kind == -1 )
            for ( paddr_t p = pa; p < pa + SZ_2M; p += PAGE_SIZE )
            {
                if ( is_ram(map, p) )
                    map_4k(DIRECTMAP_BASE + p, p, ram);
                else if ( p < SZ_4G )
                    map_4k(DIRECTMAP_BASE + p, p, mmio);
            }
    }
}

static void map_image(void)
{
    for ( uintptr_t va = (uintptr_t)_start_image; va < (uintptr_t)_end;
          va += PAGE_SIZE )
    {
        uint64_t flags;

        if ( va < (uintptr_t)_etext )
            flags = 0;                          /* RX */
        else if ( va >= (uintptr_t)_srodata && va < (uintptr_t)_erodata )
            flags = nx_bit;                     /* R */
        else
            flags = PTE_RW | nx_bit;            /* RW */
        map_4k(va, va - IMAGE_VIRT_BASE, flags);
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

        if ( !(e & PTE_P) )
            continue;
        if ( level == 1 || (e & PTE_PS) )
            bad += (e & PTE_RW) && !(e & PTE_NX);
        else
            bad += audit_wx(arch_mfn_to_virt(paddr_to_mfn(e & PTE_ADDR)),
                            level - 1);
    }
    return bad;
}

void arch_paging_init(const struct memmap *map)
{
    nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
    root = new_table();
    map_image();
    map_direct(map);
    write_cr3(mfn_to_paddr(arch_virt_to_mfn(root)));
    printk("Paging: own page tables at %#llx, direct map at %#llx\n",
           (unsigned long long)mfn_to_paddr(arch_virt_to_mfn(root)),
           (unsigned long long)DIRECTMAP_BASE);
    if ( nx_bit )
        printk("Paging: W^X audit: %lu writable+executable mappings\n",
               audit_wx(root, 4));
    else
        printk(LOG_WARNING "Paging: this CPU has no NX: W^X cannot hold\n");

    /* Application processors start in real mode below 1 MiB: take their
     * trampoline page now, while the boot allocator still runs. */
    x86_trampoline_paddr = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, 0x100000);
}

paddr_t x86_root_table(void)
{
    return mfn_to_paddr(arch_virt_to_mfn(root));
}

void *arch_mfn_to_virt(mfn_t mfn)
{
    return (void *)(uintptr_t)(DIRECTMAP_BASE + mfn_to_paddr(mfn));
}

mfn_t arch_virt_to_mfn(const void *va)
{
    uintptr_t v = (uintptr_t)va;

    if ( v >= IMAGE_VIRT_BASE )
        return paddr_to_mfn(v - IMAGE_VIRT_BASE);
    return paddr_to_mfn(v - DIRECTMAP_BASE);
}
