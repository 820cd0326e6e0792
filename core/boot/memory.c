/* SPDX-License-Identifier: MIT */
/*
 * Boot phase 3: from the loader's memory map to a working page allocator.
 * Reserved ranges (image, modules, loader data) are carved out before the
 * boot allocator hands out anything, so they are never given away.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/mm.h>

#include "boot_private.h"

/* Below this the hypervisor cannot build its page tables, frame table and
 * heap with room to spare: say so plainly instead of failing later. */
#define MIN_RAM (16ULL << 20)

static void print_map(const struct memmap *map)
{
    printk("Memory map (%u entries):\n", map->nr);
    for ( unsigned int i = 0; i < map->nr; i++ )
        printk("  %016llx - %016llx  %s\n",
               (unsigned long long)map->e[i].addr,
               (unsigned long long)(map->e[i].addr + map->e[i].size),
               memmap_type_name(map->e[i].type));
}

void memory_init(struct boot_info *bi)
{
    uint64_t ram;
    struct page_alloc_stats st;

    if ( bi->map.nr == 0 )
        panic("Memory: the boot loader (%s) passed no memory map",
              bi->loader);
    memmap_sanitize(&bi->map);
    print_map(&bi->map);

    ram = memmap_ram_bytes(&bi->map);
    if ( ram < MIN_RAM )
        panic("Memory: the map shows only %llu KiB of RAM; Orrery needs at "
              "least %llu MiB", (unsigned long long)(ram >> 10),
              (unsigned long long)(MIN_RAM >> 20));

    for ( unsigned int i = 0; i < bi->nr_reserved; i++ )
        printk("  reserved %016llx - %016llx  %s\n",
               (unsigned long long)bi->reserved[i].start,
               (unsigned long long)bi->reserved[i].end, bi->reserved[i].what);

    bootmem_init(&bi->map, bi->reserved, bi->nr_reserved);
    if ( bootmem_free_bytes() < MIN_RAM / 2 )
        panic("Memory: only %llu KiB usable after reservations",
              (unsigned long long)(bootmem_free_bytes() >> 10));

    arch_paging_init(&bi->map);
    page_alloc_init();

    page_alloc_stats(&st);
    printk("Memory: %llu MiB RAM, %llu MiB free after boot allocations\n",
           (unsigned long long)(st.total_pages >> (20 - PAGE_SHIFT)),
           (unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)));
}
