/* SPDX-License-Identifier: MIT */
/*
 * The credit scheduler (Xen's "SMP Credit Scheduler", sched=credit):
 * one runqueue per pCPU ordered BOOST > UNDER > OVER, 30 ms timeslices,
 * a 10 ms tick, ratelimit, and work stealing: a pCPU with nothing better
 * than OVER work takes a higher-priority unit from a peer's runqueue.
 * Accounting, caps and parameters: credit_acct.c.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "credit.h"

/* ---- Runqueues ---------------------------------------------------------- */

/* Behind every unit of the same or higher priority: FIFO per priority. */
void csched_runq_insert(struct csched_priv *prv, struct csched_unit *cu,
                        unsigned int cpu)
{
    struct list_head *rq = &prv->pcpu[cpu].runq, *pos;

    BUG_ON(cu->queued);
    list_for_each(pos, rq)
        if ( list_entry(pos, struct csched_unit, runq_elem)->pri < cu->pri )
            break;
    list_insert_between(&cu->runq_elem, pos->prev, pos);
    cu->queued = true;
    cu->runq_cpu = cpu;
    cu->unit->res = cpu;
}

void csched_runq_remove(struct csched_unit *cu)
{
    if ( !cu->queued )
        return;
    list_del(&cu->runq_elem);
    cu->queued = false;
}

/* The first unit of @cpu's runqueue that may run there now. */
static struct csched_unit *runq_best(struct csched_priv *prv,
                                     unsigned int cpu)
{
    struct list_head *pos;

    list_for_each(pos, &prv->pcpu[cpu].runq)
    {
        struct csched_unit *cu =
            list_entry(pos, struct csched_unit, runq_elem);

        if ( !csched_parked(cu) )
            return cu;
    }
    return NULL;
}

/*
 * Wake @cpu up. A tickled idle pCPU leaves the idle mask at once, as in
 * Xen's runq_tickle: otherwise several wake-ups at the same instant would
 * all pick the same idler while another stays idle (it rejoins the mask
 * if its next decision finds nothing to run).
 */
static void tickle(struct csched_priv *prv, unsigned int cpu)
{
    cpumask_clear(&prv->idlers, cpu);
    sched_tickle(cpu);
}

/* Preempt @cpu if its runqueue holds better work than what it runs. */
void csched_tickle_for(struct scheduler *s, unsigned int cpu)
{
    struct csched_unit *best = runq_best(csched_priv(s), cpu);
    struct sched_unit *curr = sched_pcpu_curr(cpu);

    if ( best && (!curr || csched_unit(curr)->pri < best->pri) )
        tickle(csched_priv(s), cpu);
}

/* An idle pCPU that may run @cu: it will steal it. */
static void tickle_idler(struct scheduler *s, struct csched_unit *cu)
{
    cpumask_t m = cpumask_and(csched_priv(s)->idlers,
                              sched_unit_cpus(cu->unit));

    if ( !cpumask_empty(m) )
        tickle(csched_priv(s), cpumask_cycle(m, cu->runq_cpu));
}

/*
 * Where a waking unit goes: an idle pCPU if any (its last one first,
 * for a warm cache; soft affinity before hard), else where it was.
 */
static unsigned int pick_cpu(struct scheduler *s, struct sched_unit *u)
{
    struct csched_priv *prv = csched_priv(s);
    cpumask_t hard = sched_unit_cpus(u);
    cpumask_t idle = cpumask_and(prv->idlers, hard);
    cpumask_t soft_idle = cpumask_and(idle, u->soft_affinity);

    if ( cpumask_test(&soft_idle, u->res) || cpumask_test(&idle, u->res) )
        return u->res;
    if ( !cpumask_empty(soft_idle) )
        return cpumask_cycle(soft_idle, u->res);
    if ( !cpumask_empty(idle) )
        return cpumask_cycle(idle, u->res);
    if ( cpumask_test(&hard, u->res) )
        return u->res;
    return cpumask_cycle(hard, u->res);
}

static void enqueue(struct scheduler *s, struct csched_unit *cu)
{
    unsigned int cpu = pick_cpu(s, cu->unit);

    if ( cpu >= NR_CPUS )
        return;             /* no pCPU it may use: stays off the queues */
    csched_runq_insert(csched_priv(s), cu, cpu);
    csched_tickle_for(s, cpu);
}

/* ---- Life cycle --------------------------------------------------------- */

static int csched_init(struct scheduler *s)
{
    struct csched_priv *prv = xzalloc(struct csched_priv);

    if ( !prv )
        return -ENOMEM;
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        INIT_LIST_HEAD(&prv->pcpu[cpu].runq);
    INIT_LIST_HEAD(&prv->doms);
    prv->tslice = CSCHED_DEFAULT_TSLICE;
    prv->ratelimit = CSCHED_DEFAULT_RATELIMIT;
    s->priv = prv;
    return 0;
}

static void csched_deinit(struct scheduler *s)
{
    xfree(s->priv);
    s->priv = NULL;
}

static int csched_add_cpu(struct scheduler *s, unsigned int cpu)
{
    cpumask_set(&csched_priv(s)->idlers, cpu);
    return 0;
}

static void csched_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    struct csched_priv *prv = csched_priv(s);
    struct list_head *rq = &prv->pcpu[cpu].runq, *pd, *pu;

    cpumask_clear(&prv->idlers, cpu);
    while ( !list_empty(rq) )
    {
        struct csched_unit *cu =
            list_entry(rq->next, struct csched_unit, runq_elem);

        csched_runq_remove(cu);
        enqueue(s, cu);
    }
    /* The unit that was running there has been taken off by the
     * framework and is on no runqueue: queue it on a pCPU still in the
     * pool, or it would wait until it next blocked and woke. */
    list_for_each(pd, &prv->doms)
    {
        struct csched_dom *cd = list_entry(pd, struct csched_dom, list);

        list_for_each(pu, &cd->dom->units)
        {
            struct sched_unit *u = list_entry(pu, struct sched_unit,
                                              dom_list);
            struct csched_unit *cu = csched_unit(u);

            if ( u->res == cpu && !u->running && !cu->queued &&
                 sched_unit_runnable(u) )
                enqueue(s, cu);
        }
    }
}

static int csched_alloc_domdata(struct scheduler *s, struct sched_domain *d)
{
    struct csched_dom *cd = xzalloc(struct csched_dom);

    if ( !cd )
        return -ENOMEM;
    cd->dom = d;
    cd->weight = CSCHED_DEFAULT_WEIGHT;
    list_add_tail(&cd->list, &csched_priv(s)->doms);
    d->priv = cd;
    return 0;
}

static void csched_free_domdata(struct scheduler *s, struct sched_domain *d)
{
    struct csched_dom *cd = d->priv;

    if ( cd->cap )
        csched_priv(s)->nr_capped--;
    list_del(&cd->list);
    xfree(cd);
}

static int csched_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct csched_unit *cu = xzalloc(struct csched_unit);

    (void)s;
    if ( !cu )
        return -ENOMEM;
    cu->unit = u;
    cu->sdom = u->dom->priv;
    cu->pri = CSCHED_PRI_UNDER;
    INIT_LIST_HEAD(&cu->runq_elem);
    u->priv = cu;
    return 0;
}

static void csched_free_udata(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    xfree(u->priv);
}

static void csched_insert_unit(struct scheduler *s, struct sched_unit *u,
                               s_time_t now)
{
    struct csched_unit *cu = csched_unit(u);

    cu->last_burn = now;
    if ( sched_unit_runnable(u) && !u->running )
        enqueue(s, cu);
}

static void csched_remove_unit(struct scheduler *s, struct sched_unit *u,
                               s_time_t now)
{
    (void)s, (void)now;
    csched_runq_remove(csched_unit(u));
}

static void csched_wake(struct scheduler *s, struct sched_unit *u,
                        s_time_t now)
{
    struct csched_unit *cu = csched_unit(u);

    csched_acct(s, now);
    /* BOOST: a unit that wakes with credit left preempts those that
     * merely use theirs up, so I/O-bound vCPUs get in quickly. */
    if ( cu->pri == CSCHED_PRI_UNDER && !csched_parked(cu) )
        cu->pri = CSCHED_PRI_BOOST;
    /* Still on its pCPU (it blocked and woke before being switched
     * away): do_schedule() will requeue it as prev. */
    if ( !cu->queued && !u->running )
        enqueue(s, cu);
}

static void csched_sleep(struct scheduler *s, struct sched_unit *u,
                         s_time_t now)
{
    (void)s, (void)now;
    csched_runq_remove(csched_unit(u));
}

static void csched_yield(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    csched_unit(u)->yielding = true;
}

static void csched_affinity_changed(struct scheduler *s,
                                    struct sched_unit *u, s_time_t now)
{
    struct csched_unit *cu = csched_unit(u);

    (void)now;
    if ( cu->queued && !cpumask_test(&u->hard_affinity, cu->runq_cpu) )
    {
        csched_runq_remove(cu);
        enqueue(s, cu);
    }
}

/* ---- The decision ------------------------------------------------------- */

/*
 * Work stealing: the best unit queued on a peer pCPU that beats @pri and
 * may run on @cpu. Peers are scanned from @cpu + 1 round the pool so
 * that stealing spreads instead of always robbing CPU 0.
 */
static struct csched_unit *steal(struct scheduler *s, unsigned int cpu,
                                 int pri)
{
    struct csched_priv *prv = csched_priv(s);
    struct csched_unit *found = NULL;
    unsigned int n = cpumask_weight(s->pool->cpus), peer = cpu;

    for ( unsigned int i = 1; i < n; i++ )
    {
        struct list_head *pos;

        peer = cpumask_cycle(s->pool->cpus, peer + 1);
        list_for_each(pos, &prv->pcpu[peer].runq)
        {
            struct csched_unit *cu =
                list_entry(pos, struct csched_unit, runq_elem);

            if ( (int)cu->pri <= pri )
                break;          /* sorted: nothing better further on */
            if ( csched_parked(cu) ||
                 !cpumask_test(&cu->unit->hard_affinity, cpu) )
                continue;
            found = cu;
            pri = (int)cu->pri;
            break;
        }
        if ( pri == CSCHED_PRI_BOOST )
            break;
    }
    return found;
}

static s_time_t slice_for(struct csched_priv *prv, struct csched_unit *cu,
                          s_time_t now)
{
    s_time_t end = cu->slice_start + prv->tslice;
    s_time_t tick = (now / CSCHED_TICK + 1) * CSCHED_TICK;
    s_time_t slice = MIN(end, tick) - now;

    /* A capped unit stops exactly when its domain's budget runs out. */
    if ( cu->sdom->cap )
        slice = MIN(slice, cu->sdom->budget);
    return MAX(slice, CSCHED_MIN_SLICE);
}

static struct sched_decision csched_do_schedule(struct scheduler *s,
                                                unsigned int cpu,
                                                struct sched_unit *prev,
                                                s_time_t now)
{
    struct csched_priv *prv = csched_priv(s);
    struct csched_unit *pc = prev ? csched_unit(prev) : NULL;
    struct csched_unit *best;
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };
    bool prev_can_run;

    if ( pc )
    {
        csched_burn(pc, now);
        /* The tick: BOOST lasts until the first 10 ms tick the unit runs
         * across (Xen demotes the running unit in its tick handler). Ticks
         * are a fixed grid, so a timeslice shorter than the tick, which
         * restarts slice_start at every pick, cannot keep BOOST forever. */
        if ( pc->pri == CSCHED_PRI_BOOST &&
             now / CSCHED_TICK > pc->slice_start / CSCHED_TICK )
            pc->pri = CSCHED_PRI_UNDER;
        if ( pc->pri != CSCHED_PRI_BOOST )
            pc->pri = pc->credit > 0 ? CSCHED_PRI_UNDER : CSCHED_PRI_OVER;
    }
    csched_acct(s, now);

    prev_can_run = pc && sched_unit_runnable(prev) && !csched_parked(pc) &&
                   cpumask_test(&prev->hard_affinity, cpu);
    best = runq_best(prv, cpu);

    /*
     * Keep prev while its slice lasts and nothing better waits here;
     * and, whatever waits, for the ratelimit after it started, so that
     * wake-ups cannot make it thrash (Xen's sched_ratelimit_us).
     */
    if ( prev_can_run && !pc->yielding &&
         ((now - pc->slice_start < prv->ratelimit) ||
          (now - pc->slice_start < prv->tslice &&
           (!best || best->pri <= pc->pri))) )
    {
        d.next = prev;
        d.slice = slice_for(prv, pc, now);
        if ( best && best->pri > pc->pri )
            d.slice = MIN(d.slice,
                          MAX(pc->slice_start + prv->ratelimit - now,
                              CSCHED_MIN_SLICE));
        cpumask_clear(&prv->idlers, cpu);
        return d;
    }

    /* A prev that still wants to run goes back to a runqueue: this one,
     * even if parked (it waits there for the next accounting), or one
     * it may use after an affinity change. */
    if ( pc && sched_unit_runnable(prev) )
    {
        if ( cpumask_test(&prev->hard_affinity, cpu) )
            csched_runq_insert(prv, pc, cpu);
        else
            enqueue(s, pc);
        best = runq_best(prv, cpu);
    }
    if ( pc )
        pc->yielding = false;

    if ( !best || best->pri < CSCHED_PRI_UNDER )
    {
        struct csched_unit *st = steal(s, cpu, best ? (int)best->pri : -1);

        if ( st )
            best = st;
    }

    if ( best )
    {
        csched_runq_remove(best);
        best->last_burn = now;
        best->slice_start = now;
        d.next = best->unit;
        d.slice = slice_for(prv, best, now);
        cpumask_clear(&prv->idlers, cpu);
        /* Work left behind here: an idle peer can take it. */
        if ( !list_empty(&prv->pcpu[cpu].runq) )
            tickle_idler(s, list_entry(prv->pcpu[cpu].runq.next,
                                       struct csched_unit, runq_elem));
    }
    else
    {
        cpumask_set(&prv->idlers, cpu);
        /* Parked units come back at the next accounting. */
        if ( prv->nr_capped )
            d.slice = MAX(prv->next_acct - now, CSCHED_MIN_SLICE);
    }
    return d;
}

static void csched_dump(struct scheduler *s)
{
    struct csched_priv *prv = csched_priv(s);
    unsigned int cpu;

    printk("  credit: tslice %lld ms, ratelimit %lld us\n",
           (long long)(prv->tslice / MILLISECS(1)),
           (long long)(prv->ratelimit / MICROSECS(1)));
    for_each_cpu(cpu, s->pool->cpus)
    {
        struct list_head *pos;

        printk("  CPU%u runq:", cpu);
        list_for_each(pos, &prv->pcpu[cpu].runq)
        {
            struct csched_unit *cu =
                list_entry(pos, struct csched_unit, runq_elem);

            printk(" d%uv%u(pri %d, credit %lld us)", cu->unit->dom->domid,
                   cu->unit->unit_id, cu->pri,
                   (long long)(cu->credit / MICROSECS(1)));
        }
        printk("\n");
    }
}

const struct sched_ops sched_credit_ops = {
    .name = "SMP Credit Scheduler",
    .opt_name = "credit",
    .sched_id = XEN_SCHEDULER_CREDIT,
    .init = csched_init,
    .deinit = csched_deinit,
    .add_cpu = csched_add_cpu,
    .remove_cpu = csched_remove_cpu,
    .alloc_domdata = csched_alloc_domdata,
    .free_domdata = csched_free_domdata,
    .alloc_udata = csched_alloc_udata,
    .free_udata = csched_free_udata,
    .insert_unit = csched_insert_unit,
    .remove_unit = csched_remove_unit,
    .wake = csched_wake,
    .sleep = csched_sleep,
    .yield = csched_yield,
    .do_schedule = csched_do_schedule,
    .affinity_changed = csched_affinity_changed,
    .get_dom_params = csched_get_dom_params,
    .set_dom_params = csched_set_dom_params,
    .get_params = csched_get_params,
    .set_params = csched_set_params,
    .dump = csched_dump,
};
