/* SPDX-License-Identifier: MIT */
/*
 * RTDS: EDF order, the deferrable server (budget burnt only while
 * running, refilled at period boundaries, catch-up after a long sleep),
 * extratime, preemption and tickling on wake, hard affinity. Every check
 * goes through the framework (sched_schedule, wake/block, params) as the
 * hypervisor and schedsim drive it.
 */
#include "sched_test.h"
#include "test_rt.h"

/* Pool 0 running RTDS on @ncpus pCPUs; @n one-vCPU domains d1.. with
 * (period, budget) in ms, all up at 0. */
static void rt_doms(unsigned int ncpus, struct sched_domain *d,
                    struct sched_unit *u, unsigned int n,
                    const unsigned int (*pb)[2], bool extra)
{
    fresh("rtds", ncpus);
    for ( unsigned int i = 0; i < n; i++ )
    {
        struct sched_unit_params p = { .sched_id = XEN_SCHEDULER_RTDS };

        CU_ASSERT_EQUAL_FATAL(sched_domain_init(&d[i], i + 1, 0), 0);
        CU_ASSERT_EQUAL_FATAL(sched_unit_init(&u[i], &d[i], 0, 0), 0);
        p.u.rtds.period_us = pb[i][0] * 1000;
        p.u.rtds.budget_us = pb[i][1] * 1000;
        p.u.rtds.extratime = extra;
        CU_ASSERT_EQUAL_FATAL(sched_unit_set_params(&u[i], &p), 0);
        sched_unit_up(&u[i], 0);
    }
}

/* Earliest deadline first; a depleted unit waits for its period. */
static void test_rtds_edf_order(void)
{
    static const unsigned int pb[3][2] = { { 30, 3 }, { 10, 3 }, { 20, 3 } };
    struct sched_domain d[3];
    struct sched_unit u[3];
    s_time_t next;

    rt_doms(1, d, u, 3, pb, false);
    /* Deadlines 30, 10 and 20 ms: the 10 ms one first, for its budget. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(3));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[2]);
    CU_ASSERT_EQUAL(next, MS(6));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(9));
    /* All depleted: idle until the first replenishment, at 10 ms. */
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(10));
    /* u[1]'s new deadline is 20 ms, u[2]'s still 20 ms but depleted. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(13));
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(20));
    /* At 20 ms u[1] (deadline 30) and u[2] (deadline 40) are refilled;
     * u[0] (deadline 30, still depleted) waits. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(23));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[2]);
    CU_ASSERT_EQUAL(next, MS(26));
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(30));
}

/* The budget burns only while the unit runs: one that sleeps mid-period
 * keeps the rest for when it wakes within the period (deferrable). */
static void test_rtds_deferrable_budget(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    s_time_t next;

    rt_doms(1, d, u, 1, pb, false);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(4));
    sched_unit_block(&u[0], MS(1));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(1), &next));
    sched_unit_wake(&u[0], MS(5));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(5), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(8));           /* 3 ms were left */
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(10));          /* the replenishment */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(14));
}

/*
 * A unit that slept through several periods starts the period that holds
 * the wake-up time, with a full budget: its deadline moved by whole
 * periods (to 40 ms), it is not owed the periods it slept.
 */
static void test_rtds_catch_up(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    s_time_t next;

    rt_doms(1, d, u, 1, pb, false);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    sched_unit_block(&u[0], MS(3));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(3), &next));
    sched_unit_wake(&u[0], MS(37));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(37), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(40));          /* budget 4, deadline first */
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "deadline 40000000 ns level 0");
    /* The next period starts at 40 ms with a full budget again. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(44));
}

/*
 * extratime: past its budget a unit with extratime keeps running on
 * time nobody with budget wants (one level down); without it the pCPU
 * idles. Any unit with budget left beats it, whatever the deadlines.
 */
static void test_rtds_extratime(void)
{
    static const unsigned int pb[2][2] = { { 10, 2 }, { 100, 10 } };
    struct sched_domain d[2];
    struct sched_unit u[2];
    struct sched_unit_params p;
    s_time_t next;

    rt_doms(1, d, u, 2, pb, true);
    CU_ASSERT_EQUAL(sched_unit_get_params(&u[1], &p), 0);
    p.u.rtds.extratime = false;
    CU_ASSERT_EQUAL(sched_unit_set_params(&u[1], &p), 0);
    sched_unit_block(&u[1], 0);

    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(2));
    /* Budget gone, nobody else: runs on, one level down. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(4));
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "level 1 running");
    /* u[1] wakes with budget (deadline 100 ms, later than u[0]'s 10 ms):
     * it preempts the extra time. */
    sched_unit_wake(&u[1], MS(3));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(3), &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(10));          /* u[0]'s replenishment */
    /* At 10 ms u[0]'s period ends: level 0 again and deadline 20 ms
     * beats u[1]'s 100 ms. The timer pCPU looks at 10 ms. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(10), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(12));
    /* Without extratime the unit waits for its period instead. */
    p.u.rtds.extratime = false;
    p.u.rtds.period_us = 10000;
    p.u.rtds.budget_us = 2000;
    CU_ASSERT_EQUAL(sched_unit_set_params(&u[0], &p), 0);
    sched_unit_block(&u[1], MS(11));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(11), &next), &u[0]);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(12), &next));
    CU_ASSERT_EQUAL(next, MS(20));
}

/* A wake with an earlier deadline preempts; a later one does not. */
static void test_rtds_preempt_on_wake(void)
{
    static const unsigned int pb[3][2] = { { 50, 20 }, { 10, 2 }, { 200, 2 } };
    struct sched_domain d[3];
    struct sched_unit u[3];
    s_time_t next;

    rt_doms(1, d, u, 3, pb, false);
    sched_unit_block(&u[1], 0);
    sched_unit_block(&u[2], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    sched_unit_wake(&u[2], MS(1));          /* deadline 200 > 50 */
    CU_ASSERT_FALSE(sched_need_resched(0));
    sched_unit_wake(&u[1], MS(2));          /* deadline 10 < 50 */
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(2), &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(4));
    /* u[0] resumes with what it had left: 20 - 2 = 18 ms. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(10));          /* the timer: u[1]'s period */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(12));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(20));          /* u[1]'s next period */
}

/*
 * Global EDF: a waking unit goes to an idle pCPU if there is one, else
 * preempts the pCPU running the latest deadline -- not another. (The
 * wakers' deadlines are past the next replenishment, 25 ms, so that the
 * timer pCPU is not asked to look again for that reason.)
 */
static void test_rtds_tickle_latest(void)
{
    static const unsigned int pb[4][2] = {
        { 100, 50 }, { 50, 25 }, { 60, 2 }, { 40, 1 } };
    struct sched_domain d[4];
    struct sched_unit u[4];
    s_time_t next;

    rt_doms(2, d, u, 4, pb, false);
    sched_unit_block(&u[2], 0);
    sched_unit_block(&u[3], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(25));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, 0, &next), &u[0]);
    sched_unit_wake(&u[2], MS(1));          /* 60 < 100 on CPU1 */
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_FALSE(sched_need_resched(0));
    /* A second waker while CPU1 is still to switch: CPU0 (50) is next. */
    sched_unit_wake(&u[3], MS(1));
    CU_ASSERT(sched_need_resched(0));
    /* The two earliest deadlines run: 40 and 50; 60 and 100 wait. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(1), &next), &u[3]);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[1]);
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_runnable);
    CU_ASSERT_EQUAL(u[2].runstate.state, RUNSTATE_runnable);
    /* u[3]'s budget is gone at 2 ms: CPU1 takes u[2] (60) over u[0]. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(2), &next), &u[2]);
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_runnable);
}

/* Hard affinity: a pinned unit never runs elsewhere, even on an idle
 * pCPU; its own pCPU is tickled when it wakes. */
static void test_rtds_hard_affinity(void)
{
    static const unsigned int pb[2][2] = { { 10, 4 }, { 10, 4 } };
    struct sched_domain d[2];
    struct sched_unit u[2];
    cpumask_t one = cpumask_of(1);
    s_time_t next;

    rt_doms(2, d, u, 2, pb, false);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[0], &one, NULL, 0), 0);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[1], &one, NULL, 0), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, 0, &next), &u[0]);
    CU_ASSERT_PTR_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(4), &next), &u[1]);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(4), &next));
}

/* A preempted unit moves to an idle pCPU at once. */
static void test_rtds_preempted_moves(void)
{
    static const unsigned int pb[2][2] = { { 100, 50 }, { 10, 2 } };
    struct sched_domain d[2];
    struct sched_unit u[2];
    cpumask_t zero = cpumask_of(0);
    s_time_t next;

    rt_doms(2, d, u, 2, pb, false);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[1], &zero, NULL, 0), 0);
    sched_unit_block(&u[1], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_PTR_NULL(sched_schedule(1, 0, &next));
    sched_unit_wake(&u[1], MS(1));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[1]);
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(1), &next), &u[0]);
}

/* New parameters take effect at the next period (as Xen's putvcpuinfo,
 * which only stores them). */
static void test_rtds_params_next_period(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    struct sched_unit_params p = { .sched_id = XEN_SCHEDULER_RTDS };
    s_time_t next;

    rt_doms(1, d, u, 1, pb, false);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    p.u.rtds.period_us = 20000;
    p.u.rtds.budget_us = 1000;
    CU_ASSERT_EQUAL(sched_unit_set_params(&u[0], &p), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(4));
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(10));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(11));
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(30));
}

/* Moving a domain out of an RTDS pool and back keeps things sane. */
static void test_rtds_pool_move(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    s_time_t next;

    rt_doms(1, d, u, 1, pb, false);
    CU_ASSERT_EQUAL(cpupool_create(1, "credit"), 0);
    CU_ASSERT_EQUAL(cpupool_add_cpu(1, 1, 0), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_EQUAL(cpupool_move_domain(&d[0], 1, MS(1)), 0);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(1), &next));
    CU_ASSERT_EQUAL(next, S_TIME_NEVER);    /* nothing left to replenish */
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(1), &next), &u[0]);
    CU_ASSERT_EQUAL(cpupool_move_domain(&d[0], 0, MS(2)), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(2), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(6));           /* fresh period from 0 ms */
}

/* The pCPU a running unit was on leaves the pool: it runs elsewhere. */
static void test_rtds_cpu_leaves(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    s_time_t next;

    rt_doms(2, d, u, 1, pb, false);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_EQUAL(cpupool_remove_cpu(0, 0, MS(1)), 0);
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(1), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(4));
    /* CPU1 is the replenishment timer now. */
    CU_ASSERT_PTR_NULL(sched_schedule(1, next, &next));
    CU_ASSERT_EQUAL(next, MS(10));
}

static void test_rtds_dump(void)
{
    static const unsigned int pb[2][2] = { { 10, 4 }, { 20, 5 } };
    struct sched_domain d[2];
    struct sched_unit u[2];
    s_time_t next;

    rt_doms(1, d, u, 2, pb, true);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "Pool 0 (SMP RTDS Scheduler)");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "d1v0: period 10000 us budget 4000 us extratime: "
                        "cur_budget 4000000 ns deadline 10000000 ns "
                        "level 0 running");
    ORR_ASSERT_CONTAINS(sim_console_text(), "runq: d2v0\n");
}

/*
 * Pause is a sleep like any other: the budget left is kept through the
 * period, the runstate books count the pause as offline, and an unpause
 * after the deadline starts the period that holds it.
 */
static void test_rtds_pause(void)
{
    static const unsigned int pb[1][2] = { { 10, 4 } };
    struct sched_domain d[1];
    struct sched_unit u[1];
    s_time_t next, t[NR_RUNSTATES];

    rt_doms(1, d, u, 1, pb, false);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    sched_unit_pause(&u[0], MS(1));
    sched_unit_pause(&u[0], MS(1));         /* counted */
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(1), &next));
    sched_unit_unpause(&u[0], MS(2));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(2), &next));
    sched_unit_unpause(&u[0], MS(3));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(3), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(6));           /* 3 ms of budget were left */
    sched_unit_pause(&u[0], MS(4));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(4), &next));
    sched_unit_unpause(&u[0], MS(25));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(25), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(29));          /* period [20, 30), full */
    sched_unit_runstate(&u[0], MS(29), t);
    CU_ASSERT_EQUAL(t[RUNSTATE_running], MS(1) + MS(1) + MS(4));
    CU_ASSERT_EQUAL(t[RUNSTATE_offline], MS(2) + MS(21));
    CU_ASSERT_EQUAL(t[RUNSTATE_runnable], 0);
}

CU_TestInfo rtds_tests[] = {
    ORR_CASE(test_rtds_edf_order),
    ORR_CASE(test_rtds_deferrable_budget),
    ORR_CASE(test_rtds_catch_up),
    ORR_CASE(test_rtds_extratime),
    ORR_CASE(test_rtds_preempt_on_wake),
    ORR_CASE(test_rtds_tickle_latest),
    ORR_CASE(test_rtds_hard_affinity),
    ORR_CASE(test_rtds_preempted_moves),
    ORR_CASE(test_rtds_params_next_period),
    ORR_CASE(test_rtds_pool_move),
    ORR_CASE(test_rtds_cpu_leaves),
    ORR_CASE(test_rtds_pause),
    ORR_CASE(test_rtds_dump),
    CU_TEST_INFO_NULL,
};
