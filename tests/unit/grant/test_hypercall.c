/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op's own checks: count, command bits, guest pointers, and
 * the continuation of long batches.
 */
#include "gt_test.h"

static void test_count_overflow(void)
{
    uint64_t end = (uint64_t)GT_RAM_PAGES << PAGE_SHIFT;

    /* Xen reads count as an int: "negative" counts are -EINVAL. */
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy, GT_ARG, 0x80000000ULL, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_map_grant_ref, GT_ARG, ~0ULL, NULL),
                    -EINVAL);
    /* Only the low 32 bits count (Xen's unsigned int): 2^32 + 0 is 0. */
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy, 0x900000, 1ULL << 32, NULL),
                    0);
    /* A count that runs the array past guest memory faults there,
     * after the ops before the end have had their status written. */
    memset(gt_ptr(u1, end - 2 * sizeof(struct gnttab_copy)), 0,
           2 * sizeof(struct gnttab_copy));
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy,
                            end - 2 * sizeof(struct gnttab_copy), 5, NULL),
                    -EFAULT);
    /* (A zeroed op names domain 0, which does not exist here.) */
    CU_ASSERT_EQUAL(((struct gnttab_copy *)gt_ptr(u1, end - 40))->status,
                    GNTST_bad_domain);
}

static void test_single_ops_want_count_one(void)
{
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_query_size, GT_ARG, 2, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_setup_table, GT_ARG, 0, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_set_version, GT_ARG, 2, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_get_version, GT_ARG, 0, NULL),
                    -EINVAL);
}

static void test_cmd_bits(void)
{
    /* Xen's continuation cursor bits (above 12) are not for guests. */
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy | (1ULL << 12), GT_ARG, 1,
                            NULL), -EINVAL);
    /* The upper half of the register is not part of cmd (Xen). */
    {
        struct gnttab_query_size *q = gt_ptr(u1, GT_ARG);

        memset(q, 0, sizeof(*q));
        q->dom = DOMID_SELF;
        CU_ASSERT_EQUAL(gt_call(u1, (1ULL << 40) | GNTTABOP_query_size,
                                GT_ARG, 1, NULL), 0);
        CU_ASSERT_EQUAL(q->nr_frames, 1);
        CU_ASSERT_EQUAL(q->status, GNTST_okay);
    }
    CU_ASSERT_EQUAL(gt_call(u1, 0xfff, GT_ARG, 1, NULL), -ENOSYS);
    /* count 0 does nothing. */
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy, 0x900000, 0, NULL), 0);
}

/* Bad pointers: an unmapped gfn, a range past the end of guest memory,
 * an address that wraps, MMIO. */
static void test_bad_guest_pointers(void)
{
    uint64_t end = (uint64_t)GT_RAM_PAGES << PAGE_SHIFT;

    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy, 0x900000, 1, NULL), -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_query_size, 0x900000, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_get_version, end - 4, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_map_grant_ref, ~0ULL - 8, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_unmap_grant_ref, end - 8, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_set_version, end, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gnttab_version(u1), 1);
}

/* Results that cannot be written back: the op happened, -EFAULT. The
 * struct is readable RAM but the page is read-only to the guest. */
static void test_result_not_writable(void)
{
    struct gnttab_query_size *q;
    struct p2m_entry e;

    p2m_get_entry(u1, _gfn(3), &e);
    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(3), e.mfn, p2m_ram_ro,
                                  p2m_access_r), 0);
    q = gt_ptr(u1, 3 << PAGE_SHIFT);
    memset(q, 0, sizeof(*q));
    q->dom = DOMID_SELF;
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_query_size, 3 << PAGE_SHIFT, 1,
                            NULL), -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_copy, 3 << PAGE_SHIFT, 1, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(gt_call(u1, GNTTABOP_get_version, 3 << PAGE_SHIFT, 1,
                            NULL), -EFAULT);
}

/*
 * A long batch continues itself: with a budget of 3 units per entry the
 * call comes back with the arguments advanced, and re-entering with them
 * finishes the work exactly once per op.
 */
static void test_continuation(void)
{
    struct gnttab_copy *c = gt_ptr(u2, GT_ARG);
    uint64_t cmd = GNTTABOP_copy, uop = GT_ARG, count = 20;
    unsigned int i, entries = 0;
    bool restart = true;

    memset(gt_ptr(u1, GT_GFN_DATA << PAGE_SHIFT), 0x3c, PAGE_SIZE);
    gt_grant_v1(u1, 8, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    for ( i = 0; i < 20; i++ )
        c[i] = (struct gnttab_copy){
            .source = { .u.ref = 8, .domid = u1->domain_id, .offset = i },
            .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF,
                      .offset = i * 100 },
            .len = 1, .flags = GNTCOPY_source_gref, .status = 99,
        };
    hypercall_set_budget(3);
    while ( restart )
    {
        struct hypercall_regs r = {
            .nr = __HYPERVISOR_grant_table_op, .args = { cmd, uop, count },
        };

        hypercall_dispatch(u2->vcpu[0], &r);
        CU_ASSERT_EQUAL(r.ret, 0);
        restart = r.restart;
        /* Nothing stays pinned across a continuation. */
        CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
        CU_ASSERT_EQUAL(gt_flags(u1, 8), GTF_permit_access);
        if ( restart )
        {
            CU_ASSERT(r.args[2] < count);
            CU_ASSERT_EQUAL(r.args[1], uop + (count - r.args[2]) * sizeof(*c));
        }
        cmd = r.args[0];
        uop = r.args[1];
        count = r.args[2];
        entries++;
        CU_ASSERT_FATAL(entries < 100);
    }
    CU_ASSERT(entries > 1);
    for ( i = 0; i < 20; i++ )
    {
        CU_ASSERT_EQUAL(c[i].status, GNTST_okay);
        CU_ASSERT_EQUAL(*(uint8_t *)gt_ptr(u2, (GT_GFN_DATA << PAGE_SHIFT) +
                                           i * 100), 0x3c);
    }
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

CU_TestInfo hypercall_tests[] = {
    ORR_CASE(test_count_overflow),
    ORR_CASE(test_single_ops_want_count_one),
    ORR_CASE(test_cmd_bits),
    ORR_CASE(test_bad_guest_pointers),
    ORR_CASE(test_result_not_writable),
    ORR_CASE(test_continuation),
    CU_TEST_INFO_NULL,
};
