/* SPDX-License-Identifier: MIT */
/*
 * credit2 load balancing between runqueues. Each runqueue keeps its load
 * (runnable units assigned to it) and a decaying average of it; every
 * C2_BALANCE_PERIOD a runqueue compares its average load per pCPU with
 * the others' and, where the gap is widest, moves one queued unit from
 * the busier side to the other (push or pull), as Xen's balance_load
 * evens runqueue loads. A pCPU about to idle pulls waiting work at once.
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

/* The queued unit of @from to hand to runqueue @to, to run on one of
 * @where: the one with the least credit (it would wait longest here),
 * soft affinity for @to first; never a parked one (it cannot run). With
 * @pull an idle pCPU asks. */
static struct c2_unit *pick_mover(struct c2_runq *from, struct c2_runq *to,
                                  cpumask_t where, bool pull)
{
    struct c2_unit *any = NULL;
    struct list_head *pos;

    for ( pos = from->runq.prev; pos != &from->runq; pos = pos->prev )
    {
        struct c2_unit *cu = c2_runq_entry(pos);

        unsigned int t = cu->tickled_cpu;

        if ( cpumask_empty(cpumask_and(sched_unit_cpus(cu->unit), where)) ||
             !c2_budget_ok(cu) )
            continue;
        /* A pCPU of @from was told to take it: leave it there, unless
         * an idle pCPU pulls. */
        if ( t < NR_CPUS && cpumask_test(&from->tickled, t) && !pull )
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
 * Balance @rq with the runqueue whose average load per pCPU differs most
 * -- among those where a unit can move to make loads more even.
 *
 * @idle_cpu (NR_CPUS: none) of @rq found nothing to run: then the period
 * is ignored and a waiting unit that may run there is pulled from the
 * runqueue with the most load per pCPU, even or uneven, so that no pCPU
 * idles while work waits elsewhere (the checker of schedsim holds credit2
 * to work conservation).
 */
void c2_balance(struct scheduler *s, struct c2_runq *rq, s_time_t now,
                unsigned int idle_cpu)
{
    struct c2_priv *prv = c2_priv(s);
    bool force = idle_cpu < NR_CPUS;
    struct c2_runq *to = NULL;
    struct c2_unit *mover = NULL;
    /* A gap under a quarter of a unit per pCPU is noise. */
    s_time_t gap = ((s_time_t)1 << C2_LOAD_SHIFT) / 4, mine;
    unsigned int i;

    if ( !force && now < rq->next_balance )
        return;
    rq->next_balance = now + C2_BALANCE_PERIOD;
    if ( cpumask_weight(prv->active) < 2 )
        return;
    c2_load_update(rq, now);
    mine = per_cpu(rq);
    if ( force )
        gap = -1;                       /* any waiting unit will do */
    c2_for_each_bit(i, prv->active)
    {
        struct c2_runq *o = &prv->rqs[i], *from, *dest;
        struct c2_unit *cu;
        s_time_t g;

        if ( o == rq )
            continue;
        if ( force )
        {
            g = (s_time_t)o->load * 1024 / cpumask_weight(o->cpus);
            from = o;
            dest = rq;
        }
        else
        {
            c2_load_update(o, now);
            g = mine - per_cpu(o);
            from = g < 0 ? o : rq;
            dest = g < 0 ? rq : o;
            g = g < 0 ? -g : g;
            if ( !move_evens(from, dest) )
                continue;
        }
        if ( g <= gap || list_empty(&from->runq) )
            continue;
        cu = pick_mover(from, dest, force ? cpumask_of(idle_cpu)
                                          : dest->cpus, force);
        if ( !cu )
            continue;           /* nothing there may run on @dest */
        gap = g;
        mover = cu;
        to = dest;
    }
    if ( !mover )
        return;
    c2_runq_remove(mover);
    c2_unassign(mover, now);
    c2_assign(mover, to, now);
    c2_runq_insert(mover);
    c2_tickle(prv, mover, now);
}
