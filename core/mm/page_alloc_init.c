/* SPDX-License-Identifier: MIT */
/*
 * From the boot allocator to the buddy: build the frame table, then hand
 * over whatever bootmem still has free. After this the boot allocator is
 * closed, and every RAM frame is either in the buddy or PGO_RESERVED.
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/platform.h>

#include "mm-internal.h"

/*
 * Multi-frame blocks are used through one pointer (xmalloc's large
 * allocations, the frame table itself), so the platform's mapping of a
 * RAM range must be virtually contiguous: true of a direct map and of
 * sim's memory array. Check the ends of each range rather than assume.
 */
static void check_contiguous(const struct mm_range *r)
{
    mfn_t first = paddr_to_mfn(r->start);
    mfn_t last = paddr_to_mfn(r->end - PAGE_SIZE);
    uintptr_t vfirst = (uintptr_t)arch_mfn_to_virt(first);
    uintptr_t vlast = (uintptr_t)arch_mfn_to_virt(last);

    if ( vlast - vfirst != r->end - PAGE_SIZE - r->start )
        panic("page_alloc_init: RAM [0x%lx, 0x%lx) is not mapped "
              "contiguously by arch_mfn_to_virt()\n", r->start, r->end);
}

/* Give [start, end) to the buddy as maximal naturally aligned blocks. */
static void add_range(const struct mm_range *r)
{
    uint64_t mfn = r->start >> PAGE_SHIFT, end = r->end >> PAGE_SHIFT;

    while ( mfn < end )
    {
        unsigned int order = mfn ? (unsigned int)__builtin_ctzll(mfn)
                                 : MAX_ORDER;

        if ( order > MAX_ORDER )
            order = MAX_ORDER;
        while ( mfn + (1UL << order) > end )
            order--;
        page_alloc_add_block(_mfn(mfn), order);
        mfn += 1UL << order;
    }
}

void page_alloc_init(void)
{
    const struct mm_range *ram, *free;
    unsigned int nr_ram, nr_free, i;
    uint64_t f, base, nr_frames, table_bytes, ram_pages = 0, free_pages = 0;
    struct page_info *table;
    paddr_t table_pa;

    nr_ram = bootmem_ram_ranges(&ram);
    if ( nr_ram == 0 )
        panic("page_alloc_init: the memory map has no RAM\n");
    for ( i = 0; i < nr_ram; i++ )
    {
        check_contiguous(&ram[i]);
        ram_pages += (ram[i].end - ram[i].start) >> PAGE_SHIFT;
    }

    /* One entry per frame from the lowest RAM frame to the highest. */
    base = ram[0].start >> PAGE_SHIFT;
    nr_frames = (ram[nr_ram - 1].end >> PAGE_SHIFT) - base;
    table_bytes = nr_frames * sizeof(struct page_info);
    table_pa = bootmem_alloc(table_bytes, PAGE_SIZE, 0);
    table = arch_mfn_to_virt(paddr_to_mfn(table_pa));

    /* Reserved until proven free: holes, boot reservations and bootmem
     * allocations (this table included) all stay that way. */
    memset(table, 0, table_bytes);
    for ( f = 0; f < nr_frames; f++ )
        table[f].count_info = PGO_RESERVED;

    nr_free = bootmem_close(&free);
    for ( i = 0; i < nr_free; i++ )
        free_pages += (free[i].end - free[i].start) >> PAGE_SHIFT;
    page_alloc_set_frame_table(table, base, nr_frames, ram_pages,
                               ram_pages - free_pages);

    for ( i = 0; i < nr_free; i++ )
        add_range(&free[i]);

    printk(LOG_INFO "page_alloc: %lu RAM pages (%lu MiB), %lu free, "
           "frame table %lu KiB at 0x%lx\n", ram_pages, ram_pages >> 8,
           free_pages, table_bytes >> 10, table_pa);
}
