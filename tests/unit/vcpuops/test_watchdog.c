/* SPDX-License-Identifier: MIT */
/* SCHEDOP_watchdog: two timers per domain, ids 1 and 2; a timer that runs
 * out shuts its domain down with SHUTDOWN_watchdog; every bad input. */
#include "vo_test.h"

static int64_t watchdog(struct domain *d, uint32_t id, uint32_t timeout)
{
    struct sched_watchdog w = { .id = id, .timeout = timeout };

    vo_poke(d, VO_ARG, &w, sizeof(w));
    return vo_call(d, 0, __HYPERVISOR_sched_op, SCHEDOP_watchdog, VO_ARG, 0);
}

/* Ids 1 and 2 are handed out, then -ENOSPC; a freed one is reused. */
static void test_allocate_and_free(void)
{
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), 1);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), 2);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), -ENOSPC);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), 0);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), -EINVAL);     /* freed */
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), 1);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), 0);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 2, 0), 0);
    /* Another domain's are its own. */
    CU_ASSERT_EQUAL(watchdog(vo_d0, 0, 10), 1);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), 1);
    CU_ASSERT_EQUAL(watchdog(vo_d0, 1, 0), 0);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), 0);
}

static void test_bad_input(void)
{
    CU_ASSERT_EQUAL(watchdog(vo_u1, 3, 10), -EINVAL);
    CU_ASSERT_EQUAL(watchdog(vo_u1, ~0u, 10), -EINVAL);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 2, 10), -EINVAL);    /* not taken */
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op,
                            SCHEDOP_watchdog, 0xdead0000000ULL, 0), -EFAULT);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op,
                            SCHEDOP_watchdog,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT, 0), -EFAULT);
    /* None of them took a timer. */
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 10), 1);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), 0);
    vo_run_until(sim_now() + SECONDS(20));
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
}

/* Not renewed: the domain is shut down when it runs out, not before. */
static void test_fires(void)
{
    s_time_t t0 = sim_now();

    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 2), 1);
    vo_run_until(t0 + SECONDS(2) - 1);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    vo_run_until(t0 + SECONDS(2));
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_watchdog);
    CU_ASSERT_FALSE(vo_d0->is_shut_down);
    vo_check_join(vo_u1);
}

/* Renewed in time, it does not fire; freed, it never does. */
static void test_renew_and_free(void)
{
    s_time_t t0 = sim_now();

    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 2), 1);
    vo_run_until(t0 + SECONDS(1));
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 2), 0);           /* now + 2 s */
    vo_run_until(t0 + SECONDS(2) + SECONDS(1) / 2);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 1, 0), 0);
    vo_run_until(t0 + SECONDS(10));
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
}

/* The shutdown code decides the reason, as for every shutdown. */
static void test_code_applies(void)
{
    struct sched_shutdown s = { .reason = SHUTDOWN_suspend };

    vo_poke(vo_u1, VO_ARG + 64, &s, sizeof(s));
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op,
                            SCHEDOP_shutdown_code, VO_ARG + 64, 0), 0);
    CU_ASSERT_EQUAL(watchdog(vo_u1, 0, 1), 1);
    vo_run_until(sim_now() + SECONDS(1));
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_suspend);
}

/* A domain destroyed with a watchdog armed: the timer goes with it. */
static void test_destroy_with_timer(void)
{
    struct domain *d = vo_domain(0, 1);

    CU_ASSERT_EQUAL(watchdog(d, 0, 1), 1);
    CU_ASSERT_EQUAL(watchdog(d, 0, 1), 2);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    vo_run_until(sim_now() + SECONDS(2));
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
}

CU_TestInfo watchdog_tests[] = {
    ORR_CASE(test_allocate_and_free),
    ORR_CASE(test_bad_input),
    ORR_CASE(test_fires),
    ORR_CASE(test_renew_and_free),
    ORR_CASE(test_code_applies),
    ORR_CASE(test_destroy_with_timer),
    CU_TEST_INFO_NULL,
};
