/* SPDX-License-Identifier: MIT */
/*
 * Grant frames in the guest's physmap, as a translated guest gets them:
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table) through memory_op,
 * which asks core/grant for the frame (gnttab_get_frame). The guest then
 * writes its entries through its own mapping; setup_table and
 * get_status_frames report where the frames are; destroy takes them back
 * from the physmap before freeing them.
 */
#include <public/memory.h>

#include "gt_test.h"

#define REF 8
#define GFN_GT 0x200            /* where the guest puts its grant frames */

static int64_t add_to_physmap(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap *x = gt_ptr(d, GT_ARG);
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_memory_op,
        .args = { XENMEM_add_to_physmap, GT_ARG },
    };

    *x = (struct xen_add_to_physmap){
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx,
        .gpfn = gpfn,
    };
    hypercall_dispatch(d->vcpu[0], &r);
    return r.ret;
}

static void test_entries_through_physmap(void)
{
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 3, .frame_list = GT_LIST,
    };
    struct grant_entry_v1 *e;
    uint64_t *list = gt_ptr(u1, GT_LIST);
    grant_handle_t h;

    CU_ASSERT_EQUAL(add_to_physmap(u1, 0, GFN_GT), 0);
    /* A frame past the table grows it (Xen). */
    CU_ASSERT_EQUAL(add_to_physmap(u1, 2, GFN_GT + 2), 0);
    CU_ASSERT_EQUAL(gnttab_nr_frames(u1), 3);
    CU_ASSERT_EQUAL(add_to_physmap(u1, GNTTAB_MAX_FRAMES, GFN_GT + 3),
                    -EINVAL);

    /* The guest grants through its own mapping of frame 0. */
    e = gt_ptr(u1, (uint64_t)GFN_GT << PAGE_SHIFT);
    e[REF] = (struct grant_entry_v1){
        .flags = GTF_permit_access, .domid = u2->domain_id,
        .frame = GT_GFN_DATA,
    };
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, GT_GFN_HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(e[REF].flags,
                    GTF_permit_access | GTF_reading | GTF_writing);

    CU_ASSERT_EQUAL(gt_op(u1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CU_ASSERT_EQUAL(st.status, GNTST_okay);
    ORR_ASSERT_EQ_U64(list[0], GFN_GT);
    ORR_ASSERT_EQ_U64(list[1], ~0ULL);      /* not in the physmap */
    ORR_ASSERT_EQ_U64(list[2], GFN_GT + 2);
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(e[REF].flags, GTF_permit_access);
}

/* v2 status frames: mapped with XENMAPIDX_grant_table_status, reported
 * by get_status_frames (Arm guests), refused on a v1 table. */
static void test_status_frame_in_physmap(void)
{
    struct gnttab_get_status_frames gs = {
        .nr_frames = 1, .dom = DOMID_SELF, .frame_list = GT_LIST,
    };
    grant_status_t *status;
    grant_handle_t h;

    CU_ASSERT_EQUAL(add_to_physmap(a1, XENMAPIDX_grant_table_status,
                                   GFN_GT + 8), -EINVAL);
    CU_ASSERT_EQUAL(gt_set_version(a1, 2), 0);
    CU_ASSERT_EQUAL(add_to_physmap(a1, XENMAPIDX_grant_table_status,
                                   GFN_GT + 8), 0);
    CU_ASSERT_EQUAL(gt_op(a1, GNTTABOP_get_status_frames, &gs, sizeof(gs),
                          1), 0);
    CU_ASSERT_EQUAL(gs.status, GNTST_okay);
    ORR_ASSERT_EQ_U64(*(uint64_t *)gt_ptr(a1, GT_LIST), GFN_GT + 8);

    /* The guest reads its in-use bits there. */
    status = gt_ptr(a1, (uint64_t)(GFN_GT + 8) << PAGE_SHIFT);
    gt_grant_v2(a1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, a1, REF, GT_GFN_HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(status[REF], GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(status[REF], 0);
}

/* Destroyed with its grant frames (and a status frame) in its physmap,
 * and one of its grants mapped by u2: nothing leaks (the fixture's
 * teardown counts the pages), u2 unmaps afterwards. */
static void test_destroy_with_frames_in_physmap(void)
{
    grant_handle_t h;

    CU_ASSERT_EQUAL(gt_set_version(u1, 2), 0);
    CU_ASSERT_EQUAL(add_to_physmap(u1, 0, GFN_GT), 0);
    CU_ASSERT_EQUAL(add_to_physmap(u1, XENMAPIDX_grant_table_status,
                                   GFN_GT + 1), 0);
    gt_grant_v2(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, GT_GFN_HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    CU_ASSERT_EQUAL(gt_unmap(u2, GT_GFN_HOLE, h), GNTST_okay);
}

CU_TestInfo physmap_tests[] = {
    ORR_CASE(test_entries_through_physmap),
    ORR_CASE(test_status_frame_in_physmap),
    ORR_CASE(test_destroy_with_frames_in_physmap),
    CU_TEST_INFO_NULL,
};
