/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy batches as core/grant/grant_copy_batch.c walks them: ops
 * read a chunk at a time and statuses written a chunk at a time must give
 * what Xen's one-op-at-a-time loop gives -- across chunk boundaries, when
 * the array runs off guest RAM or is read-only part-way, and when an op
 * copies over the op array itself.
 */
#include "gt_test.h"

#define REF 8
#define OPS_MAX 100             /* a chunk (64) and part of another */
#define STATUS_OFF offsetof(struct gnttab_copy, status)

static uint8_t *page(struct domain *d, uint64_t gfn)
{
    return gt_ptr(d, gfn << PAGE_SHIFT);
}

/* Op @i of a batch: one byte of u1's grant REF (offset @i) to u2's own
 * frame GT_GFN_DATA at offset 8 * @i. */
static struct gnttab_copy byte_op(unsigned int i)
{
    return (struct gnttab_copy){
        .source = { .u.ref = REF, .domid = u1->domain_id, .offset = i },
        .dest = { .u.gmfn = GT_GFN_DATA, .domid = DOMID_SELF,
                  .offset = 8 * i },
        .len = 1, .flags = GNTCOPY_source_gref, .status = 99,
    };
}

static void grant_source(void)
{
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        page(u1, GT_GFN_DATA)[i] = (uint8_t)(0x80 + i);
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    memset(page(u2, GT_GFN_DATA), 0, PAGE_SIZE);
}

/* Was op @i's byte copied? */
static bool copied(unsigned int i)
{
    return page(u2, GT_GFN_DATA)[8 * i] == (uint8_t)(0x80 + i);
}

/*
 * More than a chunk of ops, every seventh with a length past the page
 * (GNTST_bad_copy_arg) and every eleventh naming a ref beyond the table
 * (GNTST_bad_gntref): each op gets its own status, the good ones happen,
 * nothing stays pinned.
 */
static void test_batch_across_chunks(void)
{
    struct gnttab_copy *c = gt_ptr(u2, GT_ARG);
    unsigned int i;

    grant_source();
    hypercall_set_budget(2 * OPS_MAX);      /* one entry does them all */
    for ( i = 0; i < OPS_MAX; i++ )
    {
        c[i] = byte_op(i);
        if ( i % 7 == 3 )
            c[i].len = PAGE_SIZE;
        if ( i % 11 == 5 )
            c[i].source.u.ref = 1U << 20;
    }
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, GT_ARG, OPS_MAX, NULL), 0);
    for ( i = 0; i < OPS_MAX; i++ )
    {
        int16_t want = i % 11 == 5 ? GNTST_bad_gntref :
                       i % 7 == 3 ? GNTST_bad_copy_arg : GNTST_okay;

        CU_ASSERT_EQUAL(c[i].status, want);
        CU_ASSERT_EQUAL(copied(i), want == GNTST_okay);
    }
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/*
 * The array runs off the end of RAM in the middle of a chunk (op 5
 * straddles it): ops 0-4 run and get their statuses, op 5 and after do
 * not run, and the call fails with -EFAULT -- where Xen's loop stops.
 */
static void test_batch_runs_off_ram(void)
{
    uint64_t end = (uint64_t)GT_RAM_PAGES << PAGE_SHIFT;
    uint64_t at = end - 5 * sizeof(struct gnttab_copy) - 24;
    struct gnttab_copy *c = gt_ptr(u2, at);
    unsigned int i;

    grant_source();
    for ( i = 0; i < 5; i++ )
        c[i] = byte_op(i);
    /* The first half of op 5, in RAM. */
    memcpy(&c[5], &(struct gnttab_copy){ .len = 1 }, 24);
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, at, 8, NULL), -EFAULT);
    for ( i = 0; i < 5; i++ )
    {
        CU_ASSERT_EQUAL(c[i].status, GNTST_okay);
        CU_ASSERT(copied(i));
    }
    CU_ASSERT_FALSE(copied(5));
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/*
 * The array is in a page the guest may read but not write: Xen runs op
 * 0, cannot write its status and stops with -EFAULT; op 1 never runs.
 */
static void test_batch_readonly_array(void)
{
    uint64_t at = 3ULL << PAGE_SHIFT;
    struct gnttab_copy *c = gt_ptr(u2, at);
    struct p2m_entry e;
    unsigned int i;

    grant_source();
    for ( i = 0; i < 4; i++ )
        c[i] = byte_op(i);
    p2m_get_entry(u2, _gfn(3), &e);
    CU_ASSERT_EQUAL(p2m_set_entry(u2, _gfn(3), e.mfn, p2m_ram_ro,
                                  p2m_access_r), 0);
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, at, 4, NULL), -EFAULT);
    CU_ASSERT(copied(0));
    for ( i = 1; i < 4; i++ )
        CU_ASSERT_FALSE(copied(i));
    for ( i = 0; i < 4; i++ )
        CU_ASSERT_EQUAL(c[i].status, 99);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/*
 * Ops that copy over the array itself see what Xen's loop sees: op 0
 * replaces op 1 with another op (which then runs as rewritten), and op
 * 2 overwrites op 0's status after it was written (so the guest reads
 * the bytes op 2 copied there, not GNTST_okay).
 */
static void test_batch_copies_over_its_array(void)
{
    struct gnttab_copy *c = gt_ptr(u2, GT_ARG);
    struct gnttab_copy *spare = gt_ptr(u2, GT_LIST);
    int16_t *junk = gt_ptr(u2, GT_LIST + 0x800);
    unsigned int i;

    grant_source();
    for ( i = 0; i < 4; i++ )
        c[i] = byte_op(i);
    *spare = byte_op(9);                /* what op 1 becomes */
    spare->status = 55;
    *junk = 0x7777;
    c[0] = (struct gnttab_copy){
        .source = { .u.gmfn = GT_LIST >> PAGE_SHIFT, .domid = DOMID_SELF },
        .dest = { .u.gmfn = GT_ARG >> PAGE_SHIFT, .domid = DOMID_SELF,
                  .offset = sizeof(*c) },
        .len = sizeof(*c),
    };
    c[2] = (struct gnttab_copy){
        .source = { .u.gmfn = GT_LIST >> PAGE_SHIFT, .domid = DOMID_SELF,
                    .offset = 0x800 },
        .dest = { .u.gmfn = GT_ARG >> PAGE_SHIFT, .domid = DOMID_SELF,
                  .offset = STATUS_OFF },
        .len = sizeof(*junk),
    };
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, GT_ARG, 4, NULL), 0);
    CU_ASSERT_EQUAL((uint16_t)c[0].status, 0x7777);
    /* Op 1 ran as op 0 rewrote it. */
    CU_ASSERT_EQUAL(c[1].source.offset, 9);
    CU_ASSERT_EQUAL(c[1].status, GNTST_okay);
    CU_ASSERT(copied(9));
    CU_ASSERT_FALSE(copied(1));
    CU_ASSERT_EQUAL(c[2].status, GNTST_okay);
    CU_ASSERT_EQUAL(c[3].status, GNTST_okay);
    CU_ASSERT(copied(3));
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/*
 * An op that copies from the array sees the statuses of the ops before
 * it, as in Xen's loop: op 1 copies op 0's status (written by then) into
 * a data page.
 */
static void test_batch_copies_from_its_array(void)
{
    struct gnttab_copy *c = gt_ptr(u2, GT_ARG);
    int16_t got;

    grant_source();
    c[0] = byte_op(0);
    c[1] = (struct gnttab_copy){
        .source = { .u.gmfn = GT_ARG >> PAGE_SHIFT, .domid = DOMID_SELF,
                    .offset = STATUS_OFF },
        .dest = { .u.gmfn = GT_GFN_DATA + 1, .domid = DOMID_SELF },
        .len = sizeof(got), .status = 99,
    };
    c[2] = byte_op(2);
    memset(page(u2, GT_GFN_DATA + 1), 0x5a, 8);
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, GT_ARG, 3, NULL), 0);
    memcpy(&got, page(u2, GT_GFN_DATA + 1), sizeof(got));
    CU_ASSERT_EQUAL(got, GNTST_okay);
    CU_ASSERT_EQUAL(c[1].status, GNTST_okay);
    CU_ASSERT_EQUAL(c[2].status, GNTST_okay);
    CU_ASSERT(copied(0));
    CU_ASSERT(copied(2));
}

/*
 * A continuation in the middle of a chunk: with a budget of 5 units the
 * call stops after six ops (the first needs no check), the statuses of
 * the ops done are in the guest's array, the rest untouched and not run.
 */
static void test_batch_continuation_mid_chunk(void)
{
    struct gnttab_copy *c = gt_ptr(u2, GT_ARG);
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_grant_table_op,
        .args = { GNTTABOP_copy, GT_ARG, 12 },
    };
    unsigned int i, done;

    grant_source();
    for ( i = 0; i < 12; i++ )
        c[i] = byte_op(i);
    hypercall_set_budget(5);
    hypercall_dispatch(u2->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, 0);
    CU_ASSERT_FATAL(r.restart);
    done = 12 - (unsigned int)r.args[2];
    CU_ASSERT_EQUAL(done, 6);
    CU_ASSERT_EQUAL(r.args[1], GT_ARG + done * sizeof(*c));
    for ( i = 0; i < 12; i++ )
    {
        CU_ASSERT_EQUAL(c[i].status, i < done ? GNTST_okay : 99);
        CU_ASSERT_EQUAL(copied(i), i < done);
    }
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* The guest's "page tables" for test_batch_linear_array: linear pages
 * LA and LA + 1 are u2's gfns 3 and 2; everything else is identity. */
#define LA 0xffff888000000000ULL

static int scatter(struct vcpu *v, uint64_t la, bool write, uint64_t *gpa)
{
    (void)v;
    (void)write;
    if ( la >= LA && la < LA + 2 * PAGE_SIZE )
        *gpa = ((la - LA) / PAGE_SIZE ? 2 : 3) * PAGE_SIZE +
               (la & (PAGE_SIZE - 1));
    else
        *gpa = la;
    return 0;
}

/*
 * The op array is at a linear address (a Linux backend's pointer), and
 * the guest's tables put its two pages in gfns 3 and 2, with op 10
 * across the boundary: every op is read and its status written through
 * the tables.
 */
static void test_batch_linear_array(void)
{
    struct gnttab_copy ops[20];
    const size_t head = 10 * sizeof(ops[0]) + 20;
    uint8_t *p3 = page(u2, 3) + PAGE_SIZE - head, *p2 = page(u2, 2);
    unsigned int i;

    grant_source();
    for ( i = 0; i < 20; i++ )
        ops[i] = byte_op(i);
    memcpy(p3, ops, head);
    memcpy(p2, (uint8_t *)ops + head, sizeof(ops) - head);
    sim_guest_linear_set(scatter);
    CU_ASSERT_EQUAL(gt_call(u2, GNTTABOP_copy, LA + PAGE_SIZE - head, 20,
                            NULL), 0);
    sim_guest_linear_set(NULL);
    memcpy(ops, p3, head);
    memcpy((uint8_t *)ops + head, p2, sizeof(ops) - head);
    for ( i = 0; i < 20; i++ )
    {
        CU_ASSERT_EQUAL(ops[i].status, GNTST_okay);
        CU_ASSERT(copied(i));
    }
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

CU_TestInfo copy_batch_tests[] = {
    ORR_CASE(test_batch_across_chunks),
    ORR_CASE(test_batch_runs_off_ram),
    ORR_CASE(test_batch_readonly_array),
    ORR_CASE(test_batch_copies_over_its_array),
    ORR_CASE(test_batch_copies_from_its_array),
    ORR_CASE(test_batch_continuation_mid_chunk),
    ORR_CASE(test_batch_linear_array),
    CU_TEST_INFO_NULL,
};
