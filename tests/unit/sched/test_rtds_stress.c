/* SPDX-License-Identifier: MIT */
/*
 * RTDS against the definition of global EDF, on random wake-ups and
 * blocks over 4 pCPUs: whenever every pCPU has made the decisions due
 * (no reschedule pending, no slice ended), no queued unit that may run
 * is better -- (priority level, deadline) -- than a running one, and no
 * pCPU idles while one waits -- among the pCPUs each unit's hard
 * affinity allows (some units are pinned to random sets). A small discrete-event loop plays the
 * hypervisor: it calls sched_schedule() when a pCPU was tickled or its
 * slice ends, as the schedule softirq does.
 *
 * White box: the check reads the policy's units (rtds.h) to know their
 * deadlines; the driving goes through the framework only.
 */
#include "test_rt.h"
#include "../../../core/sched/rtds.h"

#define NCPUS   4
#define NUNITS  12

static uint64_t seed;

static unsigned int rnd(unsigned int n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned int)((seed >> 33) % n);
}

static bool better(const struct rt_unit *a, const struct rt_unit *b)
{
    if ( a->priority_level != b->priority_level )
        return a->priority_level < b->priority_level;
    return a->cur_deadline < b->cur_deadline;
}

static unsigned int violations;

static void check_edf(struct sched_unit *u, s_time_t now)
{
    for ( unsigned int i = 0; i < NUNITS; i++ )
    {
        struct rt_unit *q = rt_unit(&u[i]);

        if ( !q->queued || q->depleted )
            continue;
        for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
        {
            struct sched_unit *r = sched_curr(cpu);

            if ( !cpumask_test(&u[i].hard_affinity, cpu) )
                continue;
            if ( !r || better(q, rt_unit(r)) )
            {
                if ( violations++ < 5 )
                    fprintf(stderr, "\n%lld ns: d%uv0 (level %u, deadline "
                            "%lld) waits while CPU%u runs %s\n",
                            (long long)now, u[i].dom->domid,
                            q->priority_level, (long long)q->cur_deadline,
                            cpu, r ? "a later deadline" : "idle");
            }
        }
    }
}

/* Run every pCPU decision due at @now, tickled ones included. */
static void settle(s_time_t now, s_time_t *next_at)
{
    bool again = true;

    while ( again )
    {
        again = false;
        for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
            if ( sched_need_resched(cpu) || next_at[cpu] <= now )
            {
                sched_schedule(cpu, now, &next_at[cpu]);
                again = true;
            }
    }
}

static void stress(uint64_t s, bool extratime, bool pinned)
{
    struct sched_domain d[NUNITS];
    struct sched_unit u[NUNITS];
    s_time_t next_at[NCPUS], now = 0, event = 0;

    seed = s;
    fresh("rtds", NCPUS);
    for ( unsigned int i = 0; i < NUNITS; i++ )
    {
        struct sched_unit_params p = { .sched_id = XEN_SCHEDULER_RTDS };

        CU_ASSERT_EQUAL_FATAL(sched_domain_init(&d[i], i + 1, 0), 0);
        CU_ASSERT_EQUAL_FATAL(sched_unit_init(&u[i], &d[i], 0, 0), 0);
        p.u.rtds.period_us = 1000 + rnd(19000);
        p.u.rtds.budget_us = p.u.rtds.period_us / 10 +
                             rnd(p.u.rtds.period_us / 2);
        p.u.rtds.extratime = extratime && rnd(2);
        CU_ASSERT_EQUAL_FATAL(sched_unit_set_params(&u[i], &p), 0);
        if ( pinned && rnd(2) )
        {
            cpumask_t m = { 1 + rnd((1U << NCPUS) - 1) };

            CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[i], &m, NULL, 0), 0);
        }
        sched_unit_up(&u[i], 0);
    }
    for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
        next_at[cpu] = 0;

    while ( now < MS(2000) )
    {
        s_time_t t = event;

        for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
            t = MIN(t, next_at[cpu]);
        now = t;
        if ( now == event )
        {
            struct sched_unit *v = &u[rnd(NUNITS)];

            if ( v->blocked )
                sched_unit_wake(v, now);
            else
                sched_unit_block(v, now);
            event = now + 1 + rnd(MICROSECS(700));
        }
        settle(now, next_at);
        check_edf(u, now);
    }
    CU_ASSERT_EQUAL(violations, 0);
}

static void test_rtds_stress_edf(void)
{
    for ( uint64_t s = 1; s <= 4; s++ )
        stress(s, false, false);
}

static void test_rtds_stress_extratime(void)
{
    for ( uint64_t s = 11; s <= 14; s++ )
        stress(s, true, false);
}

static void test_rtds_stress_affinity(void)
{
    for ( uint64_t s = 21; s <= 24; s++ )
        stress(s, s & 1, true);
}

CU_TestInfo rtds_stress_tests[] = {
    ORR_CASE(test_rtds_stress_edf),
    ORR_CASE(test_rtds_stress_extratime),
    ORR_CASE(test_rtds_stress_affinity),
    CU_TEST_INFO_NULL,
};
