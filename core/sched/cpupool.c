/* SPDX-License-Identifier: MIT */
/*
 * cpupools: disjoint sets of pCPUs, each with its own scheduler instance.
 * A pCPU is in at most one pool; a domain is in exactly one. Pool 0 is
 * made at boot from every online pCPU and cannot be destroyed.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "sched_private.h"

static LIST_HEAD(pool_list);    /* reset by cpupool_reset_all() */
static DEFINE_SPINLOCK(pools_lock);

struct pool_entry {
    struct list_head list;
    struct cpupool pool;
};

struct cpupool *cpupool_find(unsigned int poolid)
{
    struct list_head *pos;

    list_for_each(pos, &pool_list)
    {
        struct pool_entry *e = list_entry(pos, struct pool_entry, list);

        if ( e->pool.id == poolid )
            return &e->pool;
    }
    return NULL;
}

/* The pool with the lowest id at or above @poolid: how Xen's
 * XEN_SYSCTL_CPUPOOL_OP_INFO lets a toolstack walk every pool (ask 0,
 * then one above each answer, until -ENOENT). */
struct cpupool *cpupool_find_next(unsigned int poolid)
{
    struct cpupool *best = NULL;
    struct list_head *pos;

    list_for_each(pos, &pool_list)
    {
        struct pool_entry *e = list_entry(pos, struct pool_entry, list);

        if ( e->pool.id >= poolid && (!best || e->pool.id < best->id) )
            best = &e->pool;
    }
    return best;
}

/* Forget every pool (sched_init starts a fresh framework). */
void cpupool_reset_all(void)
{
    INIT_LIST_HEAD(&pool_list);
    spin_lock_init(&pools_lock);
    memset(sched_pcpus, 0, sizeof(sched_pcpus));
    memset(&sched_counters, 0, sizeof(sched_counters));
}

int cpupool_create(unsigned int poolid, const char *sched_name)
{
    const struct sched_ops *ops = sched_find_ops(sched_name);
    struct pool_entry *e;
    int rc;

    if ( !ops )
        return -EINVAL;
    if ( poolid == CPUPOOL_ID_NONE )
        return -EINVAL;
    spin_lock(&pools_lock);
    rc = -EEXIST;
    if ( cpupool_find(poolid) )
        goto out;
    rc = -ENOMEM;
    e = xzalloc(struct pool_entry);
    if ( !e )
        goto out;
    e->pool.id = poolid;
    e->pool.sched.ops = ops;
    e->pool.sched.pool = &e->pool;
    INIT_LIST_HEAD(&e->pool.domains);
    spin_lock_init(&e->pool.lock);
    rc = ops->init(&e->pool.sched);
    if ( rc )
    {
        xfree(e);
        goto out;
    }
    list_add_tail(&e->list, &pool_list);
 out:
    spin_unlock(&pools_lock);
    return rc;
}

int cpupool_add_cpu(unsigned int poolid, unsigned int cpu, s_time_t now)
{
    struct cpupool *pool = cpupool_find(poolid);
    int rc = 0;

    (void)now;
    if ( !pool )
        return -ESRCH;
    if ( cpu >= NR_CPUS )
        return -EINVAL;
    spin_lock(&pools_lock);
    if ( sched_pcpus[cpu].pool )
        rc = sched_pcpus[cpu].pool == pool ? 0 : -EBUSY;
    else
    {
        spin_lock(&pool->lock);
        cpumask_set(&pool->cpus, cpu);
        sched_pcpus[cpu].pool = pool;
        sched_pcpus[cpu].curr = NULL;
        if ( pool->sched.ops->add_cpu )
            rc = pool->sched.ops->add_cpu(&pool->sched, cpu);
        if ( rc )
        {
            cpumask_clear(&pool->cpus, cpu);
            sched_pcpus[cpu].pool = NULL;
        }
        else
            sched_tickle(cpu);
        spin_unlock(&pool->lock);
    }
    spin_unlock(&pools_lock);
    return rc;
}

/* Units that could run only on @cpu get their affinity reset (Xen). */
static void break_affinity(struct cpupool *pool, unsigned int cpu)
{
    struct list_head *dp, *up;
    cpumask_t rest = pool->cpus;

    cpumask_clear(&rest, cpu);
    list_for_each(dp, &pool->domains)
    {
        struct sched_domain *d =
            list_entry(dp, struct sched_domain, pool_list);

        list_for_each(up, &d->units)
        {
            struct sched_unit *u =
                list_entry(up, struct sched_unit, dom_list);

            if ( cpumask_empty(cpumask_and(u->hard_affinity, rest)) )
            {
                printk(LOG_WARNING "sched: d%uv%u: affinity broken, CPU%u "
                       "left pool %u\n", d->domid, u->unit_id, cpu,
                       pool->id);
                u->hard_affinity = CPUMASK_ALL;
            }
        }
    }
}

int cpupool_remove_cpu(unsigned int poolid, unsigned int cpu, s_time_t now)
{
    struct cpupool *pool = cpupool_find(poolid);
    struct sched_unit *curr;
    int rc = 0;

    if ( !pool )
        return -ESRCH;
    if ( cpu >= NR_CPUS || !cpumask_test(&pool->cpus, cpu) )
        return -EINVAL;
    spin_lock(&pools_lock);
    spin_lock(&pool->lock);
    /* The last pCPU of a pool with domains cannot go (Xen: -EBUSY). */
    if ( cpumask_weight(pool->cpus) == 1 && pool->nr_domains )
        rc = -EBUSY;
    else
    {
        curr = sched_pcpus[cpu].curr;
        if ( curr )
            sched_unit_take_off(curr, now);
        break_affinity(pool, cpu);
        cpumask_clear(&pool->cpus, cpu);
        if ( pool->sched.ops->remove_cpu )
            pool->sched.ops->remove_cpu(&pool->sched, cpu);
        sched_pcpus[cpu].pool = NULL;
        sched_pcpus[cpu].need_resched = false;
    }
    spin_unlock(&pool->lock);
    spin_unlock(&pools_lock);
    return rc;
}

int cpupool_destroy(unsigned int poolid)
{
    struct cpupool *pool = cpupool_find(poolid);
    struct pool_entry *e;
    unsigned int cpu;

    if ( !pool )
        return -ESRCH;
    if ( poolid == 0 || pool->nr_domains )
        return -EBUSY;
    for_each_cpu(cpu, pool->cpus)
        BUG_ON(cpupool_remove_cpu(poolid, cpu, 0));
    spin_lock(&pools_lock);
    e = container_of(pool, struct pool_entry, pool);
    list_del(&e->list);
    if ( pool->sched.ops->deinit )
        pool->sched.ops->deinit(&pool->sched);
    spin_unlock(&pools_lock);
    xfree(e);
    return 0;
}

unsigned int cpupool_of_cpu(unsigned int cpu)
{
    if ( cpu >= NR_CPUS || !sched_pcpus[cpu].pool )
        return CPUPOOL_ID_NONE;
    return sched_pcpus[cpu].pool->id;
}

const char *cpupool_sched_name(unsigned int poolid)
{
    struct cpupool *pool = cpupool_find(poolid);

    return pool ? pool->sched.ops->opt_name : NULL;
}
