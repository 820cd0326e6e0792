/* SPDX-License-Identifier: MIT */
/*
 * ORR_DOMCTL_scheduler_op: a domain's parameters under its pool's
 * scheduler (Xen's XEN_DOMCTL_scheduler_op). The values are checked by
 * the scheduler (sched_domain_set_params and friends): a sched_id that
 * is not the pool's, weight 0, a cap above 100 per vCPU, a budget over
 * the period are -EINVAL there, and nothing changes.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/sched-if.h>
#include <orrery/vcpu_sched.h>

#include <public/domctl.h>

#include "domctl_private.h"

/* The public ids are the framework's (both Xen's XEN_SCHEDULER_*). */
BUILD_BUG_ON(ORR_SCHEDULER_CREDIT != XEN_SCHEDULER_CREDIT);
BUILD_BUG_ON(ORR_SCHEDULER_CREDIT2 != XEN_SCHEDULER_CREDIT2);
BUILD_BUG_ON(ORR_SCHEDULER_ARINC653 != XEN_SCHEDULER_ARINC653);
BUILD_BUG_ON(ORR_SCHEDULER_RTDS != XEN_SCHEDULER_RTDS);
BUILD_BUG_ON(ORR_SCHEDULER_NULL != XEN_SCHEDULER_NULL);

static struct sched_domain *sched_dom(struct domain *d)
{
    struct sched_unit *u = d->max_vcpus ? vcpu_sched_unit(d->vcpu[0])
                                        : NULL;

    return u ? u->dom : NULL;
}

static int dom_info(struct sched_domain *sd, struct orr_domctl_scheduler_op *op)
{
    struct sched_dom_params p = { .sched_id = op->sched_id };
    int rc;

    if ( op->cmd == ORR_DOMCTL_SCHEDOP_putinfo )
    {
        switch ( op->sched_id )
        {
        case XEN_SCHEDULER_CREDIT:
            p.u.credit.weight = op->u.credit.weight;
            p.u.credit.cap = op->u.credit.cap;
            break;
        case XEN_SCHEDULER_CREDIT2:
            p.u.credit2.weight = op->u.credit2.weight;
            p.u.credit2.cap = op->u.credit2.cap;
            break;
        case XEN_SCHEDULER_RTDS:
            if ( op->u.rtds.flags & ~ORR_RTDS_extratime )
                return -EINVAL;
            p.u.rtds.period_us = op->u.rtds.period_us;
            p.u.rtds.budget_us = op->u.rtds.budget_us;
            p.u.rtds.extratime = op->u.rtds.flags & ORR_RTDS_extratime;
            break;
        }
        return sched_domain_set_params(sd, &p);
    }

    /* The getters report the pool's scheduler; naming another is an
     * error for get as for put (Xen: -EINVAL). */
    rc = sched_domain_get_params(sd, &p);
    if ( rc )
        return rc;
    if ( p.sched_id != op->sched_id )
        return -EINVAL;
    memset(&op->u, 0, sizeof(op->u));
    switch ( op->sched_id )
    {
    case XEN_SCHEDULER_CREDIT:
        op->u.credit.weight = p.u.credit.weight;
        op->u.credit.cap = p.u.credit.cap;
        break;
    case XEN_SCHEDULER_CREDIT2:
        op->u.credit2.weight = p.u.credit2.weight;
        op->u.credit2.cap = p.u.credit2.cap;
        break;
    case XEN_SCHEDULER_RTDS:
        op->u.rtds.period_us = p.u.rtds.period_us;
        op->u.rtds.budget_us = p.u.rtds.budget_us;
        op->u.rtds.flags = p.u.rtds.extratime ? ORR_RTDS_extratime : 0;
        break;
    }
    return 0;
}

static void to_unit_params(const struct orr_sched_vcpu *e, uint32_t sched_id,
                           struct sched_unit_params *p)
{
    memset(p, 0, sizeof(*p));
    p->sched_id = sched_id;
    p->u.rtds.period_us = e->rtds.period_us;
    p->u.rtds.budget_us = e->rtds.budget_us;
    p->u.rtds.extratime = e->rtds.flags & ORR_RTDS_extratime;
}

/*
 * Per-vCPU parameters. The array is copied in whole first (a bad pointer
 * is -EFAULT before anything changes); a put that fails part way puts
 * the earlier vCPUs' old values back, so it changes all or nothing.
 */
static int vcpu_info(struct vcpu *v, struct domain *d,
                     struct orr_domctl_scheduler_op *op)
{
    bool put = op->cmd == ORR_DOMCTL_SCHEDOP_putvcpuinfo;
    uint32_t n = op->u.v.nr_vcpus;
    struct orr_sched_vcpu *e;
    struct sched_unit_params *old;
    uint32_t i;
    int rc = 0;

    if ( !n || n > d->max_vcpus )
        return -EINVAL;
    e = xmalloc_bytes(n * sizeof(*e));
    old = xmalloc_bytes(n * sizeof(*old));
    if ( !e || !old )
    {
        rc = -ENOMEM;
        goto out;
    }
    if ( copy_from_guest(v, e, op->u.v.vcpus, n * sizeof(*e)) )
    {
        rc = -EFAULT;
        goto out;
    }
    for ( i = 0; i < n; i++ )
    {
        struct sched_unit *u = e[i].vcpuid < d->max_vcpus
                               ? vcpu_sched_unit(d->vcpu[e[i].vcpuid])
                               : NULL;

        if ( !u )
        {
            rc = -EINVAL;
            goto out;
        }
        old[i].sched_id = op->sched_id;
        rc = sched_unit_get_params(u, &old[i]);
        if ( !rc && old[i].sched_id != op->sched_id )
            rc = -EINVAL;
        if ( rc )
            goto out;
    }

    if ( !put )
    {
        for ( i = 0; i < n; i++ )
        {
            e[i].pad = 0;
            e[i].rtds.period_us = old[i].u.rtds.period_us;
            e[i].rtds.budget_us = old[i].u.rtds.budget_us;
            e[i].rtds.flags = old[i].u.rtds.extratime ? ORR_RTDS_extratime
                                                      : 0;
            e[i].rtds.pad = 0;
        }
        rc = copy_to_guest(v, op->u.v.vcpus, e, n * sizeof(*e))
             ? -EFAULT : 0;
        goto out;
    }

    for ( i = 0; i < n; i++ )
    {
        struct sched_unit_params p;

        rc = -EINVAL;
        if ( e[i].rtds.flags & ~ORR_RTDS_extratime )
            break;
        to_unit_params(&e[i], op->sched_id, &p);
        rc = sched_unit_set_params(vcpu_sched_unit(d->vcpu[e[i].vcpuid]),
                                   &p);
        if ( rc )
            break;
    }
    while ( rc && i-- )
        sched_unit_set_params(vcpu_sched_unit(d->vcpu[e[i].vcpuid]),
                              &old[i]);
 out:
    xfree(old);
    xfree(e);
    return rc;
}

int domctl_scheduler_op(struct vcpu *v, struct domain *d,
                        struct orr_domctl_scheduler_op *op, bool *out)
{
    struct sched_domain *sd = sched_dom(d);
    int rc;

    if ( !sd )
        return -EINVAL;     /* not on a scheduler (no hooks) */
    /* Another scheduler than the pool's is -EINVAL for every command,
     * before asking whether that scheduler has such parameters. */
    if ( op->sched_id != sd->pool->sched.ops->sched_id )
        return -EINVAL;
    switch ( op->cmd )
    {
    case ORR_DOMCTL_SCHEDOP_putinfo:
        return dom_info(sd, op);
    case ORR_DOMCTL_SCHEDOP_getinfo:
        rc = dom_info(sd, op);
        *out = !rc;
        return rc;
    case ORR_DOMCTL_SCHEDOP_putvcpuinfo:
    case ORR_DOMCTL_SCHEDOP_getvcpuinfo:
        return vcpu_info(v, d, op);
    default:
        return -EINVAL;
    }
}
