/* SPDX-License-Identifier: MIT */
/*
 * The credit2 scheduler (Xen's "SMP Credit Scheduler rev2",
 * sched=credit2): the ops table, the life cycle of pCPUs, domains and
 * units, wake/sleep/yield, and the decision. The data and the other
 * files are described in credit2.h.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "credit2.h"

/* Hooks without a time use the latest one seen (see c2_priv.now). */
static void c2_time(struct c2_priv *prv, s_time_t now)
{
    if ( now > prv->now )
        prv->now = now;
}

/* ---- Life cycle --------------------------------------------------------- */

static int c2_init(struct scheduler *s)
{
    struct c2_priv *prv = xzalloc(struct c2_priv);

    if ( !prv )
        return -ENOMEM;
    INIT_LIST_HEAD(&prv->doms);
    prv->arrangement = CREDIT2_RQ_SOCKET;       /* Xen's default */
    prv->ratelimit = C2_DEFAULT_RATELIMIT;
    prv->next_repl = C2_BUDGET_PERIOD;
    prv->deciding = NR_CPUS;
    s->priv = prv;
    return 0;
}

static void c2_deinit(struct scheduler *s)
{
    xfree(s->priv);
    s->priv = NULL;
}

static int c2_add_cpu(struct scheduler *s, unsigned int cpu)
{
    return c2_cpu_join(c2_priv(s), cpu);
}

static void c2_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    c2_cpu_leave(s, cpu, c2_priv(s)->now);
}

static int c2_alloc_domdata(struct scheduler *s, struct sched_domain *d)
{
    struct c2_dom *sd = xzalloc(struct c2_dom);

    if ( !sd )
        return -ENOMEM;
    sd->dom = d;
    sd->weight = C2_DEFAULT_WEIGHT;
    list_add_tail(&sd->list, &c2_priv(s)->doms);
    d->priv = sd;
    return 0;
}

static void c2_free_domdata(struct scheduler *s, struct sched_domain *d)
{
    struct c2_dom *sd = d->priv;

    if ( sd->cap )
        c2_priv(s)->nr_capped--;
    list_del(&sd->list);
    xfree(sd);
}

static int c2_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct c2_unit *cu = xzalloc(struct c2_unit);

    (void)s;
    if ( !cu )
        return -ENOMEM;
    cu->unit = u;
    cu->sdom = u->dom->priv;
    cu->credit = C2_CREDIT_INIT;
    cu->tickled_cpu = NR_CPUS;
    INIT_LIST_HEAD(&cu->runq_elem);
    INIT_LIST_HEAD(&cu->rq_elem);
    u->priv = cu;
    return 0;
}

static void c2_free_udata(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    xfree(u->priv);
}

static void c2_insert_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_unit *cu = c2_unit(u);
    struct c2_runq *rq;

    c2_time(prv, now);
    cu->last_burn = now;
    rq = c2_pick_rq(prv, cu);
    if ( !rq )
        return;
    c2_assign(cu, rq, now);
    if ( sched_unit_runnable(u) && !u->running )
    {
        c2_count(cu, true, now);
        c2_runq_insert(cu);
        c2_tickle(prv, cu, now);
    }
}

static void c2_remove_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_unit *cu = c2_unit(u);

    c2_time(prv, now);
    c2_runq_remove(cu);
    c2_count(cu, false, now);
    c2_budget_return(cu);
    c2_unassign(cu, now);
    /* No pCPU may look for it once it is freed. */
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( prv->tickled_for[cpu] == cu )
            prv->tickled_for[cpu] = NULL;
}

/* ---- Runnability -------------------------------------------------------- */

static void c2_wake(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    struct c2_unit *cu = c2_unit(u);

    c2_time(c2_priv(s), now);
    c2_replenish(s, now);
    if ( cu->queued )
        return;
    /* Still on its pCPU (it blocked and woke before being switched
     * away): do_schedule() keeps it or requeues it as prev. */
    if ( u->running )
    {
        c2_count(cu, true, now);
        return;
    }
    c2_enqueue(s, cu, now);
}

static void c2_sleep(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    struct c2_unit *cu = c2_unit(u);

    c2_time(c2_priv(s), now);
    c2_runq_remove(cu);
    c2_count(cu, false, now);
}

static void c2_yield(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    c2_unit(u)->yielding = true;
}

static void c2_affinity_changed(struct scheduler *s, struct sched_unit *u,
                                s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_unit *cu = c2_unit(u);

    c2_time(prv, now);
    if ( cu->queued )
    {
        /* Where it may run changed: queue it anew, telling a pCPU. */
        c2_runq_remove(cu);
        c2_enqueue(s, cu, now);
        return;
    }
    if ( cu->rq && !cpumask_empty(c2_cpus_in(cu, cu->rq)) )
        return;             /* its runqueue still has a pCPU for it */
    if ( u->running )
    {
        /* It moves when its pCPU (tickled by the framework) requeues
         * it; its load moves now. */
        struct c2_runq *rq = c2_pick_rq(prv, cu);

        if ( rq )
        {
            c2_unassign(cu, now);
            c2_assign(cu, rq, now);
        }
    }
}

/* ---- The decision ------------------------------------------------------- */

/*
 * @cu's soft affinity prefers other pCPUs of @rq and one of them is
 * idle: leave @cu to it (and make sure it comes).
 */
static bool soft_elsewhere(struct c2_priv *prv, struct c2_unit *cu,
                           struct c2_runq *rq, unsigned int cpu)
{
    cpumask_t soft = cpumask_and(cu->unit->soft_affinity,
                                 c2_cpus_in(cu, rq)), idle;

    if ( cpumask_empty(soft) || cpumask_test(&soft, cpu) )
        return false;
    idle = cpumask_and(soft, rq->idle);
    idle.bits &= ~rq->tickled.bits;
    if ( cpumask_empty(idle) )
        return false;
    c2_kick_idle(prv, cu);
    return true;
}

/*
 * The unit @cpu should run: the first queued one (most credit) that may
 * run here, is not left to a pCPU told to take it or to an idle pCPU of
 * its soft affinity, and has budget; it must beat @pc (prev, if it may
 * go on) by its credit, and by MIGRATE_RESIST more if it last ran
 * elsewhere. A yielding prev loses to any of them (Xen's
 * runq_candidate). NULL: idle.
 */
static struct c2_unit *candidate(struct c2_priv *prv, struct c2_runq *rq,
                                 unsigned int cpu, struct c2_unit *pc,
                                 bool yielding)
{
    struct list_head *pos;

    list_for_each(pos, &rq->runq)
    {
        struct c2_unit *cu = c2_runq_entry(pos);
        unsigned int t = cu->tickled_cpu;

        if ( pc && !yielding && cu->credit <= pc->credit )
            break;              /* sorted: nobody further on beats prev */
        if ( !cpumask_test(&cu->unit->hard_affinity, cpu) )
            continue;
        if ( t < NR_CPUS && t != cpu && cpumask_test(&rq->tickled, t) )
            continue;
        /* Parked: nobody may take it (nor be told to). */
        if ( !c2_budget_ok(cu) || soft_elsewhere(prv, cu, rq, cpu) )
            continue;
        if ( pc && !yielding && cu->unit->last_cpu != cpu &&
             cu->unit->last_cpu != NR_CPUS &&
             cu->credit <= pc->credit + C2_MIGRATE_RESIST )
            continue;
        if ( !c2_budget_grab(prv, cu) )
            continue;
        return cu;
    }
    return pc;
}

static struct sched_decision c2_do_schedule(struct scheduler *s,
                                            unsigned int cpu,
                                            struct sched_unit *prev,
                                            s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct c2_runq *rq = prv->cpu_rq[cpu];
    struct c2_unit *pc = prev ? c2_unit(prev) : NULL, *snext, *retickle;
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };
    bool yielding = pc && pc->yielding, prev_ok;

    c2_time(prv, now);
    if ( !rq )
        return d;
    /* This pCPU is deciding now: it got any tickle sent its way, and
     * the tickles of its decision need not tell it. */
    prv->deciding = cpu;
    cpumask_clear(&rq->tickled, cpu);
    if ( pc )
    {
        c2_burn(pc, now);
        pc->yielding = false;
    }
    c2_replenish(s, now);
    c2_balance(s, rq, now, NR_CPUS);

    prev_ok = pc && sched_unit_runnable(prev) && pc->rq == rq &&
              cpumask_test(&prev->hard_affinity, cpu) &&
              c2_budget_grab(prv, pc);
    /* Ratelimit: prev keeps the pCPU for that long after it got it, so
     * that wake-ups cannot make it thrash (Xen's sched_ratelimit_us). */
    if ( prev_ok && !yielding && now - pc->start_time < prv->ratelimit )
        snext = pc;
    else
        snext = candidate(prv, rq, cpu, prev_ok ? pc : NULL, yielding);
    if ( !snext )
    {
        /* Nothing here: pull work from a busier runqueue at once. */
        c2_balance(s, rq, now, cpu);
        snext = candidate(prv, rq, cpu, NULL, false);
    }

    if ( pc && snext != pc )
    {
        c2_budget_return(pc);
        /* Back in a runqueue: its own unless another has a pCPU idle
         * for it (so that no pCPU idles while it waits), and a pCPU is
         * told if it beats what runs there. */
        if ( sched_unit_runnable(prev) )
            c2_enqueue(s, pc, now);
    }
    if ( snext && snext != pc )
    {
        c2_runq_remove(snext);
        snext->start_time = now;
        snext->last_burn = now;
        snext->tickled_cpu = NR_CPUS;
    }
    /* The front runner is out of credit: everybody gets more. */
    if ( snext && snext->credit <= C2_CREDIT_RESET )
        c2_reset_credit(rq, now);

    if ( snext )
    {
        d.next = snext->unit;
        d.slice = c2_runtime(prv, cpu, snext, snext == pc, now);
        cpumask_clear(&rq->idle, cpu);
    }
    else
        cpumask_set(&rq->idle, cpu);
    /*
     * Others skipped the unit this pCPU was told to take, leaving it to
     * this one; if it did not take it (prev kept by the ratelimit, a
     * better unit), an idle pCPU may: tell one, or it would idle while
     * the unit waits. (Only an idle one: busy pCPUs that each keep
     * their prev would pass the unit round for ever.)
     */
    retickle = prv->tickled_for[cpu];
    prv->tickled_for[cpu] = NULL;
    if ( retickle && retickle != snext && retickle->queued &&
         retickle->tickled_cpu == cpu && c2_budget_ok(retickle) )
    {
        retickle->tickled_cpu = NR_CPUS;
        c2_kick_idle(prv, retickle);
    }
    c2_tell_idlers(prv);
    /* Parked units come back at the replenishment: be there. */
    if ( prv->any_parked )
        d.slice = MIN(d.slice, MAX(prv->next_repl - now, C2_MIN_SLICE));
    prv->deciding = NR_CPUS;
    return d;
}

const struct sched_ops sched_credit2_ops = {
    .name = "SMP Credit Scheduler rev2",
    .opt_name = "credit2",
    .sched_id = XEN_SCHEDULER_CREDIT2,
    .init = c2_init,
    .deinit = c2_deinit,
    .add_cpu = c2_add_cpu,
    .remove_cpu = c2_remove_cpu,
    .alloc_domdata = c2_alloc_domdata,
    .free_domdata = c2_free_domdata,
    .alloc_udata = c2_alloc_udata,
    .free_udata = c2_free_udata,
    .insert_unit = c2_insert_unit,
    .remove_unit = c2_remove_unit,
    .wake = c2_wake,
    .sleep = c2_sleep,
    .yield = c2_yield,
    .do_schedule = c2_do_schedule,
    .affinity_changed = c2_affinity_changed,
    .get_dom_params = c2_get_dom_params,
    .set_dom_params = c2_set_dom_params,
    .get_params = c2_get_params,
    .set_params = c2_set_params,
    .dump = c2_dump,
};
