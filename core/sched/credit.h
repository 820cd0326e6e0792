/* SPDX-License-Identifier: MIT */
/*
 * The credit scheduler's data, shared by credit.c (runqueues and the
 * pick) and credit_acct.c (accounting, caps and parameters).
 *
 * Credit is kept in nanoseconds of pCPU time: every accounting period
 * (30 ms) hands out period x pCPUs among the active units by weight, and
 * running burns it 1:1. A unit with credit left is UNDER, one in debt is
 * OVER; a unit waking with credit left is BOOSTed until its next tick, so
 * that I/O-bound vCPUs get the pCPU quickly (Xen's credit scheduler).
 */
#ifndef SCHED_CREDIT_H
#define SCHED_CREDIT_H

#include <orrery/sched-if.h>

#define CSCHED_DEFAULT_WEIGHT   256
#define CSCHED_MAX_WEIGHT       65535
#define CSCHED_TICK             MILLISECS(10)
#define CSCHED_TICKS_PER_ACCT   3
#define CSCHED_ACCT_PERIOD      (CSCHED_TICK * CSCHED_TICKS_PER_ACCT)
#define CSCHED_DEFAULT_TSLICE   MILLISECS(30)
#define CSCHED_DEFAULT_RATELIMIT MICROSECS(1000)
/* Xen's sysctl limits: timeslice 1..1000 ms, ratelimit 100..500000 us. */
#define CSCHED_MIN_TSLICE_MS    1
#define CSCHED_MAX_TSLICE_MS    1000
#define CSCHED_MIN_RATELIMIT_US 100
#define CSCHED_MAX_RATELIMIT_US 500000
/* Debt is forgiven beyond this many periods, so no unit starves for long
 * after, say, its weight was lowered. */
#define CSCHED_MAX_DEBT         (CSCHED_ACCT_PERIOD * 4)
/* No slice shorter than this: a zero-length slice would spin. */
#define CSCHED_MIN_SLICE        MICROSECS(10)

enum csched_pri {
    CSCHED_PRI_OVER  = 0,           /* in debt */
    CSCHED_PRI_UNDER = 1,           /* credit left */
    CSCHED_PRI_BOOST = 2,           /* just woke with credit left */
};

struct csched_unit {
    struct sched_unit *unit;
    struct csched_dom *sdom;
    struct list_head runq_elem;
    unsigned int runq_cpu;          /* queued there when @queued */
    bool queued;
    bool yielding;
    bool ran;                       /* since the last accounting */
    enum csched_pri pri;
    s_time_t credit;                /* ns */
    s_time_t last_burn;
    s_time_t slice_start;           /* when it last got a fresh slice */
    /* Scratch of the accounting pass. */
    s_time_t grant;
    bool saturated;
};

struct csched_dom {
    struct sched_domain *dom;
    struct list_head list;          /* in csched_priv.doms */
    uint32_t weight;
    uint32_t cap;                   /* % of a pCPU, 0: none */
    s_time_t budget;                /* cap left in this period, ns */
    unsigned int nr_active;         /* scratch of the accounting pass */
};

struct csched_pcpu {
    struct list_head runq;          /* by priority, FIFO within one */
};

struct csched_priv {
    struct csched_pcpu pcpu[NR_CPUS];
    struct list_head doms;
    cpumask_t idlers;               /* pool pCPUs that picked idle */
    s_time_t tslice;
    s_time_t ratelimit;
    s_time_t next_acct;
    unsigned int nr_capped;         /* domains with a cap */
};

static inline struct csched_priv *csched_priv(const struct scheduler *s)
{
    return s->priv;
}

static inline struct csched_unit *csched_unit(const struct sched_unit *u)
{
    return u->priv;
}

/* A capped domain that used up its cap for this period cannot run. */
static inline bool csched_parked(const struct csched_unit *cu)
{
    return cu->sdom->cap && cu->sdom->budget <= 0;
}

/* credit.c */
void csched_runq_insert(struct csched_priv *prv, struct csched_unit *cu,
                        unsigned int cpu);
void csched_runq_remove(struct csched_unit *cu);
void csched_tickle_for(struct scheduler *s, unsigned int cpu);

/* credit_acct.c */
void csched_burn(struct csched_unit *cu, s_time_t now);
void csched_acct(struct scheduler *s, s_time_t now);
int csched_get_dom_params(struct scheduler *s, struct sched_domain *d,
                          struct sched_dom_params *p);
int csched_set_dom_params(struct scheduler *s, struct sched_domain *d,
                          const struct sched_dom_params *p);
int csched_get_params(struct scheduler *s, struct sched_pool_params *p);
int csched_set_params(struct scheduler *s, const struct sched_pool_params *p);

#endif
