/* SPDX-License-Identifier: MIT */
/* SCHEDOP_poll: ports, timeouts on virtual time, and bad input. */
#include "vo_test.h"

#define PORTS_GADDR (VO_ARG + 0x100)

static int64_t poll(struct domain *d, unsigned int vcpu,
                    const evtchn_port_t *ports, uint32_t n,
                    uint64_t timeout)
{
    struct sched_poll p = {
        .ports = PORTS_GADDR, .nr_ports = n, .timeout = timeout,
    };

    if ( n && n <= 512 )
        vo_poke(d, PORTS_GADDR, ports, n * sizeof(*ports));
    vo_poke(d, VO_ARG, &p, sizeof(p));
    return vo_call(d, vcpu, __HYPERVISOR_sched_op, SCHEDOP_poll, VO_ARG, 0);
}

static void test_poll_wakes_on_its_port(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0), b = vo_bind_ipi(vo_u1, 0);
    struct vcpu *v = vo_u1->vcpu[0];

    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, 0), 0);
    CU_ASSERT_TRUE(vcpu_is_polling(v));
    CU_ASSERT_TRUE(vcpu_is_blocked(v));
    vo_run_until(MILLISECS(3));
    CU_ASSERT_TRUE(vcpu_is_blocked(v));
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, a), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));
    CU_ASSERT_FALSE(vcpu_is_polling(v));
    (void)b;
}

/* Polling works on masked ports: the guest polls with events masked. */
static void test_poll_masked_port(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0), b = vo_bind_ipi(vo_u1, 0);
    struct vcpu *v = vo_u1->vcpu[0];

    vo_u1->shared_info->evtchn_mask[0] |= (1ULL << a) | (1ULL << b);
    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, 0), 0);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, b), 0);  /* not its port */
    CU_ASSERT_TRUE(vcpu_is_blocked(v));
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, a), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));
}

static void test_poll_several_ports(void)
{
    evtchn_port_t p[3];
    struct vcpu *v = vo_u1->vcpu[0];

    for ( unsigned int i = 0; i < 3; i++ )
        p[i] = vo_bind_ipi(vo_u1, 0);
    vo_u1->shared_info->evtchn_mask[0] = ~0ULL;
    CU_ASSERT_EQUAL(poll(vo_u1, 0, p, 3, 0), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(v));
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, p[2]), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));
}

static void test_poll_already_pending(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0);

    vo_u1->shared_info->evtchn_mask[0] |= 1ULL << a;
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, a), 0);
    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, 0), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_FALSE(vcpu_is_polling(vo_u1->vcpu[0]));
}

/* Timeout at an absolute 7.5 ms: still blocked 1 ns before, awake at. */
static void test_poll_timeout_exact(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0);
    struct vcpu *v = vo_u1->vcpu[0];
    s_time_t to = MICROSECS(7500);

    vo_run_until(MILLISECS(2));
    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, (uint64_t)to), 0);
    vo_run_until(to - 1);
    CU_ASSERT_TRUE(vcpu_is_blocked(v));
    vo_run_until(to);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));
    CU_ASSERT_FALSE(vcpu_is_polling(v));
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, a));
}

/* A wake-up before the timeout disarms it: no second wake later. */
static void test_poll_event_stops_timer(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0);
    struct vcpu *v = vo_u1->vcpu[0];

    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, MILLISECS(10)), 0);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, a), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_block,
                            0, 0), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(v));  /* upcall still pending */
    vo_clear_port(vo_u1, a);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_block,
                            0, 0), 0);
    vo_run_until(MILLISECS(20));
    CU_ASSERT_TRUE(vcpu_is_blocked(v));   /* the 10 ms timer is gone */
}

static void test_poll_no_ports_times_out(void)
{
    CU_ASSERT_EQUAL(poll(vo_u1, 0, NULL, 0, MILLISECS(1)), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    vo_run_until(MILLISECS(1));
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

static void test_poll_too_many_ports(void)
{
    static evtchn_port_t p[SCHED_POLL_MAX_PORTS + 1];

    CU_ASSERT_EQUAL(poll(vo_u1, 0, p, SCHED_POLL_MAX_PORTS + 1, 0),
                    -EINVAL);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

static void test_poll_port_out_of_range(void)
{
    evtchn_port_t p[2] = { 1, EVTCHN_2L_NR_CHANNELS };

    CU_ASSERT_EQUAL(poll(vo_u1, 0, p, 2, 0), -EINVAL);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_FALSE(vcpu_is_polling(vo_u1->vcpu[0]));
}

static void test_poll_bad_pointers(void)
{
    struct sched_poll p = {
        .ports = (uint64_t)VO_GFN_HOLE << PAGE_SHIFT, .nr_ports = 1,
    };

    vo_poke(vo_u1, VO_ARG, &p, sizeof(p));
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_poll,
                            VO_ARG, 0), -EFAULT);
    /* The list running off the end of guest RAM. */
    p.ports = (uint64_t)VO_RAM_PAGES * PAGE_SIZE - 8;
    p.nr_ports = 4;
    vo_poke(vo_u1, VO_ARG, &p, sizeof(p));
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_poll,
                            VO_ARG, 0), -EFAULT);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_poll,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT, 0),
                    -EFAULT);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

/* Another domain's event never wakes this one's poller. */
static void test_poll_other_domain_untouched(void)
{
    evtchn_port_t a = vo_bind_ipi(vo_u1, 0), b = vo_bind_ipi(vo_d0, 0);

    CU_ASSERT_EQUAL(a, b);      /* the same port number, two domains */
    CU_ASSERT_EQUAL(poll(vo_u1, 0, &a, 1, 0), 0);
    CU_ASSERT_EQUAL(evtchn_send(vo_d0, b), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

CU_TestInfo poll_tests[] = {
    ORR_CASE(test_poll_wakes_on_its_port),
    ORR_CASE(test_poll_masked_port),
    ORR_CASE(test_poll_several_ports),
    ORR_CASE(test_poll_already_pending),
    ORR_CASE(test_poll_timeout_exact),
    ORR_CASE(test_poll_event_stops_timer),
    ORR_CASE(test_poll_no_ports_times_out),
    ORR_CASE(test_poll_too_many_ports),
    ORR_CASE(test_poll_port_out_of_range),
    ORR_CASE(test_poll_bad_pointers),
    ORR_CASE(test_poll_other_domain_untouched),
    CU_TEST_INFO_NULL,
};
