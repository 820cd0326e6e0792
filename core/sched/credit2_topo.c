/* SPDX-License-Identifier: MIT */
/*
 * credit2 runqueue arrangement: which pCPUs share a runqueue (the pool's
 * "runqueue" parameter over the CPU topology, Xen's credit2_runqueue=:
 * one per cpu, core, socket, node, or one for all), pCPUs joining and
 * leaving, and building the runqueues anew when the arrangement changes.
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include "credit2.h"

/* The group @cpu belongs to under @a: CPUs with equal keys share. */
static uint32_t rq_key(enum credit2_runqueue a, unsigned int cpu)
{
    struct cpu_topology t = sched_cpu_topology(cpu);

    switch ( a )
    {
    case CREDIT2_RQ_CPU:
        return cpu;
    case CREDIT2_RQ_CORE:
        return ((uint32_t)t.socket << 16) | t.core;
    case CREDIT2_RQ_SOCKET:
        return t.socket;
    case CREDIT2_RQ_NODE:
        return t.node;
    case CREDIT2_RQ_ALL:
        break;
    }
    return 0;
}

int c2_cpu_join(struct c2_priv *prv, unsigned int cpu)
{
    uint32_t key = rq_key(prv->arrangement, cpu);
    struct c2_runq *rq = NULL;
    unsigned int i;

    c2_for_each_bit(i, prv->active)
        if ( prv->rqs[i].key == key )
        {
            rq = &prv->rqs[i];
            break;
        }
    if ( !rq )
    {
        /* A free slot: there are as many as pCPUs, so one is free. */
        for ( i = 0; cpumask_test(&prv->active, i); i++ )
            ;
        rq = &prv->rqs[i];
        memset(rq, 0, sizeof(*rq));
        INIT_LIST_HEAD(&rq->runq);
        INIT_LIST_HEAD(&rq->units);
        rq->active = true;
        rq->key = key;
        rq->load_stamp = prv->now;
        rq->next_balance = prv->now;
        cpumask_set(&prv->active, i);
    }
    cpumask_set(&rq->cpus, cpu);
    cpumask_set(&rq->idle, cpu);        /* it joins running idle */
    prv->cpu_rq[cpu] = rq;
    return 0;
}

/* Take @cu out of its runqueue and queue it where it may run now. */
static void rehome(struct scheduler *s, struct c2_unit *cu, s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_runq *rq;

    c2_runq_remove(cu);
    c2_unassign(cu, now);
    rq = c2_pick_rq(prv, cu);
    if ( !rq )
        return;                 /* no pCPU left for it: it waits */
    c2_assign(cu, rq, now);
    if ( sched_unit_runnable(cu->unit) && !cu->unit->running )
    {
        c2_runq_insert(cu);
        c2_tickle(prv, cu, now);
    }
}

void c2_cpu_leave(struct scheduler *s, unsigned int cpu, s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_runq *rq = prv->cpu_rq[cpu];
    struct list_head *pos, *n;

    if ( !rq )
        return;
    prv->cpu_rq[cpu] = NULL;
    prv->tickled_for[cpu] = NULL;
    cpumask_clear(&rq->cpus, cpu);
    cpumask_clear(&rq->idle, cpu);
    cpumask_clear(&rq->tickled, cpu);
    if ( cpumask_empty(rq->cpus) )
    {
        rq->active = false;
        cpumask_clear(&prv->active, (unsigned int)(rq - prv->rqs));
    }
    /*
     * Units that can no longer run here go elsewhere; so does the unit
     * the framework just took off @cpu (runnable, neither running nor
     * queued any more).
     */
    list_for_each_safe(pos, n, &rq->units)
    {
        struct c2_unit *cu = c2_rq_entry(pos);
        bool orphan = sched_unit_runnable(cu->unit) && !cu->queued &&
                      !cu->unit->running;

        if ( !rq->active || cpumask_empty(c2_cpus_in(cu, rq)) || orphan )
            rehome(s, cu, now);
    }
    c2_tell_idlers(prv);
}

/* The pool's arrangement changed: build the runqueues anew. */
void c2_rearrange(struct scheduler *s, s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct list_head *pd, *pu;
    unsigned int cpu;

    list_for_each(pd, &prv->doms)
        list_for_each(pu, &list_entry(pd, struct c2_dom, list)->dom->units)
        {
            struct c2_unit *cu =
                c2_unit(list_entry(pu, struct sched_unit, dom_list));

            c2_runq_remove(cu);
            c2_unassign(cu, now);
        }
    prv->active = CPUMASK_NONE;
    memset(prv->cpu_rq, 0, sizeof(prv->cpu_rq));
    for_each_cpu(cpu, s->pool->cpus)
    {
        c2_cpu_join(prv, cpu);
        if ( sched_pcpu_curr(cpu) )
            cpumask_clear(&prv->cpu_rq[cpu]->idle, cpu);
    }
    list_for_each(pd, &prv->doms)
        list_for_each(pu, &list_entry(pd, struct c2_dom, list)->dom->units)
        {
            struct sched_unit *u = list_entry(pu, struct sched_unit,
                                              dom_list);
            struct c2_unit *cu = c2_unit(u);
            struct c2_runq *rq = u->running ? prv->cpu_rq[u->res]
                                            : c2_pick_rq(prv, cu);

            if ( !rq )
                continue;
            c2_assign(cu, rq, now);
            if ( sched_unit_runnable(u) && !u->running )
            {
                c2_runq_insert(cu);
                c2_tickle(prv, cu, now);
            }
        }
    c2_tell_idlers(prv);
}
