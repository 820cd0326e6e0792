/* SPDX-License-Identifier: MIT */
/*
 * The null scheduler: each unit gets a pCPU of its own and keeps it, so
 * there is no scheduling decision and no preemption -- the choice for
 * static partitioning and lowest latency (Xen's null.c has the same
 * contract). A unit that finds no free pCPU in its hard affinity waits in
 * a FIFO queue until one is freed, by a unit leaving or a pCPU joining.
 * A blocked unit keeps its pCPU, which idles meanwhile.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/sched-if.h>

struct null_unit {
    struct sched_unit *unit;
    struct list_head waitq;         /* in null_priv.waitq when waiting */
    bool waiting;
};

struct null_priv {
    struct list_head waitq;
    struct sched_unit *assigned[NR_CPUS];
};

static struct null_priv *priv(struct scheduler *s)
{
    return s->priv;
}

static struct null_unit *nunit(struct sched_unit *u)
{
    return u->priv;
}

static int null_init(struct scheduler *s)
{
    struct null_priv *p = xzalloc(struct null_priv);

    if ( !p )
        return -ENOMEM;
    INIT_LIST_HEAD(&p->waitq);
    s->priv = p;
    return 0;
}

static void null_deinit(struct scheduler *s)
{
    xfree(s->priv);
    s->priv = NULL;
}

static int null_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct null_unit *nu = xzalloc(struct null_unit);

    (void)s;
    if ( !nu )
        return -ENOMEM;
    nu->unit = u;
    INIT_LIST_HEAD(&nu->waitq);
    u->priv = nu;
    return 0;
}

static void null_free_udata(struct scheduler *s, struct sched_unit *u)
{
    (void)s;
    xfree(u->priv);
}

static void assign(struct null_priv *p, struct sched_unit *u,
                   unsigned int cpu)
{
    p->assigned[cpu] = u;
    u->res = cpu;
    if ( sched_unit_runnable(u) )
        sched_tickle(cpu);
}

/* A free pCPU for @u: its current one, then soft, then hard affinity. */
static unsigned int pick_free_cpu(struct scheduler *s, struct sched_unit *u)
{
    cpumask_t hard = sched_unit_cpus(u), free = CPUMASK_NONE, soft;
    unsigned int cpu;

    for_each_cpu(cpu, hard)
        if ( !priv(s)->assigned[cpu] )
            cpumask_set(&free, cpu);
    if ( cpumask_test(&free, u->res) )
        return u->res;
    soft = cpumask_and(free, u->soft_affinity);
    if ( !cpumask_empty(soft) )
        return cpumask_cycle(soft, u->res);
    return cpumask_cycle(free, u->res);
}

static void null_insert_unit(struct scheduler *s, struct sched_unit *u,
                             s_time_t now)
{
    struct null_unit *nu = nunit(u);
    unsigned int cpu = pick_free_cpu(s, u);

    (void)now;
    if ( cpu < NR_CPUS )
        assign(priv(s), u, cpu);
    else
    {
        list_add_tail(&nu->waitq, &priv(s)->waitq);
        nu->waiting = true;
    }
}

/* @cpu became free: hand it to the first waiting unit allowed there. */
static void give_away(struct scheduler *s, unsigned int cpu)
{
    struct list_head *pos;

    list_for_each(pos, &priv(s)->waitq)
    {
        struct null_unit *nu = list_entry(pos, struct null_unit, waitq);

        if ( cpumask_test(&nu->unit->hard_affinity, cpu) )
        {
            list_del(&nu->waitq);
            nu->waiting = false;
            assign(priv(s), nu->unit, cpu);
            return;
        }
    }
}

static void null_remove_unit(struct scheduler *s, struct sched_unit *u,
                             s_time_t now)
{
    struct null_unit *nu = nunit(u);

    (void)now;
    if ( nu->waiting )
    {
        list_del(&nu->waitq);
        nu->waiting = false;
        return;
    }
    if ( u->res < NR_CPUS && priv(s)->assigned[u->res] == u )
    {
        priv(s)->assigned[u->res] = NULL;
        give_away(s, u->res);
    }
}

static void null_wake(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    (void)now;
    if ( !nunit(u)->waiting && priv(s)->assigned[u->res] == u )
        sched_tickle(u->res);
}

static void null_sleep(struct scheduler *s, struct sched_unit *u,
                       s_time_t now)
{
    /* Nothing: the unit keeps its pCPU; the framework reschedules it. */
    (void)s, (void)u, (void)now;
}

static struct sched_decision null_do_schedule(struct scheduler *s,
                                              unsigned int cpu,
                                              struct sched_unit *prev,
                                              s_time_t now)
{
    struct sched_unit *u = priv(s)->assigned[cpu];
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };

    (void)prev, (void)now;
    if ( u && sched_unit_runnable(u) )
        d.next = u;
    return d;
}

static int null_add_cpu(struct scheduler *s, unsigned int cpu)
{
    priv(s)->assigned[cpu] = NULL;
    give_away(s, cpu);
    return 0;
}

static void null_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    struct sched_unit *u = priv(s)->assigned[cpu];

    priv(s)->assigned[cpu] = NULL;
    if ( u )
        null_insert_unit(s, u, 0);   /* another pCPU, or the queue */
}

static void null_affinity_changed(struct scheduler *s, struct sched_unit *u,
                                  s_time_t now)
{
    struct null_unit *nu = nunit(u);

    if ( nu->waiting )
    {
        /* It may fit a free pCPU now. */
        list_del(&nu->waitq);
        nu->waiting = false;
        null_insert_unit(s, u, now);
    }
    else if ( !cpumask_test(&u->hard_affinity, u->res) )
    {
        unsigned int old = u->res;

        priv(s)->assigned[old] = NULL;
        null_insert_unit(s, u, now);
        give_away(s, old);
    }
}

static void null_dump(struct scheduler *s)
{
    struct list_head *pos;

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( priv(s)->assigned[cpu] )
            printk("  null: CPU%u -> d%uv%u\n", cpu,
                   priv(s)->assigned[cpu]->dom->domid,
                   priv(s)->assigned[cpu]->unit_id);
    list_for_each(pos, &priv(s)->waitq)
    {
        struct null_unit *nu = list_entry(pos, struct null_unit, waitq);

        printk("  null: waiting d%uv%u\n", nu->unit->dom->domid,
               nu->unit->unit_id);
    }
}

const struct sched_ops sched_null_ops = {
    .name = "null Scheduler",
    .opt_name = "null",
    .sched_id = XEN_SCHEDULER_NULL,
    .init = null_init,
    .deinit = null_deinit,
    .add_cpu = null_add_cpu,
    .remove_cpu = null_remove_cpu,
    .alloc_udata = null_alloc_udata,
    .free_udata = null_free_udata,
    .insert_unit = null_insert_unit,
    .remove_unit = null_remove_unit,
    .wake = null_wake,
    .sleep = null_sleep,
    .do_schedule = null_do_schedule,
    .affinity_changed = null_affinity_changed,
    .dump = null_dump,
};
