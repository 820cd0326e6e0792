/* SPDX-License-Identifier: MIT */
/*
 * Table-level subops: setup_table, query_size, get_version, swap,
 * dump_table, cache_flush, unmap_and_replace, transfer; growth through
 * gnttab_get_frame() (add_to_physmap's path) and the ledger.
 */
#include "gt_test.h"

#define REF 8

static void test_query_and_setup(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 4, .frame_list = GT_LIST,
    };
    uint64_t *list = gt_ptr(u1, GT_LIST);
    uint64_t xen_pages = ledger_read(u1, LEDGER_XEN_PAGES);
    unsigned int i;

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_okay);
    CU_ASSERT_EQUAL(q.nr_frames, 1);
    CU_ASSERT_EQUAL(q.max_nr_frames, GNTTAB_MAX_FRAMES);

    memset(list, 0, 64);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_okay);
    /* A translated guest maps the frames itself: INVALID_GFN until then. */
    for ( i = 0; i < 4; i++ )
        ORR_ASSERT_EQ_U64(list[i], ~0ULL);
    ORR_ASSERT_EQ_U64(list[4], 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_XEN_PAGES), xen_pages + 3);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CU_ASSERT_EQUAL(q.nr_frames, 4);
    /* Never shrinks. */
    st.nr_frames = 2;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), 4);
    st.nr_frames = 0;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_okay);
}

static void test_setup_errors(void)
{
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = GNTTAB_MAX_FRAMES + 1,
        .frame_list = GT_LIST,
    };

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), 1);
    /* A domU may not set up another domain's table; d0 may. */
    st.nr_frames = 2;
    st.dom = u2->domain_id;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_permission_denied);
    CU_ASSERT_EQUAL(gt_op(d0, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u2), 2);
    st.dom = 0x7000;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_bad_domain);
    /* The frame list is not guest memory. */
    st.dom = DOMID_SELF;
    st.frame_list = 0x900000;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_bad_virt_addr);
}

static void test_query_errors(void)
{
    struct gnttab_query_size q = { .dom = 0x7000 };
    struct gnttab_get_version gv = { .dom = 0x7000 };

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_bad_domain);
    q.dom = u2->domain_id;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_permission_denied);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_get_version, &gv, sizeof(gv), 1),
                    -ESRCH);
    gv.dom = u2->domain_id;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_get_version, &gv, sizeof(gv), 1),
                    -EPERM);
    CU_ASSERT_EQUAL(gt_op(d0, GNTTABOP_get_version, &gv, sizeof(gv), 1), 0);
    CU_ASSERT_EQUAL(gv.version, 1);
}

/* add_to_physmap(grant_table, idx) grows the table to idx + 1. */
static void test_get_frame_grows(void)
{
    uint64_t xen_pages = ledger_read(u1, LEDGER_XEN_PAGES);
    mfn_t a, b;

    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 10, false, &a), 0);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), 11);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_XEN_PAGES), xen_pages + 10);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 10, false, &b), 0);
    CU_ASSERT_EQUAL(mfn_x(a), mfn_x(b));
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, GNTTAB_MAX_FRAMES - 1, false, &a),
                    0);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, GNTTAB_MAX_FRAMES, false, &a),
                    -EINVAL);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), GNTTAB_MAX_FRAMES);
    /* Refs of the grown table are usable. */
    gt_grant_v1(u1, 63 * GNTTAB_V1_PER_FRAME + 7, u2->domain_id,
                GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, 63 * GNTTAB_V1_PER_FRAME + 7,
                           GT_GFN_HOLE, GNTMAP_host_map, NULL), GNTST_okay);
}

static void test_swap(void)
{
    struct gnttab_swap_grant_ref sw = { .ref_a = REF, .ref_b = REF + 1 };
    grant_handle_t h;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    gt_grant_v1(u1, REF + 1, d0->domain_id, GT_GFN_DATA + 1,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_okay);
    /* Now REF + 1 is u2's grant. */
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF + 1, GT_GFN_HOLE, GNTMAP_host_map,
                           &h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_eagain);    /* in use */
    sw.ref_a = sw.ref_b = REF + 1;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_okay);     /* same ref, even in use */
    sw.ref_a = REF;
    sw.ref_b = 5000;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_bad_gntref);
    sw.ref_b = REF;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_okay);     /* same ref: nothing */
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
    /* v2 swaps entries and status words. */
    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    gt_grant_v2(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    sw.ref_b = REF + 1;
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1),
                    0);
    CU_ASSERT_EQUAL(sw.status, GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF + 1, GT_GFN_HOLE, GNTMAP_host_map,
                           &h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
}

static void test_dump_table(void)
{
    struct gnttab_dump_table dt = { .dom = DOMID_SELF };
    char want[64];

    sim_console_clear();
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_dump_table, &dt, sizeof(dt), 1), 0);
    CU_ASSERT_EQUAL(dt.status, GNTST_okay);
    snprintf(want, sizeof(want), "d%u: grant table v1, 1/64 frames",
             a1->domain_id);
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
    dt.dom = u1->domain_id;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_dump_table, &dt, sizeof(dt), 1), 0);
    CU_ASSERT_EQUAL(dt.status, GNTST_permission_denied);
    dt.dom = 0x7000;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_dump_table, &dt, sizeof(dt), 1), 0);
    CU_ASSERT_EQUAL(dt.status, GNTST_bad_domain);
}

static void test_cache_flush(void)
{
    struct gnttab_cache_flush cf = {
        .a.dev_bus_addr = GT_GFN_DATA << PAGE_SHIFT, .offset = 0,
        .length = 64, .op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL,
    };
    grant_handle_t h;

    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1), 0);
    cf.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    cf.op = 1U << 5;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    cf.op = GNTTAB_CACHE_INVAL;
    cf.offset = 4000;
    cf.length = 97;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    cf.offset = PAGE_SIZE;
    cf.length = 0;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    cf.offset = 0;
    cf.length = PAGE_SIZE + 1;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    /* Nothing to do: accepted whatever the address. */
    cf.length = 0;
    cf.a.dev_bus_addr = 0x900000;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1), 0);
    cf.length = 8;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    cf.a.dev_bus_addr = ~0ULL;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1),
                    -EINVAL);
    /* A grant the caller has mapped. */
    gt_grant_v1(u1, REF, a1->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(a1, u1, REF, GT_GFN_HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    cf.a.dev_bus_addr = GT_GFN_HOLE << PAGE_SHIFT;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_cache_flush, &cf, sizeof(cf), 1), 0);
    CU_ASSERT_EQUAL(gt_unmap(a1, GT_GFN_HOLE, h), GNTST_okay);
}

static void test_unmap_and_replace(void)
{
    struct gnttab_unmap_and_replace ur = {
        .host_addr = GT_GFN_HOLE << PAGE_SHIFT,
        .new_addr = (GT_GFN_HOLE + 1) << PAGE_SHIFT,
    };
    grant_handle_t h;

    gt_grant_v1(u1, REF, a1->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(a1, u1, REF, GT_GFN_HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    ur.handle = h;
    /* A translated guest cannot move a mapping. */
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_unmap_and_replace, &ur, sizeof(ur),
                          1), 0);
    CU_ASSERT_EQUAL(ur.status, GNTST_general_error);
    ur.new_addr = 0;
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_unmap_and_replace, &ur, sizeof(ur),
                          1), 0);
    CU_ASSERT_EQUAL(ur.status, GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(a1), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* Subops x86 HVM/PVH guests do not get (Xen's hvm filter), and
 * transfer, which no guest gets. */
static void test_subops_per_guest_type(void)
{
    struct gnttab_dump_table dt = { .dom = DOMID_SELF };
    struct gnttab_transfer tr = { .domid = DOMID_SELF };

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_dump_table, &dt, sizeof(dt), 1),
                    -ENOSYS);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_get_status_frames, GT_ARG, 1,
                            NULL), -ENOSYS);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_unmap_and_replace, GT_ARG, 1,
                            NULL), -ENOSYS);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_cache_flush, GT_ARG, 1, NULL),
                    -ENOSYS);
    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_transfer, &tr, sizeof(tr), 1),
                    -ENOSYS);
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_transfer, &tr, sizeof(tr), 1),
                    -ENOSYS);
    CU_ASSERT_EQUAL(gt_call(a1, 13, GT_ARG, 1, NULL), -ENOSYS);
}

CU_TestInfo table_tests[] = {
    ORR_CASE(test_query_and_setup),
    ORR_CASE(test_setup_errors),
    ORR_CASE(test_query_errors),
    ORR_CASE(test_get_frame_grows),
    ORR_CASE(test_swap),
    ORR_CASE(test_dump_table),
    ORR_CASE(test_cache_flush),
    ORR_CASE(test_unmap_and_replace),
    ORR_CASE(test_subops_per_guest_type),
    CU_TEST_INFO_NULL,
};
