/* SPDX-License-Identifier: MIT */
/*
 * The scheduler framework: registry, cpupools, the control operations'
 * validation, runstate accounting, pause counting and affinity.
 */
#include "sched_test.h"
#include "test_credit2.h"

static void test_registry(void)
{
    CU_ASSERT_PTR_NOT_NULL(sched_find_ops("credit"));
    CU_ASSERT_PTR_NOT_NULL(sched_find_ops("null"));
    CU_ASSERT_PTR_NULL(sched_find_ops("credit3"));
    CU_ASSERT_PTR_NULL(sched_find_ops(NULL));
    /* Xen's public/domctl.h ids. */
    CU_ASSERT_EQUAL(sched_id_of("credit"), 5);
    CU_ASSERT_EQUAL(sched_id_of("null"), 9);
    CU_ASSERT_EQUAL(sched_id_of("bogus"), -ENOENT);
    CU_ASSERT_EQUAL(sched_init("bogus", CPUMASK_ALL), -EINVAL);
}

static void test_dom_params(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    struct sched_dom_params p;

    fresh("credit", 2);
    make_dom(&d, u, 2, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &p), 0);
    CU_ASSERT_EQUAL(p.sched_id, XEN_SCHEDULER_CREDIT);
    CU_ASSERT_EQUAL(p.u.credit.weight, 256);
    CU_ASSERT_EQUAL(p.u.credit.cap, 0);

    p.u.credit.weight = 0;          /* weight 0: -EINVAL, as in Xen */
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &p), -EINVAL);
    p.u.credit.weight = 65536;
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &p), -EINVAL);
    p.u.credit.weight = 512;
    p.u.credit.cap = 201;           /* two vCPUs: at most 200% */
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &p), -EINVAL);
    p.u.credit.cap = 200;
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &p), 0);
    p.sched_id = XEN_SCHEDULER_NULL; /* not this pool's scheduler */
    CU_ASSERT_EQUAL(sched_domain_set_params(&d, &p), -EINVAL);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &p), 0);
    CU_ASSERT_EQUAL(p.u.credit.weight, 512);
    CU_ASSERT_EQUAL(p.u.credit.cap, 200);
}

static void test_pool_params(void)
{
    struct sched_pool_params p;

    fresh("credit", 2);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.u.credit.tslice_ms, 30);
    CU_ASSERT_EQUAL(p.u.credit.ratelimit_us, 1000);
    CU_ASSERT_EQUAL(sched_pool_get_params(7, &p), -ESRCH);
    CU_ASSERT_EQUAL(sched_pool_set_params(7, &p), -ESRCH);

    p.u.credit.tslice_ms = 0;
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), -EINVAL);
    p.u.credit.tslice_ms = 1001;
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), -EINVAL);
    p.u.credit.tslice_ms = 5;
    p.u.credit.ratelimit_us = 50;   /* below Xen's 100 us minimum */
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), -EINVAL);
    p.u.credit.ratelimit_us = 6000; /* longer than the slice */
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), -EINVAL);
    p.u.credit.ratelimit_us = 0;    /* off */
    CU_ASSERT_EQUAL(sched_pool_set_params(0, &p), 0);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.u.credit.tslice_ms, 5);
    CU_ASSERT_EQUAL(p.u.credit.ratelimit_us, 0);
}

static void test_pools(void)
{
    struct sched_domain d, e;
    struct sched_unit u[1];
    struct sched_dom_params p;

    fresh("credit", 4);
    CU_ASSERT_EQUAL(cpupool_create(1, "null"), 0);
    CU_ASSERT_EQUAL(cpupool_create(1, "null"), -EEXIST);
    CU_ASSERT_EQUAL(cpupool_create(2, "bogus"), -EINVAL);
    CU_ASSERT_EQUAL(cpupool_add_cpu(9, 3, 0), -ESRCH);
    CU_ASSERT_EQUAL(cpupool_add_cpu(1, 3, 0), -EBUSY);  /* in pool 0 */
    CU_ASSERT_EQUAL(cpupool_remove_cpu(0, 3, 0), 0);
    CU_ASSERT_EQUAL(cpupool_of_cpu(3), CPUPOOL_ID_NONE);
    CU_ASSERT_EQUAL(sched_domain_init(&e, 9, 1), -EINVAL); /* no pCPU */
    CU_ASSERT_EQUAL(cpupool_add_cpu(1, 3, 0), 0);
    CU_ASSERT_EQUAL(cpupool_of_cpu(3), 1);
    ORR_ASSERT_STREQ(cpupool_sched_name(1), "null");
    CU_ASSERT_PTR_NULL(cpupool_sched_name(5));
    CU_ASSERT_EQUAL(sched_domain_init(&e, 9, 5), -ESRCH);

    make_dom(&d, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &p), 0);
    /* Moving the domain changes the scheduler that runs it. */
    CU_ASSERT_EQUAL(cpupool_move_domain(&d, 8, MS(1)), -ESRCH);
    CU_ASSERT_EQUAL(cpupool_move_domain(&d, 1, MS(1)), 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &p), -EOPNOTSUPP);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(2), &(s_time_t){ 0 }));
    CU_ASSERT_PTR_EQUAL(sched_schedule(3, MS(2), &(s_time_t){ 0 }), &u[0]);
    /* The last pCPU of a pool with a domain stays; the pool too. */
    CU_ASSERT_EQUAL(cpupool_remove_cpu(1, 3, MS(3)), -EBUSY);
    CU_ASSERT_EQUAL(cpupool_destroy(1), -EBUSY);
    CU_ASSERT_EQUAL(cpupool_destroy(0), -EBUSY);
    CU_ASSERT_EQUAL(cpupool_move_domain(&d, 0, MS(4)), 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&d, &p), 0);
    CU_ASSERT_EQUAL(cpupool_destroy(1), 0);
    CU_ASSERT_EQUAL(cpupool_destroy(1), -ESRCH);
    CU_ASSERT_EQUAL(cpupool_of_cpu(3), CPUPOOL_ID_NONE);
    CU_ASSERT_EQUAL(cpupool_add_cpu(0, 3, MS(5)), 0);
}

/* Every transition, and the time in each state to the nanosecond. */
static void test_runstate_accounting(void)
{
    struct sched_domain d;
    struct sched_unit u[1];
    s_time_t next, t[NR_RUNSTATES];

    fresh("credit", 1);
    make_dom(&d, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_runnable);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_running);
    sched_unit_block(&u[0], MS(11));    /* runs until its pCPU switches */
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(11), &next));
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_blocked);
    sched_unit_wake(&u[0], MS(31));
    sched_unit_pause(&u[0], MS(36));
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_offline);
    sched_unit_pause(&u[0], MS(37));
    sched_unit_unpause(&u[0], MS(40));  /* still paused once */
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_offline);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(45), &next));
    sched_unit_unpause(&u[0], MS(51));
    CU_ASSERT_EQUAL(u[0].runstate.state, RUNSTATE_runnable);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(52), &next), &u[0]);
    sched_unit_runstate(&u[0], MS(60), t);
    CU_ASSERT_EQUAL(t[RUNSTATE_running], MS(10) + MS(8));
    CU_ASSERT_EQUAL(t[RUNSTATE_runnable], MS(1) + MS(5) + MS(1));
    CU_ASSERT_EQUAL(t[RUNSTATE_blocked], MS(20));
    CU_ASSERT_EQUAL(t[RUNSTATE_offline], MS(15));
    CU_ASSERT_EQUAL(u[0].nr_switches_in, 2);
}

static void test_affinity(void)
{
    struct sched_domain d;
    struct sched_unit u[1];
    cpumask_t two = cpumask_of(2), none = cpumask_of(7);
    s_time_t next;

    fresh("credit", 4);
    make_dom(&d, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[0], &none, NULL, 0), -EINVAL);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[0], &two, NULL, 0), 0);
    for ( unsigned int cpu = 0; cpu < 4; cpu++ )
        if ( cpu != 2 )
            CU_ASSERT_PTR_NULL(sched_schedule(cpu, MS(1), &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(2, MS(1), &next), &u[0]);
    /* Pinned elsewhere while running: its pCPU is told to let go. */
    two = cpumask_of(1);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[0], &two, NULL, MS(2)), 0);
    CU_ASSERT(sched_need_resched(2));
    CU_ASSERT_PTR_NULL(sched_schedule(2, MS(2), &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(2), &next), &u[0]);
    CU_ASSERT_EQUAL(u[0].nr_migrations, 1);
}

/* The debug-key dump: pCPUs, then each pool's policy once. */
static void test_dump(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    s_time_t next;

    fresh("credit", 1);
    make_dom(&d, u, 2, 3, 0, 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "CPU0: pool 0 (credit) running d3v0");
    ORR_ASSERT_CONTAINS(sim_console_text(), "Pool 0 (SMP Credit Scheduler)");
    ORR_ASSERT_CONTAINS(sim_console_text(), "tslice 30 ms, ratelimit 1000");
    ORR_ASSERT_CONTAINS(sim_console_text(), "CPU0 runq: d3v1");
}

static CU_TestInfo framework_tests[] = {
    ORR_CASE(test_dump),
    ORR_CASE(test_registry),
    ORR_CASE(test_dom_params),
    ORR_CASE(test_pool_params),
    ORR_CASE(test_pools),
    ORR_CASE(test_runstate_accounting),
    ORR_CASE(test_affinity),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE("framework", framework_tests),
    ORR_SUITE("policies", policy_tests),
    ORR_SUITE("credit2", credit2_tests),
    ORR_SUITE("credit2-runqueues", credit2_rq_tests),
    ORR_SUITE("credit2-stress", credit2_stress_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
