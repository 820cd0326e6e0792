/* SPDX-License-Identifier: MIT */
/* credit2 unit tests: a small driver that runs pCPUs in virtual time. */
#ifndef TEST_CREDIT2_H
#define TEST_CREDIT2_H

#include "sched_test.h"
#include <sim/sim.h>

/*
 * Run pCPUs 0 .. @ncpus-1 from @from to @to: each reschedules exactly
 * when its slice ends or when the scheduler tickles it, in time order,
 * as the hypervisor's timer and softirq would make it. At @from every
 * pCPU reschedules.
 */
static inline void c2_run(unsigned int ncpus, s_time_t from, s_time_t to)
{
    static s_time_t next[NR_CPUS];
    s_time_t t = from;
    unsigned long guard = 0;

    for ( unsigned int c = 0; c < ncpus; c++ )
        next[c] = from;
    for ( ;; )
    {
        unsigned int best = NR_CPUS;
        s_time_t due = S_TIME_NEVER;

        for ( unsigned int c = 0; c < ncpus; c++ )
        {
            s_time_t dc = sched_need_resched(c) ? t : next[c];

            if ( dc < due )
            {
                due = dc;
                best = c;
            }
        }
        if ( best == NR_CPUS || due >= to )
            return;
        t = MAX(t, due);
        sched_schedule(best, t, &next[best]);
        /* A scheduler that asks for decisions at one instant forever
         * is broken: stop instead of hanging the test. */
        if ( ++guard > 10000000 )
            CU_FAIL_FATAL("the scheduler reschedules without end");
    }
}

/* Time @u spent running up to @now. */
static inline s_time_t c2_ran(const struct sched_unit *u, s_time_t now)
{
    s_time_t t[NR_RUNSTATES];

    sched_unit_runstate(u, now, t);
    return t[RUNSTATE_running];
}

/* Is @got within @pct percent of @want? */
static inline bool c2_near(s_time_t got, s_time_t want, unsigned int pct)
{
    s_time_t d = got > want ? got - want : want - got;

    return d * 100 <= want * (s_time_t)pct;
}

static inline void c2_set_dom(struct sched_domain *d, uint32_t weight,
                              uint32_t cap)
{
    struct sched_dom_params p = { .sched_id = XEN_SCHEDULER_CREDIT2 };

    p.u.credit2.weight = weight;
    p.u.credit2.cap = cap;
    CU_ASSERT_EQUAL_FATAL(sched_domain_set_params(d, &p), 0);
}

static inline void c2_set_pool(enum credit2_runqueue rq,
                               uint32_t ratelimit_us)
{
    struct sched_pool_params p = { .sched_id = XEN_SCHEDULER_CREDIT2 };

    p.u.credit2.runqueue = rq;
    p.u.credit2.ratelimit_us = ratelimit_us;
    CU_ASSERT_EQUAL_FATAL(sched_pool_set_params(0, &p), 0);
}

extern CU_TestInfo credit2_tests[];
extern CU_TestInfo credit2_rq_tests[];
extern CU_TestInfo credit2_stress_tests[];

#endif
