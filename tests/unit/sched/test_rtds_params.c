/* SPDX-License-Identifier: MIT */
/*
 * RTDS parameters through sched_{domain,unit}_{get,set}_params (the
 * domctl getinfo/putinfo and getvcpuinfo/putvcpuinfo paths): Xen's
 * defaults, Xen's bounds (period and budget >= 10 us, budget <= period;
 * no upper bound on the period but the 32-bit field's), one test per bad
 * value, and a refused value changes nothing.
 */
#include "test_rt.h"

static struct sched_domain dom;
static struct sched_unit units[2];

/* d1 with two vCPUs in an RTDS pool. */
static void rt_setup(void)
{
    fresh("rtds", 1);
    make_dom(&dom, units, 2, 1, 0, 0);
}

static struct sched_unit_params uparams(uint32_t period_us,
                                        uint32_t budget_us, bool extra)
{
    struct sched_unit_params p = { .sched_id = XEN_SCHEDULER_RTDS };

    p.u.rtds.period_us = period_us;
    p.u.rtds.budget_us = budget_us;
    p.u.rtds.extratime = extra;
    return p;
}

/* A refused put left vCPU 0 at Xen's defaults. */
static void assert_defaults(void)
{
    struct sched_unit_params p;

    CU_ASSERT_EQUAL(sched_unit_get_params(&units[0], &p), 0);
    CU_ASSERT_EQUAL(p.sched_id, XEN_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(p.u.rtds.period_us, 10000);
    CU_ASSERT_EQUAL(p.u.rtds.budget_us, 4000);
    CU_ASSERT_FALSE(p.u.rtds.extratime);
}

static void test_rtds_defaults(void)
{
    struct sched_dom_params dp;

    rt_setup();
    assert_defaults();
    CU_ASSERT_EQUAL(sched_domain_get_params(&dom, &dp), 0);
    CU_ASSERT_EQUAL(dp.sched_id, XEN_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(dp.u.rtds.period_us, 10000);
    CU_ASSERT_EQUAL(dp.u.rtds.budget_us, 4000);
}

static void test_rtds_unit_put_get(void)
{
    struct sched_unit_params p = uparams(20000, 5000, true);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[1], &p), 0);
    CU_ASSERT_EQUAL(sched_unit_get_params(&units[1], &p), 0);
    CU_ASSERT_EQUAL(p.u.rtds.period_us, 20000);
    CU_ASSERT_EQUAL(p.u.rtds.budget_us, 5000);
    CU_ASSERT(p.u.rtds.extratime);
    assert_defaults();                      /* the other vCPU's own */
}

/* The edges Xen accepts: 10 us each, budget == period, and the longest
 * period the microsecond field can carry (Xen's bound is STIME_DELTA_MAX). */
static void test_rtds_bounds_accepted(void)
{
    struct sched_unit_params p = uparams(10, 10, false);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), 0);
    p = uparams(UINT32_MAX, 10, false);
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), 0);
    p = uparams(UINT32_MAX, UINT32_MAX, false);
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), 0);
}

static void test_rtds_period_too_short(void)
{
    struct sched_unit_params p = uparams(9, 9, false);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), -EINVAL);
    assert_defaults();
}

static void test_rtds_period_zero(void)
{
    struct sched_unit_params p = uparams(0, 0, false);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), -EINVAL);
    assert_defaults();
}

static void test_rtds_budget_too_small(void)
{
    struct sched_unit_params p = uparams(10000, 9, false);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), -EINVAL);
    assert_defaults();
}

static void test_rtds_budget_over_period(void)
{
    struct sched_unit_params p = uparams(10000, 10001, false);

    rt_setup();
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), -EINVAL);
    assert_defaults();
}

static void test_rtds_wrong_sched_id(void)
{
    struct sched_unit_params p = uparams(20000, 5000, false);

    rt_setup();
    p.sched_id = XEN_SCHEDULER_CREDIT;
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), -EINVAL);
    assert_defaults();
}

/* The domain put reaches every vCPU; get reports vCPU 0's. */
static void test_rtds_dom_put_all(void)
{
    struct sched_dom_params dp = { .sched_id = XEN_SCHEDULER_RTDS };
    struct sched_unit_params p;

    rt_setup();
    dp.u.rtds.period_us = 30000;
    dp.u.rtds.budget_us = 7000;
    dp.u.rtds.extratime = true;
    CU_ASSERT_EQUAL(sched_domain_set_params(&dom, &dp), 0);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        CU_ASSERT_EQUAL(sched_unit_get_params(&units[i], &p), 0);
        CU_ASSERT_EQUAL(p.u.rtds.period_us, 30000);
        CU_ASSERT_EQUAL(p.u.rtds.budget_us, 7000);
        CU_ASSERT(p.u.rtds.extratime);
    }
    p = uparams(40000, 1000, false);
    CU_ASSERT_EQUAL(sched_unit_set_params(&units[0], &p), 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&dom, &dp), 0);
    CU_ASSERT_EQUAL(dp.u.rtds.period_us, 40000);
    CU_ASSERT_EQUAL(dp.u.rtds.budget_us, 1000);
    CU_ASSERT_FALSE(dp.u.rtds.extratime);
}

/* A bad domain put changes no vCPU. */
static void test_rtds_dom_put_bad(void)
{
    struct sched_dom_params dp = { .sched_id = XEN_SCHEDULER_RTDS };

    rt_setup();
    dp.u.rtds.period_us = 1000;
    dp.u.rtds.budget_us = 2000;
    CU_ASSERT_EQUAL(sched_domain_set_params(&dom, &dp), -EINVAL);
    assert_defaults();
    CU_ASSERT_EQUAL(sched_domain_get_params(&dom, &dp), 0);
    CU_ASSERT_EQUAL(dp.u.rtds.budget_us, 4000);
}

/* RTDS has no pool-wide parameters. */
static void test_rtds_no_pool_params(void)
{
    struct sched_pool_params pp = { .sched_id = XEN_SCHEDULER_RTDS };

    rt_setup();
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &pp), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &pp), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(sched_id_of("rtds"), XEN_SCHEDULER_RTDS);
}

CU_TestInfo rtds_param_tests[] = {
    ORR_CASE(test_rtds_defaults),
    ORR_CASE(test_rtds_unit_put_get),
    ORR_CASE(test_rtds_bounds_accepted),
    ORR_CASE(test_rtds_period_too_short),
    ORR_CASE(test_rtds_period_zero),
    ORR_CASE(test_rtds_budget_too_small),
    ORR_CASE(test_rtds_budget_over_period),
    ORR_CASE(test_rtds_wrong_sched_id),
    ORR_CASE(test_rtds_dom_put_all),
    ORR_CASE(test_rtds_dom_put_bad),
    ORR_CASE(test_rtds_no_pool_params),
    CU_TEST_INFO_NULL,
};
