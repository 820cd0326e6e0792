/* SPDX-License-Identifier: MIT */
/*
 * Credit: burning, the periodic accounting that hands credit out by
 * weight, caps, and the parameters xl sched-credit shows.
 *
 * Accounting runs lazily: the first do_schedule() or wake at or after a
 * period boundary settles every period since. A busy pCPU reschedules at
 * least every tick (10 ms), so a period is never settled late by more
 * than a tick while anything runs.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "credit.h"

void csched_burn(struct csched_unit *cu, s_time_t now)
{
    s_time_t ran = now - cu->last_burn;

    if ( ran <= 0 )
        return;
    cu->credit -= ran;
    if ( cu->sdom->cap )
        cu->sdom->budget -= ran;
    cu->last_burn = now;
    cu->ran = true;
}

static bool unit_active(const struct csched_unit *cu)
{
    return cu->ran || sched_unit_runnable(cu->unit);
}

static struct csched_unit *entry_unit(struct list_head *pu)
{
    return csched_unit(list_entry(pu, struct sched_unit, dom_list));
}

static struct csched_dom *entry_dom(struct list_head *pd)
{
    return list_entry(pd, struct csched_dom, list);
}

/*
 * A unit's weight: its domain's, split evenly among the active units,
 * in 1/1024ths. Bounded by 2^26, so total (at most 64 pCPUs x 30 ms,
 * under 2^31 ns) times a weight stays far from 2^64: no 128-bit division,
 * which the image has no libgcc for.
 */
static uint64_t unit_weight(const struct csched_dom *cd)
{
    return (uint64_t)cd->weight * 1024 / cd->nr_active;
}

/*
 * Share @total ns among the active units by weight, no unit getting more
 * than one pCPU (one period): what a saturated unit cannot use goes to
 * the others (water filling, as Xen hands out its "extra" credit).
 * Leaves each unit's share in ->grant.
 */
static void hand_out(struct csched_priv *prv, s_time_t total)
{
    struct list_head *pd, *pu;
    bool again = true;

    list_for_each(pd, &prv->doms)
    {
        struct csched_dom *cd = entry_dom(pd);

        cd->nr_active = 0;
        list_for_each(pu, &cd->dom->units)
        {
            struct csched_unit *cu = entry_unit(pu);

            cu->grant = 0;
            cu->saturated = false;
            cd->nr_active += unit_active(cu);
        }
    }

    while ( again && total > 0 )
    {
        uint64_t wsum = 0;

        again = false;
        list_for_each(pd, &prv->doms)
            list_for_each(pu, &entry_dom(pd)->dom->units)
                if ( unit_active(entry_unit(pu)) &&
                     !entry_unit(pu)->saturated )
                    wsum += unit_weight(entry_dom(pd));
        if ( wsum == 0 )
            return;
        list_for_each(pd, &prv->doms)
            list_for_each(pu, &entry_dom(pd)->dom->units)
            {
                struct csched_unit *cu = entry_unit(pu);
                uint64_t g;

                if ( !unit_active(cu) || cu->saturated )
                    continue;
                g = (uint64_t)total * unit_weight(entry_dom(pd)) /
                    wsum;
                cu->grant = (s_time_t)g;
                if ( cu->grant >= CSCHED_ACCT_PERIOD && !again )
                {
                    /* Saturate one per round, then share the rest anew. */
                    cu->grant = CSCHED_ACCT_PERIOD;
                    cu->saturated = true;
                    total -= CSCHED_ACCT_PERIOD;
                    again = true;
                }
            }
    }
}

static void settle_period(struct scheduler *s)
{
    struct csched_priv *prv = csched_priv(s);
    struct list_head *pd, *pu;

    hand_out(prv, CSCHED_ACCT_PERIOD *
                  (s_time_t)cpumask_weight(s->pool->cpus));
    list_for_each(pd, &prv->doms)
    {
        struct csched_dom *cd = entry_dom(pd);

        if ( cd->cap )
        {
            s_time_t quota = CSCHED_ACCT_PERIOD * cd->cap / 100;

            /* Debt carries over; unused cap does not. */
            cd->budget = MIN(cd->budget + quota, quota);
        }
        list_for_each(pu, &cd->dom->units)
        {
            struct csched_unit *cu = entry_unit(pu);

            cu->credit += cu->grant;
            cu->credit = MIN(cu->credit, CSCHED_ACCT_PERIOD);
            cu->credit = MAX(cu->credit, -CSCHED_MAX_DEBT);
            if ( cu->pri != CSCHED_PRI_BOOST )
                cu->pri = cu->credit > 0 ? CSCHED_PRI_UNDER
                                         : CSCHED_PRI_OVER;
            cu->ran = cu->unit->running;
        }
    }
}

/* Priorities changed: sort every runqueue again (stable). */
static void resort_runqs(struct scheduler *s)
{
    struct csched_priv *prv = csched_priv(s);
    unsigned int cpu;

    for_each_cpu(cpu, s->pool->cpus)
    {
        struct list_head *rq = &prv->pcpu[cpu].runq, tmp;

        INIT_LIST_HEAD(&tmp);
        while ( !list_empty(rq) )
        {
            struct list_head *e = rq->next;

            list_del(e);
            list_add_tail(e, &tmp);
        }
        while ( !list_empty(&tmp) )
        {
            struct csched_unit *cu =
                list_entry(tmp.next, struct csched_unit, runq_elem);

            list_del(&cu->runq_elem);
            cu->queued = false;
            csched_runq_insert(prv, cu, cpu);
        }
    }
}

void csched_acct(struct scheduler *s, s_time_t now)
{
    struct csched_priv *prv = csched_priv(s);
    unsigned int n = 0, cpu;

    if ( now < prv->next_acct )
        return;
    /* Settle every missed period; after a long idle stretch, a few are
     * enough: credit is clamped to one period anyway. */
    while ( now >= prv->next_acct )
    {
        if ( n++ < 4 )
            settle_period(s);
        prv->next_acct += CSCHED_ACCT_PERIOD;
    }
    resort_runqs(s);
    for_each_cpu(cpu, s->pool->cpus)
        csched_tickle_for(s, cpu);
}

/* ---- Parameters --------------------------------------------------------- */

int csched_get_dom_params(struct scheduler *s, struct sched_domain *d,
                          struct sched_dom_params *p)
{
    struct csched_dom *cd = d->priv;

    (void)s;
    p->u.credit.weight = cd->weight;
    p->u.credit.cap = cd->cap;
    return 0;
}

int csched_set_dom_params(struct scheduler *s, struct sched_domain *d,
                          const struct sched_dom_params *p)
{
    struct csched_priv *prv = csched_priv(s);
    struct csched_dom *cd = d->priv;
    uint32_t max_cap = 100 * (d->nr_units ? d->nr_units : 1);

    if ( p->u.credit.weight == 0 || p->u.credit.weight > CSCHED_MAX_WEIGHT )
        return -EINVAL;
    /* A cap beyond 100% per vCPU could never bind. */
    if ( p->u.credit.cap > max_cap )
        return -EINVAL;
    cd->weight = p->u.credit.weight;
    if ( !cd->cap && p->u.credit.cap )
    {
        prv->nr_capped++;
        cd->budget = CSCHED_ACCT_PERIOD * p->u.credit.cap / 100;
    }
    else if ( cd->cap && !p->u.credit.cap )
        prv->nr_capped--;
    cd->cap = p->u.credit.cap;
    return 0;
}

int csched_get_params(struct scheduler *s, struct sched_pool_params *p)
{
    struct csched_priv *prv = csched_priv(s);

    p->u.credit.tslice_ms = (uint32_t)(prv->tslice / MILLISECS(1));
    p->u.credit.ratelimit_us = (uint32_t)(prv->ratelimit / MICROSECS(1));
    return 0;
}

int csched_set_params(struct scheduler *s, const struct sched_pool_params *p)
{
    struct csched_priv *prv = csched_priv(s);
    uint32_t ts = p->u.credit.tslice_ms, rl = p->u.credit.ratelimit_us;

    if ( ts < CSCHED_MIN_TSLICE_MS || ts > CSCHED_MAX_TSLICE_MS )
        return -EINVAL;
    if ( rl && (rl < CSCHED_MIN_RATELIMIT_US ||
                rl > CSCHED_MAX_RATELIMIT_US) )
        return -EINVAL;
    /* Xen refuses a ratelimit longer than the timeslice. */
    if ( (uint64_t)rl > (uint64_t)ts * 1000 )
        return -EINVAL;
    prv->tslice = MILLISECS(ts);
    prv->ratelimit = MICROSECS(rl);
    return 0;
}
