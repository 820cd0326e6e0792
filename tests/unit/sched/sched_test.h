/* SPDX-License-Identifier: MIT */
#ifndef SCHED_TEST_H
#define SCHED_TEST_H

#include "orr_test.h"
#include "orr_sim_heap.h"
#include <orrery/errno.h>
#include <orrery/sched-if.h>

#define MS(x) MILLISECS(x)

/* A fresh framework: pool 0 running @name on CPUs 0 .. @ncpus-1. */
static inline void fresh(const char *name, unsigned int ncpus)
{
    orr_sim_heap_init_once(16UL << 20);
    CU_ASSERT_EQUAL_FATAL(sched_init(name, (cpumask_t){ (1ULL << ncpus) - 1 }),
                          0);
}

/* A domain with @n units, brought up at time @now. */
static inline void make_dom(struct sched_domain *d, struct sched_unit *u,
                            unsigned int n, domid_t id, unsigned int pool,
                            s_time_t now)
{
    CU_ASSERT_EQUAL_FATAL(sched_domain_init(d, id, pool), 0);
    for ( unsigned int i = 0; i < n; i++ )
    {
        CU_ASSERT_EQUAL_FATAL(sched_unit_init(&u[i], d, i, now), 0);
        sched_unit_up(&u[i], now);
    }
}

extern CU_TestInfo policy_tests[];

#endif
