/* SPDX-License-Identifier: MIT */
/*
 * Using and ending ports: send, close, status, unmask, reset, and the
 * hypervisor's own VIRQ notifications.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/xsm.h>

#include <public/xen.h>

#include "evtchn_fifo_private.h"

int evtchn_send(struct domain *caller, evtchn_port_t port)
{
    struct domain *d = caller, *rd;
    struct evtchn *chn;
    evtchn_port_t rport;
    int rc = 0;

    spin_lock(&d->evtchn->lock);
    chn = evtchn_from_port(d, port);
    if ( !chn || chn->state == ECS_FREE || chn->state == ECS_RESERVED )
    {
        spin_unlock(&d->evtchn->lock);
        return -EINVAL;
    }
    switch ( chn->state )
    {
    case ECS_INTERDOMAIN:
        rd = chn->u.interdomain.remote_dom;
        rport = chn->u.interdomain.remote_port;
        spin_unlock(&d->evtchn->lock);
        /* Lock both, then check the binding is still the same one. */
        evtchn_double_lock(d, rd);
        chn = evtchn_from_port(d, port);
        if ( chn->state == ECS_INTERDOMAIN &&
             chn->u.interdomain.remote_dom == rd &&
             chn->u.interdomain.remote_port == rport )
            evtchn_port_set_pending(rd, rport);
        evtchn_double_unlock(d, rd);
        return 0;
    case ECS_IPI:
        evtchn_port_set_pending(d, port);
        break;
    case ECS_UNBOUND:
        break;              /* nobody to tell yet: silently dropped */
    default:
        rc = -EINVAL;       /* VIRQ and PIRQ ports are raised by Xen */
        break;
    }
    spin_unlock(&d->evtchn->lock);
    return rc;
}

int evtchn_close_locked(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port), *rchn;
    struct domain *rd;
    evtchn_port_t rport;

    if ( !chn || chn->state == ECS_FREE || chn->state == ECS_RESERVED )
        return -EINVAL;
    switch ( chn->state )
    {
    case ECS_VIRQ:
    {
        unsigned int v = virq_is_global(chn->u.virq) ? 0 :
                         chn->notify_vcpu_id;

        d->vcpu[v]->evtchn->virq_to_port[chn->u.virq] = 0;
        break;
    }
    case ECS_INTERDOMAIN:
        rd = chn->u.interdomain.remote_dom;
        rport = chn->u.interdomain.remote_port;
        if ( rd != d )
            spin_lock(&rd->evtchn->lock);
        /* The peer's end waits for us again, as Xen leaves it. */
        rchn = evtchn_from_port(rd, rport);
        rchn->state = ECS_UNBOUND;
        rchn->u.unbound.remote_domid = d->domain_id;
        if ( rd != d )
            spin_unlock(&rd->evtchn->lock);
        break;
    default:
        break;
    }
    evtchn_free_port(d, port);
    return 0;
}

int evtchn_close(struct domain *caller, evtchn_port_t port)
{
    int rc;

    /*
     * An interdomain close locks the peer inside; lock order is by
     * domain id, so take the peer first when it sorts first.
     */
    for ( ;; )
    {
        struct evtchn *chn;
        struct domain *rd = NULL;

        spin_lock(&caller->evtchn->lock);
        chn = evtchn_from_port(caller, port);
        if ( chn && chn->state == ECS_INTERDOMAIN &&
             chn->u.interdomain.remote_dom != caller &&
             chn->u.interdomain.remote_dom->domain_id < caller->domain_id )
            rd = chn->u.interdomain.remote_dom;
        if ( !rd )
            break;
        spin_unlock(&caller->evtchn->lock);
        evtchn_double_lock(caller, rd);
        chn = evtchn_from_port(caller, port);
        if ( chn->state == ECS_INTERDOMAIN &&
             chn->u.interdomain.remote_dom == rd )
        {
            /* Peer already locked: close without locking it again. */
            struct evtchn *rchn =
                evtchn_from_port(rd, chn->u.interdomain.remote_port);

            rchn->state = ECS_UNBOUND;
            rchn->u.unbound.remote_domid = caller->domain_id;
            evtchn_free_port(caller, port);
            evtchn_double_unlock(caller, rd);
            return 0;
        }
        evtchn_double_unlock(caller, rd);   /* changed meanwhile: retry */
    }
    rc = evtchn_close_locked(caller, port);
    spin_unlock(&caller->evtchn->lock);
    return rc;
}

int evtchn_status(struct domain *caller, struct evtchn_status *s)
{
    struct domain *d;
    struct evtchn *chn;
    int rc;

    rc = domain_lookup(caller, s->dom, &d);
    if ( rc )
        return rc;

    spin_lock(&d->evtchn->lock);
    /* As Xen: a port past the buckets allocated so far is not a port
     * (-EINVAL), checked before the right to look at the domain. */
    chn = evtchn_from_port(d, s->port);
    if ( !chn )
        rc = -EINVAL;
    else
        rc = xsm()->evtchn_target(caller, d);
    if ( !rc )
    {
        s->vcpu = chn->notify_vcpu_id;
        switch ( chn->state )
        {
        case ECS_FREE:
        case ECS_RESERVED:
            s->status = EVTCHNSTAT_closed;
            break;
        case ECS_UNBOUND:
            s->status = EVTCHNSTAT_unbound;
            s->u.unbound.dom = chn->u.unbound.remote_domid;
            break;
        case ECS_INTERDOMAIN:
            s->status = EVTCHNSTAT_interdomain;
            s->u.interdomain.dom =
                chn->u.interdomain.remote_dom->domain_id;
            s->u.interdomain.port = chn->u.interdomain.remote_port;
            break;
        case ECS_PIRQ:
            s->status = EVTCHNSTAT_pirq;
            s->u.pirq = chn->u.pirq;
            break;
        case ECS_VIRQ:
            s->status = EVTCHNSTAT_virq;
            s->u.virq = chn->u.virq;
            break;
        case ECS_IPI:
            s->status = EVTCHNSTAT_ipi;
            break;
        }
    }
    spin_unlock(&d->evtchn->lock);
    domain_put(d);
    return rc;
}

int evtchn_unmask(struct domain *caller, evtchn_port_t port)
{
    struct domain *d = caller;
    int rc = 0;

    spin_lock(&d->evtchn->lock);
    if ( !evtchn_from_port(d, port) )
        rc = -EINVAL;
    else
        d->evtchn->ops->unmask(d, port);
    spin_unlock(&d->evtchn->lock);
    return rc;
}

/*
 * Close every port of @d from @from on, then leave FIFO for the 2-level
 * ABI. With @preemptible, -ERESTART when a continuation is due, the
 * progress kept in reset_next.
 */
static int reset_ports(struct domain *d, evtchn_port_t from,
                       bool preemptible)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t start = from ? from : 1, p;

    for ( p = start; p < ed->max_ports; p++ )
    {
        struct evtchn *chn;

        /* A bucket at least per entry: progress even if a softirq stays
         * pending. */
        if ( preemptible && p != start && p % EVTCHN_BUCKET_PORTS == 0 &&
             hypercall_preempt_check() )
        {
            ed->reset_next = p;
            return -ERESTART;
        }
        chn = evtchn_from_port(d, p);
        if ( !chn )
        {
            /* A bucket never allocated holds no ports: skip it whole. */
            p |= EVTCHN_BUCKET_PORTS - 1;
            continue;
        }
        if ( chn->state != ECS_FREE )
            evtchn_close(d, p);
    }
    ed->reset_next = 0;
    spin_lock(&ed->lock);
    evtchn_fifo_destroy(d);
    spin_unlock(&ed->lock);
    return 0;
}

int evtchn_reset_resumable(struct domain *caller, domid_t dom,
                           bool resuming, bool preemptible)
{
    struct domain *d;
    int rc;

    rc = domain_lookup(caller, dom, &d);
    if ( rc )
        return rc;
    rc = xsm()->evtchn_target(caller, d);
    /* Another domain's ports change only while it cannot use them. */
    if ( !rc && d != caller && d->pause_count == 0 )
        rc = -EINVAL;
    if ( !rc )
        rc = reset_ports(d, resuming ? d->evtchn->reset_next : 1,
                         preemptible);
    domain_put(d);
    return rc;
}

int evtchn_reset(struct domain *caller, domid_t dom)
{
    return evtchn_reset_resumable(caller, dom, false, false);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    evtchn_port_t port;

    if ( virq >= NR_VIRQS || !d->evtchn )
        return;
    spin_lock(&d->evtchn->lock);
    port = v->evtchn->virq_to_port[virq];
    if ( port )
        evtchn_port_set_pending(d, port);
    spin_unlock(&d->evtchn->lock);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    if ( d->max_vcpus && virq_is_global(virq) )
        send_guest_vcpu_virq(d->vcpu[0], virq);
}

/* A guest keeps its console port unbound (Linux's hvc binds it locally);
 * the hypervisor is its remote end and sends on it as a peer would. */
int evtchn_notify_unbound(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;
    int rc = -EINVAL;

    if ( !d->evtchn )
        return -EINVAL;
    spin_lock(&d->evtchn->lock);
    chn = evtchn_from_port(d, port);
    if ( chn && chn->state == ECS_UNBOUND )
    {
        evtchn_port_set_pending(d, port);
        rc = 0;
    }
    spin_unlock(&d->evtchn->lock);
    return rc;
}
