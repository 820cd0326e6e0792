/* SPDX-License-Identifier: MIT */
/*
 * Two CPUs: u1's two vCPUs each on a pCPU of their own, timers on the
 * CPU of the vCPU that armed them, and a wake-up on one CPU rescheduling
 * the other through the schedule softirq's IPI.
 */
#include "vo_test.h"

void vo_setup_smp(void)
{
    vo_setup_cpus(2);
}

/* Where @v runs now (its unit on a pCPU), or NR_CPUS. */
static unsigned int cpu_of(const struct vcpu *v)
{
    const struct sched_unit *u = vcpu_sched_unit(v);

    return u->running ? u->res : NR_CPUS;
}

/* A hypercall from @v, made on the CPU it runs on, as a guest's is. */
static int64_t call_on_its_cpu(struct vcpu *v, uint64_t nr, uint64_t a0,
                               uint64_t a1, uint64_t a2)
{
    int64_t rc;

    CU_ASSERT_FATAL(cpu_of(v) < NR_CPUS);
    sim_set_cpu(cpu_of(v));
    rc = vo_call(v->domain, v->vcpu_id, nr, a0, a1, a2);
    sim_set_cpu(0);
    return rc;
}

static void both_running(void)
{
    domain_pause(vo_d0);
    CU_ASSERT_TRUE(vcpu_up(vo_u1->vcpu[1]));
    vo_settle();
    CU_ASSERT_TRUE(cpu_of(vo_u1->vcpu[0]) < 2);
    CU_ASSERT_TRUE(cpu_of(vo_u1->vcpu[1]) < 2);
    CU_ASSERT_NOT_EQUAL(cpu_of(vo_u1->vcpu[0]), cpu_of(vo_u1->vcpu[1]));
}

/* Neither waits: each has run all the time since it was put on a CPU. */
static void test_two_vcpus_two_cpus(void)
{
    s_time_t t0[NR_RUNSTATES], t1[NR_RUNSTATES];

    both_running();
    vo_run_until(MILLISECS(100));
    sched_unit_runstate(vcpu_sched_unit(vo_u1->vcpu[0]), NOW(), t0);
    sched_unit_runstate(vcpu_sched_unit(vo_u1->vcpu[1]), NOW(), t1);
    ORR_ASSERT_EQ_U64(t0[RUNSTATE_running], MILLISECS(100));
    ORR_ASSERT_EQ_U64(t1[RUNSTATE_running], MILLISECS(100));
    ORR_ASSERT_EQ_U64(t0[RUNSTATE_runnable] + t1[RUNSTATE_runnable], 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/* The timer fires on the CPU of the vCPU that set it, on time. */
static void test_timer_on_the_vcpus_cpu(void)
{
    struct vcpu *v = vo_u1->vcpu[1];
    evtchn_port_t port = vo_bind_virq(vo_u1, VIRQ_TIMER, 1);
    struct vcpu_set_singleshot_timer s = {
        .timeout_abs_ns = MILLISECS(7),
    };
    unsigned int cpu;

    both_running();
    cpu = cpu_of(v);
    vo_poke(vo_u1, VO_ARG, &s, sizeof(s));
    CU_ASSERT_EQUAL(call_on_its_cpu(v, __HYPERVISOR_vcpu_op,
                                    VCPUOP_set_singleshot_timer, 1, VO_ARG),
                    0);
    ORR_ASSERT_EQ_U64(sim_timer_deadline(cpu), MILLISECS(7));
    vo_run_until(MILLISECS(7) - 1);
    CU_ASSERT_FALSE(vo_port_pending(vo_u1, port));
    vo_run_until(MILLISECS(7));
    CU_ASSERT_TRUE(vo_port_pending(vo_u1, port));
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/*
 * The vCPU on one CPU blocks; an event sent from the other CPU at 4 ms
 * wakes it, and its CPU (told by IPI) runs it again at once: blocked
 * exactly from 2 to 4 ms.
 */
static void test_wake_from_other_cpu(void)
{
    struct vcpu *v = vo_u1->vcpu[1];
    evtchn_port_t port = vo_bind_ipi(vo_u1, 1);
    unsigned int cpu, other;
    s_time_t t[NR_RUNSTATES];

    both_running();
    cpu = cpu_of(v);
    other = 1 - cpu;
    vo_run_until(MILLISECS(2));
    CU_ASSERT_EQUAL(call_on_its_cpu(v, __HYPERVISOR_sched_op, SCHEDOP_block,
                                    0, 0), 0);
    vo_run_until(MILLISECS(4));
    CU_ASSERT_PTR_NULL(sched_curr(cpu));     /* its CPU went idle */
    sim_set_cpu(other);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    sim_set_cpu(0);
    vo_settle();
    CU_ASSERT_EQUAL(cpu_of(v), cpu);
    vo_run_until(MILLISECS(10));
    sched_unit_runstate(vcpu_sched_unit(v), NOW(), t);
    ORR_ASSERT_EQ_U64(t[RUNSTATE_blocked], MILLISECS(2));
    ORR_ASSERT_EQ_U64(t[RUNSTATE_running], MILLISECS(8));
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

CU_TestInfo smp_tests[] = {
    ORR_CASE(test_two_vcpus_two_cpus),
    ORR_CASE(test_timer_on_the_vcpus_cpu),
    ORR_CASE(test_wake_from_other_cpu),
    CU_TEST_INFO_NULL,
};
