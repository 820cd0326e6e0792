/* SPDX-License-Identifier: MIT */
/* Fixtures for the core/mm tests (see mm_test.h) and the suite list. */
#include "mm_test.h"

struct mm_machine mm_m;
static uint64_t rng_state;

static void add(paddr_t addr, uint64_t size, uint32_t type)
{
    CU_ASSERT_FATAL(memmap_add(&mm_m.map, addr, size, type) == 0);
}

static void reserve(paddr_t start, paddr_t end, const char *what)
{
    mm_m.res[mm_m.nr_res].start = start;
    mm_m.res[mm_m.nr_res].end = end;
    mm_m.res[mm_m.nr_res].what = what;
    mm_m.nr_res++;
}

void mm_machine_holes(void)
{
    paddr_t b = SIM_MEMORY_DEFAULT_BASE;

    sim_init(1, 0);
    sim_memory_set_base(b);
    sim_memory_init(64 * MiB);
    memset(&mm_m, 0, sizeof(mm_m));

    /*
     * RAM [b, b+640K), hole to b+1M, RAM to b+16M, hole to b+17M, RAM to
     * b+40M, one page of ACPI tables, RAM to b+64M. Reported out of order
     * and sanitised, as start_orrery() does.
     */
    add(b + 17 * MiB, 23 * MiB, MEMMAP_RAM);
    add(b, 640 * 1024, MEMMAP_RAM);
    add(b + 640 * 1024, 384 * 1024, MEMMAP_RESERVED);
    add(b + 1 * MiB, 15 * MiB, MEMMAP_RAM);
    add(b + 40 * MiB, PAGE_SIZE, MEMMAP_ACPI);
    add(b + 40 * MiB + PAGE_SIZE, 24 * MiB - PAGE_SIZE, MEMMAP_RAM);
    memmap_sanitize(&mm_m.map);

    reserve(b + 1 * MiB, b + 3 * MiB, "image");
    reserve(b + 5 * MiB + 123, b + 6 * MiB + 77, "module 0");
    reserve(b + 0x9000, b + 0x9100, "boot info");
    reserve(b + 16 * MiB - 8192, b + 17 * MiB + 8192, "straddles a hole");
}

void mm_machine_flat(paddr_t base, size_t bytes)
{
    sim_init(1, 0);
    sim_memory_set_base(base);
    sim_memory_init(bytes);
    memset(&mm_m, 0, sizeof(mm_m));
    sim_memory_map(&mm_m.map);
}

void mm_boot(void)
{
    bootmem_init(&mm_m.map, mm_m.res, mm_m.nr_res);
}

void mm_boot_heap(void)
{
    mm_boot();
    page_alloc_init();
}

bool mm_is_ram(paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < mm_m.map.nr; i++ )
        if ( mm_m.map.e[i].type == MEMMAP_RAM && pa >= mm_m.map.e[i].addr &&
             pa - mm_m.map.e[i].addr < mm_m.map.e[i].size )
            return true;
    return false;
}

bool mm_is_boot_reserved(paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < mm_m.nr_res; i++ )
        if ( pa >= ROUNDDOWN(mm_m.res[i].start, PAGE_SIZE) &&
             pa < ROUNDUP(mm_m.res[i].end, PAGE_SIZE) )
            return true;
    return false;
}

uint64_t mm_ram_pages(void)
{
    return memmap_ram_bytes(&mm_m.map) >> PAGE_SHIFT;
}

void mm_srand(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

uint64_t mm_rand(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

uint64_t mm_rand_range(uint64_t lo, uint64_t hi)
{
    return lo + mm_rand() % (hi - lo + 1);
}

void mm_shuffle(void *base, size_t n, size_t size)
{
    unsigned char *a = base, tmp[64];
    size_t i, j;

    CU_ASSERT_FATAL(size <= sizeof(tmp));
    for ( i = n; i > 1; i-- )
    {
        j = mm_rand() % i;
        memcpy(tmp, a + (i - 1) * size, size);
        memcpy(a + (i - 1) * size, a + j * size, size);
        memcpy(a + j * size, tmp, size);
    }
}

uint64_t mm_free_pages(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE("bootmem", bootmem_tests),
    ORR_SUITE("buddy", buddy_tests),
    ORR_SUITE("buddy_misuse", buddy_misuse_tests),
    ORR_SUITE("xmalloc", xmalloc_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
