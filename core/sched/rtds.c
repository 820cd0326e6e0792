/* SPDX-License-Identifier: MIT */
/*
 * RTDS (Xen's "SMP RTDS Scheduler", sched=rtds): every vCPU is a
 * deferrable server -- a budget it may use in each period -- and the
 * pool's pCPUs run the servers in global EDF order:
 *
 * - runq holds the queued units that may run, ordered by (priority level,
 *   deadline); the running units are on no queue. depletedq holds those
 *   that used their budget and wait for the end of their period.
 * - The budget burns only while the unit runs. At each period boundary
 *   (the deadline) it is refilled and the deadline moves on by whole
 *   periods, so a unit that slept through several periods catches up
 *   instead of owing them (Xen's rt_update_deadline). A unit that sleeps
 *   keeps what is left of its budget until its deadline: that is what
 *   makes the server deferrable.
 * - extratime (Xen 4.10+): a unit that used its budget with extratime set
 *   is refilled at once one priority level lower, so it runs on time no
 *   unit with budget at a better level wants, and competes by deadline
 *   with the other extra units of its level.
 * - Replenishments are the only timed events besides budget exhaustion.
 *   One pCPU of the pool (timer_cpu) asks the framework to be called at
 *   the earliest one (Xen has one replenishment timer per instance);
 *   whichever pCPU schedules first past a deadline replenishes.
 * Queues, budgets and tickling: rtds_queue.c. Parameters, validation and
 * the dump: rtds_ctl.c.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "rtds.h"

/* ---- Replenishment ------------------------------------------------------ */

/* Every unit whose period ended by @now gets its new one; the units to
 * re-place once @self has decided go on @kick. */
static void replenish_due(struct rt_priv *prv, s_time_t now,
                          struct list_head *kick)
{
    while ( !list_empty(&prv->replq) )
    {
        struct rt_unit *ru =
            list_first_entry(&prv->replq, struct rt_unit, replq_elem);

        if ( ru->cur_deadline > now )
            break;
        rt_replq_remove(ru);
        rt_catch_up(ru, now);
        /* Re-sort: the deadline moved (and depletedq -> runq). */
        if ( ru->queued )
        {
            rt_q_remove(ru);
            rt_q_insert(prv, ru, false);
        }
        /* Its next replenishment. The timer pCPU needs no tickle: it
         * is programmed for a time <= now and will look again. */
        rt_replq_add(prv, ru);
        if ( !ru->kicked )
        {
            ru->kicked = true;
            list_add_tail(&ru->kick_elem, kick);
        }
    }
}

/* After @self decided: replenished units elsewhere find their pCPUs. */
static void kick_replenished(struct rt_priv *prv, struct list_head *kick,
                             unsigned int self)
{
    while ( !list_empty(kick) )
    {
        struct rt_unit *ru =
            list_first_entry(kick, struct rt_unit, kick_elem);

        list_del(&ru->kick_elem);
        ru->kicked = false;
        if ( ru->queued && !ru->depleted )
            rt_runq_tickle(ru, self);
        else if ( ru->unit->running && ru->unit->res != self )
            rt_check_running(prv, ru);
    }
}

/* ---- Life cycle --------------------------------------------------------- */

static int rt_init(struct scheduler *s)
{
    struct rt_priv *prv = xzalloc(struct rt_priv);

    if ( !prv )
        return -ENOMEM;
    INIT_LIST_HEAD(&prv->runq);
    INIT_LIST_HEAD(&prv->depletedq);
    INIT_LIST_HEAD(&prv->replq);
    prv->timer_cpu = NR_CPUS;
    prv->timer_at = S_TIME_NEVER;
    s->priv = prv;
    return 0;
}

static void rt_deinit(struct scheduler *s)
{
    xfree(s->priv);
    s->priv = NULL;
}

static int rt_add_cpu(struct scheduler *s, unsigned int cpu)
{
    struct rt_priv *prv = rt_priv(s);

    if ( prv->timer_cpu == NR_CPUS )
    {
        prv->timer_cpu = cpu;
        prv->timer_at = S_TIME_NEVER;   /* programmed at its first call */
    }
    return 0;
}

/*
 * A unit that was running on @cpu was taken off by the framework and is
 * on no queue: queue it again (and any other runnable unit that is on
 * none, which only that can be).
 */
static void rt_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    struct rt_priv *prv = rt_priv(s);
    struct list_head *dp, *up;

    if ( prv->timer_cpu == cpu )
    {
        prv->timer_cpu = cpumask_cycle(s->pool->cpus, cpu);
        prv->timer_at = S_TIME_NEVER;
        sched_tickle(prv->timer_cpu);
    }
    list_for_each(dp, &s->pool->domains)
        list_for_each(up, &list_entry(dp, struct sched_domain,
                                      pool_list)->units)
        {
            struct sched_unit *u =
                list_entry(up, struct sched_unit, dom_list);
            struct rt_unit *ru = rt_unit(u);

            if ( ru && sched_unit_runnable(u) && !u->running && !ru->queued )
            {
                /* It ran until the framework took it off, which is when
                 * its runstate last changed. */
                rt_burn_budget(ru, u->runstate.entry_time);
                rt_q_insert(prv, ru, false);
                if ( !ru->depleted )
                    rt_runq_tickle(ru, cpu);
            }
        }
}

static int rt_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct rt_unit *ru = xzalloc(struct rt_unit);

    (void)s;
    if ( !ru )
        return -ENOMEM;
    ru->unit = u;
    ru->period = RTDS_DEFAULT_PERIOD;
    ru->budget = RTDS_DEFAULT_BUDGET;
    ru->cur_budget = ru->budget;
    ru->cur_deadline = 0;       /* the first period: when it first wakes */
    INIT_LIST_HEAD(&ru->q_elem);
    INIT_LIST_HEAD(&ru->replq_elem);
    INIT_LIST_HEAD(&ru->kick_elem);
    u->priv = ru;
    return 0;
}

static void rt_free_udata(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    xfree(u->priv);
}

static void rt_insert_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    struct rt_unit *ru = rt_unit(u);

    /* The first period starts when the unit first becomes runnable, so
     * that parameters set while it is down (as a toolstack does before
     * unpausing) apply from its first period. */
    ru->last_start = now;
    if ( !sched_unit_runnable(u) )
        return;
    rt_catch_up(ru, now);
    rt_replq_insert(s, ru);
    if ( !u->running )
    {
        rt_q_insert(rt_priv(s), ru, false);
        if ( !ru->depleted )
            rt_runq_tickle(ru, NR_CPUS);
    }
}

/* Off every queue: it is not runnable, or it leaves the pool. */
static void rt_remove_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    struct rt_unit *ru = rt_unit(u);

    (void)s, (void)now;
    rt_q_remove(ru);
    rt_replq_remove(ru);
}

/*
 * Woken: a unit past its deadline starts a fresh period; one woken
 * within its period keeps the budget it had left (deferrable server).
 */
static void rt_wake(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    struct rt_unit *ru = rt_unit(u);

    rt_catch_up(ru, now);
    if ( !ru->on_replq )
        rt_replq_insert(s, ru);
    /* Still on its pCPU (blocked and woken before the switch):
     * do_schedule() requeues it as prev. */
    if ( !ru->queued && !u->running )
    {
        rt_q_insert(rt_priv(s), ru, false);
        if ( !ru->depleted )
            rt_runq_tickle(ru, NR_CPUS);
    }
}

static void rt_affinity_changed(struct scheduler *s, struct sched_unit *u,
                                s_time_t now)
{
    struct rt_unit *ru = rt_unit(u);

    (void)s, (void)now;
    if ( ru->queued && !ru->depleted )
        rt_runq_tickle(ru, NR_CPUS);
}

/* ---- The decision ------------------------------------------------------- */

static struct sched_decision rt_do_schedule(struct scheduler *s,
                                            unsigned int cpu,
                                            struct sched_unit *prev,
                                            s_time_t now)
{
    struct rt_priv *prv = rt_priv(s);
    struct rt_unit *rp = prev ? rt_unit(prev) : NULL, *snext;
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };
    struct list_head kick;

    INIT_LIST_HEAD(&kick);
    if ( rp )
        rt_burn_budget(rp, now);
    replenish_due(prv, now, &kick);
    if ( rp && sched_unit_runnable(prev) && !rp->queued )
        rt_q_insert(prv, rp, true);

    snext = rt_runq_pick(prv, cpu);
    if ( snext )
    {
        rt_q_remove(snext);
        snext->last_start = now;
        d.next = snext->unit;
        d.slice = snext->cur_budget;
    }

    kick_replenished(prv, &kick, cpu);
    /* Preempted but still wanting to run: another pCPU may take it. */
    if ( rp && rp != snext && rp->queued && !rp->depleted )
        rt_runq_tickle(rp, cpu);

    if ( cpu == prv->timer_cpu )
    {
        if ( !list_empty(&prv->replq) )
            d.slice = MIN(d.slice,
                          list_first_entry(&prv->replq, struct rt_unit,
                                           replq_elem)->cur_deadline - now);
        prv->timer_at = d.slice == S_TIME_NEVER ? S_TIME_NEVER
                                                : now + d.slice;
    }
    return d;
}

const struct sched_ops sched_rtds_ops = {
    .name = "SMP RTDS Scheduler",
    .opt_name = "rtds",
    .sched_id = XEN_SCHEDULER_RTDS,
    .init = rt_init,
    .deinit = rt_deinit,
    .add_cpu = rt_add_cpu,
    .remove_cpu = rt_remove_cpu,
    .alloc_udata = rt_alloc_udata,
    .free_udata = rt_free_udata,
    .insert_unit = rt_insert_unit,
    .remove_unit = rt_remove_unit,
    .wake = rt_wake,
    .sleep = rt_remove_unit,
    .do_schedule = rt_do_schedule,
    .affinity_changed = rt_affinity_changed,
    .get_dom_params = rt_get_dom_params,
    .set_dom_params = rt_set_dom_params,
    .get_unit_params = rt_get_unit_params,
    .set_unit_params = rt_set_unit_params,
    .dump = rt_dump,
};
