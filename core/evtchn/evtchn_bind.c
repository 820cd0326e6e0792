/* SPDX-License-Identifier: MIT */
/*
 * Making ports: alloc_unbound, bind_interdomain, bind_virq, bind_ipi, and
 * moving a port's notifications to another vCPU (bind_vcpu). Errors are
 * Xen's: -ESRCH for a domain that is not there, -ENOENT for a vCPU that
 * is not, -EINVAL for a port out of range or in the wrong state, -EEXIST
 * for a VIRQ bound twice, -ENOSPC when the port limit is reached.
 */
#include <orrery/errno.h>
#include <orrery/xsm.h>

#include <public/xen.h>

#include "evtchn_private.h"

static bool vcpu_ok(const struct domain *d, uint32_t vcpu)
{
    return vcpu < d->max_vcpus && d->vcpu[vcpu];
}

int evtchn_alloc_unbound(struct domain *caller,
                         struct evtchn_alloc_unbound *a)
{
    struct domain *d, *remote;
    struct evtchn *chn;
    evtchn_port_t port;
    int rc;

    rc = domain_lookup(caller, a->dom, &d);
    if ( rc )
        return rc;
    rc = domain_lookup(caller, a->remote_dom, &remote);
    if ( rc )
        goto out_d;
    rc = xsm()->evtchn_unbound(caller, d, remote);
    if ( rc )
        goto out;

    spin_lock(&d->evtchn->lock);
    rc = evtchn_get_free_port(d, &port);
    if ( !rc )
    {
        chn = evtchn_from_port(d, port);
        chn->state = ECS_UNBOUND;
        chn->u.unbound.remote_domid = remote->domain_id;
        a->port = port;
    }
    spin_unlock(&d->evtchn->lock);

 out:
    domain_put(remote);
 out_d:
    domain_put(d);
    return rc;
}

int evtchn_bind_interdomain(struct domain *caller,
                            struct evtchn_bind_interdomain *b)
{
    struct domain *ld = caller, *rd;
    struct evtchn *lchn, *rchn;
    evtchn_port_t lport;
    int rc;

    rc = domain_lookup(caller, b->remote_dom, &rd);
    if ( rc )
        return rc;

    /*
     * Xen's order of checks: a local port first (-ENOSPC), then the
     * remote port, which must be waiting for exactly us (-EINVAL), then
     * the policy (-EPERM); the local port goes back on failure.
     */
    evtchn_double_lock(ld, rd);
    rc = evtchn_get_free_port(ld, &lport);
    if ( rc )
        goto unlock;
    rchn = evtchn_from_port(rd, b->remote_port);
    if ( !rchn || rchn->state != ECS_UNBOUND ||
         rchn->u.unbound.remote_domid != ld->domain_id )
        rc = -EINVAL;
    else
        rc = xsm()->evtchn_interdomain(ld, rd);
    if ( rc )
    {
        evtchn_free_port(ld, lport);
        goto unlock;
    }
    lchn = evtchn_from_port(ld, lport);

    lchn->state = ECS_INTERDOMAIN;
    lchn->u.interdomain.remote_dom = rd;
    lchn->u.interdomain.remote_port = b->remote_port;
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.interdomain.remote_dom = ld;
    rchn->u.interdomain.remote_port = lport;
    b->local_port = lport;

    /* As Xen does: the new port starts pending, so that a notification
     * the peer sent while unbound is not lost. */
    evtchn_port_set_pending(ld, lport);

 unlock:
    evtchn_double_unlock(ld, rd);
    domain_put(rd);
    return rc;
}

int evtchn_bind_virq(struct domain *caller, struct evtchn_bind_virq *b)
{
    struct domain *d = caller;
    struct evtchn *chn;
    evtchn_port_t port;
    int rc;

    if ( b->virq >= NR_VIRQS )
        return -EINVAL;
    if ( virq_is_global(b->virq) && b->vcpu != 0 )
        return -EINVAL;
    if ( !vcpu_ok(d, b->vcpu) )
        return -ENOENT;

    spin_lock(&d->evtchn->lock);
    if ( d->vcpu[b->vcpu]->evtchn->virq_to_port[b->virq] )
    {
        rc = -EEXIST;
        goto out;
    }
    rc = evtchn_get_free_port(d, &port);
    if ( rc )
        goto out;
    chn = evtchn_from_port(d, port);
    chn->state = ECS_VIRQ;
    chn->notify_vcpu_id = b->vcpu;
    chn->u.virq = b->virq;
    d->vcpu[b->vcpu]->evtchn->virq_to_port[b->virq] = port;
    b->port = port;
 out:
    spin_unlock(&d->evtchn->lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *caller, struct evtchn_bind_ipi *b)
{
    struct domain *d = caller;
    struct evtchn *chn;
    evtchn_port_t port;
    int rc;

    if ( !vcpu_ok(d, b->vcpu) )
        return -ENOENT;
    spin_lock(&d->evtchn->lock);
    rc = evtchn_get_free_port(d, &port);
    if ( !rc )
    {
        chn = evtchn_from_port(d, port);
        chn->state = ECS_IPI;
        chn->notify_vcpu_id = b->vcpu;
        b->port = port;
    }
    spin_unlock(&d->evtchn->lock);
    return rc;
}

int evtchn_bind_vcpu(struct domain *caller, struct evtchn_bind_vcpu *b)
{
    struct domain *d = caller;
    struct evtchn *chn;
    int rc = 0;

    if ( !vcpu_ok(d, b->vcpu) )
        return -ENOENT;
    spin_lock(&d->evtchn->lock);
    chn = evtchn_from_port(d, b->port);
    if ( !chn || chn->state == ECS_FREE || chn->state == ECS_RESERVED )
        rc = -EINVAL;
    else if ( chn->state == ECS_VIRQ && !virq_is_global(chn->u.virq) )
        rc = -EINVAL;       /* per-vCPU VIRQs stay where they were bound */
    else if ( chn->state == ECS_IPI )
        rc = -EINVAL;       /* an IPI port names its target vCPU */
    else
        /* A global VIRQ stays in vCPU 0's table; only delivery moves. */
        chn->notify_vcpu_id = b->vcpu;
    spin_unlock(&d->evtchn->lock);
    return rc;
}

int evtchn_bind_pirq(struct domain *caller, struct evtchn_bind_pirq *b)
{
    (void)caller;
    (void)b;
    /* Xen refuses a pirq at or past the domain's nr_pirqs with -EINVAL;
     * no physical IRQ is passed through to any domain yet, so every
     * domain has none and every pirq is out of range. */
    return -EINVAL;
}
