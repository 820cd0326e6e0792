/* SPDX-License-Identifier: MIT */
/* Shared between the framework's files; policies use sched-if.h only. */
#ifndef SCHED_PRIVATE_H
#define SCHED_PRIVATE_H

#include <orrery/sched-if.h>

struct sched_pcpu {
    struct cpupool *pool;           /* NULL: in no pool, runs idle */
    struct sched_unit *curr;        /* NULL: idle */
    bool need_resched;
};

extern struct sched_pcpu sched_pcpus[NR_CPUS];
extern struct sched_stats sched_counters;

void sched_set_runstate(struct sched_unit *u, enum runstate st, s_time_t now);
void sched_unit_take_off(struct sched_unit *u, s_time_t now);

/* sched_units_dump.c: debug key 'r' lists @pool's units (lock held). */
void sched_dump_units(struct cpupool *pool);

/* cpupool.c */
struct cpupool *cpupool_find(unsigned int poolid);
struct cpupool *cpupool_find_next(unsigned int poolid);
void cpupool_reset_all(void);

/* domain.c: hand @d's units to @pool's scheduler, or take them back. */
int sched_domain_attach(struct sched_domain *d, struct cpupool *pool,
                        s_time_t now);
void sched_domain_detach(struct sched_domain *d, s_time_t now);

#endif
