/* SPDX-License-Identifier: MIT */
/*
 * credit2 load balancing between runqueues. Each runqueue keeps its load
 * (runnable units assigned to it) and a decaying average of it; every
 * C2_BALANCE_PERIOD a runqueue compares its average load per pCPU with
 * the others' and, where the gap is widest, moves one queued unit from
 * the busier side to the other (push or pull), as Xen's balance_load
 * evens runqueue loads. A pCPU about to idle balances at once.
 *
 * Only queued units move (a running one would have to be preempted for
 * nothing: it runs already), only to a runqueue that has a pCPU in the
 * unit's hard affinity, and one whose soft affinity prefers the other
 * side moves first. A move is made only if it makes the instantaneous
 * loads strictly more even, so two runqueues never trade a unit back
 * and forth.
 */
#include <orrery/lib.h>

#include "credit2.h"

void c2_load_update(struct c2_runq *rq, s_time_t now)
{
    s_time_t dt = now - rq->load_stamp;
    s_time_t target = (s_time_t)rq->load << C2_LOAD_SHIFT;

    if ( dt <= 0 )
        return;
    if ( dt >= C2_LOAD_WINDOW )
        rq->avgload = target;
    else
        rq->avgload += (target - rq->avgload) * dt / C2_LOAD_WINDOW;
    rq->load_stamp = now;
}

/* Average load per pCPU, in 1/2^C2_LOAD_SHIFT. */
static s_time_t per_cpu(const struct c2_runq *rq)
{
    return rq->avgload / (s_time_t)cpumask_weight(rq->cpus);
}

/* Does moving one unit from @from to @to make the loads per pCPU more
 * even? (|lf/nf - lt/nt| shrinks; cross-multiplied.) */
static bool move_evens(const struct c2_runq *from, const struct c2_runq *to)
{
    int64_t nf = cpumask_weight(from->cpus), nt = cpumask_weight(to->cpus);
    int64_t lf = from->load, lt = to->load;
    int64_t before = lf * nt - lt * nf;
    int64_t after = (lf - 1) * nt - (lt + 1) * nf;

    if ( before < 0 )
        before = -before;
    if ( after < 0 )
        after = -after;
    return lf > 0 && after < before;
}

/* The queued unit of @from to hand to @to: the one with the least credit
 * (it would wait longest here), soft affinity for @to first. */
static struct c2_unit *pick_mover(struct c2_runq *from, struct c2_runq *to)
{
    struct c2_unit *any = NULL;
    struct list_head *pos;

    for ( pos = from->runq.prev; pos != &from->runq; pos = pos->prev )
    {
        struct c2_unit *cu = c2_runq_entry(pos);

        if ( cpumask_empty(c2_cpus_in(cu, to)) )
            continue;
        if ( !cpumask_empty(cpumask_and(cu->unit->soft_affinity,
                                        to->cpus)) )
            return cu;
        if ( !any )
            any = cu;
    }
    return any;
}

/*
 * Balance @rq with the runqueue whose average load differs most. With
 * @force (a pCPU of @rq found nothing to run) the period is ignored and
 * the busiest runqueue with queued work is chosen by instantaneous load.
 */
void c2_balance(struct scheduler *s, struct c2_runq *rq, s_time_t now,
                bool force)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_runq *other = NULL, *from, *to;
    struct c2_unit *cu;
    s_time_t gap = 0, mine;
    unsigned int i;

    if ( !force && now < rq->next_balance )
        return;
    rq->next_balance = now + C2_BALANCE_PERIOD;
    if ( cpumask_weight(prv->active) < 2 )
        return;
    c2_load_update(rq, now);
    mine = per_cpu(rq);
    c2_for_each_bit(i, prv->active)
    {
        struct c2_runq *o = &prv->rqs[i];
        s_time_t g;

        if ( o == rq )
            continue;
        if ( force )
        {
            if ( list_empty(&o->runq) )
                continue;
            g = (s_time_t)o->load * cpumask_weight(rq->cpus) -
                (s_time_t)rq->load * cpumask_weight(o->cpus);
        }
        else
        {
            c2_load_update(o, now);
            g = mine - per_cpu(o);
            g = g < 0 ? -g : g;
        }
        if ( g > gap )
        {
            gap = g;
            other = o;
        }
    }
    /* A gap under a quarter of a unit per pCPU is noise. */
    if ( !other || (!force && gap < ((s_time_t)1 << C2_LOAD_SHIFT) / 4) )
        return;
    if ( force || per_cpu(other) > mine )
    {
        from = other;
        to = rq;
    }
    else
    {
        from = rq;
        to = other;
    }
    if ( !move_evens(from, to) )
        return;
    cu = pick_mover(from, to);
    if ( !cu )
        return;
    c2_runq_remove(cu);
    c2_unassign(cu, now);
    c2_assign(cu, to, now);
    c2_runq_insert(cu);
    c2_tickle(prv, cu, now);
}
