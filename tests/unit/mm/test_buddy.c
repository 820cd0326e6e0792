/* SPDX-License-Identifier: MIT */
/* The buddy allocator: hand-over from bootmem, every order, coalescing,
 * exhaustion, the 4 GiB zone and zeroing. */
#include "mm_test.h"

static bool is_invalid(mfn_t m)
{
    return mfn_x(m) == mfn_x(INVALID_MFN);
}

static bool stats_equal(const struct page_alloc_stats *a,
                        const struct page_alloc_stats *b)
{
    return !memcmp(a, b, sizeof(*a));
}

/* Frame table pages page_alloc_init() takes for @bytes of machine. */
static uint64_t table_pages(uint64_t bytes)
{
    return ROUNDUP((bytes >> PAGE_SHIFT) * sizeof(struct page_info),
                   PAGE_SIZE) >> PAGE_SHIFT;
}

static void test_page_alloc_init_accounts_for_every_frame(void)
{
    struct page_alloc_stats st;
    uint64_t boot_free, m, first, last, n_free = 0, n_res = 0, blk = 0;
    unsigned int o;

    mm_machine_holes();
    mm_boot();
    boot_free = bootmem_free_bytes() >> PAGE_SHIFT;
    page_alloc_init();
    page_alloc_stats(&st);

    ORR_ASSERT_EQ_U64(st.total_pages, mm_ram_pages());
    ORR_ASSERT_EQ_U64(st.free_pages, boot_free - table_pages(64 * MiB));
    ORR_ASSERT_EQ_U64(st.free_pages + st.reserved_pages, st.total_pages);
    for ( o = 0; o <= MAX_ORDER; o++ )
        blk += st.free_blocks[o] << o;
    ORR_ASSERT_EQ_U64(blk, st.free_pages);

    first = sim_memory_base() >> PAGE_SHIFT;
    last = first + (64 * MiB >> PAGE_SHIFT) - 1;
    CU_ASSERT(!mfn_valid(_mfn(first - 1)));
    CU_ASSERT(!mfn_valid(_mfn(last + 1)));
    for ( m = first; m <= last; m++ )
    {
        struct page_info *pg;
        paddr_t pa = m << PAGE_SHIFT;

        CU_ASSERT_FATAL(mfn_valid(_mfn(m)));
        pg = mfn_to_page(_mfn(m));
        ORR_ASSERT_EQ_U64(mfn_x(page_to_mfn(pg)), m);
        if ( !mm_is_ram(pa) || mm_is_boot_reserved(pa) )
        {
            /* Holes, ACPI tables and boot reservations. */
            CU_ASSERT_EQUAL(pg->count_info, PGO_RESERVED);
            n_res += mm_is_ram(pa);
            continue;
        }
        if ( pg->count_info & PGC_free )
        {
            n_free++;
            if ( pg->count_info & PGC_head )
                CU_ASSERT(IS_ALIGNED(m, 1UL << pg->u.order));
        }
        else
        {
            /* Only the frame table itself, at the top of RAM. */
            CU_ASSERT_EQUAL(pg->count_info, PGO_RESERVED);
            CU_ASSERT(m > last - table_pages(64 * MiB));
            n_res++;
        }
    }
    ORR_ASSERT_EQ_U64(n_free, st.free_pages);
    ORR_ASSERT_EQ_U64(n_res, st.reserved_pages);
}

/* 64 MiB at 1 MiB (mfn 0x100), frame table (48 bytes a frame) in the top
 * 192 pages: the free frames 0x100..0x4040 split into maximal aligned
 * blocks. */
static void test_page_alloc_init_hands_over_maximal_aligned_blocks(void)
{
    static const unsigned int want[MAX_ORDER + 1] = {
        [6] = 1, [8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1,
    };
    struct page_alloc_stats st;
    unsigned int o;

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 64 * MiB);
    mm_boot_heap();
    page_alloc_stats(&st);
    for ( o = 0; o <= MAX_ORDER; o++ )
        ORR_ASSERT_EQ_U64(st.free_blocks[o], want[o]);
}

/* 1 GiB + 16 MiB at 1 GiB: one block of every order can be had (the
 * 12.2 MiB frame table takes the top of the extra 16 MiB). */
static void test_buddy_alloc_and_free_every_order(void)
{
    struct page_alloc_stats before, after;
    unsigned int o;
    uint64_t i;

    mm_machine_flat(1 * GiB, 1 * GiB + 16 * MiB);
    mm_boot_heap();
    page_alloc_stats(&before);
    CU_ASSERT_EQUAL(before.free_blocks[MAX_ORDER], 1);

    for ( o = 0; o <= MAX_ORDER; o++ )
    {
        mfn_t m = alloc_pages(o, 0);
        struct page_info *pg;

        CU_ASSERT_FATAL(!is_invalid(m));
        CU_ASSERT(IS_ALIGNED(mfn_x(m), 1UL << o));
        ORR_ASSERT_EQ_U64(mm_free_pages(), before.free_pages - (1UL << o));
        pg = mfn_to_page(m);
        CU_ASSERT_EQUAL(pg->count_info, PGO_HEAP | PGC_head);
        CU_ASSERT_EQUAL(pg->u.order, o);
        for ( i = 1; i < (1UL << o); i++ )
            CU_ASSERT_EQUAL_FATAL(pg[i].count_info, PGO_HEAP);
        free_pages(m, o);
        page_alloc_stats(&after);
        CU_ASSERT(stats_equal(&before, &after));
    }

    /* Only one 1 GiB block exists; orders past MAX_ORDER never do. */
    {
        mfn_t big = alloc_pages(MAX_ORDER, 0);

        CU_ASSERT(!is_invalid(big));
        CU_ASSERT(is_invalid(alloc_pages(MAX_ORDER, 0)));
        free_pages(big, MAX_ORDER);
    }
    CU_ASSERT(is_invalid(alloc_pages(MAX_ORDER + 1, 0)));
    CU_ASSERT(is_invalid(alloc_pages(0, 1U << 7)));   /* unknown flag */
    page_alloc_stats(&after);
    CU_ASSERT(stats_equal(&before, &after));
}

/*
 * Allocate random orders until even one page is gone, checking that no
 * two blocks overlap and every frame is free RAM; free everything in
 * random order. Buddy merging must restore exactly the initial picture.
 */
#define MAX_LIVE 20000
static struct { mfn_t m; unsigned int order; } live[MAX_LIVE];
static uint8_t owned[(64 * MiB) >> PAGE_SHIFT];

static void test_buddy_coalesces_to_initial_picture_after_random_frees(void)
{
    struct page_alloc_stats before, after;
    uint64_t base_mfn, i, j, n = 0;
    unsigned int round;

    mm_machine_holes();
    mm_boot_heap();
    base_mfn = sim_memory_base() >> PAGE_SHIFT;
    page_alloc_stats(&before);
    mm_srand(0xc0a1e5ce);

    for ( round = 0; round < 3; round++ )
    {
        memset(owned, 0, sizeof(owned));
        n = 0;
        for ( ;; )
        {
            unsigned int order = (unsigned int)mm_rand_range(0, 7);
            mfn_t m = alloc_pages(order, 0);

            if ( is_invalid(m) )
            {
                if ( order == 0 )
                    break;
                continue;
            }
            CU_ASSERT_FATAL(n < MAX_LIVE);
            live[n].m = m;
            live[n].order = order;
            n++;
            for ( j = 0; j < (1UL << order); j++ )
            {
                uint64_t f = mfn_x(m) + j - base_mfn;

                CU_ASSERT_FATAL(f < ARRAY_SIZE(owned));
                CU_ASSERT_FATAL(!owned[f]);
                owned[f] = 1;
                CU_ASSERT(mm_is_ram((mfn_x(m) + j) << PAGE_SHIFT));
                CU_ASSERT(!mm_is_boot_reserved((mfn_x(m) + j) << PAGE_SHIFT));
            }
        }
        ORR_ASSERT_EQ_U64(mm_free_pages(), 0);

        mm_shuffle(live, n, sizeof(live[0]));
        for ( i = 0; i < n; i++ )
            free_pages(live[i].m, live[i].order);
        page_alloc_stats(&after);
        CU_ASSERT(stats_equal(&before, &after));
    }
    CU_ASSERT(n > 100);
}

static void test_buddy_exhaustion_returns_invalid_mfn(void)
{
    uint64_t free0, n = 0;
    mfn_t m, last = INVALID_MFN;

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 4 * MiB);
    mm_boot_heap();
    free0 = mm_free_pages();
    while ( !is_invalid(m = alloc_pages(0, 0)) )
    {
        last = m;
        n++;
    }
    ORR_ASSERT_EQ_U64(n, free0);
    CU_ASSERT(is_invalid(alloc_pages(0, MEMF_ZERO)));
    CU_ASSERT(is_invalid(alloc_pages(3, 0)));
    CU_ASSERT(alloc_page_virt(0, 0) == NULL);

    /* One page back: exactly that page can be had again. */
    free_pages(last, 0);
    ORR_ASSERT_EQ_U64(mfn_x(alloc_pages(0, 0)), mfn_x(last));
}

/*
 * Sim memory at 4 GiB - 16 MiB straddles the line: 16 MiB below, 16 MiB
 * above (the frame table takes the top). MEMF_BELOW_4G must only ever
 * return blocks ending at or below 4 GiB, and plain requests must leave
 * low memory alone while high memory lasts.
 */
static void test_buddy_below_4g_flag_and_high_memory_preference(void)
{
    struct page_alloc_stats before, after;
    const uint64_t line = (4 * GiB) >> PAGE_SHIFT;
    uint64_t n_low = 0;
    mfn_t m;

    mm_machine_flat(4 * GiB - 16 * MiB, 32 * MiB);
    mm_boot_heap();
    page_alloc_stats(&before);

    m = alloc_pages(0, 0);
    CU_ASSERT(mfn_x(m) >= line);
    free_pages(m, 0);

    /* The whole low zone is one naturally aligned 16 MiB block. */
    m = alloc_pages(12, MEMF_BELOW_4G);
    ORR_ASSERT_EQ_U64(mfn_x(m), line - 4096);
    CU_ASSERT(is_invalid(alloc_pages(0, MEMF_BELOW_4G)));
    CU_ASSERT(!is_invalid(alloc_pages(0, 0)) );
    free_pages(m, 12);

    /* Page by page: every one below the line, then none left there while
     * high memory is still free. */
    while ( !is_invalid(m = alloc_pages(0, MEMF_BELOW_4G | MEMF_ZERO)) )
    {
        CU_ASSERT_FATAL(mfn_x(m) + 1 <= line);
        n_low++;
    }
    ORR_ASSERT_EQ_U64(n_low, 4096);
    CU_ASSERT(mm_free_pages() > 0);
    m = alloc_pages(0, 0);
    CU_ASSERT(mfn_x(m) >= line);

    /* High memory preferred: with low memory free again, plain requests
     * still come from above until it is gone. */
    mm_machine_flat(4 * GiB - 16 * MiB, 32 * MiB);
    mm_boot_heap();
    while ( !is_invalid(m = alloc_pages(0, 0)) )
        if ( mfn_x(m) < line )
            break;
    page_alloc_stats(&after);
    ORR_ASSERT_EQ_U64(after.free_pages, 4096 - 1);
    CU_ASSERT(mfn_x(m) < line);
}

static bool page_is(mfn_t m, unsigned int order, uint8_t byte)
{
    uint64_t i, b;

    for ( i = 0; i < (1UL << order); i++ )
    {
        const uint8_t *p = arch_mfn_to_virt(_mfn(mfn_x(m) + i));

        for ( b = 0; b < PAGE_SIZE; b++ )
            if ( p[b] != byte )
                return false;
    }
    return true;
}

static void test_buddy_memf_zero_clears_dirty_pages(void)
{
    uint64_t n = 0, i;
    mfn_t m;
    static mfn_t all[(8 * MiB) >> PAGE_SHIFT];

    /* Dirty every free page, give them all back. */
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_boot_heap();
    while ( !is_invalid(m = alloc_pages(0, 0)) )
    {
        memset(arch_mfn_to_virt(m), 0xa5, PAGE_SIZE);
        all[n++] = m;
    }
    for ( i = 0; i < n; i++ )
        free_pages(all[i], 0);

    /* Without the flag the dirt shows, so the check below can fail. */
    m = alloc_pages(3, 0);
    CU_ASSERT(page_is(m, 3, 0xa5));
    free_pages(m, 3);

    m = alloc_pages(3, MEMF_ZERO);
    CU_ASSERT(page_is(m, 3, 0));
    free_pages(m, 3);
    m = alloc_pages(0, MEMF_ZERO);
    CU_ASSERT(page_is(m, 0, 0));
    free_pages(m, 0);
    m = alloc_pages(9, MEMF_ZERO);
    CU_ASSERT(page_is(m, 9, 0));
    free_pages(m, 9);
}

static void test_alloc_page_virt_maps_the_block(void)
{
    struct page_alloc_stats before, after;
    uint8_t *va;

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 8 * MiB);
    mm_boot_heap();
    page_alloc_stats(&before);

    va = alloc_page_virt(2, MEMF_ZERO);
    CU_ASSERT_FATAL(va != NULL);
    CU_ASSERT(IS_ALIGNED((uintptr_t)va, PAGE_SIZE));
    CU_ASSERT(IS_ALIGNED(mfn_x(arch_virt_to_mfn(va)), 4));
    CU_ASSERT_EQUAL(mfn_to_page(arch_virt_to_mfn(va))->count_info,
                    PGO_HEAP | PGC_head);
    memset(va, 0x3c, 4 * PAGE_SIZE);    /* all four pages are ours */
    free_page_virt(va, 2);
    free_page_virt(NULL, 2);
    page_alloc_stats(&after);
    CU_ASSERT(stats_equal(&before, &after));
}

static void test_page_alloc_dump_prints_free_lists(void)
{
    mfn_t m;

    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 64 * MiB);
    mm_boot_heap();
    m = alloc_pages(0, 0);
    CU_ASSERT(console_set_loglvl("all"));
    sim_console_clear();
    page_alloc_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "page_alloc: 16384 RAM pages, "
                        "16191 free, 192 reserved, 1 allocated");
    ORR_ASSERT_CONTAINS(sim_console_text(), "zone below 4G: 16191 free");
    ORR_ASSERT_CONTAINS(sim_console_text(), "order 13 (  32768 KiB): 1");
    ORR_ASSERT_CONTAINS(sim_console_text(), "order  0 (      4 KiB): 1");
    free_pages(m, 0);
}

CU_TestInfo buddy_tests[] = {
    ORR_CASE(test_page_alloc_init_accounts_for_every_frame),
    ORR_CASE(test_page_alloc_init_hands_over_maximal_aligned_blocks),
    ORR_CASE(test_buddy_alloc_and_free_every_order),
    ORR_CASE(test_buddy_coalesces_to_initial_picture_after_random_frees),
    ORR_CASE(test_buddy_exhaustion_returns_invalid_mfn),
    ORR_CASE(test_buddy_below_4g_flag_and_high_memory_preference),
    ORR_CASE(test_buddy_memf_zero_clears_dirty_pages),
    ORR_CASE(test_alloc_page_virt_maps_the_block),
    ORR_CASE(test_page_alloc_dump_prints_free_lists),
    CU_TEST_INFO_NULL,
};
