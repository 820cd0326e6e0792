/* SPDX-License-Identifier: MIT */
/*
 * credit2 credit: burning it, the reset that hands out more, the length
 * of a slice, and the parameters xl sched-credit2 shows (weight and cap
 * per domain; ratelimit and the runqueue arrangement per pool).
 */
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "credit2.h"

/*
 * Running for @t ns costs t x max_weight / weight credit: the heaviest
 * unit of the runqueue pays 1:1, one of half its weight twice as fast,
 * so between two resets units run in proportion to their weights.
 * t is at most a slice plus a little, so t x 65535 stays far from 2^63.
 */
static s_time_t t2c(const struct c2_unit *cu, s_time_t t)
{
    return t * (s_time_t)cu->rq->max_weight / (s_time_t)cu->sdom->weight;
}

/* How long @cu runs to burn @c credit. */
static s_time_t c2t(const struct c2_unit *cu, s_time_t c)
{
    return c * (s_time_t)cu->sdom->weight / (s_time_t)cu->rq->max_weight;
}

void c2_burn(struct c2_unit *cu, s_time_t now)
{
    s_time_t ran = now - cu->last_burn;

    if ( ran <= 0 || !cu->rq )
        return;
    cu->credit -= t2c(cu, ran);
    if ( cu->sdom->cap )
        cu->budget -= ran;
    cu->last_burn = now;
}

/*
 * The front runner of @rq has no credit left: every unit assigned to the
 * runqueue gets CREDIT_INIT more -- as many times as it takes to bring a
 * deep debt back above zero -- and keeps at most CARRYOVER_MAX of surplus
 * beyond CREDIT_INIT (Xen's reset_credit). Running units are burned up
 * to @now first, so that their credit is current.
 */
void c2_reset_credit(struct c2_runq *rq, s_time_t now)
{
    struct list_head *pos;

    list_for_each(pos, &rq->units)
    {
        struct c2_unit *cu = c2_rq_entry(pos);
        s_time_t m = 1;

        if ( cu->unit->running )
            c2_burn(cu, now);
        if ( cu->credit < -C2_CREDIT_INIT )
            m += -cu->credit / C2_CREDIT_INIT;
        cu->credit += m * C2_CREDIT_INIT;
        cu->credit = MIN(cu->credit, C2_CREDIT_INIT + C2_CARRYOVER_MAX);
    }
    c2_runq_resort(rq);
}

/*
 * How long @snext runs on @cpu: until its credit falls to that of the
 * best unit waiting (then that one should run), between MIN_TIMER and
 * MAX_TIMER; never less than what is left of the ratelimit; never past
 * its cap budget (Xen's csched2_runtime).
 */
s_time_t c2_runtime(struct c2_priv *prv, unsigned int cpu,
                    struct c2_unit *snext, bool continuing, s_time_t now)
{
    struct list_head *pos;
    s_time_t rt_credit = snext->credit, time, min_time = C2_MIN_TIMER;

    list_for_each(pos, &snext->rq->runq)
    {
        struct c2_unit *w = c2_runq_entry(pos);

        if ( cpumask_test(&w->unit->hard_affinity, cpu) &&
             c2_budget_ok(w) )
        {
            rt_credit = snext->credit - w->credit;
            break;
        }
    }
    if ( prv->ratelimit )
    {
        s_time_t rl = continuing
                      ? snext->start_time + prv->ratelimit - now
                      : prv->ratelimit;

        min_time = MAX(min_time, rl);
    }
    time = rt_credit > 0 ? c2t(snext, rt_credit) : 0;
    if ( time < min_time )
        time = min_time;
    else if ( time > C2_MAX_TIMER )
        time = C2_MAX_TIMER;
    if ( snext->sdom->cap )
        time = MIN(time, snext->budget);
    return MAX(time, C2_MIN_SLICE);
}

/* ---- Parameters --------------------------------------------------------- */

int c2_get_dom_params(struct scheduler *s, struct sched_domain *d,
                      struct sched_dom_params *p)
{
    struct c2_dom *sd = d->priv;

    (void)s;
    p->u.credit2.weight = sd->weight;
    p->u.credit2.cap = sd->cap;
    return 0;
}

int c2_set_dom_params(struct scheduler *s, struct sched_domain *d,
                      const struct sched_dom_params *p)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_dom *sd = d->priv;
    uint32_t max_cap = 100 * (d->nr_units ? d->nr_units : 1);
    struct list_head *pos;
    unsigned int i;

    if ( p->u.credit2.weight == 0 || p->u.credit2.weight > C2_MAX_WEIGHT )
        return -EINVAL;
    /* A cap beyond 100% per vCPU could never bind (Xen: -EINVAL). */
    if ( p->u.credit2.cap > max_cap )
        return -EINVAL;
    if ( p->u.credit2.weight != sd->weight )
    {
        /* Running units pay for their time so far at the old rates. */
        list_for_each(pos, &d->units)
        {
            struct sched_unit *u = list_entry(pos, struct sched_unit,
                                              dom_list);

            if ( u->running )
                c2_burn(c2_unit(u), prv->now);
        }
        sd->weight = p->u.credit2.weight;
        c2_for_each_bit(i, prv->active)
            c2_max_weight_update(&prv->rqs[i]);
    }
    c2_budget_set_cap(prv, sd, p->u.credit2.cap);
    return 0;
}

int c2_get_params(struct scheduler *s, struct sched_pool_params *p)
{
    struct c2_priv *prv = c2_priv(s);

    p->u.credit2.ratelimit_us = (uint32_t)(prv->ratelimit / MICROSECS(1));
    p->u.credit2.runqueue = prv->arrangement;
    return 0;
}

int c2_set_params(struct scheduler *s, const struct sched_pool_params *p)
{
    struct c2_priv *prv = c2_priv(s);
    uint32_t rl = p->u.credit2.ratelimit_us;

    if ( rl && (rl < C2_MIN_RATELIMIT_US || rl > C2_MAX_RATELIMIT_US) )
        return -EINVAL;
    switch ( p->u.credit2.runqueue )
    {
    case CREDIT2_RQ_CPU:
    case CREDIT2_RQ_CORE:
    case CREDIT2_RQ_SOCKET:
    case CREDIT2_RQ_NODE:
    case CREDIT2_RQ_ALL:
        break;
    default:
        return -EINVAL;
    }
    prv->ratelimit = MICROSECS(rl);
    if ( p->u.credit2.runqueue != prv->arrangement )
    {
        prv->arrangement = p->u.credit2.runqueue;
        c2_rearrange(s, prv->now);
    }
    return 0;
}
