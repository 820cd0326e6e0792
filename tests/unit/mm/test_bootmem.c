/* SPDX-License-Identifier: MIT */
/* The boot allocator: free ranges, placement, limits and failures. */
#include "mm_test.h"

/* The holes machine: RAM, and the RAM its reservations cover once
 * rounded out to pages -- image 2 MiB, module 1 MiB + 1 page, boot info
 * 1 page, and 2 + 2 pages either side of the 1 MiB hole. */
#define HOLES_RAM ((64 * MiB) - 384 * 1024 - 1 * MiB - PAGE_SIZE)
#define HOLES_RESERVED (3 * MiB + 6 * PAGE_SIZE)

/* bootmem_alloc() that reports a panic instead of ending the test. */
static bool try_alloc(uint64_t size, uint64_t align, paddr_t below,
                      paddr_t *out)
{
    volatile bool ok = false;

    sim_console_clear();
    if ( SIM_CATCH_HALT() == 0 )
    {
        *out = bootmem_alloc(size, align, below);
        ok = true;
    }
    else
        console_force_unlock();
    sim_halt_disarm();
    return ok;
}

static void test_bootmem_free_bytes_are_ram_minus_reservations(void)
{
    mm_machine_holes();
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&mm_m.map), HOLES_RAM);
    mm_boot();
    ORR_ASSERT_EQ_U64(bootmem_free_bytes(), HOLES_RAM - HOLES_RESERVED);
}

/*
 * A page-state model of the machine: free = RAM, not reserved, not yet
 * allocated. For every random request the model computes where the
 * highest-fit policy must place it, or that it cannot be placed; the
 * allocator must agree exactly, and every block it returns must be RAM
 * outside every reservation (checked against the machine description,
 * not the model).
 */
#define MODEL_PAGES ((64 * MiB) >> PAGE_SHIFT)
static uint8_t model_free[MODEL_PAGES];
static uint32_t model_run[MODEL_PAGES + 1];

static bool model_fit(uint64_t pages, uint64_t align, paddr_t below,
                      paddr_t *where)
{
    paddr_t base = sim_memory_base();
    paddr_t top = base + (MODEL_PAGES << PAGE_SHIFT), addr;
    uint64_t i;

    /* model_run[i]: free pages in a row starting at page i. */
    model_run[MODEL_PAGES] = 0;
    for ( i = MODEL_PAGES; i-- > 0; )
        model_run[i] = model_free[i] ? model_run[i + 1] + 1 : 0;

    if ( align < PAGE_SIZE )
        align = PAGE_SIZE;
    if ( below && ROUNDDOWN(below, PAGE_SIZE) < top )
        top = ROUNDDOWN(below, PAGE_SIZE);
    if ( top < base + (pages << PAGE_SHIFT) )
        return false;
    for ( addr = ROUNDDOWN(top - (pages << PAGE_SHIFT), align);
          addr >= base && addr < top; addr -= align )
    {
        if ( model_run[(addr - base) >> PAGE_SHIFT] >= pages )
        {
            *where = addr;
            return true;
        }
        if ( addr < align )
            break;
    }
    return false;
}

static void test_bootmem_random_allocs_highest_fit_never_reserved(void)
{
    paddr_t base, pa, want = 0;  /* set by model_fit() when it fits */
    uint64_t i, p, free_pages = 0, n_ok = 0, n_panic = 0;

    mm_machine_holes();
    mm_boot();
    base = sim_memory_base();
    for ( p = 0; p < MODEL_PAGES; p++ )
    {
        paddr_t a = base + (p << PAGE_SHIFT);

        model_free[p] = mm_is_ram(a) && !mm_is_boot_reserved(a);
        free_pages += model_free[p];
    }
    ORR_ASSERT_EQ_U64(bootmem_free_bytes(), free_pages << PAGE_SHIFT);

    mm_srand(0x600d5eed);
    for ( i = 0; i < 600; i++ )
    {
        /* Mostly small, sometimes large; alignments up to 4 MiB; a third
         * of the requests limited, a few below all memory. */
        uint64_t size = (mm_rand() & 3) ? mm_rand_range(1, 3 * PAGE_SIZE)
                                        : mm_rand_range(1, 2 * MiB);
        uint64_t align = 1UL << mm_rand_range(0, 22);
        paddr_t below = 0;
        uint64_t pages = ROUNDUP(size, PAGE_SIZE) >> PAGE_SHIFT;
        bool fits;

        switch ( mm_rand() % 6 )
        {
        case 0: case 1:
            below = mm_rand_range(base, base + 70 * MiB);
            break;
        case 2:
            if ( (mm_rand() & 7) == 0 )
                below = mm_rand_range(0, base);
            break;
        }

        fits = model_fit(pages, align, below, &want);
        if ( !try_alloc(size, align, below, &pa) )
        {
            CU_ASSERT(!fits);
            ORR_ASSERT_CONTAINS(sim_console_text(), "cannot allocate");
            n_panic++;
            continue;
        }
        CU_ASSERT(fits);
        ORR_ASSERT_EQ_U64(pa, want);
        CU_ASSERT(IS_ALIGNED(pa, MAX(align, PAGE_SIZE)));
        CU_ASSERT(!below || pa + (pages << PAGE_SHIFT) <= below);
        for ( p = 0; p < pages; p++ )
        {
            paddr_t a = pa + (p << PAGE_SHIFT);

            CU_ASSERT_FATAL(a >= base && a - base < (64 * MiB));
            CU_ASSERT(mm_is_ram(a));
            CU_ASSERT(!mm_is_boot_reserved(a));
            CU_ASSERT(model_free[(a - base) >> PAGE_SHIFT]);
            model_free[(a - base) >> PAGE_SHIFT] = 0;
        }
        free_pages -= pages;
        ORR_ASSERT_EQ_U64(bootmem_free_bytes(), free_pages << PAGE_SHIFT);
        n_ok++;
    }
    /* The mix must exercise both outcomes to prove anything. */
    CU_ASSERT(n_ok > 100);
    CU_ASSERT(n_panic > 10);
}

static void test_bootmem_honours_alignment_and_below_limit(void)
{
    paddr_t base, pa;

    mm_machine_holes();
    mm_boot();
    base = sim_memory_base();

    /* No limit: the top of RAM. */
    pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, 0);
    ORR_ASSERT_EQ_U64(pa, base + 64 * MiB - PAGE_SIZE);

    /* Sub-page sizes and alignments still get whole, aligned pages. */
    pa = bootmem_alloc(100, 8, 0);
    ORR_ASSERT_EQ_U64(pa, base + 64 * MiB - 2 * PAGE_SIZE);

    /* 2 MiB alignment: highest aligned slot below what is taken. */
    pa = bootmem_alloc(3 * PAGE_SIZE, 2 * MiB, 0);
    CU_ASSERT(IS_ALIGNED(pa, 2 * MiB));
    CU_ASSERT(pa + 3 * PAGE_SIZE <= base + 64 * MiB - 2 * PAGE_SIZE);
    CU_ASSERT(pa + 2 * MiB > base + 64 * MiB - 2 * PAGE_SIZE);

    /* A limit inside the 1 MiB hole lands below the hole, skipping the
     * reservation that straddles it. */
    pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, base + 16 * MiB + 4096);
    ORR_ASSERT_EQ_U64(pa, base + 16 * MiB - 3 * PAGE_SIZE);

    /* An unaligned limit is rounded down: the block ends at or below it. */
    pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, base + 12 * MiB + 100);
    ORR_ASSERT_EQ_U64(pa, base + 12 * MiB - PAGE_SIZE);

    /* Below the image, above the boot info page. */
    pa = bootmem_alloc(64 * 1024, 64 * 1024, base + 1 * MiB);
    CU_ASSERT(pa + 64 * 1024 <= base + 640 * 1024);
    CU_ASSERT(IS_ALIGNED(pa, 64 * 1024));
}

static void test_bootmem_exhaustion_panics_naming_request(void)
{
    paddr_t pa;

    mm_machine_holes();
    mm_boot();

    /* Larger than any free range (the biggest is 24 MiB - 4 KiB). */
    CU_ASSERT(!try_alloc(24 * MiB, PAGE_SIZE, 0, &pa));
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cannot allocate 0x1800000 bytes aligned 0x1000 "
                        "below 0x0 (no limit)");

    /* Fits in size, but not under the limit. */
    CU_ASSERT(!try_alloc(1 * MiB, 1 * MiB, sim_memory_base() + 1 * MiB, &pa));
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cannot allocate 0x100000 bytes aligned 0x100000 "
                        "below 0x200000");

    /* The failed requests took nothing; the allocator still works. */
    ORR_ASSERT_EQ_U64(bootmem_free_bytes(), HOLES_RAM - HOLES_RESERVED);
    CU_ASSERT(try_alloc(23 * MiB, PAGE_SIZE, 0, &pa));

    /* Take everything, page by page: the next page panics. */
    while ( bootmem_free_bytes() )
        CU_ASSERT_FATAL(try_alloc(PAGE_SIZE, PAGE_SIZE, 0, &pa));
    CU_ASSERT(!try_alloc(1, 1, 0, &pa));
    ORR_ASSERT_CONTAINS(sim_console_text(), "cannot allocate 0x1 bytes");
}

static void test_bootmem_rejects_bad_requests(void)
{
    mm_machine_holes();
    mm_boot();
    MM_EXPECT_PANIC(bootmem_alloc(0, PAGE_SIZE, 0), "bad size 0x0");
    MM_EXPECT_PANIC(bootmem_alloc(~0UL, PAGE_SIZE, 0), "bad size");
    MM_EXPECT_PANIC(bootmem_alloc(PAGE_SIZE, 3 * PAGE_SIZE, 0),
                    "alignment 0x3000 is not a power of two");
    ORR_ASSERT_EQ_U64(bootmem_free_bytes(), HOLES_RAM - HOLES_RESERVED);
}

static void test_bootmem_rejects_unsanitised_map_and_inverted_reservation(void)
{
    struct boot_range bad = { .start = 0x300000, .end = 0x200000,
                              .what = "backwards" };

    /* Overlapping entries: not what memmap_sanitize() produces. */
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_m.map.e[1] = mm_m.map.e[0];
    mm_m.map.e[1].addr += PAGE_SIZE;
    mm_m.map.nr = 2;
    MM_EXPECT_PANIC(mm_boot(), "memory map not sanitised: entry 1");

    /* RAM not in whole pages. */
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_m.map.e[0].size -= 10;
    MM_EXPECT_PANIC(mm_boot(), "is not page aligned");

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    MM_EXPECT_PANIC(bootmem_init(&mm_m.map, &bad, 1),
                    "reserved range 0 (backwards) is inverted");
}

static void test_bootmem_closed_after_page_alloc_init(void)
{
    mm_machine_holes();
    mm_boot_heap();
    ORR_ASSERT_EQ_U64(bootmem_free_bytes() % PAGE_SIZE, 0);
    MM_EXPECT_PANIC(bootmem_alloc(PAGE_SIZE, PAGE_SIZE, 0),
                    "boot allocator used after page_alloc_init");

    /* A new bootmem_init() is a new boot: allocating works again. */
    mm_machine_holes();
    mm_boot();
    CU_ASSERT(bootmem_alloc(PAGE_SIZE, PAGE_SIZE, 0) != 0);
}

/*
 * Each request aligned to two pages but one page long leaves a one-page
 * fragment above it: a pathological arch could run bootmem out of range
 * slots. That must be a clear panic, not a silent overwrite.
 */
static void test_bootmem_out_of_range_slots_panics_clearly(void)
{
    unsigned int i;
    paddr_t pa;

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_boot();
    for ( i = 0; i < 1000; i++ )
        if ( !try_alloc(PAGE_SIZE, 2 * PAGE_SIZE, 0, &pa) )
            break;
    CU_ASSERT(i > 200 && i < 1000);
    ORR_ASSERT_CONTAINS(sim_console_text(), "out of range slots");
}

static void test_bootmem_dump_lists_free_ranges(void)
{
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_boot();
    CU_ASSERT(console_set_loglvl("all"));
    sim_console_clear();
    bootmem_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "bootmem: 1 free range(s)");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "[0x0000000000100000, 0x0000000000900000)");
}

CU_TestInfo bootmem_tests[] = {
    ORR_CASE(test_bootmem_free_bytes_are_ram_minus_reservations),
    ORR_CASE(test_bootmem_random_allocs_highest_fit_never_reserved),
    ORR_CASE(test_bootmem_honours_alignment_and_below_limit),
    ORR_CASE(test_bootmem_exhaustion_panics_naming_request),
    ORR_CASE(test_bootmem_rejects_bad_requests),
    ORR_CASE(test_bootmem_rejects_unsanitised_map_and_inverted_reservation),
    ORR_CASE(test_bootmem_closed_after_page_alloc_init),
    ORR_CASE(test_bootmem_out_of_range_slots_panics_clearly),
    ORR_CASE(test_bootmem_dump_lists_free_ranges),
    CU_TEST_INFO_NULL,
};
