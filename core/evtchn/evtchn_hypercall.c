/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op(cmd, arg): copy the subop's struct in, run it, copy
 * the struct back when the subop has outputs and succeeded.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>

#include "evtchn_private.h"

union evtchn_args {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
};

/* The argument size of each subop, and whether it writes results. */
static const struct {
    uint8_t size;
    bool out;
} subops[] = {
    [EVTCHNOP_bind_interdomain] = { sizeof(struct evtchn_bind_interdomain),
                                    true },
    [EVTCHNOP_bind_virq] = { sizeof(struct evtchn_bind_virq), true },
    [EVTCHNOP_close] = { sizeof(struct evtchn_close), false },
    [EVTCHNOP_send] = { sizeof(struct evtchn_send), false },
    [EVTCHNOP_status] = { sizeof(struct evtchn_status), true },
    [EVTCHNOP_alloc_unbound] = { sizeof(struct evtchn_alloc_unbound), true },
    [EVTCHNOP_bind_ipi] = { sizeof(struct evtchn_bind_ipi), true },
    [EVTCHNOP_bind_vcpu] = { sizeof(struct evtchn_bind_vcpu), false },
    [EVTCHNOP_unmask] = { sizeof(struct evtchn_unmask), false },
    [EVTCHNOP_reset] = { sizeof(struct evtchn_reset), false },
};

static int run(struct domain *d, unsigned int cmd, union evtchn_args *a)
{
    switch ( cmd )
    {
    case EVTCHNOP_bind_interdomain:
        return evtchn_bind_interdomain(d, &a->bind_interdomain);
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(d, &a->bind_virq);
    case EVTCHNOP_close:
        return evtchn_close(d, a->close.port);
    case EVTCHNOP_send:
        return evtchn_send(d, a->send.port);
    case EVTCHNOP_status:
        return evtchn_status(d, &a->status);
    case EVTCHNOP_alloc_unbound:
        return evtchn_alloc_unbound(d, &a->alloc_unbound);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(d, &a->bind_ipi);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(d, &a->bind_vcpu);
    case EVTCHNOP_unmask:
        return evtchn_unmask(d, a->unmask.port);
    case EVTCHNOP_reset:
        return evtchn_reset(d, a->reset.dom);
    }
    return -ENOSYS;
}

int64_t do_event_channel_op(struct vcpu *v, struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    union evtchn_args a;
    uint64_t cmd = r->args[0], arg = r->args[1];
    int rc;

    /*
     * bind_pirq: no physical IRQs are passed through yet. FIFO
     * (init_control, expand_array, set_priority) is next: until then
     * -ENOSYS, on which Linux falls back to the 2-level ABI.
     */
    if ( cmd >= ARRAY_SIZE(subops) || !subops[cmd].size )
        return -ENOSYS;
    if ( !d->evtchn )
        return -ENOSYS;

    rc = copy_from_guest(v, &a, arg, subops[cmd].size);
    if ( rc )
        return rc;
    rc = run(d, (unsigned int)cmd, &a);
    if ( !rc && subops[cmd].out )
        rc = copy_to_guest(v, arg, &a, subops[cmd].size);
    return rc;
}
