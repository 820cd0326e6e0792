/* SPDX-License-Identifier: MIT */
/*
 * ORR_SYSCTL_cpupool_op: make and destroy pools, move pCPUs and domains
 * between them (Xen's XEN_SYSCTL_cpupool_op). The framework's cpupool_*
 * calls carry Xen's errors: -ESRCH an unknown pool, -EEXIST a pool id in
 * use, -EBUSY the last pCPU of a pool with domains or a pool that still
 * has domains (or pool 0), -EINVAL a bad CPU or scheduler; INFO answers
 * for the next pool at or above the id, -ENOENT past the last.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/smp.h>
#include <orrery/timer.h>
#include <orrery/vcpu_sched.h>

#include "sched_private.h"
#include "sysctl_private.h"

static int create(struct orr_sysctl_cpupool_op *op)
{
    const struct sched_ops *ops = sysctl_sched_ops(op->sched_id);
    unsigned int id;
    int rc;

    if ( !ops )
        return -EINVAL;
    if ( op->cpupool_id != ORR_CPUPOOLID_ANY )
        return cpupool_create(op->cpupool_id, ops->opt_name);
    /* The lowest free id, as Xen's CPUPOOLID_ANY. */
    for ( id = 0; id < ORR_CPUPOOLID_ANY; id++ )
    {
        rc = cpupool_create(id, ops->opt_name);
        if ( rc != -EEXIST )
            break;
    }
    if ( !rc )
        op->cpupool_id = id;
    return rc;
}

static int add_cpu(struct orr_sysctl_cpupool_op *op)
{
    unsigned int cpu = op->cpu;

    if ( !cpupool_find(op->cpupool_id) )
        return -ESRCH;
    if ( cpu == ORR_CPUPOOL_PAR_ANY )
    {
        /* The first online pCPU in no pool (Xen: -ENODEV if none). */
        for ( cpu = 0; cpu < NR_CPUS; cpu++ )
            if ( cpu_online(cpu) && cpupool_of_cpu(cpu) == CPUPOOL_ID_NONE )
                break;
        if ( cpu == NR_CPUS )
            return -ENODEV;
        op->cpu = cpu;
    }
    else if ( !cpu_online(cpu) )
        return -EINVAL;
    return cpupool_add_cpu(op->cpupool_id, cpu, NOW());
}

static int move_domain(struct orr_sysctl_cpupool_op *op)
{
    struct domain *d;
    struct sched_unit *u;
    int rc;

    if ( op->domid >= DOMID_FIRST_RESERVED )
        return -ESRCH;
    d = domain_get((domid_t)op->domid);
    if ( !d )
        return -ESRCH;
    u = d->max_vcpus ? vcpu_sched_unit(d->vcpu[0]) : NULL;
    rc = u ? cpupool_move_domain(u->dom, op->cpupool_id, NOW()) : -EINVAL;
    domain_put(d);
    return rc;
}

/* The pool asked for or, as Xen, the next one up (its id is returned in
 * cpupool_id); -ENOENT past the last pool. */
static int info(struct orr_sysctl_cpupool_op *op)
{
    struct cpupool *pool = cpupool_find_next(op->cpupool_id);

    if ( !pool )
        return -ENOENT;
    op->cpupool_id = pool->id;
    spin_lock(&pool->lock);
    op->sched_id = pool->sched.ops->sched_id;
    op->n_dom = pool->nr_domains;
    op->cpumap = pool->cpus.bits;
    spin_unlock(&pool->lock);
    op->domid = 0;
    op->cpu = 0;
    return 0;
}

int sysctl_cpupool_op(struct orr_sysctl_cpupool_op *op, bool *out)
{
    int rc;

    switch ( op->op )
    {
    case ORR_SYSCTL_CPUPOOL_OP_CREATE:
        rc = create(op);
        break;
    case ORR_SYSCTL_CPUPOOL_OP_DESTROY:
        return cpupool_destroy(op->cpupool_id);
    case ORR_SYSCTL_CPUPOOL_OP_INFO:
        rc = info(op);
        break;
    case ORR_SYSCTL_CPUPOOL_OP_ADDCPU:
        rc = add_cpu(op);
        break;
    case ORR_SYSCTL_CPUPOOL_OP_RMCPU:
        return cpupool_remove_cpu(op->cpupool_id, op->cpu, NOW());
    case ORR_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
        return move_domain(op);
    default:
        return -EINVAL;
    }
    *out = !rc;
    return rc;
}
