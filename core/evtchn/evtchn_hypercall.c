/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op(cmd, arg): copy the subop's struct in, run it, copy
 * the struct back when the subop has outputs and succeeded. A subop
 * number outside the table is -ENOSYS, as Xen.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>

#include "evtchn_private.h"

union evtchn_args {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
    struct evtchn_init_control init_control;
    struct evtchn_expand_array expand_array;
    struct evtchn_set_priority set_priority;
};

/* The argument size of each subop, and whether it writes results. */
static const struct {
    uint8_t size;
    bool out;
} subops[] = {
    [EVTCHNOP_bind_interdomain] = { sizeof(struct evtchn_bind_interdomain),
                                    true },
    [EVTCHNOP_bind_virq] = { sizeof(struct evtchn_bind_virq), true },
    [EVTCHNOP_bind_pirq] = { sizeof(struct evtchn_bind_pirq), true },
    [EVTCHNOP_close] = { sizeof(struct evtchn_close), false },
    [EVTCHNOP_send] = { sizeof(struct evtchn_send), false },
    [EVTCHNOP_status] = { sizeof(struct evtchn_status), true },
    [EVTCHNOP_alloc_unbound] = { sizeof(struct evtchn_alloc_unbound), true },
    [EVTCHNOP_bind_ipi] = { sizeof(struct evtchn_bind_ipi), true },
    [EVTCHNOP_bind_vcpu] = { sizeof(struct evtchn_bind_vcpu), false },
    [EVTCHNOP_unmask] = { sizeof(struct evtchn_unmask), false },
    [EVTCHNOP_reset] = { sizeof(struct evtchn_reset), false },
    [EVTCHNOP_init_control] = { sizeof(struct evtchn_init_control), true },
    [EVTCHNOP_expand_array] = { sizeof(struct evtchn_expand_array), false },
    [EVTCHNOP_set_priority] = { sizeof(struct evtchn_set_priority), false },
    [EVTCHNOP_reset_cont] = { sizeof(struct evtchn_reset), false },
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
    case EVTCHNOP_bind_pirq:
        return evtchn_bind_pirq(d, &a->bind_pirq);
    case EVTCHNOP_init_control:
        return evtchn_init_control(d, &a->init_control);
    case EVTCHNOP_expand_array:
        return evtchn_expand_array(d, &a->expand_array);
    case EVTCHNOP_set_priority:
        return evtchn_set_priority(d, &a->set_priority);
    }
    return -ENOSYS;
}

int64_t do_event_channel_op(struct vcpu *v, struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    union evtchn_args a;
    uint64_t cmd = r->args[0], arg = r->args[1];
    int rc;

    if ( cmd >= ARRAY_SIZE(subops) || !subops[cmd].size )
        return -ENOSYS;
    if ( !d->evtchn )
        return -ENOSYS;

    rc = copy_from_guest(v, &a, arg, subops[cmd].size);
    if ( rc )
        return rc;
    if ( cmd == EVTCHNOP_reset || cmd == EVTCHNOP_reset_cont )
    {
        /* Closing up to 2^17 ports is preemptible: the guest re-enters
         * with reset_cont, which carries on where this one stopped. */
        rc = evtchn_reset_resumable(d, a.reset.dom,
                                    cmd == EVTCHNOP_reset_cont, true);
        if ( rc == -ERESTART )
        {
            r->args[0] = EVTCHNOP_reset_cont;
            return hypercall_continue(r);
        }
        return rc;
    }
    rc = run(d, (unsigned int)cmd, &a);
    if ( !rc && subops[cmd].out )
        rc = copy_to_guest(v, arg, &a, subops[cmd].size);
    return rc;
}
