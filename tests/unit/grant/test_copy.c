/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy: every combination of GNTCOPY_source_gref / dest_gref,
 * the per-page and per-grant bounds, and each bad argument with its own
 * status in a batch.
 */
#include "gt_test.h"

#define REF 8

static uint8_t *page(struct domain *d, uint64_t gfn)
{
    return gt_ptr(d, gfn << PAGE_SHIFT);
}

static void fill(struct domain *d, uint64_t gfn, uint8_t seed)
{
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        page(d, gfn)[i] = (uint8_t)(seed + i * 7);
}

/* u2 reads from u1's grant into its own frame (Linux netback's way). */
static void test_copy_from_gref(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF, .domid = 0, .offset = 100 },
        .dest = { .u.gmfn = GT_GFN_DATA + 1, .domid = DOMID_SELF,
                  .offset = 8 },
        .len = 1000, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = u1->domain_id;
    fill(u1, GT_GFN_DATA, 3);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(page(u2, GT_GFN_DATA + 1) + 8,
                           page(u1, GT_GFN_DATA) + 100, 1000), 0);
    /* The hold lasted the copy only. */
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

static void test_copy_to_gref(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .dest = { .u.ref = REF, .offset = 4000 },
        .len = 96, .flags = GNTCOPY_dest_gref,
    };

    c.dest.domid = u1->domain_id;
    fill(u2, GT_GFN_DATA, 9);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA + 2, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(page(u1, GT_GFN_DATA + 2) + 4000,
                           page(u2, GT_GFN_DATA), 96), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* Between two other domains' grants, both made to the caller. */
static void test_copy_gref_to_gref(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF }, .dest = { .u.ref = REF + 1 },
        .len = PAGE_SIZE,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };

    c.source.domid = u1->domain_id;
    c.dest.domid = d0->domain_id;
    fill(u1, GT_GFN_DATA, 1);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(d0, REF + 1, u2->domain_id, GT_GFN_DATA + 3,
                GTF_permit_access);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(page(d0, GT_GFN_DATA + 3), page(u1, GT_GFN_DATA),
                           PAGE_SIZE), 0);
}

/* Own frames only (no grefs): a plain copy within the caller. */
static void test_copy_own_frames(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF, .offset = 1 },
        .len = 100,
    };
    uint8_t want[101];

    fill(u2, GT_GFN_DATA, 5);
    memcpy(want, page(u2, GT_GFN_DATA), 1);
    memcpy(want + 1, page(u2, GT_GFN_DATA), 100);   /* overlapping */
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(page(u2, GT_GFN_DATA), want, 101), 0);
    c.len = 0;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
}

static void test_copy_into_readonly_grant(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .dest = { .u.ref = REF }, .len = 16, .flags = GNTCOPY_dest_gref,
    };

    c.dest.domid = u1->domain_id;
    fill(u1, GT_GFN_DATA, 0);
    fill(u2, GT_GFN_DATA, 50);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    CU_ASSERT_EQUAL(page(u1, GT_GFN_DATA)[0], 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_readonly);
}

static void test_copy_beyond_page(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF,
                    .offset = 4000 },
        .dest = { .u.gmfn = GT_GFN_DATA + 1, .domid = DOMID_SELF },
        .len = 97,
    };

    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_copy_arg);
    c.source.offset = 0;
    c.dest.offset = 0xffff;
    c.len = 1;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_copy_arg);
    c.dest.offset = 0;
    c.len = 0xffff;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_copy_arg);
    /* The domains and frames are checked first (Xen's order). */
    c.source.domid = 0x7000;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_domain);
    c.source.domid = DOMID_SELF;
    c.source.u.gmfn = 0x800;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
}

/* A batch of copies into one grant holds it from op to op (Xen), and
 * lets it go at the end; a change of frame or domain in the middle
 * moves the hold. */
static void test_copy_batch_same_grant(void)
{
    struct gnttab_copy c[4];
    unsigned int i;

    memset(c, 0, sizeof(c));
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(d0, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    for ( i = 0; i < 4; i++ )
        c[i] = (struct gnttab_copy){
            .source = { .u.gmfn = GT_GFN_DATA + 1, .domid = DOMID_SELF,
                        .offset = i },
            .dest = { .u.ref = REF, .domid = u1->domain_id,
                      .offset = i * 10 },
            .len = 1, .flags = GNTCOPY_dest_gref,
        };
    c[2].dest.domid = d0->domain_id;
    c[3].source.u.gmfn = GT_GFN_DATA + 2;
    memset(page(u2, GT_GFN_DATA + 1), 0x61, 8);
    memset(page(u2, GT_GFN_DATA + 2), 0x62, 8);
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_copy, c, sizeof(c[0]), 4), 0);
    for ( i = 0; i < 4; i++ )
        CU_ASSERT_EQUAL(c[i].status, GNTST_okay);
    CU_ASSERT_EQUAL(page(u1, GT_GFN_DATA)[0], 0x61);
    CU_ASSERT_EQUAL(page(u1, GT_GFN_DATA)[10], 0x61);
    CU_ASSERT_EQUAL(page(d0, GT_GFN_DATA)[20], 0x61);
    CU_ASSERT_EQUAL(page(u1, GT_GFN_DATA)[30], 0x62);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(d0), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* Only the caller's own frames may be named without a grant: by
 * DOMID_SELF or by its own id (Xen 4.15 on); a frame of another domain
 * is refused, to the control domain too, and a domain that does not
 * exist is reported first. */
static void test_copy_foreign_frame(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA },
        .dest = { .u.gmfn = GT_GFN_DATA + 1, .domid = DOMID_SELF },
        .len = 8,
    };

    c.source.domid = u1->domain_id;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_permission_denied);
    CU_ASSERT_EQUAL(gt_copy(d0, &c), GNTST_permission_denied);
    c.source.domid = 0x7000;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_domain);
    c.source.domid = u2->domain_id;
    *(uint8_t *)gt_ptr(u2, GT_GFN_DATA << PAGE_SHIFT) = 0x42;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(*(uint8_t *)gt_ptr(u2, (GT_GFN_DATA + 1) << PAGE_SHIFT),
                    0x42);
}

static void test_copy_bad_domain_and_ref(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF, .domid = 0x7000 },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_domain);
    c.source.domid = u1->domain_id;
    c.source.u.ref = 100000;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_gntref);
    /* A ref granted to someone else. */
    gt_grant_v1(u1, REF, d0->domain_id, GT_GFN_DATA, GTF_permit_access);
    c.source.u.ref = REF;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

static void test_copy_bad_own_frame(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = 0x800, .domid = DOMID_SELF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8,
    };

    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
    c.source.u.gmfn = ~0ULL;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
    c.source.u.gmfn = GT_GFN_DATA;
    c.dest.u.gmfn = 0x800;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
}

/* The granted frame is gone from the granter's p2m. */
static void test_copy_granted_frame_missing(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = u1->domain_id;
    gt_grant_v1(u1, REF, u2->domain_id, 0x600, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* Each op of a batch has its own status; the good ones happen. */
static void test_copy_batch_statuses(void)
{
    struct gnttab_copy c[3];

    memset(c, 0, sizeof(c));
    fill(u1, GT_GFN_DATA, 77);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    c[0] = (struct gnttab_copy){
        .source = { .u.ref = REF, .domid = u1->domain_id },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 64, .flags = GNTCOPY_source_gref,
    };
    c[1] = c[0];
    c[1].len = 5000;
    c[2] = c[0];
    c[2].dest.u.gmfn = GT_GFN_DATA + 1;
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_copy, c, sizeof(c[0]), 3), 0);
    CU_ASSERT_EQUAL(c[0].status, GNTST_okay);
    CU_ASSERT_EQUAL(c[1].status, GNTST_bad_copy_arg);
    CU_ASSERT_EQUAL(c[2].status, GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(page(u2, GT_GFN_DATA + 1), page(u1, GT_GFN_DATA),
                           64), 0);
}

/* Copying through a grant that is also mapped keeps the mapping's pin. */
static void test_copy_while_mapped(void)
{
    struct gnttab_copy c = {
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .dest = { .u.ref = REF }, .len = 32, .flags = GNTCOPY_dest_gref,
    };
    grant_handle_t h;

    c.dest.domid = u1->domain_id;
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, GT_GFN_HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* SILO: a domU copying from another domU's grant is refused. */
static void test_copy_silo(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = u1->domain_id;
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_permission_denied);
}

/* A frame no domain owns (a hypervisor frame mapped as RAM) cannot be
 * held for a copy, on either side. */
static void test_copy_frame_not_owned(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };
    mfn_t a = alloc_pages(0, MEMF_ZERO), b = alloc_pages(0, MEMF_ZERO);

    c.source.domid = u1->domain_id;
    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(0x502), a, p2m_ram_rw,
                                  p2m_access_rwx), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(u2, _gfn(0x503), b, p2m_ram_rw,
                                  p2m_access_rwx), 0);
    gt_grant_v1(u1, REF, u2->domain_id, 0x502, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    c.source = (struct gnttab_copy_ptr){ .u.gmfn = 0x503,
                                         .domid = DOMID_SELF };
    c.flags = 0;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_bad_page);
}

CU_TestInfo copy_tests[] = {
    ORR_CASE(test_copy_from_gref),
    ORR_CASE(test_copy_to_gref),
    ORR_CASE(test_copy_gref_to_gref),
    ORR_CASE(test_copy_own_frames),
    ORR_CASE(test_copy_into_readonly_grant),
    ORR_CASE(test_copy_beyond_page),
    ORR_CASE(test_copy_foreign_frame),
    ORR_CASE(test_copy_bad_domain_and_ref),
    ORR_CASE(test_copy_bad_own_frame),
    ORR_CASE(test_copy_granted_frame_missing),
    ORR_CASE(test_copy_batch_statuses),
    ORR_CASE(test_copy_while_mapped),
    ORR_CASE(test_copy_silo),
    ORR_CASE(test_copy_frame_not_owned),
    ORR_CASE(test_copy_batch_same_grant),
    CU_TEST_INFO_NULL,
};
