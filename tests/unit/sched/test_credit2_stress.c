/* SPDX-License-Identifier: MIT */
/*
 * credit2 under random operations (fixed seeds, so a failure replays):
 * wake-ups, blocks, pauses, yields, affinity and parameter changes, the
 * runqueue arrangement changing, pCPUs leaving and joining, on a 2x2
 * topology. After every operation and the reschedules it asks for, no
 * pCPU may idle while an uncapped unit that may run there waits (credit2
 * keeps no pCPU idle while work waits, whatever its runqueues); the
 * framework itself panics on a unit picked twice or outside its hard
 * affinity; at the end every unit's runstates add up.
 */
#include "test_credit2.h"

#define NDOMS   3
#define NUNITS  4
#define NCPUS   4

static struct sched_domain dd[NDOMS];
static struct sched_unit uu[NDOMS][NUNITS];
static uint32_t cap_of[NDOMS];
static uint64_t rng;

static unsigned int rnd(unsigned int n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned int)((rng >> 33) % n);
}

/* Every reschedule asked for at @now, as the softirq would run them. */
static void settle(s_time_t now, s_time_t next[NCPUS])
{
    for ( unsigned int round = 0; round < 1000; round++ )
    {
        bool any = false;

        for ( unsigned int c = 0; c < NCPUS; c++ )
            if ( sched_need_resched(c) )
            {
                sched_schedule(c, now, &next[c]);
                any = true;
            }
        if ( !any )
            return;
    }
    CU_FAIL("reschedules at one instant without end");
}

/* Run every pCPU's slices up to @to. */
static void advance(s_time_t *now, s_time_t to, s_time_t next[NCPUS])
{
    for ( ;; )
    {
        unsigned int best = NCPUS;

        for ( unsigned int c = 0; c < NCPUS; c++ )
            if ( next[c] <= to && (best == NCPUS || next[c] < next[best]) )
                best = c;
        if ( best == NCPUS )
            break;
        *now = MAX(*now, next[best]);
        sched_schedule(best, *now, &next[best]);
        settle(*now, next);
    }
    *now = to;
}

static void check_conserving(void)
{
    for ( unsigned int d = 0; d < NDOMS; d++ )
        for ( unsigned int i = 0; i < NUNITS; i++ )
        {
            struct sched_unit *u = &uu[d][i];

            if ( !sched_unit_runnable(u) || u->running || cap_of[d] )
                continue;
            for ( unsigned int c = 0; c < NCPUS; c++ )
                if ( cpupool_of_cpu(c) == 0 && !sched_curr(c) &&
                     cpumask_test(&u->hard_affinity, c) )
                {
                    CU_FAIL("a pCPU idles while a unit that may run there "
                            "waits");
                    return;
                }
        }
}

static void random_op(s_time_t now)
{
    unsigned int d = rnd(NDOMS), i = rnd(NUNITS), c = rnd(NCPUS);
    struct sched_unit *u = &uu[d][i];
    cpumask_t hard = { rnd(15) + 1 }, soft = { rnd(16) };

    switch ( rnd(10) )
    {
    case 0: case 1:
        if ( u->blocked )
            sched_unit_wake(u, now);
        else
            sched_unit_block(u, now);
        break;
    case 2:
        if ( u->pause_count )
            sched_unit_unpause(u, now);
        else
            sched_unit_pause(u, now);
        break;
    case 3:
        sched_unit_yield(u, now);
        break;
    case 4:
        sched_unit_set_affinity(u, &hard, &soft, now);
        break;
    case 5:
        cap_of[d] = rnd(3) ? 0 : 50 + rnd(100);
        c2_set_dom(&dd[d], 1 + rnd(1024), cap_of[d]);
        break;
    case 6:
        c2_set_pool((enum credit2_runqueue)rnd(5), rnd(2) ? 1000 : 0);
        break;
    case 7:
        if ( cpupool_of_cpu(c) == 0 )
            cpupool_remove_cpu(0, c, now);  /* -EBUSY for the last one */
        else
            CU_ASSERT_EQUAL(cpupool_add_cpu(0, c, now), 0);
        break;
    default:
        break;                  /* time passes */
    }
}

static void stress(uint64_t seed)
{
    s_time_t now = 0, next[NCPUS];

    rng = seed;
    for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
    {
        struct cpu_topology t = { .core = (uint16_t)(cpu % 2),
                                  .socket = (uint16_t)(cpu / 2),
                                  .node = (uint16_t)(cpu / 2) };

        sched_set_cpu_topology(cpu, &t);
        next[cpu] = 0;
    }
    fresh("credit2", NCPUS);
    for ( unsigned int d = 0; d < NDOMS; d++ )
    {
        make_dom(&dd[d], uu[d], NUNITS, (domid_t)(d + 1), 0, 0);
        cap_of[d] = 0;
    }
    for ( unsigned int step = 0; step < 3000; step++ )
    {
        advance(&now, now + rnd(2000) * MICROSECS(1), next);
        random_op(now);
        settle(now, next);
        check_conserving();
    }
    for ( unsigned int d = 0; d < NDOMS; d++ )
        for ( unsigned int i = 0; i < NUNITS; i++ )
        {
            s_time_t t[NR_RUNSTATES], sum = 0;

            sched_unit_runstate(&uu[d][i], now, t);
            for ( unsigned int k = 0; k < NR_RUNSTATES; k++ )
                sum += t[k];
            CU_ASSERT_EQUAL(sum, now);
        }
    for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
    {
        struct cpu_topology t = { .core = (uint16_t)cpu };

        sched_set_cpu_topology(cpu, &t);
    }
}

static void test_c2_stress_1(void) { stress(1); }
static void test_c2_stress_2(void) { stress(2); }
static void test_c2_stress_3(void) { stress(0xc2c2c2c2); }

CU_TestInfo credit2_stress_tests[] = {
    ORR_CASE(test_c2_stress_1),
    ORR_CASE(test_c2_stress_2),
    ORR_CASE(test_c2_stress_3),
    CU_TEST_INFO_NULL,
};
