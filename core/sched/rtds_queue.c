/* SPDX-License-Identifier: MIT */
/*
 * RTDS bookkeeping (see rtds.c for the policy): the EDF queues, budgets
 * and deadlines of the deferrable servers, and finding a pCPU for a unit
 * that waits (tickling).
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include "rtds.h"

/* ---- Priorities and queues ---------------------------------------------- */

/* Does @a go before @b? Own budget before extratime, then EDF. */
static bool rt_higher_prio(const struct rt_unit *a, const struct rt_unit *b)
{
    if ( a->priority_level != b->priority_level )
        return a->priority_level < b->priority_level;
    return a->cur_deadline < b->cur_deadline;
}

/* @ahead: before its equals (a unit that runs keeps its pCPU on a tie). */
void rt_q_insert(struct rt_priv *prv, struct rt_unit *ru, bool ahead)
{
    struct list_head *pos;

    BUG_ON(ru->queued);
    ru->queued = true;
    if ( ru->depleted )
    {
        list_add_tail(&ru->q_elem, &prv->depletedq);
        return;
    }
    list_for_each(pos, &prv->runq)
    {
        struct rt_unit *it = list_entry(pos, struct rt_unit, q_elem);

        if ( rt_higher_prio(ru, it) || (ahead && !rt_higher_prio(it, ru)) )
            break;
    }
    list_insert_between(&ru->q_elem, pos->prev, pos);
}

void rt_q_remove(struct rt_unit *ru)
{
    if ( !ru->queued )
        return;
    list_del(&ru->q_elem);
    ru->queued = false;
}

/* The best queued unit that may run on @cpu. */
struct rt_unit *rt_runq_pick(struct rt_priv *prv, unsigned int cpu)
{
    struct list_head *pos;

    list_for_each(pos, &prv->runq)
    {
        struct rt_unit *ru = list_entry(pos, struct rt_unit, q_elem);

        if ( cpumask_test(&ru->unit->hard_affinity, cpu) )
            return ru;
    }
    return NULL;
}

/*
 * The replenishment queue, by deadline. A deadline earlier than the time
 * the timer pCPU will next look gets it to look again now.
 */
void rt_replq_add(struct rt_priv *prv, struct rt_unit *ru)
{
    struct list_head *pos;

    BUG_ON(ru->on_replq);
    list_for_each(pos, &prv->replq)
        if ( list_entry(pos, struct rt_unit, replq_elem)->cur_deadline >
             ru->cur_deadline )
            break;
    list_insert_between(&ru->replq_elem, pos->prev, pos);
    ru->on_replq = true;
}

void rt_replq_insert(struct scheduler *s, struct rt_unit *ru)
{
    struct rt_priv *prv = rt_priv(s);

    rt_replq_add(prv, ru);
    if ( ru->cur_deadline < prv->timer_at )
        sched_tickle(prv->timer_cpu);
}

void rt_replq_remove(struct rt_unit *ru)
{
    if ( !ru->on_replq )
        return;
    list_del(&ru->replq_elem);
    ru->on_replq = false;
}

/* ---- Budget and deadline ------------------------------------------------ */

void rt_burn_budget(struct rt_unit *ru, s_time_t now)
{
    s_time_t delta = now - ru->last_start;

    if ( delta <= 0 )
        return;
    ru->last_start = now;
    ru->cur_budget -= delta;
    if ( ru->cur_budget > 0 )
        return;
    if ( ru->extratime )
    {
        /* One level down, a fresh budget: runs only where no unit with
         * a better level wants the pCPU. The overrun is forgiven. */
        ru->priority_level++;
        ru->cur_budget = ru->budget;
    }
    else
    {
        ru->cur_budget = 0;
        ru->depleted = true;
    }
}

/*
 * Past the deadline: the next period starts. The deadline moves by as
 * many whole periods as it takes to be in the future, so periods stay
 * aligned to the first one however long the unit slept.
 */
static void rt_update_deadline(struct rt_unit *ru, s_time_t now)
{
    s_time_t periods = (now - ru->cur_deadline) / ru->period + 1;

    ru->cur_deadline += periods * ru->period;
    ru->cur_budget = ru->budget;
    ru->priority_level = 0;
    ru->depleted = false;
}

/* Bring @ru's books up to @now: what it ran, and a period that ended. */
void rt_catch_up(struct rt_unit *ru, s_time_t now)
{
    if ( ru->unit->running )
        rt_burn_budget(ru, now);
    if ( now >= ru->cur_deadline )
        rt_update_deadline(ru, now);
}

/* ---- Preemption --------------------------------------------------------- */

/*
 * @ru waits in runq: find it a pCPU. An idle one (its last one first),
 * else the one running the latest deadline if @ru beats it. pCPUs
 * already asked to reschedule will pick the best anyway; @self is
 * deciding right now.
 */
void rt_runq_tickle(struct rt_unit *ru, unsigned int self)
{
    cpumask_t cpus = sched_unit_cpus(ru->unit);
    struct rt_unit *latest = ru;
    unsigned int cpu, idle = NR_CPUS, victim = NR_CPUS;

    for_each_cpu(cpu, cpus)
    {
        struct sched_unit *curr;

        if ( cpu == self || sched_need_resched(cpu) )
            continue;
        curr = sched_pcpu_curr(cpu);
        if ( !curr )
        {
            if ( idle == NR_CPUS || cpu == ru->unit->res )
                idle = cpu;
        }
        else if ( rt_higher_prio(latest, rt_unit(curr)) )
        {
            latest = rt_unit(curr);
            victim = cpu;
        }
    }
    if ( idle < NR_CPUS )
        sched_tickle(idle);
    else if ( victim < NR_CPUS )
        sched_tickle(victim);
}

/* @ru runs on another pCPU with a new deadline: does a queued unit now
 * beat it there? */
void rt_check_running(struct rt_priv *prv, struct rt_unit *ru)
{
    struct rt_unit *best = rt_runq_pick(prv, ru->unit->res);

    if ( best && rt_higher_prio(best, ru) )
        sched_tickle(ru->unit->res);
}
