/* SPDX-License-Identifier: MIT */
/*
 * Domains joined to the scheduler: every vCPU a unit, one pause count
 * (the unit's), up/down, shutdown and destroy, and runstate accounting
 * that stays exact across pause/unpause and block/wake.
 */
#include <orrery/param.h>
#include <orrery/sched-if.h>

#include "vo_test.h"

static void test_every_vcpu_is_a_unit(void)
{
    const struct sched_unit *u0 = vcpu_sched_unit(vo_u1->vcpu[0]);
    const struct sched_unit *u1 = vcpu_sched_unit(vo_u1->vcpu[1]);

    CU_ASSERT_FATAL(u0 && u1);
    CU_ASSERT_EQUAL(u0->dom, u1->dom);
    CU_ASSERT_EQUAL(u0->dom->domid, vo_u1->domain_id);
    CU_ASSERT_EQUAL(u0->dom->domain, vo_u1);
    CU_ASSERT_EQUAL(u0->dom->pool->id, 0);
    CU_ASSERT_EQUAL(u0->unit_id, 0);
    CU_ASSERT_EQUAL(u1->unit_id, 1);
    /* vCPU 0 starts up, the others wait for VCPUOP_up. */
    CU_ASSERT_TRUE(sched_unit_runnable(u0));
    CU_ASSERT_TRUE(u1->down);
    vo_check_join(vo_u1);
    vo_check_join(vo_d0);
}

static void test_pause_is_the_units_pause(void)
{
    struct vcpu *v = vo_u1->vcpu[0];
    const struct sched_unit *u = vcpu_sched_unit(v);

    domain_pause(vo_u1);
    domain_pause(vo_u1);
    vo_check_join(vo_u1);
    CU_ASSERT_EQUAL(u->pause_count, 2);
    CU_ASSERT_FALSE(vcpu_runnable(v));
    vcpu_pause(v);
    vo_check_join(vo_u1);
    CU_ASSERT_EQUAL(u->pause_count, 3);
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    CU_ASSERT_FALSE(vcpu_runnable(v));
    CU_ASSERT_EQUAL(vcpu_unpause(v), 0);
    CU_ASSERT_TRUE(vcpu_runnable(v));
    vo_check_join(vo_u1);
    /* Unbalanced: refused, and the unit's count does not wrap. */
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), -EINVAL);
    CU_ASSERT_EQUAL(vcpu_unpause(v), -EINVAL);
    CU_ASSERT_EQUAL(u->pause_count, 0);
    vo_check_join(vo_u1);
}

static void test_up_down(void)
{
    struct vcpu *v = vo_u1->vcpu[1];

    CU_ASSERT_TRUE(vcpu_up(v));
    CU_ASSERT_FALSE(vcpu_up(v));        /* already up */
    CU_ASSERT_TRUE(vcpu_runnable(v));
    vo_check_join(vo_u1);
    CU_ASSERT_TRUE(vcpu_down(v));
    CU_ASSERT_FALSE(vcpu_down(v));
    CU_ASSERT_FALSE(vcpu_runnable(v));
    vo_check_join(vo_u1);
}

static void test_shutdown_pauses_once(void)
{
    const struct sched_unit *u = vcpu_sched_unit(vo_u1->vcpu[0]);

    CU_ASSERT_EQUAL(domain_shutdown(vo_u1, SHUTDOWN_crash), 0);
    CU_ASSERT_EQUAL(u->pause_count, 1);
    CU_ASSERT_EQUAL(domain_shutdown(vo_u1, SHUTDOWN_poweroff), 0);
    CU_ASSERT_EQUAL(u->pause_count, 1);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_crash);
    CU_ASSERT_FALSE(vcpu_runnable(vo_u1->vcpu[0]));
    vo_check_join(vo_u1);
}

static void test_running_unit_stops_when_paused(void)
{
    domain_pause(vo_d0);
    vo_settle();
    CU_ASSERT_EQUAL(sched_unit_vcpu(sched_curr(0)), vo_u1->vcpu[0]);
    vo_run_until(MILLISECS(1));
    domain_pause(vo_u1);
    vo_settle();
    CU_ASSERT_PTR_NULL(sched_curr(0));      /* idle: nobody can run */
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    vo_settle();
    CU_ASSERT_EQUAL(sched_unit_vcpu(sched_curr(0)), vo_u1->vcpu[0]);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/*
 * One runnable vCPU on one CPU, paused from 10 to 25 ms: at 40 ms it has
 * run exactly 25 ms and been offline exactly 15 ms, nothing else, and the
 * times add up to the time since it was created.
 */
static void test_runstate_exact_over_pause(void)
{
    const struct sched_unit *u = vcpu_sched_unit(vo_u1->vcpu[0]);
    s_time_t t[NR_RUNSTATES];

    domain_pause(vo_d0);
    vo_run_until(MILLISECS(10));
    domain_pause(vo_u1);
    vo_run_until(MILLISECS(25));
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    vo_run_until(MILLISECS(40));

    sched_unit_runstate(u, NOW(), t);
    ORR_ASSERT_EQ_U64(t[RUNSTATE_running], MILLISECS(25));
    ORR_ASSERT_EQ_U64(t[RUNSTATE_offline], MILLISECS(15));
    ORR_ASSERT_EQ_U64(t[RUNSTATE_runnable], 0);
    ORR_ASSERT_EQ_U64(t[RUNSTATE_blocked], 0);
    CU_ASSERT_EQUAL(u->runstate.state, RUNSTATE_running);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/* Blocked from 5 ms (SCHEDOP_block) until an event at 12 ms. */
static void test_runstate_exact_over_block(void)
{
    const struct sched_unit *u = vcpu_sched_unit(vo_u1->vcpu[0]);
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);
    s_time_t t[NR_RUNSTATES];

    domain_pause(vo_d0);
    vo_run_until(MILLISECS(5));
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_block,
                            0, 0), 0);
    vo_run_until(MILLISECS(12));
    CU_ASSERT_EQUAL(u->runstate.state, RUNSTATE_blocked);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    vo_run_until(MILLISECS(20));

    sched_unit_runstate(u, NOW(), t);
    ORR_ASSERT_EQ_U64(t[RUNSTATE_running], MILLISECS(13));
    ORR_ASSERT_EQ_U64(t[RUNSTATE_blocked], MILLISECS(7));
    ORR_ASSERT_EQ_U64(t[RUNSTATE_runnable] + t[RUNSTATE_offline], 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/* Two vCPUs sharing one CPU: every ns is running for one of them and
 * runnable for the other. */
static void test_runstate_adds_up_when_sharing(void)
{
    const struct sched_unit *a = vcpu_sched_unit(vo_d0->vcpu[0]);
    const struct sched_unit *b = vcpu_sched_unit(vo_u1->vcpu[0]);
    s_time_t ta[NR_RUNSTATES], tb[NR_RUNSTATES];

    vo_run_until(MILLISECS(200));
    sched_unit_runstate(a, NOW(), ta);
    sched_unit_runstate(b, NOW(), tb);
    ORR_ASSERT_EQ_U64(ta[RUNSTATE_running] + tb[RUNSTATE_running],
                      MILLISECS(200));
    ORR_ASSERT_EQ_U64(ta[RUNSTATE_running], tb[RUNSTATE_runnable]);
    ORR_ASSERT_EQ_U64(tb[RUNSTATE_running], ta[RUNSTATE_runnable]);
    /* Both got the CPU: the slice timer preempts (credit: 30 ms). */
    CU_ASSERT_TRUE(ta[RUNSTATE_running] >= MILLISECS(60));
    CU_ASSERT_TRUE(tb[RUNSTATE_running] >= MILLISECS(60));
}

static void test_switch_reaches_the_platform(void)
{
    domain_pause(vo_d0);
    vo_settle();
    ORR_ASSERT_CONTAINS(sim_console_text(), "CPU0: idle -> d");
    domain_pause(vo_u1);
    vo_settle();
    ORR_ASSERT_CONTAINS(sim_console_text(), " -> idle at 0 ns");
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

static void test_destroy_removes_units(void)
{
    struct domain *d = vo_domain(0, 3);
    struct sched_domain *sd = vcpu_sched_unit(d->vcpu[0])->dom;
    struct cpupool *pool = sd->pool;
    unsigned int before = pool->nr_domains;

    CU_ASSERT_EQUAL(sd->nr_units, 3);
    vo_settle();
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    CU_ASSERT_EQUAL(pool->nr_domains, before - 1);
    vo_run_until(MILLISECS(100));   /* nothing refers to it any more */
}

static void find_new(struct domain *d, void *arg)
{
    if ( d != vo_d0 && d != vo_u1 )
        *(struct domain **)arg = d;
}

/*
 * testdoms=: a boot-built domain whose vCPUs burn exactly their budget
 * (through the schedule softirq, sharing one CPU) and then block with
 * SCHEDOP_block; destroying it frees its workload (ASan would see a
 * timer left behind).
 */
static void test_boot_test_domain(void)
{
    struct domain *t = NULL;
    s_time_t ran[NR_RUNSTATES];

    domain_pause(vo_d0);
    domain_pause(vo_u1);
    cmdline_parse("testdoms=1 testdom_vcpus=2 testdom_ms=5");
    test_domains_create();
    cmdline_parse("testdoms=0");
    domain_for_each(find_new, &t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    ORR_ASSERT_CONTAINS(sim_console_text(), "2 vCPUs, 5 ms of CPU each");
    vo_run_until(MILLISECS(30));
    for ( unsigned int i = 0; i < 2; i++ )
    {
        CU_ASSERT_TRUE(vcpu_is_blocked(t->vcpu[i]));
        sched_unit_runstate(vcpu_sched_unit(t->vcpu[i]), NOW(), ran);
        ORR_ASSERT_EQ_U64(ran[RUNSTATE_running], MILLISECS(5));
    }
    CU_ASSERT_EQUAL(domain_destroy(t), 0);
    vo_run_until(MILLISECS(40));
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

CU_TestInfo join_tests[] = {
    ORR_CASE(test_every_vcpu_is_a_unit),
    ORR_CASE(test_pause_is_the_units_pause),
    ORR_CASE(test_up_down),
    ORR_CASE(test_shutdown_pauses_once),
    ORR_CASE(test_running_unit_stops_when_paused),
    ORR_CASE(test_runstate_exact_over_pause),
    ORR_CASE(test_runstate_exact_over_block),
    ORR_CASE(test_runstate_adds_up_when_sharing),
    ORR_CASE(test_switch_reaches_the_platform),
    ORR_CASE(test_destroy_removes_units),
    ORR_CASE(test_boot_test_domain),
    CU_TEST_INFO_NULL,
};
