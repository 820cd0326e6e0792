/* SPDX-License-Identifier: MIT */
/*
 * The control operations the toolstack reaches through domctl and sysctl
 * (XEN_DOMCTL_scheduler_op, XEN_SYSCTL_scheduler_op): common checks here,
 * the values themselves are validated by the policy. Errors use Xen's
 * errno values: -ESRCH for an unknown pool, -EINVAL for a bad value or a
 * sched_id that is not the pool's scheduler.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "sched_private.h"

int sched_domain_get_params(struct sched_domain *d,
                            struct sched_dom_params *p)
{
    struct scheduler *s = &d->pool->sched;
    int rc;

    if ( !s->ops->get_dom_params )
        return -EOPNOTSUPP;
    memset(&p->u, 0, sizeof(p->u));
    p->sched_id = s->ops->sched_id;
    spin_lock(&d->pool->lock);
    rc = s->ops->get_dom_params(s, d, p);
    spin_unlock(&d->pool->lock);
    return rc;
}

int sched_domain_set_params(struct sched_domain *d,
                            const struct sched_dom_params *p)
{
    struct scheduler *s = &d->pool->sched;
    int rc;

    if ( p->sched_id != s->ops->sched_id )
        return -EINVAL;
    if ( !s->ops->set_dom_params )
        return -EOPNOTSUPP;
    spin_lock(&d->pool->lock);
    rc = s->ops->set_dom_params(s, d, p);
    spin_unlock(&d->pool->lock);
    return rc;
}

int sched_unit_get_params(struct sched_unit *u, struct sched_unit_params *p)
{
    struct scheduler *s = &u->dom->pool->sched;
    int rc;

    if ( !s->ops->get_unit_params )
        return -EOPNOTSUPP;
    memset(&p->u, 0, sizeof(p->u));
    p->sched_id = s->ops->sched_id;
    spin_lock(&u->dom->pool->lock);
    rc = s->ops->get_unit_params(s, u, p);
    spin_unlock(&u->dom->pool->lock);
    return rc;
}

int sched_unit_set_params(struct sched_unit *u,
                          const struct sched_unit_params *p)
{
    struct scheduler *s = &u->dom->pool->sched;
    int rc;

    if ( p->sched_id != s->ops->sched_id )
        return -EINVAL;
    if ( !s->ops->set_unit_params )
        return -EOPNOTSUPP;
    spin_lock(&u->dom->pool->lock);
    rc = s->ops->set_unit_params(s, u, p);
    spin_unlock(&u->dom->pool->lock);
    return rc;
}

int sched_pool_get_params(unsigned int poolid, struct sched_pool_params *p)
{
    struct cpupool *pool = cpupool_find(poolid);
    int rc;

    if ( !pool )
        return -ESRCH;
    if ( !pool->sched.ops->get_params )
        return -EOPNOTSUPP;
    memset(&p->u, 0, sizeof(p->u));
    p->sched_id = pool->sched.ops->sched_id;
    spin_lock(&pool->lock);
    rc = pool->sched.ops->get_params(&pool->sched, p);
    spin_unlock(&pool->lock);
    return rc;
}

int sched_pool_set_params(unsigned int poolid,
                          const struct sched_pool_params *p)
{
    struct cpupool *pool = cpupool_find(poolid);
    int rc;

    if ( !pool )
        return -ESRCH;
    if ( p->sched_id != pool->sched.ops->sched_id )
        return -EINVAL;
    if ( !pool->sched.ops->set_params )
        return -EOPNOTSUPP;
    spin_lock(&pool->lock);
    rc = pool->sched.ops->set_params(&pool->sched, p);
    spin_unlock(&pool->lock);
    return rc;
}

void sched_dump(void)
{
    struct cpupool *shown[NR_CPUS];
    unsigned int nshown = 0;

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct sched_pcpu *pc = &sched_pcpus[cpu];

        if ( !pc->pool )
            continue;
        if ( pc->curr )
            printk("CPU%u: pool %u (%s) running d%uv%u\n", cpu,
                   pc->pool->id, pc->pool->sched.ops->opt_name,
                   pc->curr->dom->domid, pc->curr->unit_id);
        else
            printk("CPU%u: pool %u (%s) idle\n", cpu, pc->pool->id,
                   pc->pool->sched.ops->opt_name);
    }
    /* Then each pool's policy, once per pool. */
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct cpupool *pool = sched_pcpus[cpu].pool;
        unsigned int i;

        if ( !pool || !pool->sched.ops->dump )
            continue;
        for ( i = 0; i < nshown && shown[i] != pool; i++ )
            ;
        if ( i < nshown )
            continue;
        shown[nshown++] = pool;
        printk("Pool %u (%s):\n", pool->id, pool->sched.ops->name);
        spin_lock(&pool->lock);
        pool->sched.ops->dump(&pool->sched);
        sched_dump_units(pool);
        spin_unlock(&pool->lock);
    }
}
