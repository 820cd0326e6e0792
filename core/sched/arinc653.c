/* SPDX-License-Identifier: MIT */
/*
 * ARINC 653 (Xen's "ARINC 653 Scheduler", sched=arinc653): time
 * partitioning for avionics. The pool repeats a major frame made of minor
 * frames (windows), each one (domain, vCPU, runtime), in the order given:
 *
 * - a window's unit runs for the whole window and nothing else runs then;
 *   if it is not runnable the pCPU idles (the scheduler is not work
 *   conserving: a partition's spare time is never lent to another);
 * - time past the sum of the runtimes, up to the major frame, idles;
 * - a new schedule (XEN_SYSCTL_SCHEDOP_putinfo) starts a major frame at
 *   the next decision, as Xen restarts the frame at NOW() on putinfo.
 *   Frames are then counted from that start, so windows stay exact to
 *   the ns however late a pCPU is called (Xen starts the next frame when
 *   called and BUG()s if a whole frame was missed).
 *
 * Several pCPUs (Xen 4.18's behaviour): adding a second pCPU to the pool
 * is allowed, but the schedule stays one sequence of windows. A unit
 * runs only on its home pCPU (where it was placed, kept as Xen's
 * a653sched_pick_resource keeps a unit's processor), so at any moment at
 * most one pCPU of the pool runs a unit and the others idle.
 *
 * Windows name (domid, vCPU). An entry whose domain or vCPU does not
 * exist is accepted and its window idles; a domain created later with
 * that id fills it (Xen matches by domain handle the same way).
 *
 * Default schedule, before any putinfo: Xen's -- each vCPU of domain 0
 * gets a 10 ms window, in the order they are created; every other domain
 * idles until a schedule names it.
 *
 * Setting and reading the schedule, its validation, the dump:
 * arinc653_ctl.c.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "arinc653.h"

/* Every pCPU of the pool decides again (a unit changed home). */
void a653_kick_all(struct scheduler *s)
{
    unsigned int cpu;

    for_each_cpu(cpu, s->pool->cpus)
        sched_tickle(cpu);
}

/* The schedule changed: a major frame starts at the next decision. */
void a653_restart(struct scheduler *s)
{
    priv(s)->restart = true;
    a653_kick_all(s);
}

/* Give @u a home it may use, keeping the one it has when allowed. */
void a653_place(struct sched_unit *u)
{
    struct a653_unit *au = u->priv;
    cpumask_t cpus = sched_unit_cpus(u);

    if ( !cpumask_test(&cpus, au->home) )
        au->home = cpumask_cycle(cpus, 0);
}

/* ---- Life cycle --------------------------------------------------------- */

static int a653_init(struct scheduler *s)
{
    struct a653_priv *p = xzalloc(struct a653_priv);

    if ( !p )
        return -ENOMEM;
    p->is_default = true;
    p->restart = true;
    s->priv = p;
    return 0;
}

static void a653_deinit(struct scheduler *s)
{
    xfree(s->priv);
    s->priv = NULL;
}

static int a653_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct a653_unit *au = xzalloc(struct a653_unit);

    (void)s;
    if ( !au )
        return -ENOMEM;
    au->home = u->res;          /* where the framework placed it */
    u->priv = au;
    return 0;
}

static void a653_free_udata(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    xfree(u->priv);
}

static int a653_add_cpu(struct scheduler *s, unsigned int cpu)
{
    (void)s, (void)cpu;
    return 0;
}

/* Units homed on @cpu move to a pCPU that stays. */
static void a653_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    struct a653_priv *p = priv(s);

    for ( unsigned int i = 0; i < p->nr_entries; i++ )
        if ( p->unit[i] && home(p->unit[i]) == cpu )
            a653_place(p->unit[i]);
    a653_kick_all(s);
}

static void a653_insert_unit(struct scheduler *s, struct sched_unit *u,
                             s_time_t now)
{
    struct a653_priv *p = priv(s);
    bool found = false;

    (void)now;
    a653_place(u);
    /* Windows that name it: it fills them from now on, the frame goes
     * on undisturbed. */
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
        if ( entry_names(&p->entry[i], u) )
        {
            p->unit[i] = u;
            found = true;
        }
    if ( found )
        sched_tickle(home(u));
    /* Xen's default: every vCPU of dom0 gets a window of its own, which
     * makes a new (longer) frame. */
    else if ( p->is_default && u->dom->domid == 0 &&
              p->nr_entries < ARINC653_MAX_ENTRIES )
    {
        p->entry[p->nr_entries] = (struct arinc653_entry){
            .domid = 0, .vcpu_id = u->unit_id,
            .runtime = A653_DEFAULT_WINDOW };
        p->unit[p->nr_entries++] = u;
        p->major_frame += A653_DEFAULT_WINDOW;
        a653_restart(s);
    }
}

/* The unit's windows stay in the schedule and idle. */
static void a653_remove_unit(struct scheduler *s, struct sched_unit *u,
                             s_time_t now)
{
    struct a653_priv *p = priv(s);

    (void)now;
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
        if ( p->unit[i] == u )
            p->unit[i] = NULL;
}

/* ---- Windows ------------------------------------------------------------ */

/*
 * The window at @now: its entry (nr_entries for the idle rest of the
 * frame, or when there is no schedule) and when it ends.
 */
static unsigned int window_at(struct a653_priv *p, s_time_t now,
                              s_time_t *end)
{
    s_time_t start, off;

    if ( !p->nr_entries || p->major_frame <= 0 )
    {
        *end = S_TIME_NEVER;
        return p->nr_entries;
    }
    if ( now < p->epoch )
    {
        *end = p->epoch;
        return p->nr_entries;
    }
    off = (now - p->epoch) % p->major_frame;
    start = now - off;
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
    {
        if ( off < p->entry[i].runtime )
        {
            *end = now - off + p->entry[i].runtime;
            return i;
        }
        off -= p->entry[i].runtime;
    }
    *end = start + p->major_frame;
    return p->nr_entries;
}

static void a653_wake(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    struct a653_priv *p = priv(s);
    s_time_t end;
    unsigned int i = window_at(p, now, &end);

    /* In its window: its pCPU idles for it and takes it now. */
    if ( i < p->nr_entries && p->unit[i] == u )
        sched_tickle(home(u));
}

static void a653_sleep(struct scheduler *s, struct sched_unit *u,
                       s_time_t now)
{
    /* The framework reschedules its pCPU if it runs: nothing to do. */
    (void)s, (void)u, (void)now;
}

static void a653_affinity_changed(struct scheduler *s, struct sched_unit *u,
                                  s_time_t now)
{
    unsigned int old = home(u);

    (void)now;
    a653_place(u);
    if ( home(u) != old )
        a653_kick_all(s);
}

/* Does any unit of the schedule live on @cpu? If not it never needs to
 * wake for a window. */
static bool home_of_any(struct a653_priv *p, unsigned int cpu)
{
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
        if ( p->unit[i] && home(p->unit[i]) == cpu )
            return true;
    return false;
}

static struct sched_decision a653_do_schedule(struct scheduler *s,
                                              unsigned int cpu,
                                              struct sched_unit *prev,
                                              s_time_t now)
{
    struct a653_priv *p = priv(s);
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };
    struct sched_unit *u;
    s_time_t end;
    unsigned int i;

    (void)prev;
    if ( p->restart )
    {
        p->epoch = now;
        p->restart = false;
    }
    if ( !home_of_any(p, cpu) )
        return d;
    i = window_at(p, now, &end);
    u = i < p->nr_entries ? p->unit[i] : NULL;
    /* A unit runs only on its home pCPU, so never on two at once. */
    if ( u && home(u) == cpu && sched_unit_runnable(u) &&
         cpumask_test(&u->hard_affinity, cpu) )
        d.next = u;
    d.slice = end == S_TIME_NEVER ? S_TIME_NEVER : end - now;
    return d;
}

const struct sched_ops sched_arinc653_ops = {
    .name = "ARINC 653 Scheduler",
    .opt_name = "arinc653",
    .sched_id = XEN_SCHEDULER_ARINC653,
    .init = a653_init,
    .deinit = a653_deinit,
    .add_cpu = a653_add_cpu,
    .alloc_udata = a653_alloc_udata,
    .free_udata = a653_free_udata,
    .remove_cpu = a653_remove_cpu,
    .insert_unit = a653_insert_unit,
    .remove_unit = a653_remove_unit,
    .wake = a653_wake,
    .sleep = a653_sleep,
    .do_schedule = a653_do_schedule,
    .affinity_changed = a653_affinity_changed,
    .get_params = a653_get_params,
    .set_params = a653_set_params,
    .dump = a653_dump,
};
