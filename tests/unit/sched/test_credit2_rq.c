/* SPDX-License-Identifier: MIT */
/*
 * credit2 runqueues: their arrangement by topology, wake-up placement
 * and tickling, soft affinity, load balancing between runqueues, hard
 * affinity, and pCPUs leaving.
 */
#include "test_credit2.h"

static struct sched_domain dd[2];
static struct sched_unit uu[2][8];

/* Two sockets of two cores, each socket its own NUMA node. */
static void topology_2x2(void)
{
    for ( unsigned int cpu = 0; cpu < 4; cpu++ )
    {
        struct cpu_topology t = { .thread = 0, .core = (uint16_t)(cpu % 2),
                                  .socket = (uint16_t)(cpu / 2),
                                  .node = (uint16_t)(cpu / 2) };

        sched_set_cpu_topology(cpu, &t);
    }
}

/* Back to what other tests expect: every CPU its own core, socket 0. */
static void topology_default(void)
{
    for ( unsigned int cpu = 0; cpu < 4; cpu++ )
    {
        struct cpu_topology t = { .core = (uint16_t)cpu };

        sched_set_cpu_topology(cpu, &t);
    }
}

static unsigned int count(const char *hay, const char *needle)
{
    unsigned int n = 0;

    for ( const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle) )
        n++;
    return n;
}

/* How many runqueues the dump shows after switching to @a. */
static unsigned int runqueues_for(enum credit2_runqueue a)
{
    c2_set_pool(a, 1000);
    sim_console_clear();
    sched_dump();
    return count(sim_console_text(), "  runqueue ");
}

/*
 * One runqueue per cpu, core, socket, node or for all, from the
 * topology; changed while units run and wait, every unit still runs.
 */
static void test_c2_arrangement(void)
{
    s_time_t before[8];

    topology_2x2();
    fresh("credit2", 4);
    make_dom(&dd[0], uu[0], 8, 1, 0, 0);
    c2_run(4, 0, MS(100));
    sim_console_clear();
    sched_dump();
    /* Default: per socket. */
    ORR_ASSERT_CONTAINS(sim_console_text(), "cpus 0x3,");
    ORR_ASSERT_CONTAINS(sim_console_text(), "cpus 0xc,");
    CU_ASSERT_EQUAL(count(sim_console_text(), "  runqueue "), 2);
    CU_ASSERT_EQUAL(runqueues_for(CREDIT2_RQ_CPU), 4);
    CU_ASSERT_EQUAL(runqueues_for(CREDIT2_RQ_CORE), 4);
    CU_ASSERT_EQUAL(runqueues_for(CREDIT2_RQ_NODE), 2);
    CU_ASSERT_EQUAL(runqueues_for(CREDIT2_RQ_ALL), 1);
    ORR_ASSERT_CONTAINS(sim_console_text(), "cpus 0xf, load 8");
    CU_ASSERT_EQUAL(runqueues_for(CREDIT2_RQ_SOCKET), 2);
    for ( unsigned int i = 0; i < 8; i++ )
        before[i] = c2_ran(&uu[0][i], MS(100));
    c2_run(4, MS(100), MS(300));
    for ( unsigned int i = 0; i < 8; i++ )
        CU_ASSERT(c2_near(c2_ran(&uu[0][i], MS(300)) - before[i], MS(100),
                          10));
    topology_default();
}

/* A unit waking while another runs goes to the idle pCPU. */
static void test_c2_wake_tickles_idle(void)
{
    s_time_t next;

    fresh("credit2", 2);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    sched_unit_block(&uu[0][1], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &uu[0][0]);
    CU_ASSERT_PTR_NULL(sched_schedule(1, 0, &next));
    sched_unit_wake(&uu[0][1], MS(1));
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT(!sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(1), &next), &uu[0][1]);
}

/* Both pCPUs idle: a unit goes to the one its soft affinity prefers,
 * also after blocking and waking again. */
static void test_c2_soft_affinity(void)
{
    cpumask_t one = cpumask_of(1);
    s_time_t next;

    fresh("credit2", 2);
    CU_ASSERT_EQUAL_FATAL(sched_domain_init(&dd[0], 1, 0), 0);
    CU_ASSERT_EQUAL_FATAL(sched_unit_init(&uu[0][0], &dd[0], 0, 0), 0);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&uu[0][0], NULL, &one, 0), 0);
    CU_ASSERT_PTR_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_PTR_NULL(sched_schedule(1, 0, &next));
    sched_unit_up(&uu[0][0], 0);
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, 0, &next), &uu[0][0]);
    sched_unit_block(&uu[0][0], MS(1));
    CU_ASSERT_PTR_NULL(sched_schedule(1, MS(1), &next));
    sched_unit_wake(&uu[0][0], MS(2));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(2), &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(2), &next), &uu[0][0]);
}

/*
 * A runqueue per pCPU; four CPU-bound units held on CPU 0 by hard
 * affinity, then let go: balancing moves two of them to CPU 1's
 * runqueue, and from then on each gets half a pCPU.
 */
static void test_c2_balance(void)
{
    cpumask_t zero = cpumask_of(0), all = CPUMASK_ALL;
    s_time_t before[4];

    fresh("credit2", 2);
    c2_set_pool(CREDIT2_RQ_CPU, 1000);
    make_dom(&dd[0], uu[0], 4, 1, 0, 0);
    for ( unsigned int i = 0; i < 4; i++ )
        CU_ASSERT_EQUAL(sched_unit_set_affinity(&uu[0][i], &zero, NULL, 0),
                        0);
    c2_run(2, 0, MS(100));
    for ( unsigned int i = 0; i < 4; i++ )
    {
        CU_ASSERT(c2_near(c2_ran(&uu[0][i], MS(100)), MS(25), 5));
        CU_ASSERT_EQUAL(sched_unit_set_affinity(&uu[0][i], &all, NULL,
                                                MS(100)), 0);
    }
    c2_run(2, MS(100), MS(120));
    for ( unsigned int i = 0; i < 4; i++ )
        before[i] = c2_ran(&uu[0][i], MS(120));
    c2_run(2, MS(120), MS(520));
    for ( unsigned int i = 0; i < 4; i++ )
        CU_ASSERT(c2_near(c2_ran(&uu[0][i], MS(520)) - before[i], MS(200),
                          5));
    sim_console_clear();
    sched_dump();
    CU_ASSERT_EQUAL(count(sim_console_text(), "load 2 "), 2);
}

/* Balancing never breaks hard affinity: a pinned unit among many stays
 * on its pCPU, the others spread over the rest. */
static void test_c2_pinned_stays(void)
{
    cpumask_t two = cpumask_of(2);

    fresh("credit2", 4);
    c2_set_pool(CREDIT2_RQ_CPU, 1000);
    make_dom(&dd[0], uu[0], 8, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&uu[0][0], &two, NULL, 0), 0);
    c2_run(4, 0, MS(500));
    CU_ASSERT(c2_ran(&uu[0][0], MS(500)) > MS(100));
    CU_ASSERT_EQUAL(uu[0][0].last_cpu, 2);
    CU_ASSERT(uu[0][0].nr_migrations <= 1);     /* at most onto CPU 2 */
    for ( unsigned int i = 1; i < 8; i++ )
        CU_ASSERT(c2_ran(&uu[0][i], MS(500)) > MS(100));
}

/* A pCPU leaves the pool while a unit runs there: the unit carries on
 * on the pCPUs left. */
static void test_c2_cpu_leaves(void)
{
    s_time_t a, b;

    fresh("credit2", 2);
    c2_set_pool(CREDIT2_RQ_CPU, 1000);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    c2_run(2, 0, MS(50));
    CU_ASSERT_EQUAL(cpupool_remove_cpu(0, 1, MS(50)), 0);
    a = c2_ran(&uu[0][0], MS(50));
    b = c2_ran(&uu[0][1], MS(50));
    c2_run(1, MS(50), MS(250));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(250)) - a, MS(100), 5));
    CU_ASSERT(c2_near(c2_ran(&uu[0][1], MS(250)) - b, MS(100), 5));
    /* And comes back. */
    CU_ASSERT_EQUAL(cpupool_add_cpu(0, 1, MS(250)), 0);
    c2_run(2, MS(250), MS(350));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(350)) - a, MS(200), 5));
    CU_ASSERT(c2_near(c2_ran(&uu[0][1], MS(350)) - b, MS(200), 5));
}

/* A runqueue per pCPU. The unit running on CPU 1 blocks: CPU 1, its own
 * runqueue empty, pulls the unit waiting in CPU 0's at once. */
static void test_c2_idle_pulls(void)
{
    struct sched_unit *on0, *on1, *waiting = NULL;
    s_time_t next;

    fresh("credit2", 2);
    c2_set_pool(CREDIT2_RQ_CPU, 1000);
    make_dom(&dd[0], uu[0], 3, 1, 0, 0);
    on0 = sched_schedule(0, 0, &next);
    on1 = sched_schedule(1, 0, &next);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(on1);
    for ( unsigned int i = 0; i < 3; i++ )
        if ( &uu[0][i] != on0 && &uu[0][i] != on1 )
            waiting = &uu[0][i];
    /* Before the periodic balancing is due (1 ms): the pull it is. */
    sched_unit_block(on1, MICROSECS(500));
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MICROSECS(500), &next), waiting);
}

/* A runqueue per pCPU, CPU 1 idle. A unit pinned to CPU 0 preempts the
 * one running there; that one is requeued where a pCPU idles for it. */
static void test_c2_preempted_goes_to_idle(void)
{
    cpumask_t zero = cpumask_of(0);
    s_time_t next;

    fresh("credit2", 2);
    c2_set_pool(CREDIT2_RQ_CPU, 1000);
    make_dom(&dd[0], uu[0], 1, 1, 0, 0);
    CU_ASSERT_EQUAL_FATAL(sched_domain_init(&dd[1], 2, 0), 0);
    CU_ASSERT_EQUAL_FATAL(sched_unit_init(&uu[1][0], &dd[1], 0, 0), 0);
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&uu[1][0], &zero, NULL, 0), 0);
    /* uu[0][0] on CPU 0 (its soft and hard affinity allow both). */
    sched_unit_set_affinity(&uu[0][0], &zero, NULL, 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &uu[0][0]);
    CU_ASSERT_PTR_NULL(sched_schedule(1, 0, &next));
    {
        cpumask_t all = CPUMASK_ALL;

        sched_unit_set_affinity(&uu[0][0], &all, NULL, MS(1));
    }
    sched_unit_up(&uu[1][0], MS(5));    /* more credit: preempts */
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(5), &next), &uu[1][0]);
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(5), &next), &uu[0][0]);
}

CU_TestInfo credit2_rq_tests[] = {
    ORR_CASE(test_c2_arrangement),
    ORR_CASE(test_c2_wake_tickles_idle),
    ORR_CASE(test_c2_soft_affinity),
    ORR_CASE(test_c2_balance),
    ORR_CASE(test_c2_pinned_stays),
    ORR_CASE(test_c2_cpu_leaves),
    ORR_CASE(test_c2_idle_pulls),
    ORR_CASE(test_c2_preempted_goes_to_idle),
    CU_TEST_INFO_NULL,
};
