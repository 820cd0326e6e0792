/* SPDX-License-Identifier: MIT */
/*
 * The port table: buckets of EVTCHN_BUCKET_PORTS channels allocated as
 * ports are first used, up to the domain's limit. Port 0 is reserved, as
 * in Xen, so that 0 can mean "no port" to a guest. Each port that is not
 * free is charged to the domain's ledger.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/vcpu_sched.h>

#include "evtchn_fifo_private.h"

static evtchn_upcall_fn *upcall_hook;

evtchn_upcall_fn *evtchn_set_upcall_hook(evtchn_upcall_fn *fn)
{
    evtchn_upcall_fn *old = upcall_hook;

    upcall_hook = fn;
    return old;
}

void evtchn_mark_vcpu_pending(struct vcpu *v)
{
    if ( !v->vcpu_info )
        return;     /* delivered when the guest registers its vcpu_info */
    if ( __atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1,
                             __ATOMIC_SEQ_CST) != 0 )
        return;
    vcpu_unblock(v);    /* SCHEDOP_block/poll waiter: Xen's vcpu_kick */
    if ( upcall_hook )
        upcall_hook(v);
}

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_domain *ed = d->evtchn;
    const struct evtchn *b;

    if ( !ed || port >= ed->max_ports )
        return NULL;
    b = ed->bucket[port / EVTCHN_BUCKET_PORTS];
    return b ? (struct evtchn *)&b[port % EVTCHN_BUCKET_PORTS] : NULL;
}

/*
 * Forget a channel, except for the FIFO queue it was last linked on: a
 * queue's tail may still name the port, and linking it again must find
 * that queue to correct it (evtchn_fifo_queue.c).
 */
static void clear_channel(struct evtchn *chn)
{
    uint32_t last_vcpu = chn->last_vcpu_id;
    uint8_t last_prio = chn->last_priority;

    memset(chn, 0, sizeof(*chn));
    chn->last_vcpu_id = last_vcpu;
    chn->last_priority = last_prio;
}

int evtchn_get_free_port(struct domain *d, evtchn_port_t *port)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t p;

    for ( p = 0; p < ed->max_ports; p++ )
    {
        struct evtchn **b = &ed->bucket[p / EVTCHN_BUCKET_PORTS];
        struct evtchn *chn;

        if ( !*b )
        {
            *b = xzalloc_array(struct evtchn, EVTCHN_BUCKET_PORTS);
            if ( !*b )
                return -ENOMEM;
        }
        chn = &(*b)[p % EVTCHN_BUCKET_PORTS];
        if ( chn->state != ECS_FREE )
            continue;
        clear_channel(chn);
        chn->state = ECS_RESERVED;
        chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
        ledger_charge(d, LEDGER_PORTS, 1);
        *port = p;
        return 0;
    }
    return -ENOSPC;
}

void evtchn_free_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);

    BUG_ON(!chn || chn->state == ECS_FREE);
    /* A stale pending bit would fire on the port's next user. */
    d->evtchn->ops->clear_pending(d, port);
    clear_channel(chn);
    ledger_charge(d, LEDGER_PORTS, -1);
}

void evtchn_port_set_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);
    struct vcpu *v;

    if ( !chn || chn->notify_vcpu_id >= d->max_vcpus )
        return;
    v = d->vcpu[chn->notify_vcpu_id];
    d->evtchn->ops->set_pending(v, port);
    vcpu_poll_check(d, port);   /* SCHEDOP_poll waits even if masked */
}

void evtchn_double_lock(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&a->evtchn->lock);
    else if ( a->domain_id < b->domain_id )
    {
        spin_lock(&a->evtchn->lock);
        spin_lock(&b->evtchn->lock);
    }
    else
    {
        spin_lock(&b->evtchn->lock);
        spin_lock(&a->evtchn->lock);
    }
}

void evtchn_double_unlock(struct domain *a, struct domain *b)
{
    spin_unlock(&a->evtchn->lock);
    if ( a != b )
        spin_unlock(&b->evtchn->lock);
}

/* ---- Per-domain state (domain hooks) ------------------------------------ */

static int evtchn_domain_init(struct domain *d)
{
    struct evtchn_domain *ed = xzalloc(struct evtchn_domain);
    evtchn_port_t port0;
    unsigned int i;

    if ( !ed )
        return -ENOMEM;
    ed->ops = &evtchn_2l_ops;
    ed->max_ports = MIN(d->max_evtchn_port, ed->ops->max_ports);
    spin_lock_init(&ed->lock);
    d->evtchn = ed;
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        d->vcpu[i]->evtchn = xzalloc(struct evtchn_vcpu);
        if ( !d->vcpu[i]->evtchn )
            goto fail;
    }
    /* Port 0 stays reserved for the domain's life. */
    if ( evtchn_get_free_port(d, &port0) )
        goto fail;
    return 0;

 fail:
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        xfree(d->vcpu[i]->evtchn);
        d->vcpu[i]->evtchn = NULL;
    }
    xfree(ed->bucket[0]);
    xfree(ed);
    d->evtchn = NULL;
    return -ENOMEM;
}

static void evtchn_domain_teardown(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t p;
    unsigned int i;

    /*
     * Close every bound port; interdomain peers revert to unbound.
     * evtchn_close() takes the locks itself, in domain-id order.
     */
    for ( p = 1; p < ed->max_ports; p++ )
    {
        struct evtchn *chn = evtchn_from_port(d, p);

        if ( !chn )
            p |= EVTCHN_BUCKET_PORTS - 1;   /* a bucket never allocated */
        else if ( chn->state != ECS_FREE )
            evtchn_close(d, p);
    }
    spin_lock(&ed->lock);
    evtchn_free_port(d, 0);
    evtchn_fifo_destroy(d);
    spin_unlock(&ed->lock);

    for ( i = 0; i < EVTCHN_MAX_BUCKETS; i++ )
        xfree(ed->bucket[i]);
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        xfree(d->vcpu[i]->evtchn);
        d->vcpu[i]->evtchn = NULL;
    }
    xfree(ed);
    d->evtchn = NULL;
}

static const struct domain_hooks evtchn_hooks = {
    .name = "evtchn",
    .domain_init = evtchn_domain_init,
    .domain_teardown = evtchn_domain_teardown,
};

void evtchn_register_domain_hooks(void)
{
    int rc = domain_register_hooks(&evtchn_hooks);

    if ( rc )
        panic("evtchn: cannot register domain hooks (%d)", rc);
}
