/* SPDX-License-Identifier: MIT */
/* The policies' own rules: null's wait queue, credit's yield and BOOST. */
#include "sched_test.h"

/* Three units, two pCPUs: the third waits until a pCPU is freed. */
static void test_null_wait_queue(void)
{
    struct sched_domain d;
    struct sched_unit u[3];
    struct sched_unit *a, *b;
    s_time_t next;

    fresh("null", 2);
    make_dom(&d, u, 3, 1, 0, 0);
    a = sched_schedule(0, MS(1), &next);
    CU_ASSERT_EQUAL(next, S_TIME_NEVER);    /* no preemption, ever */
    b = sched_schedule(1, MS(1), &next);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_EQUAL(a, b);
    CU_ASSERT(a != &u[2] && b != &u[2]);
    /* A blocked unit keeps its pCPU: it idles, nobody else gets it. */
    sched_unit_block(a, MS(2));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(2), &next));
    sched_unit_wake(a, MS(3));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(3), &next), a);
    /* The unit leaves: the waiting one gets its pCPU. */
    sched_unit_destroy(a, MS(4));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(4), &next), &u[2]);
    CU_ASSERT_EQUAL(u[2].runstate.time[RUNSTATE_runnable], MS(4));
}

/* A pCPU joining a null pool is handed to a waiting unit. */
static void test_null_cpu_joins(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    s_time_t next;

    fresh("null", 1);
    make_dom(&d, u, 2, 1, 0, 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
    CU_ASSERT_EQUAL(cpupool_add_cpu(0, 1, MS(2)), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(2), &next), &u[1]);
}

static void test_credit_yield(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    struct sched_unit *first, *second;
    s_time_t next;

    fresh("credit", 1);
    make_dom(&d, u, 2, 1, 0, 0);
    first = sched_schedule(0, MS(1), &next);
    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    CU_ASSERT(next > MS(1) && next <= MS(10));   /* the tick at most */
    /* Past the ratelimit, a yield hands the pCPU over. */
    sched_unit_yield(first, MS(3));
    CU_ASSERT(sched_need_resched(0));
    second = sched_schedule(0, MS(3), &next);
    CU_ASSERT_PTR_NOT_NULL(second);
    CU_ASSERT_PTR_NOT_EQUAL(second, first);
}

/* A unit waking with credit left preempts a CPU hog once the ratelimit
 * has passed; within it, the hog keeps its pCPU. */
static void test_credit_boost(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    s_time_t next;

    fresh("credit", 1);
    make_dom(&d, u, 2, 1, 0, 0);
    sched_unit_block(&u[1], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(11), &next), &u[0]);
    sched_unit_wake(&u[1], MS(15));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(15), &next), &u[1]);
    /* Ratelimit: the hog gets back, the boosted waker waits 1 ms. */
    sched_unit_block(&u[1], MS(16));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(16), &next), &u[0]);
    sched_unit_wake(&u[1], MS(16) + MICROSECS(200));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(16) + MICROSECS(200), &next),
                        &u[0]);
    CU_ASSERT_EQUAL(next, MS(17));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[1]);
}

/*
 * A running unit that blocks and is woken again before its pCPU switches
 * away must not be queued twice: credit once queued it in wake() and then
 * hit BUG_ON(cu->queued) when do_schedule() requeued it as prev (and rr
 * corrupted its list). Every policy must survive it.
 */
static void test_wake_while_still_running(void)
{
    static const char *const names[] = { "credit", "null", "rr" };

    for ( unsigned int i = 0; i < ARRAY_SIZE(names); i++ )
    {
        struct sched_domain d;
        struct sched_unit u[1];
        s_time_t next;

        fresh(names[i], 2);
        make_dom(&d, u, 1, 1, 0, 0);
        CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(1), &next), &u[0]);
        sched_unit_block(&u[0], MS(2));
        sched_unit_wake(&u[0], MS(2));
        CU_ASSERT_PTR_NULL(sched_schedule(1, MS(2), &next));
        CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(2), &next), &u[0]);
        CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(20), &next), &u[0]);
    }
}

/* The example policy: two units share one pCPU in 10 ms turns. */
static void test_rr_turns(void)
{
    struct sched_domain d;
    struct sched_unit u[2];
    struct sched_unit *a, *b;
    s_time_t next;

    fresh("rr", 1);
    make_dom(&d, u, 2, 1, 0, 0);
    a = sched_schedule(0, 0, &next);
    CU_ASSERT_EQUAL(next, MS(10));
    b = sched_schedule(0, next, &next);
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_NOT_NULL(b);
    CU_ASSERT_PTR_NOT_EQUAL(a, b);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), a);
}

static s_time_t ran(const struct sched_unit *u, s_time_t now)
{
    s_time_t t[NR_RUNSTATES];

    sched_unit_runstate(u, now, t);
    return t[RUNSTATE_running];
}

/* Credit: a pCPU leaves the pool while a unit runs there. The unit must
 * be queued on the pCPU left and share it (regression: it was taken off
 * and put on no runqueue, so it never ran again until it blocked). */
/*
 * A pCPU leaves the pool while a unit runs on it: the framework takes the
 * unit off, and the policy must queue it where the pool still has pCPUs,
 * or it would wait until it next blocked and woke. Both units then share
 * pCPU 0 (credit lost it once; so did rr).
 */
static void cpu_leaves(const char *sched)
{
    static struct sched_domain d;
    static struct sched_unit u[2];
    s_time_t now, next, a, b;

    fresh(sched, 2);
    make_dom(&d, u, 2, 1, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_PTR_NOT_NULL(sched_schedule(1, 0, &next));
    CU_ASSERT_EQUAL(cpupool_remove_cpu(0, 1, MS(1)), 0);
    a = ran(&u[0], MS(1));
    b = ran(&u[1], MS(1));
    for ( now = MS(1); now < MS(301); now = MIN(next, now + MS(10)) )
        sched_schedule(0, now, &next);
    CU_ASSERT(ran(&u[0], MS(301)) - a >= MS(100));
    CU_ASSERT(ran(&u[1], MS(301)) - b >= MS(100));
}

static void test_credit_cpu_leaves(void) { cpu_leaves("credit"); }
static void test_credit2_cpu_leaves(void) { cpu_leaves("credit2"); }
static void test_rr_cpu_leaves(void) { cpu_leaves("rr"); }

CU_TestInfo policy_tests[] = {
    ORR_CASE(test_credit_cpu_leaves),
    ORR_CASE(test_credit2_cpu_leaves),
    ORR_CASE(test_rr_cpu_leaves),
    ORR_CASE(test_wake_while_still_running),
    ORR_CASE(test_rr_turns),
    ORR_CASE(test_null_wait_queue),
    ORR_CASE(test_null_cpu_joins),
    ORR_CASE(test_credit_yield),
    ORR_CASE(test_credit_boost),
    CU_TEST_INFO_NULL,
};
