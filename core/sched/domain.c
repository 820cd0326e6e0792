/* SPDX-License-Identifier: MIT */
/*
 * Domains and units entering and leaving a pool's scheduler: creation,
 * destruction, and moving a domain to another cpupool (which changes the
 * policy that schedules it).
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "sched_private.h"

static int unit_attach(struct scheduler *s, struct sched_unit *u,
                       s_time_t now)
{
    int rc = s->ops->alloc_udata ? s->ops->alloc_udata(s, u) : 0;

    if ( rc )
        return rc;
    s->ops->insert_unit(s, u, now);
    return 0;
}

static void unit_detach(struct scheduler *s, struct sched_unit *u,
                        s_time_t now)
{
    sched_unit_take_off(u, now);
    s->ops->remove_unit(s, u, now);
    if ( s->ops->free_udata )
        s->ops->free_udata(s, u);
    u->priv = NULL;
}

/* Called with @pool's lock held. On failure nothing is attached. */
int sched_domain_attach(struct sched_domain *d, struct cpupool *pool,
                        s_time_t now)
{
    struct scheduler *s = &pool->sched;
    struct list_head *pos;
    int rc = s->ops->alloc_domdata ? s->ops->alloc_domdata(s, d) : 0;

    if ( rc )
        return rc;
    d->pool = pool;
    list_for_each(pos, &d->units)
    {
        struct sched_unit *u = list_entry(pos, struct sched_unit, dom_list);

        /* A hard affinity outside the new pool is reset, as Xen does. */
        if ( cpumask_empty(sched_unit_cpus(u)) )
        {
            printk(LOG_WARNING "sched: d%uv%u: affinity broken by the move "
                   "to pool %u\n", d->domid, u->unit_id, pool->id);
            u->hard_affinity = CPUMASK_ALL;
        }
        rc = unit_attach(s, u, now);
        if ( rc )
        {
            /* Undo the units attached so far. */
            for ( pos = pos->prev; pos != &d->units; pos = pos->prev )
                unit_detach(s, list_entry(pos, struct sched_unit, dom_list),
                            now);
            if ( s->ops->free_domdata )
                s->ops->free_domdata(s, d);
            return rc;
        }
    }
    list_add_tail(&d->pool_list, &pool->domains);
    pool->nr_domains++;
    return 0;
}

/* Called with the pool lock held. */
void sched_domain_detach(struct sched_domain *d, s_time_t now)
{
    struct scheduler *s = &d->pool->sched;
    struct list_head *pos;

    list_for_each(pos, &d->units)
        unit_detach(s, list_entry(pos, struct sched_unit, dom_list), now);
    if ( s->ops->free_domdata )
        s->ops->free_domdata(s, d);
    d->priv = NULL;
    list_del(&d->pool_list);
    d->pool->nr_domains--;
}

int sched_domain_init(struct sched_domain *d, domid_t domid,
                      unsigned int poolid)
{
    struct cpupool *pool = cpupool_find(poolid);
    int rc;

    if ( !pool )
        return -ESRCH;
    /* A pool without pCPUs could never run it. */
    if ( cpumask_empty(pool->cpus) )
        return -EINVAL;
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    INIT_LIST_HEAD(&d->units);
    spin_lock(&pool->lock);
    rc = sched_domain_attach(d, pool, 0);
    spin_unlock(&pool->lock);
    return rc;
}

void sched_domain_destroy(struct sched_domain *d)
{
    struct cpupool *pool = d->pool;

    BUG_ON(d->nr_units);
    spin_lock(&pool->lock);
    sched_domain_detach(d, 0);
    spin_unlock(&pool->lock);
    d->pool = NULL;
}

int sched_unit_init(struct sched_unit *u, struct sched_domain *d,
                    unsigned int unit_id, s_time_t now)
{
    struct cpupool *pool = d->pool;
    int rc;

    memset(u, 0, sizeof(*u));
    u->unit_id = unit_id;
    u->dom = d;
    u->down = true;
    u->hard_affinity = CPUMASK_ALL;
    u->soft_affinity = CPUMASK_ALL;
    u->last_cpu = NR_CPUS;
    u->res = cpumask_cycle(pool->cpus, unit_id);
    u->runstate.state = RUNSTATE_offline;
    u->runstate.entry_time = now;

    spin_lock(&pool->lock);
    rc = unit_attach(&pool->sched, u, now);
    if ( !rc )
    {
        list_add_tail(&u->dom_list, &d->units);
        d->nr_units++;
    }
    spin_unlock(&pool->lock);
    return rc;
}

void sched_unit_destroy(struct sched_unit *u, s_time_t now)
{
    struct sched_domain *d = u->dom;

    spin_lock(&d->pool->lock);
    unit_detach(&d->pool->sched, u, now);
    list_del(&u->dom_list);
    d->nr_units--;
    spin_unlock(&d->pool->lock);
}

int cpupool_move_domain(struct sched_domain *d, unsigned int poolid,
                        s_time_t now)
{
    struct cpupool *from = d->pool, *to = cpupool_find(poolid);
    int rc;

    if ( !to )
        return -ESRCH;
    if ( to == from )
        return 0;
    /* A pool without pCPUs could never run the domain. */
    if ( cpumask_empty(to->cpus) )
        return -EINVAL;
    /* Lock order: lower pool id first. */
    spin_lock(from->id < to->id ? &from->lock : &to->lock);
    spin_lock(from->id < to->id ? &to->lock : &from->lock);
    sched_domain_detach(d, now);
    rc = sched_domain_attach(d, to, now);
    if ( rc )
        BUG_ON(sched_domain_attach(d, from, now));
    spin_unlock(&to->lock);
    spin_unlock(&from->lock);
    return rc;
}
