/* SPDX-License-Identifier: MIT */
/* Singleshot and periodic vCPU timers and set_timer_op: VIRQ_TIMER at
 * the exact virtual times, and every bad input. */
#include "vo_test.h"

static int64_t set_singleshot(struct domain *d, unsigned int vcpu,
                              unsigned int target, s_time_t when,
                              uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = {
        .timeout_abs_ns = (uint64_t)when, .flags = flags,
    };

    vo_poke(d, VO_ARG, &s, sizeof(s));
    return vo_call(d, vcpu, __HYPERVISOR_vcpu_op,
                   VCPUOP_set_singleshot_timer, target, VO_ARG);
}

static int64_t set_periodic(struct domain *d, unsigned int target,
                            uint64_t period)
{
    struct vcpu_set_periodic_timer s = { .period_ns = period };

    vo_poke(d, VO_ARG, &s, sizeof(s));
    return vo_call(d, 0, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer,
                   target, VO_ARG);
}

static void test_singleshot_fires_on_time(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);
    s_time_t dl;

    vo_run_until(MILLISECS(1));
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 0, MICROSECS(2500), 0), 0);
    CU_ASSERT_TRUE(vcpu_singleshot_pending(vo_u1->vcpu[0], &dl));
    ORR_ASSERT_EQ_U64(dl, MICROSECS(2500));
    vo_run_until(MICROSECS(2500) - 1);
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    vo_run_until(MICROSECS(2500));
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    CU_ASSERT_FALSE(vcpu_singleshot_pending(vo_u1->vcpu[0], NULL));
}

/* A blocked vCPU wakes on its timer: the guest's idle loop. */
static void test_singleshot_wakes_blocked_vcpu(void)
{
    vo_bind_virq(vo_u1, VIRQ_TIMER, 0);
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 0, MILLISECS(5), 0), 0);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_block,
                            0, 0), 0);
    vo_run_until(MILLISECS(5) - 1);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    vo_run_until(MILLISECS(5));
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

static void test_singleshot_future_flag(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);

    vo_run_until(MILLISECS(3));
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 0, MILLISECS(2),
                                   VCPU_SSHOTTMR_future), -ETIME);
    CU_ASSERT_FALSE(vcpu_singleshot_pending(vo_u1->vcpu[0], NULL));
    vo_settle();
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
}

/* Without the flag a past deadline fires at once (reference §1.1). */
static void test_singleshot_past_fires_at_once(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);

    vo_run_until(MILLISECS(3));
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 0, MILLISECS(2), 0), 0);
    vo_settle();
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    ORR_ASSERT_EQ_U64(sim_now(), MILLISECS(3));
}

static void test_singleshot_stop(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);

    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 0, MILLISECS(2), 0), 0);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_stop_singleshot_timer, 0, 0), 0);
    vo_run_until(MILLISECS(10));
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
}

/* Only a vCPU's own singleshot timer (Xen: -EINVAL otherwise). */
static void test_singleshot_other_vcpu(void)
{
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 1, MILLISECS(2), 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_stop_singleshot_timer, 1, 0), -EINVAL);
    CU_ASSERT_FALSE(vcpu_singleshot_pending(vo_u1->vcpu[1], NULL));
}

static void test_singleshot_bad_input(void)
{
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_set_singleshot_timer, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(set_singleshot(vo_u1, 0, 7, MILLISECS(2), 0), -ENOENT);
    CU_ASSERT_FALSE(vcpu_singleshot_pending(vo_u1->vcpu[0], NULL));
}

static void expect_tick_at(evtchn_port_t port, s_time_t at)
{
    vo_run_until(at - 1);
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    vo_run_until(at);
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    vo_clear_port(vo_u1, port);
}

/*
 * A 2 ms period set at 1 ms by the running vCPU: ticks at 2, 4, 6 ms
 * (periods count from the last tick, none yet). Descheduled from 6.5 to
 * 11 ms it gets no tick; switched back in at 11 ms it gets one at once
 * for the periods it missed, then every 2 ms from there (Xen's rule).
 */
static void test_periodic_ticks(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);

    domain_pause(vo_d0);
    vo_run_until(MILLISECS(1));
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, MILLISECS(2)), 0);
    expect_tick_at(port, MILLISECS(2));
    expect_tick_at(port, MILLISECS(4));
    expect_tick_at(port, MILLISECS(6));
    vo_run_until(MICROSECS(6500));
    domain_pause(vo_u1);
    vo_run_until(MILLISECS(11));
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    CU_ASSERT_FALSE(vcpu_periodic_pending(vo_u1->vcpu[0], NULL));
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    vo_settle();
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    vo_clear_port(vo_u1, port);
    expect_tick_at(port, MILLISECS(13));

    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_stop_periodic_timer, 0, 0), 0);
    CU_ASSERT_FALSE(vcpu_periodic_pending(vo_u1->vcpu[0], NULL));
    vo_run_until(MILLISECS(20));
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/* Another vCPU's period starts when that vCPU runs: vCPU 1 is down. */
static void test_periodic_of_other_vcpu(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 1);

    CU_ASSERT_EQUAL(set_periodic(vo_u1, 1, MILLISECS(1)), 0);
    vo_run_until(MILLISECS(10));
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    domain_pause(vo_d0);
    CU_ASSERT_TRUE(vcpu_up(vo_u1->vcpu[1]));
    vo_run_until(MILLISECS(40));
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

static void test_periodic_bad_input(void)
{
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, VCPU_PERIODIC_MIN_NS - 1),
                    -EINVAL);
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, ~0ULL), -EINVAL);
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, VCPU_PERIODIC_MAX_NS + 1ULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_set_periodic_timer, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 9, MILLISECS(1)), -ENOENT);
    CU_ASSERT_FALSE(vcpu_periodic_pending(vo_u1->vcpu[0], NULL));
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, VCPU_PERIODIC_MAX_NS), 0);
    CU_ASSERT_EQUAL(set_periodic(vo_u1, 0, VCPU_PERIODIC_MIN_NS), 0);
}

static void test_set_timer_op(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 0);
    s_time_t dl;

    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_set_timer_op,
                            MILLISECS(4), 0, 0), 0);
    vo_run_until(MILLISECS(4) - 1);
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    vo_run_until(MILLISECS(4));
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    /* 0 stops it. */
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_set_timer_op,
                            MILLISECS(9), 0, 0), 0);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_set_timer_op, 0, 0, 0),
                    0);
    CU_ASSERT_FALSE(vcpu_singleshot_pending(vo_u1->vcpu[0], NULL));
    /* Over 2^50 ns ahead: taken as wrapped, fired in 100 ms. */
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_set_timer_op,
                            (uint64_t)NOW() + (1ULL << 50) + 1, 0, 0), 0);
    CU_ASSERT_TRUE(vcpu_singleshot_pending(vo_u1->vcpu[0], &dl));
    ORR_ASSERT_EQ_U64(dl, NOW() + SET_TIMER_OP_FALLBACK_NS);
}

/* Timers of a destroyed domain are gone: nothing fires into freed state
 * (ASan would see it). */
static void test_timers_die_with_domain(void)
{
    struct domain *d = vo_domain(0, 1);

    vo_bind_virq(d, VIRQ_TIMER, 0);
    CU_ASSERT_EQUAL(set_singleshot(d, 0, 0, MILLISECS(5), 0), 0);
    CU_ASSERT_EQUAL(set_periodic(d, 0, MILLISECS(1)), 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    vo_run_until(MILLISECS(10));
}

CU_TestInfo timer_tests[] = {
    ORR_CASE(test_singleshot_fires_on_time),
    ORR_CASE(test_singleshot_wakes_blocked_vcpu),
    ORR_CASE(test_singleshot_future_flag),
    ORR_CASE(test_singleshot_past_fires_at_once),
    ORR_CASE(test_singleshot_stop),
    ORR_CASE(test_singleshot_other_vcpu),
    ORR_CASE(test_singleshot_bad_input),
    ORR_CASE(test_periodic_ticks),
    ORR_CASE(test_periodic_of_other_vcpu),
    ORR_CASE(test_periodic_bad_input),
    ORR_CASE(test_set_timer_op),
    ORR_CASE(test_timers_die_with_domain),
    CU_TEST_INFO_NULL,
};
