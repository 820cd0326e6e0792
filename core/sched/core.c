/* SPDX-License-Identifier: MIT */
/*
 * The scheduler framework's heart: units and their states, runstate
 * accounting, and the per-pCPU switch. Policies decide (sched-if.h); this
 * file keeps the books, so that every policy gets exact runstate times,
 * context-switch and migration counts for free, and cannot put a unit on
 * two pCPUs or outside its hard affinity without a panic.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/sched-if.h>

#include "sched_private.h"

struct sched_pcpu sched_pcpus[NR_CPUS];
struct sched_stats sched_counters;
static void (*resched_hook)(unsigned int cpu);

void sched_set_resched_hook(void (*fn)(unsigned int cpu))
{
    resched_hook = fn;
}

void sched_tickle(unsigned int cpu)
{
    if ( cpu >= NR_CPUS || sched_pcpus[cpu].need_resched )
        return;
    sched_pcpus[cpu].need_resched = true;
    if ( resched_hook )
        resched_hook(cpu);
}

bool sched_need_resched(unsigned int cpu)
{
    return cpu < NR_CPUS && sched_pcpus[cpu].need_resched;
}

struct sched_unit *sched_pcpu_curr(unsigned int cpu)
{
    return cpu < NR_CPUS ? sched_pcpus[cpu].curr : NULL;
}

struct sched_unit *sched_curr(unsigned int cpu)
{
    return sched_pcpu_curr(cpu);
}

void sched_get_stats(struct sched_stats *st)
{
    *st = sched_counters;
}

/* ---- Runstates ---------------------------------------------------------- */

/* The state of a unit that is not on a pCPU (Xen's rule, vcpu.h). */
static enum runstate state_off_cpu(const struct sched_unit *u)
{
    if ( sched_unit_runnable(u) )
        return RUNSTATE_runnable;
    return u->blocked ? RUNSTATE_blocked : RUNSTATE_offline;
}

/*
 * Callers read the time before they take the pool lock, so with several
 * CPUs a change stamped a little earlier can come after one stamped
 * later (two CPUs waking one vCPU: an SMP guest's IPIs do it all the
 * time). The state then changes at the later time: time in a state is
 * never negative and the runstate clock never goes backwards.
 */
void sched_set_runstate(struct sched_unit *u, enum runstate st, s_time_t now)
{
    struct runstate_info *r = &u->runstate;

    if ( now < r->entry_time )
        now = r->entry_time;
    r->time[r->state] += now - r->entry_time;
    r->entry_time = now;
    r->state = st;
}

void sched_unit_runstate(const struct sched_unit *u, s_time_t now,
                         s_time_t time[NR_RUNSTATES])
{
    const struct runstate_info *r = &u->runstate;

    for ( unsigned int i = 0; i < NR_RUNSTATES; i++ )
        time[i] = r->time[i];
    if ( now > r->entry_time )
        time[r->state] += now - r->entry_time;
}

/*
 * Take a running unit off its pCPU at once (it is being removed from its
 * policy: destroyed, moved to another pool, its pCPU leaves the pool).
 */
void sched_unit_take_off(struct sched_unit *u, s_time_t now)
{
    if ( !u->running )
        return;
    sched_pcpus[u->res].curr = NULL;
    u->running = false;
    sched_set_runstate(u, state_off_cpu(u), now);
    sched_tickle(u->res);
}

/* ---- State changes ------------------------------------------------------ */

/*
 * Apply a change of pause_count/blocked/down made by the caller:
 * @was is sched_unit_runnable() before it. Policies hear wake/sleep only
 * on a real change; a running unit keeps RUNSTATE_running until its pCPU
 * switches away (as in Xen, the switch is where runstates change).
 */
static void unit_changed(struct sched_unit *u, bool was, s_time_t now)
{
    struct scheduler *s = &u->dom->pool->sched;
    bool is = sched_unit_runnable(u);

    if ( !u->running )
        sched_set_runstate(u, state_off_cpu(u), now);
    if ( was == is )
        return;
    if ( is )
        s->ops->wake(s, u, now);
    else
    {
        s->ops->sleep(s, u, now);
        if ( u->running )
            sched_tickle(u->res);
    }
}

#define UNIT_CHANGE(u, now, stmt)                                   \
    do {                                                            \
        spinlock_t *lock_ = &(u)->dom->pool->lock;                  \
        bool was_;                                                  \
        spin_lock(lock_);                                           \
        was_ = sched_unit_runnable(u);                              \
        stmt;                                                       \
        unit_changed((u), was_, (now));                             \
        spin_unlock(lock_);                                         \
    } while ( 0 )

void sched_unit_up(struct sched_unit *u, s_time_t now)
{
    UNIT_CHANGE(u, now, u->down = false);
}

void sched_unit_down(struct sched_unit *u, s_time_t now)
{
    UNIT_CHANGE(u, now, u->down = true);
}

void sched_unit_block(struct sched_unit *u, s_time_t now)
{
    UNIT_CHANGE(u, now, u->blocked = true);
}

void sched_unit_wake(struct sched_unit *u, s_time_t now)
{
    UNIT_CHANGE(u, now, u->blocked = false);
}

void sched_unit_pause(struct sched_unit *u, s_time_t now)
{
    UNIT_CHANGE(u, now, u->pause_count++);
}

void sched_unit_unpause(struct sched_unit *u, s_time_t now)
{
    /* An unbalanced unpause is a caller bug that would wrap the count. */
    BUG_ON(u->pause_count == 0);
    UNIT_CHANGE(u, now, u->pause_count--);
}

void sched_unit_yield(struct sched_unit *u, s_time_t now)
{
    struct scheduler *s = &u->dom->pool->sched;

    (void)now;
    spin_lock(&u->dom->pool->lock);
    if ( s->ops->yield )
        s->ops->yield(s, u);
    if ( u->running )
        sched_tickle(u->res);
    spin_unlock(&u->dom->pool->lock);
}

int sched_unit_set_affinity(struct sched_unit *u, const cpumask_t *hard,
                            const cpumask_t *soft, s_time_t now)
{
    struct cpupool *pool = u->dom->pool;
    struct scheduler *s = &pool->sched;

    if ( hard && cpumask_empty(cpumask_and(*hard, pool->cpus)) )
        return -EINVAL;
    spin_lock(&pool->lock);
    if ( hard )
        u->hard_affinity = *hard;
    if ( soft )
        u->soft_affinity = *soft;
    if ( s->ops->affinity_changed )
        s->ops->affinity_changed(s, u, now);
    if ( u->running && !cpumask_test(&u->hard_affinity, u->res) )
        sched_tickle(u->res);
    spin_unlock(&pool->lock);
    return 0;
}

/* ---- The switch --------------------------------------------------------- */

/* A policy broke the rules of sched-if.h: that is a bug in the policy. */
static void check_decision(const struct scheduler *s, unsigned int cpu,
                           const struct sched_unit *prev,
                           const struct sched_unit *n)
{
    if ( !n )
        return;
    if ( !sched_unit_runnable(n) )
        panic("sched %s: CPU%u picked d%uv%u, which cannot run",
              s->ops->opt_name, cpu, n->dom->domid, n->unit_id);
    if ( n->dom->pool != s->pool ||
         !cpumask_test(&n->hard_affinity, cpu) )
        panic("sched %s: CPU%u picked d%uv%u outside its affinity/pool",
              s->ops->opt_name, cpu, n->dom->domid, n->unit_id);
    if ( n->running && n != prev )
        panic("sched %s: CPU%u picked d%uv%u, running on CPU%u",
              s->ops->opt_name, cpu, n->dom->domid, n->unit_id, n->res);
}

struct sched_unit *sched_schedule(unsigned int cpu, s_time_t now,
                                  s_time_t *next)
{
    struct sched_pcpu *pc;
    struct cpupool *pool;
    struct sched_unit *prev, *n;
    struct sched_decision dec;

    BUG_ON(cpu >= NR_CPUS);
    pc = &sched_pcpus[cpu];
    pool = pc->pool;
    pc->need_resched = false;
    if ( !pool )
    {
        *next = S_TIME_NEVER;
        return NULL;
    }

    spin_lock(&pool->lock);
    sched_counters.schedules++;
    prev = pc->curr;
    dec = pool->sched.ops->do_schedule(&pool->sched, cpu, prev, now);
    n = dec.next;
    check_decision(&pool->sched, cpu, prev, n);

    if ( n != prev )
    {
        sched_counters.switches++;
        if ( prev )
        {
            prev->running = false;
            sched_set_runstate(prev, state_off_cpu(prev), now);
        }
        if ( n )
        {
            if ( n->last_cpu != NR_CPUS && n->last_cpu != cpu )
            {
                n->nr_migrations++;
                sched_counters.migrations++;
            }
            n->running = true;
            n->res = cpu;
            n->last_cpu = cpu;
            n->last_start = now;
            n->nr_switches_in++;
            sched_set_runstate(n, RUNSTATE_running, now);
        }
        pc->curr = n;
    }
    spin_unlock(&pool->lock);

    if ( dec.slice == S_TIME_NEVER || dec.slice > S_TIME_NEVER - now )
        *next = S_TIME_NEVER;
    else
        *next = now + (dec.slice > 0 ? dec.slice : 0);
    return n;
}
