/* SPDX-License-Identifier: MIT */
/* RTDS: shared between rtds.c (queues, decisions) and rtds_ctl.c. */
#ifndef SCHED_RTDS_H
#define SCHED_RTDS_H

#include <orrery/sched-if.h>

/* Xen's RTDS defaults: a 4 ms budget every 10 ms. */
#define RTDS_DEFAULT_PERIOD     MICROSECS(10000)
#define RTDS_DEFAULT_BUDGET     MICROSECS(4000)
/*
 * Xen's bounds: period and budget at least 10 us (below that the
 * scheduler would run more than the guests). Xen's upper bound on the
 * period is STIME_DELTA_MAX, so every period the 32-bit microsecond field
 * of the domctl can carry is accepted; only budget > period is refused.
 */
#define RTDS_MIN_PERIOD         MICROSECS(10)
#define RTDS_MIN_BUDGET         MICROSECS(10)

struct rt_unit {
    struct sched_unit *unit;
    struct list_head q_elem;        /* in runq or depletedq when queued */
    struct list_head replq_elem;    /* in replq while runnable */
    struct list_head kick_elem;     /* replenished, not yet re-placed */
    s_time_t period, budget;        /* the parameters */
    bool extratime;
    s_time_t cur_budget;            /* left in this period (this level) */
    s_time_t cur_deadline;          /* end of the period: replenishment */
    s_time_t last_start;            /* budget burnt from here on */
    unsigned int priority_level;    /* 0: own budget; n: n-th extra round */
    bool queued, on_replq, kicked;
    bool depleted;                  /* no budget and no extratime */
};

struct rt_priv {
    struct list_head runq;          /* (level, deadline) order */
    struct list_head depletedq;     /* waiting for their replenishment */
    struct list_head replq;         /* runnable units, by deadline */
    unsigned int timer_cpu;         /* wakes up for replenishments */
    s_time_t timer_at;              /* ... at this time (S_TIME_NEVER) */
};

static inline struct rt_priv *rt_priv(const struct scheduler *s)
{
    return s->priv;
}

static inline struct rt_unit *rt_unit(const struct sched_unit *u)
{
    return u->priv;
}

/* rtds_queue.c */
/* Queue a unit that may run: runq, or depletedq while depleted.
 * @ahead: before its equals (a running unit keeps its pCPU on a tie). */
void rt_q_insert(struct rt_priv *prv, struct rt_unit *ru, bool ahead);
void rt_q_remove(struct rt_unit *ru);
/* The best queued unit that may run on @cpu, NULL if none. */
struct rt_unit *rt_runq_pick(struct rt_priv *prv, unsigned int cpu);
/* The replenishment queue; rt_replq_insert() also gets the timer pCPU
 * to look again when the deadline is earlier than its next call. */
void rt_replq_add(struct rt_priv *prv, struct rt_unit *ru);
void rt_replq_insert(struct scheduler *s, struct rt_unit *ru);
void rt_replq_remove(struct rt_unit *ru);
/* Charge what a running unit ran since last_start. */
void rt_burn_budget(struct rt_unit *ru, s_time_t now);
/* Burn if running, then start a new period if the deadline passed. */
void rt_catch_up(struct rt_unit *ru, s_time_t now);
/* A pCPU for a queued unit: an idle one, or the latest deadline's. */
void rt_runq_tickle(struct rt_unit *ru, unsigned int self);
/* A unit running elsewhere got a new deadline: preempt it if beaten. */
void rt_check_running(struct rt_priv *prv, struct rt_unit *ru);

/* rtds_ctl.c */
int rt_check_params(uint32_t period_us, uint32_t budget_us);
int rt_get_dom_params(struct scheduler *s, struct sched_domain *d,
                      struct sched_dom_params *p);
int rt_set_dom_params(struct scheduler *s, struct sched_domain *d,
                      const struct sched_dom_params *p);
int rt_get_unit_params(struct scheduler *s, struct sched_unit *u,
                       struct sched_unit_params *p);
int rt_set_unit_params(struct scheduler *s, struct sched_unit *u,
                       const struct sched_unit_params *p);
void rt_dump(struct scheduler *s);

#endif
