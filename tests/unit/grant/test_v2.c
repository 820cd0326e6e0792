/* SPDX-License-Identifier: MIT */
/*
 * Version 2: the switch and its rules, status frames, full-page,
 * sub-page and transitive entries.
 */
#include "gt_test.h"

#define REF 8
#define HOLE GT_GFN_HOLE

static uint8_t *page(struct domain *d, uint64_t gfn)
{
    return gt_ptr(d, gfn << PAGE_SHIFT);
}

static void test_switch_and_reserved_entries(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct grant_entry_v1 *e1;
    union grant_entry_v2 *e2;
    mfn_t mfn;

    /* The toolstack's xenstore entry survives the switches. */
    gt_grant_v1(u1, GNTTAB_RESERVED_XENSTORE, d0->domain_id, 0x1234,
                GTF_permit_access);
    gt_grant_v1(u1, REF, d0->domain_id, 5, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_get_version, &gv, sizeof(gv), 1), 0);
    CU_ASSERT_EQUAL(gv.version, 2);
    CU_ASSERT_EQUAL(gnttab_version(u1), 2);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, false, &mfn), 0);
    e2 = (union grant_entry_v2 *)arch_mfn_to_virt(mfn);
    CU_ASSERT_EQUAL(e2[GNTTAB_RESERVED_XENSTORE].hdr.flags,
                    GTF_permit_access);
    CU_ASSERT_EQUAL(e2[GNTTAB_RESERVED_XENSTORE].hdr.domid, d0->domain_id);
    CU_ASSERT_EQUAL(e2[GNTTAB_RESERVED_XENSTORE].full_page.frame, 0x1234);
    CU_ASSERT_EQUAL(e2[REF].hdr.flags, 0);  /* the rest is cleared */
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, true, &mfn), 0);

    CU_ASSERT_EQUAL(gt_set_version(u1, 1), 0);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, false, &mfn), 0);
    e1 = (struct grant_entry_v1 *)arch_mfn_to_virt(mfn);
    CU_ASSERT_EQUAL(e1[GNTTAB_RESERVED_XENSTORE].frame, 0x1234);
    CU_ASSERT_EQUAL(e1[GNTTAB_RESERVED_XENSTORE].domid, d0->domain_id);
    /* No status frames in v1. */
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, true, &mfn), -EINVAL);
}

static void test_set_version_bad_and_same(void)
{
    struct gnttab_set_version sv = { .version = 3 };

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                    -EINVAL);
    CU_ASSERT_EQUAL(sv.version, 1);     /* the version in force */
    sv.version = 0;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                    -EINVAL);
    CU_ASSERT_EQUAL(gt_set_version(u1, 1), 0);
    CU_ASSERT_EQUAL(gnttab_version(u1), 1);
}

/* Entries change size: no switch while a grant is in use. */
static void test_switch_with_grants_in_use(void)
{
    struct gnttab_set_version sv = { .version = 2 };
    grant_handle_t h;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                    -EBUSY);
    CU_ASSERT_EQUAL(sv.version, 1);
    CU_ASSERT_EQUAL(gnttab_version(u1), 1);
    /* The mapper's own mappings do not hold its table's version. */
    CU_ASSERT_EQUAL(gt_set_version(u2, 2), 0);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
}

/* v2 keeps the in-use bits in the status frame, not in the entry. */
static void test_v2_map_status_frame(void)
{
    grant_handle_t h;

    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    gt_grant_v2(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_reading | GTF_writing);
    CU_ASSERT_FALSE(gt_revoke(u1, REF));
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
    /* Revoked above: refused now. */
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    /* v2 refs: 256 per frame. */
    CU_ASSERT_EQUAL(gt_map(u2, u1, GNTTAB_V2_PER_FRAME, HOLE,
                           GNTMAP_host_map, NULL), GNTST_bad_gntref);
    gt_grant_v2(u1, REF, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
}

static void test_v2_sub_page_copy(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF, .offset = 1024 },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 512, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = u1->domain_id;
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    memset(page(u1, GT_GFN_DATA + 1), 0x5a, PAGE_SIZE);
    gt_grant_v2_sub(u1, REF, u2->domain_id, GT_GFN_DATA + 1, 1024, 512,
                    true);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(page(u2, GT_GFN_DATA)[511], 0x5a);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
    /* One byte either side of the window. */
    c.source.offset = 1023;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    c.source.offset = 1025;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* Read-only sub-page grant as a destination. */
    c = (struct gnttab_copy){
        .source = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .dest = { .u.ref = REF, .domid = u1->domain_id, .offset = 1024 },
        .len = 8, .flags = GNTCOPY_dest_gref,
    };
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* A window that leaves the page. */
    gt_grant_v2_sub(u1, REF, u2->domain_id, GT_GFN_DATA + 1, 4000, 200,
                    false);
    c.dest.offset = 4000;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* A sub-page grant is for copies only. */
static void test_v2_sub_page_not_mappable(void)
{
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    gt_grant_v2_sub(u1, REF, u2->domain_id, GT_GFN_DATA, 0, 4096, false);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
}

/*
 * u1 grants a frame to d0; d0 passes it on to u2 with a transitive
 * entry; u2's copy through d0's ref reaches u1's frame, and both grants
 * show in use only during the copy.
 */
static void test_v2_transitive_copy(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF + 1, .offset = 10 },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 100, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = d0->domain_id;
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gt_set_version(d0, 2), 0);
    memset(page(u1, GT_GFN_DATA + 2), 0x77, PAGE_SIZE);
    gt_grant_v2_sub(u1, REF, d0->domain_id, GT_GFN_DATA + 2, 0, 200, false);
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, u1->domain_id, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(page(u2, GT_GFN_DATA)[99], 0x77);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
    CU_ASSERT_EQUAL(gt_flags(d0, REF + 1), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(d0), 0);
    /* The source's window applies. */
    c.source.offset = 150;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* Writing through it, then a same-ref source+dest copy (a hold and
     * an upgrade on the transitive entry). */
    c = (struct gnttab_copy){
        .source = { .u.ref = REF + 1, .domid = d0->domain_id },
        .dest = { .u.ref = REF + 1, .domid = d0->domain_id, .offset = 100 },
        .len = 50, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    page(u1, GT_GFN_DATA + 2)[0] = 0x11;
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(page(u1, GT_GFN_DATA + 2)[100], 0x11);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

static void test_v2_transitive_errors(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF + 1 },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = d0->domain_id;
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gt_set_version(d0, 2), 0);
    /* Never mapped. */
    gt_grant_v2(u1, REF, d0->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, u1->domain_id, REF);
    CU_ASSERT_EQUAL(gt_map(u2, d0, REF + 1, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    /* To itself. */
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, d0->domain_id, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* From nobody (Xen: general error, the ref's domain itself exists). */
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, 0x7000, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* Granted back to the final grantee: allowed (Xen). */
    CU_ASSERT_EQUAL(gt_set_version(u2, 2), 0);
    gt_grant_v2(u2, REF, d0->domain_id, GT_GFN_DATA + 3, GTF_permit_access);
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, u2->domain_id, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_active_count(u2), 0);
    /* The source grant is not to the intermediate. */
    gt_grant_v2(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v2_trans(d0, REF + 1, u2->domain_id, u1->domain_id, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    /* Two levels: the source is itself transitive. */
    gt_grant_v2_trans(u1, REF, d0->domain_id, u2->domain_id, REF);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
    CU_ASSERT_EQUAL(gt_flags(d0, REF + 1), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(d0), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* A v1 table has no transitive entries: type 3 is refused. */
static void test_v1_transitive_type(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    c.source.domid = u1->domain_id;
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_transitive);
    CU_ASSERT_EQUAL(gt_copy(u2, &c), GNTST_general_error);
}

/* The status frames a v2 guest asks for (Arm: get_status_frames). */
static void test_get_status_frames(void)
{
    struct gnttab_get_status_frames gs = {
        .nr_frames = 1, .dom = DOMID_SELF, .frame_list = GT_LIST,
    };
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 9, .frame_list = GT_LIST,
    };

    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_general_error);    /* v1: none */
    gs.nr_frames = 0;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_okay);
    gs.nr_frames = 1;
    CU_ASSERT_EQUAL(gt_set_version(a1, 2), 0);
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_okay);
    ORR_ASSERT_EQ_U64(*(uint64_t *)gt_ptr(a1, GT_LIST), ~0ULL);
    gs.nr_frames = 2;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_general_error);
    /* Nine frames of 256 entries need two status frames. */
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_okay);
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_okay);
    gs.frame_list = 0x900000;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_bad_virt_addr);
    gs.dom = 0x7000;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_bad_domain);
}

/* add_to_physmap's view: status frame n grows the table to cover it. */
static void test_get_frame_status_grows(void)
{
    mfn_t mfn;

    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 1, true, &mfn), 0);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), 16);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 8, true, &mfn), -EINVAL);
}

/* The reserved entries may stay mapped across a switch (the toolstack
 * keeps the console and xenstore rings mapped); their in-use bits move
 * between the entry and the status frame. */
static void test_switch_with_reserved_in_use(void)
{
    grant_handle_t h;
    mfn_t mfn;

    gt_grant_v1(u1, GNTTAB_RESERVED_CONSOLE, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, GNTTAB_RESERVED_CONSOLE, HOLE,
                           GNTMAP_host_map, &h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, 0), GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, false, &mfn), 0);
    CU_ASSERT_EQUAL(((union grant_entry_v2 *)arch_mfn_to_virt(mfn))->hdr.flags,
                    GTF_permit_access);
    CU_ASSERT_EQUAL(gt_set_version(u1, 1), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, 0),
                    GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, 0), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* Back to v1 only if every reserved entry fits a v1 entry. */
static void test_switch_back_non_representable(void)
{
    struct gnttab_set_version sv = { .version = 1 };

    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    gt_grant_v2(u1, GNTTAB_RESERVED_XENSTORE, d0->domain_id, 1ULL << 33,
                GTF_permit_access);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                    -ERANGE);
    CU_ASSERT_EQUAL(sv.version, 2);
    gt_grant_v2_trans(u1, GNTTAB_RESERVED_XENSTORE, d0->domain_id,
                      u2->domain_id, 8);
    CU_ASSERT_EQUAL(gt_set_version(u1, 1), -ERANGE);
    /* Other types are just dropped. */
    gt_grant_v2(u1, GNTTAB_RESERVED_XENSTORE, d0->domain_id, 5,
                GTF_accept_transfer);
    CU_ASSERT_EQUAL(gt_set_version(u1, 1), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, GNTTAB_RESERVED_XENSTORE), 0);
}

CU_TestInfo v2_tests[] = {
    ORR_CASE(test_switch_and_reserved_entries),
    ORR_CASE(test_set_version_bad_and_same),
    ORR_CASE(test_switch_with_grants_in_use),
    ORR_CASE(test_v2_map_status_frame),
    ORR_CASE(test_v2_sub_page_copy),
    ORR_CASE(test_v2_sub_page_not_mappable),
    ORR_CASE(test_v2_transitive_copy),
    ORR_CASE(test_v2_transitive_errors),
    ORR_CASE(test_v1_transitive_type),
    ORR_CASE(test_get_status_frames),
    ORR_CASE(test_get_frame_status_grows),
    ORR_CASE(test_switch_with_reserved_in_use),
    ORR_CASE(test_switch_back_non_representable),
    CU_TEST_INFO_NULL,
};
