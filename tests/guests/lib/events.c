/* SPDX-License-Identifier: MIT */
/*
 * 2-level event channels from a test kernel: the hypercall, the pending
 * bits in shared_info (xen-abi-facts §2.1: port p is bit p % 64 of word
 * p / 64), a checked send and a bounded wait with SCHEDOP_poll.
 */
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"

long evtchn_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return (shared_info()->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

void evtchn_clear(evtchn_port_t port)
{
    __atomic_fetch_and(&shared_info()->evtchn_pending[port / 64],
                       ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
}

evtchn_port_t evtchn_bind_timer(void)
{
    struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0 };
    long rc = evtchn_op(EVTCHNOP_bind_virq, &bind);

    if ( rc || !bind.port )
        panic("bind_virq(VIRQ_TIMER) gave %ld, port %u", rc, bind.port);
    return bind.port;
}

void timer_at(uint64_t abs_ns)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = abs_ns };
    long rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer,
                         0, &t);

    check(rc == 0, "set_singleshot_timer gave %ld", rc);
}

void evtchn_loopback(evtchn_port_t *a, evtchn_port_t *b)
{
    struct evtchn_alloc_unbound u = { .dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain i = { .remote_dom = DOMID_SELF };
    long rc = evtchn_op(EVTCHNOP_alloc_unbound, &u);

    if ( rc )
        panic("alloc_unbound for ourselves gave %ld", rc);
    i.remote_port = u.port;
    rc = evtchn_op(EVTCHNOP_bind_interdomain, &i);
    if ( rc )
        panic("bind_interdomain to ourselves gave %ld", rc);
    *a = u.port;
    *b = i.local_port;
}

void evtchn_notify(evtchn_port_t port)
{
    struct evtchn_send send = { .port = port };
    long rc = evtchn_op(EVTCHNOP_send, &send);

    check(rc == 0, "send on port %u gave %ld", port, rc);
}

/* A poll may also end for other reasons (any wake-up of the vCPU), so it
 * is repeated until the port is pending or the deadline passes. */
void evtchn_wait(evtchn_port_t port, uint64_t timeout_ns, const char *what)
{
    struct sched_poll poll = { .nr_ports = 1 };
    uint64_t deadline = now_ns() + timeout_ns;

    poll.ports = (uintptr_t)&port;
    poll.timeout = deadline;
    while ( !evtchn_is_pending(port) )
    {
        if ( now_ns() >= deadline )
            panic("timed out waiting for %s", what);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    }
    evtchn_clear(port);
}
