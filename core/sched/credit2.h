/* SPDX-License-Identifier: MIT */
/*
 * The credit2 scheduler's data, shared by its files:
 *   credit2.c          the ops table, life cycle, wake/sleep, the pick, dump
 *   credit2_topo.c     which pCPUs share a runqueue (by topology)
 *   credit2_runq.c     runqueue membership and load, sorted queues,
 *                      where a waking unit goes, tickling
 *   credit2_balance.c  load averages and balancing between runqueues
 *   credit2_credit.c   burning, the credit reset, slices, parameters
 *   credit2_budget.c   caps as a per-domain budget
 *   credit2_dump.c     debug key 'r'
 *
 * Xen's credit2 (sched=credit2, its default scheduler): every unit holds
 * credit in ns; running burns it at a rate inversely proportional to the
 * unit's weight (the heaviest unit of the runqueue burns 1:1); each pCPU
 * runs the runnable unit of its runqueue with the most credit; when the
 * best candidate has none left, every unit of the runqueue gets
 * CREDIT_INIT more (a "reset"), a bounded amount of surplus carried over.
 * Runqueues are shared by a group of pCPUs (core, socket, node...): the
 * pick is global inside the group, and load is balanced between groups.
 *
 * Unlike Xen's, this credit2 never leaves a pCPU idle while a unit that
 * may run there waits, across runqueues too: an idle pCPU pulls waiting
 * work at once instead of at the next balancing, and idle pCPUs are told
 * of work left waiting (c2_tell_idlers). schedsim checks it.
 */
#ifndef SCHED_CREDIT2_H
#define SCHED_CREDIT2_H

#include <orrery/sched-if.h>

#define C2_DEFAULT_WEIGHT       256
#define C2_MAX_WEIGHT           65535
/* Xen's credit2 constants: credit handed out at a reset, the surplus a
 * unit may carry over one, slices between MIN and MAX timer, and the
 * credit advantage a unit needs to be pulled from its last pCPU. */
#define C2_CREDIT_INIT          MILLISECS(10)
#define C2_CREDIT_RESET         0
#define C2_MIN_TIMER            MICROSECS(500)
#define C2_MAX_TIMER            C2_CREDIT_INIT
#define C2_CARRYOVER_MAX        C2_MIN_TIMER
#define C2_MIGRATE_RESIST       MICROSECS(500)
/* Caps: budget replenished every 10 ms (Xen's CSCHED2_BDGT_REPL_PERIOD). */
#define C2_BUDGET_PERIOD        MILLISECS(10)
/* Ratelimit: Xen's sched_ratelimit_us default and sysctl bounds. */
#define C2_DEFAULT_RATELIMIT    MICROSECS(1000)
#define C2_MIN_RATELIMIT_US     100
#define C2_MAX_RATELIMIT_US     500000
/* No slice shorter than this (a zero-length one would spin). */
#define C2_MIN_SLICE            MICROSECS(10)
/* Load balancing: each runqueue looks at most this often; load averages
 * decay over a window of 2^20 ns (about 1 ms), kept in 1/256ths. */
#define C2_BALANCE_PERIOD       MILLISECS(1)
#define C2_LOAD_SHIFT           8
#define C2_LOAD_WINDOW          ((s_time_t)1 << 20)

struct c2_runq {
    bool active;
    uint32_t key;                   /* which core/socket/node it groups */
    cpumask_t cpus;                 /* pool pCPUs sharing it */
    cpumask_t idle;                 /* ... that picked idle last time */
    cpumask_t tickled;              /* ... told to reschedule, not yet */
    struct list_head runq;          /* queued units, most credit first */
    struct list_head units;         /* every unit assigned here */
    unsigned int nr_units;
    uint32_t max_weight;            /* of the units assigned here */
    unsigned int load;              /* runnable units assigned here */
    s_time_t avgload;               /* decaying average, << C2_LOAD_SHIFT */
    s_time_t load_stamp;
    s_time_t next_balance;
};

struct c2_unit {
    struct sched_unit *unit;
    struct c2_dom *sdom;
    struct c2_runq *rq;             /* assigned runqueue, NULL: none */
    struct list_head rq_elem;       /* in rq->units */
    struct list_head runq_elem;     /* in rq->runq while queued */
    bool queued;
    bool counted;                   /* in rq->load */
    bool yielding;
    s_time_t credit;                /* ns at the runqueue's max weight */
    s_time_t last_burn;
    s_time_t start_time;            /* when it got its pCPU */
    unsigned int tickled_cpu;       /* told to take it; NR_CPUS: none */
    s_time_t budget;                /* cap: budget held while it runs */
};

struct c2_dom {
    struct sched_domain *dom;
    struct list_head list;          /* in c2_priv.doms */
    uint32_t weight;
    uint32_t cap;                   /* % of a pCPU, 0: none */
    s_time_t tot_budget;            /* cap x period */
    s_time_t budget;                /* left this period; < 0: debt */
    bool parked;                    /* a unit found the budget empty */
};

struct c2_priv {
    struct c2_runq rqs[NR_CPUS];
    cpumask_t active;               /* slots of rqs[] in use */
    struct c2_runq *cpu_rq[NR_CPUS];
    struct list_head doms;
    enum credit2_runqueue arrangement;
    s_time_t ratelimit;
    s_time_t next_repl;             /* next budget replenishment */
    unsigned int nr_capped;
    bool any_parked;
    unsigned int deciding;          /* pCPU in do_schedule, or NR_CPUS */
    struct c2_unit *tickled_for[NR_CPUS];   /* the unit it was told of */
    /* The latest time any hook was given: the time of the hooks that
     * get none (parameter changes). */
    s_time_t now;
};

/* Each set bit of @mask in turn (no nesting: one hidden cursor). */
#define c2_for_each_bit(i, mask)                                        \
    for ( uint64_t b_ = (mask).bits;                                    \
          b_ && ((i) = (unsigned int)__builtin_ctzll(b_), true);        \
          b_ &= b_ - 1 )

static inline struct c2_priv *c2_priv(const struct scheduler *s)
{
    return s->priv;
}

static inline struct c2_unit *c2_unit(const struct sched_unit *u)
{
    return u->priv;
}

static inline struct c2_unit *c2_runq_entry(struct list_head *e)
{
    return list_entry(e, struct c2_unit, runq_elem);
}

static inline struct c2_unit *c2_rq_entry(struct list_head *e)
{
    return list_entry(e, struct c2_unit, rq_elem);
}

/* The pCPUs of @rq where @cu may run. */
static inline cpumask_t c2_cpus_in(const struct c2_unit *cu,
                                   const struct c2_runq *rq)
{
    return cpumask_and(sched_unit_cpus(cu->unit), rq->cpus);
}

/* credit2_topo.c */
int c2_cpu_join(struct c2_priv *prv, unsigned int cpu);
void c2_cpu_leave(struct scheduler *s, unsigned int cpu, s_time_t now);
void c2_rearrange(struct scheduler *s, s_time_t now);

/* credit2_runq.c */
void c2_assign(struct c2_unit *cu, struct c2_runq *rq, s_time_t now);
void c2_unassign(struct c2_unit *cu, s_time_t now);
void c2_count(struct c2_unit *cu, bool runnable, s_time_t now);
void c2_runq_insert(struct c2_unit *cu);
void c2_runq_remove(struct c2_unit *cu);
void c2_runq_resort(struct c2_runq *rq);
struct c2_runq *c2_pick_rq(struct c2_priv *prv, struct c2_unit *cu);
void c2_tickle(struct c2_priv *prv, struct c2_unit *cu, s_time_t now);
void c2_enqueue(struct scheduler *s, struct c2_unit *cu, s_time_t now);
void c2_max_weight_update(struct c2_runq *rq);
void c2_kick_idle(struct c2_priv *prv, struct c2_unit *cu);
void c2_tell_idlers(struct c2_priv *prv);

/* credit2_balance.c */
void c2_load_update(struct c2_runq *rq, s_time_t now);
void c2_balance(struct scheduler *s, struct c2_runq *rq, s_time_t now,
                unsigned int idle_cpu);

/* credit2_credit.c */
void c2_burn(struct c2_unit *cu, s_time_t now);
void c2_reset_credit(struct c2_runq *rq, s_time_t now);
s_time_t c2_runtime(struct c2_priv *prv, unsigned int cpu,
                    struct c2_unit *snext, bool continuing, s_time_t now);
int c2_get_dom_params(struct scheduler *s, struct sched_domain *d,
                      struct sched_dom_params *p);
int c2_set_dom_params(struct scheduler *s, struct sched_domain *d,
                      const struct sched_dom_params *p);
int c2_get_params(struct scheduler *s, struct sched_pool_params *p);
int c2_set_params(struct scheduler *s, const struct sched_pool_params *p);

/* credit2_budget.c */
bool c2_budget_ok(const struct c2_unit *cu);
bool c2_budget_grab(struct c2_priv *prv, struct c2_unit *cu);
void c2_budget_return(struct c2_unit *cu);
void c2_budget_set_cap(struct c2_priv *prv, struct c2_dom *sd,
                       uint32_t cap);
void c2_replenish(struct scheduler *s, s_time_t now);

/* credit2_dump.c */
void c2_dump(struct scheduler *s);

#endif
