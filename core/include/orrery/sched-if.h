/* SPDX-License-Identifier: MIT */
/*
 * The interface between the scheduler framework (core/sched/core.c) and
 * one scheduling policy (credit.c, null.c, ...). A policy is a constant
 * struct sched_ops with designated initialisers, listed once in
 * core/sched/schedulers.c; each cpupool runs one instance of it (struct
 * scheduler), as Xen splits its sched_ops from its per-pool scheduler.
 *
 * Calling rules: every hook runs with the pool lock held and may not
 * take it. Hooks left NULL are optional unless marked "required".
 * A unit is handed to the policy with insert_unit() and taken back with
 * remove_unit(); in between the policy owns u->priv and where the unit is
 * queued, and is told of every change of runnability:
 *   wake()   the unit became runnable (it is not running);
 *   sleep()  it stopped being runnable (blocked, paused or down); it may
 *            still be running, the framework reschedules its pCPU.
 * The framework keeps u->running and u->res for the running unit; the
 * policy decides everything else through do_schedule().
 */
#ifndef ORRERY_SCHED_IF_H
#define ORRERY_SCHED_IF_H

#include <orrery/sched.h>

struct scheduler;

/* What do_schedule() decided for one pCPU. */
struct sched_decision {
    struct sched_unit *next;        /* NULL: run idle */
    s_time_t slice;                 /* run it this long; S_TIME_NEVER ok */
};

struct sched_ops {
    const char *name;               /* for people: "SMP Credit Scheduler" */
    const char *opt_name;           /* for sched= and scenarios: "credit" */
    unsigned int sched_id;          /* XEN_SCHEDULER_* */

    /* Instance life: private data in s->priv. init required. */
    int (*init)(struct scheduler *s);
    void (*deinit)(struct scheduler *s);

    /* A pCPU joins or leaves the pool (it runs idle at that moment). On
     * leaving, the unit that ran there has been taken off (running is
     * false) and is on none of the policy's queues: remove_cpu must
     * queue it where the pool still has pCPUs. */
    int (*add_cpu)(struct scheduler *s, unsigned int cpu);
    void (*remove_cpu)(struct scheduler *s, unsigned int cpu);

    /* Per-domain and per-unit data: d->priv, u->priv. */
    int (*alloc_domdata)(struct scheduler *s, struct sched_domain *d);
    void (*free_domdata)(struct scheduler *s, struct sched_domain *d);
    int (*alloc_udata)(struct scheduler *s, struct sched_unit *u);
    void (*free_udata)(struct scheduler *s, struct sched_unit *u);

    /* Required. See the top of this file. */
    void (*insert_unit)(struct scheduler *s, struct sched_unit *u,
                        s_time_t now);
    void (*remove_unit)(struct scheduler *s, struct sched_unit *u,
                        s_time_t now);
    void (*wake)(struct scheduler *s, struct sched_unit *u, s_time_t now);
    void (*sleep)(struct scheduler *s, struct sched_unit *u, s_time_t now);
    void (*yield)(struct scheduler *s, struct sched_unit *u);

    /*
     * Required. Choose what @cpu runs next. @prev is what it runs now
     * (NULL: idle), still runnable or not. The returned unit must be
     * runnable, allowed on @cpu by its hard affinity, and not running
     * elsewhere; the framework checks and panics otherwise.
     */
    struct sched_decision (*do_schedule)(struct scheduler *s,
                                         unsigned int cpu,
                                         struct sched_unit *prev,
                                         s_time_t now);

    /* The affinity of @u changed; move it if it must. */
    void (*affinity_changed)(struct scheduler *s, struct sched_unit *u,
                             s_time_t now);

    /* Parameters: per domain (domctl) and per pool (sysctl). */
    int (*get_dom_params)(struct scheduler *s, struct sched_domain *d,
                          struct sched_dom_params *p);
    int (*set_dom_params)(struct scheduler *s, struct sched_domain *d,
                          const struct sched_dom_params *p);
    int (*get_unit_params)(struct scheduler *s, struct sched_unit *u,
                           struct sched_unit_params *p);
    int (*set_unit_params)(struct scheduler *s, struct sched_unit *u,
                           const struct sched_unit_params *p);
    int (*get_params)(struct scheduler *s, struct sched_pool_params *p);
    int (*set_params)(struct scheduler *s,
                      const struct sched_pool_params *p);

    void (*dump)(struct scheduler *s);
};

/* One instance of a policy: one per cpupool. */
struct scheduler {
    const struct sched_ops *ops;
    struct cpupool *pool;
    void *priv;
};

struct cpupool {
    unsigned int id;
    struct scheduler sched;
    cpumask_t cpus;
    struct list_head domains;       /* struct sched_domain.pool_list */
    unsigned int nr_domains;
    spinlock_t lock;
};

/* ---- Services of the framework to policies ------------------------------ */

/* Ask for sched_schedule() on @cpu soon (a preemption). */
void sched_tickle(unsigned int cpu);
/* The unit @cpu runs, NULL for idle. */
struct sched_unit *sched_pcpu_curr(unsigned int cpu);
/* The policies, in schedulers.c; NULL-terminated. */
extern const struct sched_ops *const sched_registry[];
const struct sched_ops *sched_find_ops(const char *opt_name);

/* The CPUs where @u may run in its pool (hard affinity & pool). */
static inline cpumask_t sched_unit_cpus(const struct sched_unit *u)
{
    return cpumask_and(u->hard_affinity, u->dom->pool->cpus);
}

#endif /* ORRERY_SCHED_IF_H */
