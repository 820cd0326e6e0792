/* SPDX-License-Identifier: MIT */
/* Between the files of core/evtchn. */
#ifndef EVTCHN_PRIVATE_H
#define EVTCHN_PRIVATE_H

#include <orrery/domain.h>
#include <orrery/event.h>

#include <public/xen.h>

/* A free port of @d (allocating its bucket), marked ECS_RESERVED for the
 * caller to fill in; -ENOSPC when every port up to the limit is used,
 * -ENOMEM. Caller holds d->evtchn->lock. */
int evtchn_get_free_port(struct domain *d, evtchn_port_t *port);
/* Give @port of @d back (state FREE, pending cleared). Lock held. */
void evtchn_free_port(struct domain *d, evtchn_port_t port);

/* Deliver @port of @d: the ABI's set_pending on the notify vCPU. */
void evtchn_port_set_pending(struct domain *d, evtchn_port_t port);

/* Set @v's evtchn_upcall_pending; call the hook if it was clear. */
void evtchn_mark_vcpu_pending(struct vcpu *v);

/* Lock two domains' event state in a fixed order (one lock if same). */
void evtchn_double_lock(struct domain *a, struct domain *b);
void evtchn_double_unlock(struct domain *a, struct domain *b);

/* Close @port of @d; d's lock held. An interdomain peer's lock is taken
 * inside, so the peer must sort after @d (or be @d): see evtchn_close(). */
int evtchn_close_locked(struct domain *d, evtchn_port_t port);

/*
 * EVTCHNOP_reset (@resuming false) and reset_cont (true, carrying on from
 * where a preempted reset stopped). With @preemptible, -ERESTART asks the
 * hypercall for a continuation.
 */
int evtchn_reset_resumable(struct domain *caller, domid_t dom,
                           bool resuming, bool preemptible);

/* EVTCHNOP_bind_pirq: no domain has physical IRQs. */
int evtchn_bind_pirq(struct domain *caller, struct evtchn_bind_pirq *b);

/*
 * VIRQs raised for the whole domain, bound on vCPU 0 (and moved only by
 * bind_vcpu), as opposed to per-vCPU ones (timer, debug).
 */
static inline bool virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG;
}

#endif
