/* SPDX-License-Identifier: MIT */
/*
 * The 2-level ABI (reference §1.5): one pending and one mask bit per port
 * in shared_info, one selector bit per 64 ports in each vcpu_info.
 *
 *   1. set the pending bit; if it was already set, stop;
 *   2. if the port is not masked, set bit port/64 of the target vCPU's
 *      evtchn_pending_sel;
 *   3. if that selector bit was newly set, set evtchn_upcall_pending.
 *   Unmask repeats 2-3 when the port is pending.
 *
 * The guest reads and clears these words concurrently, so every update is
 * an atomic read-modify-write.
 */
#include <orrery/domain.h>

#include <public/xen.h>

#include "evtchn_private.h"

#define BITS 64

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
    xen_ulong_t m = 1ULL << bit;

    return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & (1ULL << bit);
}

/* Steps 2 and 3 for a pending, unmasked @port. */
static void notify_selector(struct vcpu *v, evtchn_port_t port)
{
    if ( !v->vcpu_info )
        return;
    if ( !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS) )
        evtchn_mark_vcpu_pending(v);
}

static void twol_set_pending(struct vcpu *v, evtchn_port_t port)
{
    struct shared_info *si = v->domain->shared_info;

    if ( test_and_set(&si->evtchn_pending[port / BITS], port % BITS) )
        return;
    if ( !test(&si->evtchn_mask[port / BITS], port % BITS) )
        notify_selector(v, port);
}

static void twol_clear_pending(struct domain *d, evtchn_port_t port)
{
    __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS],
                       ~(1ULL << (port % BITS)), __ATOMIC_SEQ_CST);
}

static void twol_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *si = d->shared_info;
    struct evtchn *chn = evtchn_from_port(d, port);
    xen_ulong_t m = 1ULL << (port % BITS);

    if ( !(__atomic_fetch_and(&si->evtchn_mask[port / BITS], ~m,
                              __ATOMIC_SEQ_CST) & m) )
        return;     /* was not masked: nothing to redeliver */
    if ( test(&si->evtchn_pending[port / BITS], port % BITS) && chn &&
         chn->notify_vcpu_id < d->max_vcpus )
        notify_selector(d->vcpu[chn->notify_vcpu_id], port);
}

static bool twol_is_pending(const struct domain *d, evtchn_port_t port)
{
    return test(&d->shared_info->evtchn_pending[port / BITS], port % BITS);
}

static bool twol_is_masked(const struct domain *d, evtchn_port_t port)
{
    return test(&d->shared_info->evtchn_mask[port / BITS], port % BITS);
}

const struct evtchn_port_ops evtchn_2l_ops = {
    .name = "2-level",
    .max_ports = EVTCHN_2L_NR_CHANNELS,
    .set_pending = twol_set_pending,
    .clear_pending = twol_clear_pending,
    .unmask = twol_unmask,
    .is_pending = twol_is_pending,
    .is_masked = twol_is_masked,
};
