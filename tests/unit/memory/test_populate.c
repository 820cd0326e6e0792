/* SPDX-License-Identifier: MIT */
/*
 * p2m_populate_ram(), which builds a guest's RAM (the PVH builder): RAM
 * comes in the largest blocks the format maps in one entry, so aligned
 * 2 MiB runs get 2 MiB entries, and the rest 4 KiB ones; one page of a
 * large entry can still be given back alone; and a failure leaves nothing
 * behind.
 */
#include "mem_test.h"

#define BASE_GFN 0x400      /* 2 MiB aligned, clear of the fixture's RAM */

static void grow(struct domain *d, uint64_t pages)
{
    d->max_pages = mem_tot(d) + pages;
}

static void test_large_entries_where_aligned(void)
{
    /* 3 + 1024 + 5 frames: 4 KiB, two 2 MiB entries, 4 KiB. */
    uint64_t start = BASE_GFN - 3, nr = 3 + 1024 + 5, before;
    struct p2m_entry e;

    grow(mem_u1, nr);
    before = mem_tot(mem_u1);
    CU_ASSERT_EQUAL_FATAL(p2m_populate_ram(mem_u1, _gfn(start), nr), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), before + nr);

    p2m_get_entry(mem_u1, _gfn(start), &e);
    CU_ASSERT_EQUAL(e.order, P2M_ORDER_4K);
    for ( uint64_t g = BASE_GFN; g < BASE_GFN + 1024; g += 511 )
    {
        p2m_get_entry(mem_u1, _gfn(g), &e);
        CU_ASSERT_EQUAL(e.type, p2m_ram_rw);
        CU_ASSERT_EQUAL(e.order, P2M_ORDER_2M);
    }
    p2m_get_entry(mem_u1, _gfn(BASE_GFN + 1024), &e);
    CU_ASSERT_EQUAL(e.order, P2M_ORDER_4K);
    CU_ASSERT_EQUAL(e.type, p2m_ram_rw);
    /* Zeroed, and each frame the domain's own. */
    CU_ASSERT_EQUAL(*(uint64_t *)mem_ptr(mem_u1, (BASE_GFN + 700ULL) << 12),
                    0);
    mem_check_ownership();

    /* One page from the middle of a 2 MiB entry: split, the rest kept. */
    CU_ASSERT_EQUAL(p2m_release_ram(mem_u1, _gfn(BASE_GFN + 600), 1), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, BASE_GFN + 600), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, BASE_GFN + 601), p2m_ram_rw);
    p2m_get_entry(mem_u1, _gfn(BASE_GFN), &e);
    CU_ASSERT_EQUAL(e.order, P2M_ORDER_2M);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), before + nr - 1);
    mem_check_ownership();

    CU_ASSERT_EQUAL(p2m_release_ram(mem_u1, _gfn(start), nr), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), before);
}

static void test_over_the_limit_leaves_nothing(void)
{
    uint64_t before = mem_tot(mem_u1);

    grow(mem_u1, 511);
    CU_ASSERT_EQUAL(p2m_populate_ram(mem_u1, _gfn(BASE_GFN), 512), -ENOMEM);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, BASE_GFN), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), before);
}

static void test_overlap_refused(void)
{
    uint64_t before = mem_tot(mem_u1);

    grow(mem_u1, 1024);
    /* gfns 0 .. MEM_RAM_PAGES-1 are the fixture's RAM already. */
    CU_ASSERT_EQUAL(p2m_populate_ram(mem_u1, _gfn(0), 512), -EEXIST);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), before);
    CU_ASSERT_EQUAL(p2m_populate_ram(mem_u1, _gfn(P2M_MAX_GFN), 2),
                    -EINVAL);
}

CU_TestInfo populate_tests[] = {
    ORR_CASE(test_large_entries_where_aligned),
    ORR_CASE(test_over_the_limit_leaves_nothing),
    ORR_CASE(test_overlap_refused),
    CU_TEST_INFO_NULL,
};
