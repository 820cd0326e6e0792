/* SPDX-License-Identifier: MIT */
/*
 * ARINC653 schedule validation through sched_pool_set_params (the sysctl
 * putinfo path). Xen's rules: 1 .. ARINC653_MAX_ENTRIES windows, a major
 * frame > 0, every runtime > 0 and their sum within the major frame.
 * One test per bad schedule; each leaves the schedule in place untouched.
 */
#include "test_rt.h"

static struct sched_pool_params good;

/* An ARINC653 pool with a known good schedule installed in @good. */
static void a653_setup(void)
{
    fresh("arinc653", 1);
    memset(&good, 0, sizeof(good));
    good.sched_id = XEN_SCHEDULER_ARINC653;
    good.u.arinc653.major_frame = MS(50);
    good.u.arinc653.nr_entries = 2;
    good.u.arinc653.entry[0] = (struct arinc653_entry){ 1, 0, MS(20) };
    good.u.arinc653.entry[1] = (struct arinc653_entry){ 2, 0, MS(30) };
    CU_ASSERT_EQUAL_FATAL(sched_pool_set_params(0, &good), 0);
}

/* The schedule read back is @good's. */
static void assert_good_kept(void)
{
    struct sched_pool_params p;

    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.u.arinc653.major_frame, MS(50));
    CU_ASSERT_EQUAL(p.u.arinc653.nr_entries, 2);
    CU_ASSERT_EQUAL(p.u.arinc653.entry[0].domid, 1);
    CU_ASSERT_EQUAL(p.u.arinc653.entry[1].runtime, MS(30));
}

/* Returns what setting @p did, then checks nothing changed. */
static void expect_refused(struct sched_pool_params *p, int rc)
{
    CU_ASSERT_EQUAL(sched_pool_set_params(0, p), rc);
    assert_good_kept();
}

static void test_a653_good_readback(void)
{
    a653_setup();
    assert_good_kept();
}

/* The sum of runtimes may fill the frame exactly. */
static void test_a653_full_frame_accepted(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.major_frame = MS(50);
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), 0);
    p.u.arinc653.nr_entries = ARINC653_MAX_ENTRIES;
    p.u.arinc653.major_frame = ARINC653_MAX_ENTRIES * MS(1);
    for ( unsigned int i = 0; i < ARINC653_MAX_ENTRIES; i++ )
        p.u.arinc653.entry[i] = (struct arinc653_entry){ 1, 0, MS(1) };
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), 0);
}

static void test_a653_frame_below_sum(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.major_frame = MS(50) - 1;
    expect_refused(&p, -EINVAL);
}

static void test_a653_runtime_zero(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.entry[1].runtime = 0;
    expect_refused(&p, -EINVAL);
}

static void test_a653_runtime_negative(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.entry[0].runtime = -MS(1);
    expect_refused(&p, -EINVAL);
}

/* Runtimes whose sum overflows s_time_t must not wrap into "fits". */
static void test_a653_runtime_overflow(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.major_frame = INT64_MAX;
    p.u.arinc653.entry[0].runtime = INT64_MAX;
    p.u.arinc653.entry[1].runtime = INT64_MAX;
    expect_refused(&p, -EINVAL);
}

static void test_a653_no_entries(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.nr_entries = 0;
    expect_refused(&p, -EINVAL);
}

static void test_a653_too_many_entries(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.nr_entries = ARINC653_MAX_ENTRIES + 1;
    expect_refused(&p, -EINVAL);
}

static void test_a653_frame_zero(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.major_frame = 0;
    expect_refused(&p, -EINVAL);
}

static void test_a653_frame_negative(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.major_frame = -MS(50);
    expect_refused(&p, -EINVAL);
}

static void test_a653_wrong_sched_id(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.sched_id = XEN_SCHEDULER_RTDS;
    expect_refused(&p, -EINVAL);
}

static void test_a653_unknown_pool(void)
{
    a653_setup();
    CU_ASSERT_EQUAL(sched_pool_set_params(3, &good), -ESRCH);
    assert_good_kept();
}

/* Unknown domains and vCPUs are accepted (their windows idle). */
static void test_a653_unknown_domid_accepted(void)
{
    struct sched_pool_params p;

    a653_setup();
    p = good;
    p.u.arinc653.entry[0].domid = 0x7fef;
    p.u.arinc653.entry[1].vcpu_id = 1000;
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), 0);
}

/* ARINC653 has no per-domain or per-vCPU parameters. */
static void test_a653_no_dom_params(void)
{
    struct sched_domain d;
    struct sched_unit u[1];
    struct sched_dom_params dp = { .sched_id = XEN_SCHEDULER_ARINC653 };

    a653_setup();
    make_dom(&d, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &dp), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &dp), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(sched_id_of("arinc653"), XEN_SCHEDULER_ARINC653);
}

CU_TestInfo arinc653_param_tests[] = {
    ORR_CASE(test_a653_good_readback),
    ORR_CASE(test_a653_full_frame_accepted),
    ORR_CASE(test_a653_frame_below_sum),
    ORR_CASE(test_a653_runtime_zero),
    ORR_CASE(test_a653_runtime_negative),
    ORR_CASE(test_a653_runtime_overflow),
    ORR_CASE(test_a653_no_entries),
    ORR_CASE(test_a653_too_many_entries),
    ORR_CASE(test_a653_frame_zero),
    ORR_CASE(test_a653_frame_negative),
    ORR_CASE(test_a653_wrong_sched_id),
    ORR_CASE(test_a653_unknown_pool),
    ORR_CASE(test_a653_unknown_domid_accepted),
    ORR_CASE(test_a653_no_dom_params),
    CU_TEST_INFO_NULL,
};
