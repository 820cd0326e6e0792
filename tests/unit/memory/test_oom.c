/* SPDX-License-Identifier: MIT */
/*
 * Out of memory for page tables. Giving back one page of a RAM extent
 * mapped with a 2 MiB entry splits the entry, which needs a table; when
 * none can be had the page must stay mapped and owned -- a page freed
 * while the guest still maps it would reach the next domain. Regression
 * tests: p2m_release_ram() and p2m_unmap_ram() used to ignore the failed
 * split and free (or forget) the frame anyway.
 */
#include <stdlib.h>

#include "mem_test.h"

#define SUPER_GFN 0x400     /* 2 MiB aligned */

static mfn_t *hog;
static unsigned int nr_hog;

/* Take every free frame (the buddy is empty afterwards). */
static void exhaust(void)
{
    struct page_alloc_stats st;
    mfn_t m;

    page_alloc_stats(&st);
    hog = calloc(st.free_pages + 1, sizeof(*hog));
    CU_ASSERT_PTR_NOT_NULL_FATAL(hog);
    nr_hog = 0;
    while ( mfn_x(m = alloc_pages(0, 0)) != mfn_x(INVALID_MFN) )
        hog[nr_hog++] = m;
}

static void release(void)
{
    while ( nr_hog )
        free_pages(hog[--nr_hog], 0);
    free(hog);
    hog = NULL;
}

/* u1 gets a 2 MiB extent at SUPER_GFN, mapped with one entry; returns
 * the frame of SUPER_GFN. */
static mfn_t super_extent(void)
{
    static const uint64_t g[] = { SUPER_GFN };
    struct p2m_entry e;

    mem_u1->max_pages = 1024;
    CU_ASSERT_EQUAL_FATAL(mem_res_op(mem_u1, XENMEM_populate_physmap,
                                     DOMID_SELF, 1, 9, 0, g), 1);
    p2m_get_entry(mem_u1, _gfn(SUPER_GFN + 1), &e);
    CU_ASSERT_EQUAL_FATAL(e.order, P2M_ORDER_2M);
    return _mfn(mfn_x(e.mfn) - 1);
}

static void expect_still_mapped(uint64_t gfn, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, gfn, NULL)), mfn_x(mfn));
    CU_ASSERT_EQUAL(page_owner(pg), PGO_DOMAIN);
    CU_ASSERT_PTR_EQUAL(page_get_owner(pg), mem_u1);
    CU_ASSERT(pg->count_info & PGC_allocated);
}

static void test_decrease_needing_a_table(void)
{
    static const uint64_t g[] = { SUPER_GFN + 1 };
    mfn_t m = super_extent();

    exhaust();
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, XENMEM_decrease_reservation,
                               DOMID_SELF, 1, 0, 0, g), 0);
    expect_still_mapped(SUPER_GFN + 1, _mfn(mfn_x(m) + 1));
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 512);
    release();
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, XENMEM_decrease_reservation,
                               DOMID_SELF, 1, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, SUPER_GFN + 1), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, SUPER_GFN + 2), p2m_ram_rw);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 511);
    mem_check_ownership();
}

static void test_remove_and_move_needing_a_table(void)
{
    mfn_t m = super_extent();

    exhaust();
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, SUPER_GFN + 3), -ENOMEM);
    expect_still_mapped(SUPER_GFN + 3, _mfn(mfn_x(m) + 3));
    /* Moving a page out of the extent (to a hole whose table exists):
     * never mapped twice. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn,
                            SUPER_GFN + 4, 0x50, 0), -ENOMEM);
    expect_still_mapped(SUPER_GFN + 4, _mfn(mfn_x(m) + 4));
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x50), p2m_invalid);
    release();
    mem_check_ownership();
}

/* populate_physmap whose tables cannot be had: the page goes back. */
static void test_populate_without_tables(void)
{
    static const uint64_t g[] = { 1ULL << 30 };     /* no tables there */
    uint64_t in_use = domheap_pages_in_use();

    exhaust();
    free_pages(hog[--nr_hog], 0);   /* one page for the extent itself */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, XENMEM_populate_physmap, DOMID_SELF,
                               1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, g[0]), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use);
    release();
}

CU_TestInfo oom_tests[] = {
    ORR_CASE(test_decrease_needing_a_table),
    ORR_CASE(test_remove_and_move_needing_a_table),
    ORR_CASE(test_populate_without_tables),
    CU_TEST_INFO_NULL,
};
