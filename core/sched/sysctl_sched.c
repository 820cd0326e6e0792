/* SPDX-License-Identifier: MIT */
/*
 * ORR_SYSCTL_scheduler_op: a pool's scheduler parameters (Xen's
 * XEN_SYSCTL_scheduler_op): credit's time slice and rate limit,
 * credit2's rate limit and runqueue arrangement, arinc653's schedule.
 * The values are checked by the policy (sched_pool_set_params): a
 * sched_id that is not the pool's, an out-of-range value, an arinc653
 * frame shorter than its entries are -EINVAL and change nothing.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/mm.h>

#include "sched_private.h"
#include "sysctl_private.h"

BUILD_BUG_ON(ORR_ARINC653_MAX_ENTRIES != ARINC653_MAX_ENTRIES);
BUILD_BUG_ON(ORR_CREDIT2_RQ_cpu != CREDIT2_RQ_CPU);
BUILD_BUG_ON(ORR_CREDIT2_RQ_core != CREDIT2_RQ_CORE);
BUILD_BUG_ON(ORR_CREDIT2_RQ_socket != CREDIT2_RQ_SOCKET);
BUILD_BUG_ON(ORR_CREDIT2_RQ_node != CREDIT2_RQ_NODE);
BUILD_BUG_ON(ORR_CREDIT2_RQ_all != CREDIT2_RQ_ALL);

/* The schedule from the guest's array into @p (entries copied whole). */
static int arinc653_in(struct vcpu *v, const struct orr_sysctl_scheduler_op *op,
                       struct sched_pool_params *p)
{
    struct orr_arinc653_entry *e;
    uint32_t n = op->u.arinc653.nr_entries;
    int rc = 0;

    if ( n > ARINC653_MAX_ENTRIES )
        return -EINVAL;
    p->u.arinc653.major_frame = (s_time_t)op->u.arinc653.major_frame_ns;
    p->u.arinc653.nr_entries = n;
    if ( (s_time_t)op->u.arinc653.major_frame_ns < 0 )
        return -EINVAL;
    if ( !n )
        return 0;
    e = xmalloc_bytes(n * sizeof(*e));
    if ( !e )
        return -ENOMEM;
    if ( copy_from_guest(v, e, op->u.arinc653.entries, n * sizeof(*e)) )
        rc = -EFAULT;
    for ( uint32_t i = 0; !rc && i < n; i++ )
    {
        if ( e[i].runtime_ns > (uint64_t)INT64_MAX )
            rc = -EINVAL;
        p->u.arinc653.entry[i].domid = e[i].domid;
        p->u.arinc653.entry[i].vcpu_id = e[i].vcpu_id;
        p->u.arinc653.entry[i].runtime = (s_time_t)e[i].runtime_ns;
    }
    xfree(e);
    return rc;
}

/* The schedule out: at most the caller's nr_entries, then the count. */
static int arinc653_out(struct vcpu *v, struct orr_sysctl_scheduler_op *op,
                        const struct sched_pool_params *p)
{
    struct orr_arinc653_entry *e;
    uint32_t n = p->u.arinc653.nr_entries;
    int rc = 0;

    if ( n > op->u.arinc653.nr_entries )
        return -ENOBUFS;
    op->u.arinc653.major_frame_ns = (uint64_t)p->u.arinc653.major_frame;
    op->u.arinc653.nr_entries = n;
    op->u.arinc653.pad = 0;
    if ( !n )
        return 0;
    e = xzalloc_bytes(n * sizeof(*e));
    if ( !e )
        return -ENOMEM;
    for ( uint32_t i = 0; i < n; i++ )
    {
        e[i].domid = p->u.arinc653.entry[i].domid;
        e[i].vcpu_id = p->u.arinc653.entry[i].vcpu_id;
        e[i].runtime_ns = (uint64_t)p->u.arinc653.entry[i].runtime;
    }
    if ( copy_to_guest(v, op->u.arinc653.entries, e, n * sizeof(*e)) )
        rc = -EFAULT;
    xfree(e);
    return rc;
}

static int put(struct vcpu *v, struct orr_sysctl_scheduler_op *op,
               struct sched_pool_params *p)
{
    int rc;

    switch ( op->sched_id )
    {
    case XEN_SCHEDULER_CREDIT:
        p->u.credit.tslice_ms = op->u.credit.tslice_ms;
        p->u.credit.ratelimit_us = op->u.credit.ratelimit_us;
        break;
    case XEN_SCHEDULER_CREDIT2:
        if ( op->u.credit2.runqueue > ORR_CREDIT2_RQ_all )
            return -EINVAL;
        p->u.credit2.ratelimit_us = op->u.credit2.ratelimit_us;
        p->u.credit2.runqueue = (enum credit2_runqueue)op->u.credit2.runqueue;
        break;
    case XEN_SCHEDULER_ARINC653:
        rc = arinc653_in(v, op, p);
        if ( rc )
            return rc;
        break;
    }
    return sched_pool_set_params(op->cpupool_id, p);
}

static int get(struct vcpu *v, struct orr_sysctl_scheduler_op *op,
               struct sched_pool_params *p)
{
    int rc = sched_pool_get_params(op->cpupool_id, p);

    if ( rc )
        return rc;
    /* The getter reports the pool's scheduler: naming another is -EINVAL
     * for get as for put. */
    if ( p->sched_id != op->sched_id )
        return -EINVAL;
    switch ( op->sched_id )
    {
    case XEN_SCHEDULER_CREDIT:
        memset(&op->u, 0, sizeof(op->u));
        op->u.credit.tslice_ms = p->u.credit.tslice_ms;
        op->u.credit.ratelimit_us = p->u.credit.ratelimit_us;
        break;
    case XEN_SCHEDULER_CREDIT2:
        memset(&op->u, 0, sizeof(op->u));
        op->u.credit2.ratelimit_us = p->u.credit2.ratelimit_us;
        op->u.credit2.runqueue = p->u.credit2.runqueue;
        break;
    case XEN_SCHEDULER_ARINC653:
        return arinc653_out(v, op, p);
    }
    return 0;
}

int sysctl_scheduler_op(struct vcpu *v, struct orr_sysctl_scheduler_op *op,
                        bool *out)
{
    /* With an arinc653 schedule the parameters are over 1 KiB: not on
     * the hypervisor stack. */
    struct sched_pool_params *p = xzalloc(struct sched_pool_params);
    int rc;

    if ( !p )
        return -ENOMEM;
    p->sched_id = op->sched_id;
    switch ( op->cmd )
    {
    case ORR_SYSCTL_SCHEDOP_putinfo:
        rc = put(v, op, p);
        break;
    case ORR_SYSCTL_SCHEDOP_getinfo:
        rc = get(v, op, p);
        *out = !rc;
        break;
    default:
        rc = -EINVAL;
    }
    xfree(p);
    return rc;
}
