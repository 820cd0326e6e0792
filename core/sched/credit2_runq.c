/* SPDX-License-Identifier: MIT */
/*
 * credit2 runqueues: the units assigned to each and its load, the queue
 * itself (sorted by credit, most first), which runqueue a waking unit
 * joins, and which pCPU is told to take it (tickling). Which pCPUs share
 * a runqueue: credit2_topo.c.
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include "credit2.h"

/* ---- Membership and load ------------------------------------------------ */

void c2_max_weight_update(struct c2_runq *rq)
{
    struct list_head *pos;
    uint32_t max = 0;

    list_for_each(pos, &rq->units)
        max = MAX(max, c2_rq_entry(pos)->sdom->weight);
    rq->max_weight = max;
}

void c2_assign(struct c2_unit *cu, struct c2_runq *rq, s_time_t now)
{
    BUG_ON(cu->rq || cu->queued);
    cu->rq = rq;
    list_add_tail(&cu->rq_elem, &rq->units);
    rq->nr_units++;
    rq->max_weight = MAX(rq->max_weight, cu->sdom->weight);
    if ( cu->counted )
    {
        c2_load_update(rq, now);
        rq->load++;
    }
}

void c2_unassign(struct c2_unit *cu, s_time_t now)
{
    struct c2_runq *rq = cu->rq;

    if ( !rq )
        return;
    BUG_ON(cu->queued);
    if ( cu->counted )
    {
        c2_load_update(rq, now);
        rq->load--;
    }
    list_del(&cu->rq_elem);
    rq->nr_units--;
    cu->rq = NULL;
    if ( cu->sdom->weight == rq->max_weight )
        c2_max_weight_update(rq);
}

/* @cu is (@runnable) or is not runnable: keep its runqueue's load. */
void c2_count(struct c2_unit *cu, bool runnable, s_time_t now)
{
    if ( cu->counted == runnable )
        return;
    cu->counted = runnable;
    if ( !cu->rq )
        return;
    c2_load_update(cu->rq, now);
    if ( runnable )
        cu->rq->load++;
    else
        cu->rq->load--;
}

/* ---- The queue: most credit first, FIFO among equals -------------------- */

void c2_runq_insert(struct c2_unit *cu)
{
    struct list_head *q = &cu->rq->runq, *pos;

    BUG_ON(cu->queued);
    /* Walk from the nearer end: a requeued unit that just burned its
     * credit goes near the tail, a waking one near the head. */
    if ( list_empty(q) ||
         cu->credit >= (c2_runq_entry(q->next)->credit +
                        c2_runq_entry(q->prev)->credit) / 2 )
    {
        for ( pos = q->next; pos != q; pos = pos->next )
            if ( c2_runq_entry(pos)->credit < cu->credit )
                break;
    }
    else
    {
        for ( pos = q->prev; pos != q; pos = pos->prev )
            if ( c2_runq_entry(pos)->credit >= cu->credit )
                break;
        pos = pos->next;
    }
    list_insert_between(&cu->runq_elem, pos->prev, pos);
    cu->queued = true;
}

void c2_runq_remove(struct c2_unit *cu)
{
    if ( !cu->queued )
        return;
    list_del(&cu->runq_elem);
    cu->queued = false;
}

/* Credits changed (a reset): sort again. Stable, and linear when the
 * order barely changed, as after a reset. */
void c2_runq_resort(struct c2_runq *rq)
{
    struct list_head tmp;

    INIT_LIST_HEAD(&tmp);
    while ( !list_empty(&rq->runq) )
    {
        struct list_head *e = rq->runq.next;

        list_del(e);
        list_add_tail(e, &tmp);
    }
    while ( !list_empty(&tmp) )
    {
        struct c2_unit *cu = c2_runq_entry(tmp.next);

        list_del(&cu->runq_elem);
        cu->queued = false;
        c2_runq_insert(cu);
    }
}

/* ---- Placement and tickling --------------------------------------------- */

/*
 * The runqueue a waking unit joins: one with an idle pCPU it may use
 * (in its soft affinity first, its own runqueue first), else its own,
 * else the least loaded per pCPU. Hard affinity is never broken: a
 * runqueue qualifies only if the unit may run on one of its pCPUs.
 */
struct c2_runq *c2_pick_rq(struct c2_priv *prv, struct c2_unit *cu)
{
    struct c2_runq *cur = cu->rq, *soft_rq = NULL, *idle_rq = NULL;
    struct c2_runq *least = NULL;
    cpumask_t soft = cu->unit->soft_affinity;
    unsigned int i;

    if ( cur && cpumask_empty(c2_cpus_in(cu, cur)) )
        cur = NULL;
    if ( cur && cpumask_weight(prv->active) == 1 )
        return cur;
    c2_for_each_bit(i, prv->active)
    {
        struct c2_runq *rq = &prv->rqs[i];
        cpumask_t ok = c2_cpus_in(cu, rq), idle;

        if ( cpumask_empty(ok) )
            continue;
        idle = cpumask_and(ok, rq->idle);
        idle.bits &= ~rq->tickled.bits;
        if ( !cpumask_empty(idle) )
        {
            bool in_soft = !cpumask_empty(cpumask_and(idle, soft));

            if ( in_soft && rq == cur )
                return cur;
            if ( in_soft && !soft_rq )
                soft_rq = rq;
            if ( !idle_rq || rq == cur )
                idle_rq = rq;
        }
        if ( !least ||
             (uint64_t)rq->load * cpumask_weight(least->cpus) <
             (uint64_t)least->load * cpumask_weight(rq->cpus) )
            least = rq;
    }
    if ( soft_rq )
        return soft_rq;
    if ( idle_rq )
        return idle_rq;
    return cur ? cur : least;
}

/* @cpu is to take @cu. The pCPU deciding right now (do_schedule) needs
 * no reschedule: it is about to look at the runqueue anyway. */
static void tickle_cpu(struct c2_priv *prv, struct c2_runq *rq,
                       struct c2_unit *cu, unsigned int cpu)
{
    cu->tickled_cpu = cpu;
    if ( cpu == prv->deciding )
        return;
    prv->tickled_for[cpu] = cu;
    cpumask_set(&rq->tickled, cpu);
    sched_tickle(cpu);
}

/* An idle pCPU of its runqueue that may run @cu, its last one first. */
static unsigned int idle_cpu_for(struct c2_unit *cu, cpumask_t allowed)
{
    cpumask_t idle = cpumask_and(allowed, cu->rq->idle);
    cpumask_t soft = cpumask_and(idle, cu->unit->soft_affinity);
    cpumask_t m = cpumask_empty(soft) ? idle : soft;

    if ( cpumask_test(&m, cu->unit->res) )
        return cu->unit->res;
    return cpumask_cycle(m, cu->unit->res);
}

void c2_kick_idle(struct c2_priv *prv, struct c2_unit *cu)
{
    cpumask_t allowed;
    unsigned int cpu;

    if ( !cu->rq || !c2_budget_ok(cu) )
        return;
    allowed = c2_cpus_in(cu, cu->rq);
    allowed.bits &= ~cu->rq->tickled.bits;
    cpu = idle_cpu_for(cu, allowed);
    if ( cpu < NR_CPUS )
        tickle_cpu(prv, cu->rq, cu, cpu);
}

/*
 * @cu was queued: tell a pCPU of its runqueue to take it -- an idle one
 * (soft affinity first), else the one running the unit with the least
 * credit, if @cu has more (Xen's runq_tickle).
 */
void c2_tickle(struct c2_priv *prv, struct c2_unit *cu, s_time_t now)
{
    struct c2_runq *rq = cu->rq;
    cpumask_t allowed;
    unsigned int cpu, lowest = NR_CPUS;
    s_time_t lowest_credit = cu->credit;

    /* A parked unit waits for the replenishment, which tells a pCPU. */
    if ( !c2_budget_ok(cu) )
        return;
    allowed = c2_cpus_in(cu, rq);
    allowed.bits &= ~rq->tickled.bits;
    if ( cpumask_empty(allowed) )
        return;
    cpu = idle_cpu_for(cu, allowed);
    if ( cpu < NR_CPUS )
    {
        tickle_cpu(prv, rq, cu, cpu);
        return;
    }
    c2_for_each_bit(cpu, allowed)
    {
        struct sched_unit *curr = sched_pcpu_curr(cpu);
        struct c2_unit *cc;

        if ( !curr )
        {
            lowest = cpu;       /* switching to idle right now */
            break;
        }
        cc = c2_unit(curr);
        /*
         * Its credit by now is credit - ran x max_weight / weight: below
         * the lowest so far iff (credit - lowest) x weight < ran x
         * max_weight. Burned (a division) only when it may be.
         */
        if ( cc->rq && (cc->credit - lowest_credit) *
                       (s_time_t)cc->sdom->weight <
                       MAX(now - cc->last_burn, 0) *
                       (s_time_t)cc->rq->max_weight )
        {
            c2_burn(cc, now);
            if ( cc->credit < lowest_credit )
            {
                lowest_credit = cc->credit;
                lowest = cpu;
            }
        }
    }
    if ( lowest < NR_CPUS )
        tickle_cpu(prv, rq, cu, lowest);
}

/* @cu became runnable and is on no pCPU: queue it and tell a pCPU. */
void c2_enqueue(struct scheduler *s, struct c2_unit *cu, s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_runq *rq = c2_pick_rq(prv, cu);

    if ( !rq )
        return;                 /* no pCPU it may use: stays off the queues */
    if ( rq != cu->rq )
    {
        c2_unassign(cu, now);
        c2_assign(cu, rq, now);
    }
    c2_count(cu, true, now);
    c2_runq_insert(cu);
    c2_tickle(prv, cu, now);
}

/*
 * Work waits in a runqueue while a pCPU idles where it may run (a unit
 * requeued or moved while all of its runqueue was busy, told to a pCPU
 * that then took another, a pCPU that went idle before the work came):
 * tell that pCPU -- it takes the unit, or pulls waiting work if it is in
 * another runqueue (c2_balance) -- so that no pCPU idles while work
 * waits. Units some pCPU was told to take, and is about to, are left to
 * it. Only the first few waiting units of each runqueue are looked at,
 * to bound the cost; nothing is looked at while no pCPU idles.
 */
void c2_tell_idlers(struct c2_priv *prv)
{
    cpumask_t idle = CPUMASK_NONE;
    unsigned int i;

    c2_for_each_bit(i, prv->active)
        idle.bits |= prv->rqs[i].idle.bits & ~prv->rqs[i].tickled.bits;
    if ( prv->deciding < NR_CPUS )
        cpumask_clear(&idle, prv->deciding);
    if ( cpumask_empty(idle) )
        return;
    c2_for_each_bit(i, prv->active)
    {
        struct c2_runq *rq = &prv->rqs[i];
        struct list_head *pos;
        unsigned int n = 0;

        list_for_each(pos, &rq->runq)
        {
            struct c2_unit *cu = c2_runq_entry(pos);
            cpumask_t m = cpumask_and(sched_unit_cpus(cu->unit), idle);
            unsigned int cpu, t = cu->tickled_cpu;

            if ( n++ == 8 )
                break;
            if ( cpumask_empty(m) || !c2_budget_ok(cu) ||
                 (t < NR_CPUS && cpumask_test(&rq->tickled, t)) )
                continue;
            cpu = cpumask_cycle(m, cu->unit->res);
            cpumask_set(&prv->cpu_rq[cpu]->tickled, cpu);
            cpumask_clear(&idle, cpu);
            sched_tickle(cpu);
            if ( cpumask_empty(idle) )
                return;
        }
    }
}
