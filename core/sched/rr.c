/* SPDX-License-Identifier: MIT */
/*
 * Round robin, the example of docs/writing-a-scheduler.md: one FIFO
 * queue per pool, 10 ms slices, no weights. Not a Xen scheduler; it
 * shows what a policy needs: this file plus one line in schedulers.c.
 */
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/sched-if.h>

#define RR_SLICE        MILLISECS(10)
#define RR_SCHED_ID     100     /* Orrery's own */

struct rr_unit {
    struct list_head elem;      /* in rr_priv.queue while queued */
    struct sched_unit *unit;
    bool queued;
};

struct rr_priv {
    struct list_head queue;
    struct sched_unit *curr[NR_CPUS];   /* what do_schedule() last chose */
};

static int rr_init(struct scheduler *s)
{
    struct rr_priv *p = xzalloc(struct rr_priv);

    if ( !p )
        return -ENOMEM;
    INIT_LIST_HEAD(&p->queue);
    s->priv = p;
    return 0;
}

static void rr_deinit(struct scheduler *s) { xfree(s->priv); }

static int rr_alloc_udata(struct scheduler *s, struct sched_unit *u)
{
    struct rr_unit *ru = xzalloc(struct rr_unit);

    (void)s;
    if ( !ru )
        return -ENOMEM;
    ru->unit = u;
    u->priv = ru;
    return 0;
}

/* @u is no longer anyone's last choice. */
static void forget(struct scheduler *s, struct sched_unit *u)
{
    struct rr_priv *p = s->priv;

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( p->curr[cpu] == u )
            p->curr[cpu] = NULL;
}

static void rr_free_udata(struct scheduler *s, struct sched_unit *u)
{
    forget(s, u);
    xfree(u->priv);
}

/* Queue @u at the tail; wake an idle pCPU that may run it. */
static void enqueue(struct scheduler *s, struct sched_unit *u)
{
    struct rr_priv *p = s->priv;
    struct rr_unit *ru = u->priv;
    cpumask_t cpus = sched_unit_cpus(u);
    unsigned int cpu;

    list_add_tail(&ru->elem, &p->queue);
    ru->queued = true;
    for_each_cpu(cpu, cpus)
        if ( !sched_pcpu_curr(cpu) )
        {
            sched_tickle(cpu);
            break;
        }
}

static void dequeue(struct sched_unit *u)
{
    if ( ((struct rr_unit *)u->priv)->queued )
        list_del(&((struct rr_unit *)u->priv)->elem);
    ((struct rr_unit *)u->priv)->queued = false;
}

static void rr_insert_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    (void)now;
    if ( sched_unit_runnable(u) && !u->running )
        enqueue(s, u);
}

static void rr_remove_unit(struct scheduler *s, struct sched_unit *u,
                           s_time_t now)
{
    (void)now;
    dequeue(u);
    forget(s, u);
}

/*
 * @cpu leaves the pool. The framework has taken off the unit running
 * there; being on no queue, it must be queued again here, or it would
 * wait until it next blocked and woke.
 */
static void rr_remove_cpu(struct scheduler *s, unsigned int cpu)
{
    struct rr_priv *p = s->priv;
    struct sched_unit *u = p->curr[cpu];

    p->curr[cpu] = NULL;
    if ( u && !u->running && !((struct rr_unit *)u->priv)->queued &&
         sched_unit_runnable(u) )
        enqueue(s, u);
}

static void rr_wake(struct scheduler *s, struct sched_unit *u, s_time_t now)
{
    (void)now;
    /* Still on its pCPU (it blocked and woke before being switched
     * away)? Then do_schedule() requeues it as prev. */
    if ( !((struct rr_unit *)u->priv)->queued && !u->running )
        enqueue(s, u);
}

/*
 * The whole policy: the running unit goes to the back of the queue, and
 * the first queued unit allowed on this pCPU runs for one slice.
 */
static struct sched_decision rr_do_schedule(struct scheduler *s,
                                            unsigned int cpu,
                                            struct sched_unit *prev,
                                            s_time_t now)
{
    struct rr_priv *p = s->priv;
    struct sched_decision d = { .next = NULL, .slice = S_TIME_NEVER };
    struct list_head *pos;

    (void)now;
    if ( prev && sched_unit_runnable(prev) &&
         !((struct rr_unit *)prev->priv)->queued )
    {
        list_add_tail(&((struct rr_unit *)prev->priv)->elem, &p->queue);
        ((struct rr_unit *)prev->priv)->queued = true;
    }
    list_for_each(pos, &p->queue)
    {
        struct rr_unit *ru = list_entry(pos, struct rr_unit, elem);

        if ( cpumask_test(&ru->unit->hard_affinity, cpu) )
        {
            dequeue(ru->unit);
            d.next = ru->unit;
            d.slice = RR_SLICE;
            break;
        }
    }
    p->curr[cpu] = d.next;
    return d;
}

const struct sched_ops sched_rr_ops = {
    .name = "Round-robin example scheduler",
    .opt_name = "rr",
    .sched_id = RR_SCHED_ID,
    .init = rr_init,
    .deinit = rr_deinit,
    .alloc_udata = rr_alloc_udata,
    .free_udata = rr_free_udata,
    .insert_unit = rr_insert_unit,
    .remove_unit = rr_remove_unit,
    .wake = rr_wake,
    .sleep = rr_remove_unit,
    .remove_cpu = rr_remove_cpu,
    .do_schedule = rr_do_schedule,
};
