/* SPDX-License-Identifier: MIT */
/*
 * Destroying a domain with grants in play. Mappings it made are undone;
 * its pages others have mapped stay alive (and readable) until the last
 * unmap; every ledger returns to zero and no page is lost (the fixture's
 * teardown compares the free page count with the start).
 */
#include "gt_test.h"

#define REF 8
#define HOLE GT_GFN_HOLE

/* The granter dies while u2 has its page mapped. */
static void test_granter_dies_mid_mapping(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };
    struct page_alloc_stats before, after;
    domid_t id = u1->domain_id;
    struct page_info *pg;
    struct p2m_entry e;
    grant_handle_t h;
    uint8_t b = 0;

    memset(gt_ptr(u1, GT_GFN_DATA << PAGE_SHIFT), 0xab, PAGE_SIZE);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    p2m_get_entry(u2, _gfn(HOLE), &e);
    pg = mfn_to_page(e.mfn);

    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    /* The page outlives its owner: orphaned, still u2's to read. */
    CU_ASSERT_PTR_NULL(page_get_owner(pg));
    CU_ASSERT_EQUAL(page_refcount(pg), 1);
    CU_ASSERT_EQUAL(copy_from_guest(u2->vcpu[0], &b, HOLE << PAGE_SHIFT, 1),
                    0);
    CU_ASSERT_EQUAL(b, 0xab);

    /* What the survivor sees from the dead granter (as Xen answers). */
    CU_ASSERT_EQUAL(gt_map(u2, u2, REF, HOLE + 1, GNTMAP_host_map, NULL),
                    GNTST_general_error);   /* its own, never granted */
    {
        struct gnttab_map_grant_ref m = {
            .host_addr = (HOLE + 1) << PAGE_SHIFT,
            .flags = GNTMAP_host_map, .ref = REF, .dom = id,
        };

        CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1),
                        0);
        CU_ASSERT_EQUAL(m.status, GNTST_bad_domain);
    }
    c.source.domid = id;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_domain);

    /* The unmap succeeds and frees the page. */
    page_alloc_stats(&before);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    page_alloc_stats(&after);
    ORR_ASSERT_EQ_U64(after.free_pages, before.free_pages + 1);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 0);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_bad_handle);
}

/* The mapper dies: its mappings go, the granter's entry is free again. */
static void test_mapper_dies(void)
{
    grant_handle_t h;
    unsigned int refs;
    struct p2m_entry e;

    p2m_get_entry(u1, _gfn(GT_GFN_DATA), &e);
    refs = page_refcount(mfn_to_page(e.mfn));
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(u1, REF + 1, u2->domain_id, GT_GFN_DATA + 1,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF + 1, HOLE + 1,
                           GNTMAP_host_map | GNTMAP_readonly, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 2);
    CU_ASSERT_EQUAL(domain_destroy(u2), 0);
    u2 = NULL;
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
    CU_ASSERT_EQUAL(gt_flags(u1, REF + 1), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(page_refcount(mfn_to_page(e.mfn)), refs);
    CU_ASSERT_TRUE(gt_revoke(u1, REF));
}

/* Two domains mapping each other's pages, destroyed one after the other
 * in both orders (the fixture destroys the rest). */
static void test_mutual_mappings(void)
{
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(u2, REF, u1->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(d0, REF, u1->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u1, u2, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u1, d0, REF, HOLE + 1,
                           GNTMAP_host_map | GNTMAP_readonly, NULL),
                    GNTST_okay);
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    CU_ASSERT_EQUAL(gnttab_active_count(u2), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(d0), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);
}

/* A v2 granter with status frames and a grown table dies mapped. */
static void test_v2_granter_dies(void)
{
    grant_handle_t h;
    mfn_t mfn;

    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 20, false, &mfn), 0);
    gt_grant_v2(u1, 20 * GNTTAB_V2_PER_FRAME, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, 20 * GNTTAB_V2_PER_FRAME, HOLE,
                           GNTMAP_host_map, &h), GNTST_okay);
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
}

CU_TestInfo destroy_tests[] = {
    ORR_CASE(test_granter_dies_mid_mapping),
    ORR_CASE(test_mapper_dies),
    ORR_CASE(test_mutual_mappings),
    ORR_CASE(test_v2_granter_dies),
    CU_TEST_INFO_NULL,
};
