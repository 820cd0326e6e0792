/* SPDX-License-Identifier: MIT */
/* sched_op: yield, block, shutdown, shutdown_code, remote_shutdown,
 * VIRQ_DOM_EXC, and every bad input. */
#include "vo_test.h"

static int64_t sched_op(struct domain *d, unsigned int vcpu, uint64_t cmd,
                        uint64_t arg)
{
    return vo_call(d, vcpu, __HYPERVISOR_sched_op, cmd, arg, 0);
}

static int64_t shutdown(struct domain *d, uint64_t cmd, uint32_t reason)
{
    struct sched_shutdown s = { .reason = reason };

    vo_poke(d, VO_ARG, &s, sizeof(s));
    return sched_op(d, 0, cmd, VO_ARG);
}

static void test_yield_gives_the_cpu_away(void)
{
    struct sched_unit *was;

    vo_settle();
    was = sched_curr(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(was);
    CU_ASSERT_EQUAL(sched_op(sched_unit_vcpu(was)->domain,
                             sched_unit_vcpu(was)->vcpu_id, SCHEDOP_yield,
                             0), 0);
    vo_settle();
    CU_ASSERT_PTR_NOT_NULL(sched_curr(0));
    CU_ASSERT_NOT_EQUAL(sched_curr(0), was);
}

static void test_block_until_event(void)
{
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);

    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_block, 0), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_FALSE(vcpu_runnable(vo_u1->vcpu[0]));
    vo_run_until(MILLISECS(50));
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_TRUE(vcpu_runnable(vo_u1->vcpu[0]));
    vo_check_join(vo_u1);
}

/* An event already pending when the guest blocks: it does not sleep. */
static void test_block_with_event_pending(void)
{
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);

    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_block, 0), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

/* A masked port sets no upcall flag: a blocked vCPU sleeps on. */
static void test_block_ignores_masked_port(void)
{
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);

    vo_u1->shared_info->evtchn_mask[port / 64] |= 1ULL << (port % 64);
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_block, 0), 0);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_EQUAL(evtchn_unmask(vo_u1, port), 0);    /* redelivers */
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

static void test_shutdown_reason(void)
{
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_reboot), 0);
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_reboot);
    CU_ASSERT_FALSE(vcpu_runnable(vo_u1->vcpu[0]));
    vo_check_join(vo_u1);
}

static void test_shutdown_bad_reason(void)
{
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_MAX + 1),
                    -EINVAL);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
}

static void test_shutdown_bad_pointer(void)
{
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_shutdown,
                             (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_shutdown, ~0ULL - 1),
                    -EFAULT);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
}

/* The code comes first, the later shutdown reports it (Xen: suspend). */
static void test_shutdown_code_then_shutdown(void)
{
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown_code,
                             SHUTDOWN_suspend), 0);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown_code,
                             SHUTDOWN_crash), 0);  /* the first sticks */
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_poweroff),
                    0);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_suspend);
}

static void test_shutdown_code_bad_input(void)
{
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown_code, 99), -EINVAL);
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, SCHEDOP_shutdown_code,
                             (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_poweroff),
                    0);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_poweroff);
}

static int64_t remote(struct domain *caller, domid_t id, uint32_t reason)
{
    struct sched_remote_shutdown s = { .domain_id = id, .reason = reason };

    vo_poke(caller, VO_ARG, &s, sizeof(s));
    return sched_op(caller, 0, SCHEDOP_remote_shutdown, VO_ARG);
}

static void test_remote_shutdown_by_control_domain(void)
{
    CU_ASSERT_EQUAL(remote(vo_d0, vo_u1->domain_id, SHUTDOWN_crash), 0);
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_crash);
}

static void test_remote_shutdown_unprivileged(void)
{
    CU_ASSERT_EQUAL(remote(vo_u1, vo_d0->domain_id, SHUTDOWN_poweroff),
                    -EPERM);
    CU_ASSERT_FALSE(vo_d0->is_shut_down);
}

static void test_remote_shutdown_bad_domain(void)
{
    CU_ASSERT_EQUAL(remote(vo_d0, 999, SHUTDOWN_poweroff), -ESRCH);
    CU_ASSERT_EQUAL(remote(vo_d0, DOMID_SELF, SHUTDOWN_poweroff), -ESRCH);
    CU_ASSERT_EQUAL(remote(vo_d0, vo_u1->domain_id, 77), -EINVAL);
    CU_ASSERT_EQUAL(sched_op(vo_d0, 0, SCHEDOP_remote_shutdown,
                             (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    CU_ASSERT_FALSE(vo_d0->is_shut_down);
}

/* SCHEDOP_watchdog has its own suite (test_watchdog.c). */
static void test_unknown(void)
{
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, 42, 0), -ENOSYS);
    CU_ASSERT_EQUAL(sched_op(vo_u1, 0, ~0ULL, 0), -ENOSYS);
}

/* The control domain hears of a domU's shutdown and of its death. */
static void test_dom_exc_to_control_domain(void)
{
    evtchn_port_t port = vo_bind_virq(vo_d0, VIRQ_DOM_EXC, 0);
    struct domain *d;

    CU_ASSERT_FALSE(vo_port_pending(vo_d0, port));
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_poweroff),
                    0);
    CU_ASSERT_TRUE(vo_port_pending(vo_d0, port));
    vo_clear_port(vo_d0, port);
    /* A second shutdown changes nothing and says nothing. */
    CU_ASSERT_EQUAL(shutdown(vo_u1, SCHEDOP_shutdown, SHUTDOWN_crash), 0);
    CU_ASSERT_FALSE(vo_port_pending(vo_d0, port));

    d = vo_domain(0, 1);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    CU_ASSERT_TRUE(vo_port_pending(vo_d0, port));
}

/* A domU is not told (it has no right to the VIRQ's news). */
static void test_dom_exc_not_to_domu(void)
{
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_DOM_EXC, 0);
    struct domain *d = vo_domain(0, 1);

    CU_ASSERT_EQUAL(domain_shutdown(d, SHUTDOWN_poweroff), 0);
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

CU_TestInfo sched_op_tests[] = {
    ORR_CASE(test_yield_gives_the_cpu_away),
    ORR_CASE(test_block_until_event),
    ORR_CASE(test_block_with_event_pending),
    ORR_CASE(test_block_ignores_masked_port),
    ORR_CASE(test_shutdown_reason),
    ORR_CASE(test_shutdown_bad_reason),
    ORR_CASE(test_shutdown_bad_pointer),
    ORR_CASE(test_shutdown_code_then_shutdown),
    ORR_CASE(test_shutdown_code_bad_input),
    ORR_CASE(test_remote_shutdown_by_control_domain),
    ORR_CASE(test_remote_shutdown_unprivileged),
    ORR_CASE(test_remote_shutdown_bad_domain),
    ORR_CASE(test_unknown),
    ORR_CASE(test_dom_exc_to_control_domain),
    ORR_CASE(test_dom_exc_not_to_domu),
    CU_TEST_INFO_NULL,
};
