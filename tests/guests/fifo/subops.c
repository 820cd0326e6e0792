/* SPDX-License-Identifier: MIT */
/*
 * fifo: the 2-level subops under FIFO (status, alloc/close, bind_vcpu,
 * SCHEDOP_poll), the event array's limit, the per-vCPU upcall vector, an
 * array page given back while in use, and EVTCHNOP_reset back to
 * 2-level.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "fifo.h"

/*
 * SCHEDOP_poll on FIFO ports that are not pending: the timeout ends it,
 * and an event on a masked port ends it early (Xen wakes pollers whether
 * or not the port is masked; Linux polls masked ports, e.g. its
 * spinlock kicker).
 */
static void test_poll_waits(void)
{
    struct sched_poll poll = { .nr_ports = 1 };
    evtchn_port_t port = rx[2];
    uint64_t t0, dt;
    long rc;

    poll.ports = (uintptr_t)&port;
    t0 = now_ns();
    poll.timeout = t0 + 5000000;
    rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    dt = now_ns() - t0;
    check(rc == 0 && dt >= 5000000 && dt < 1000000000ULL,
          "poll with a 5 ms timeout: rc %ld after %llu ns", rc,
          (unsigned long long)dt);

    port = timer_port;
    __atomic_fetch_or(fifo_word(timer_port), W_MASKED, __ATOMIC_SEQ_CST);
    t0 = now_ns();
    timer_at(t0 + 3000000);
    poll.timeout = t0 + 2000000000ULL;
    rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    dt = now_ns() - t0;
    check(rc == 0 && dt >= 3000000 && dt < 1000000000ULL,
          "poll on the masked timer port: rc %ld after %llu ns", rc,
          (unsigned long long)dt);
    check((*fifo_word(timer_port) & (W_PENDING | W_LINKED)) == W_PENDING,
          "the masked timer port after the poll: word %#x",
          *fifo_word(timer_port));
    __atomic_fetch_and(fifo_word(timer_port), ~(W_MASKED | W_PENDING),
                       __ATOMIC_SEQ_CST);
}

void test_subops(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = timer_port };
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF };
    struct sched_poll poll = { .nr_ports = 1 };
    evtchn_port_t port = rx[2];
    uint64_t t0;
    long rc;

    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER,
          "status of the timer port: rc %ld status %u", rc, st.status);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = rx[0] };
    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_interdomain &&
          st.u.interdomain.port == tx[0],
          "status of port %u: rc %ld status %u peer %u", rx[0], rc,
          st.status, st.u.interdomain.port);

    rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
    check(rc == 0, "alloc_unbound under FIFO gave %ld", rc);
    rc = evtchn_op(EVTCHNOP_close, &(struct evtchn_close){ .port = a.port });
    check(rc == 0, "close gave %ld", rc);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = a.port };
    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_closed,
          "status of a closed port: rc %ld status %u", rc, st.status);
    rc = evtchn_op(EVTCHNOP_bind_vcpu,
                   &(struct evtchn_bind_vcpu){ .port = rx[2], .vcpu = 0 });
    check(rc == 0, "bind_vcpu gave %ld", rc);

    /* SCHEDOP_poll sees a FIFO port pending (masked: no upcall). */
    __atomic_fetch_or(fifo_word(rx[2]), W_MASKED, __ATOMIC_SEQ_CST);
    evtchn_notify(tx[2]);
    poll.ports = (uintptr_t)&port;
    poll.timeout = now_ns() + 2000000000ULL;
    t0 = now_ns();
    rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    check(rc == 0 && now_ns() - t0 < 1000000000ULL,
          "poll on a pending FIFO port: rc %ld after %llu ns", rc,
          (unsigned long long)(now_ns() - t0));
    __atomic_fetch_and(fifo_word(rx[2]), ~(W_MASKED | W_PENDING),
                       __ATOMIC_SEQ_CST);
    test_poll_waits();
}

/* 128 array pages hold every port (2^17); the 129th is -ENOSPC. */
void test_array_limit(void)
{
    unsigned int n;
    long rc = 0;

    for ( n = 1; n < EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES; n++ )
    {
        memset((void *)((ARRAY_GPFN + n) << 12), 0, 4096);
        rc = expand(ARRAY_GPFN + n);
        if ( rc )
            break;
    }
    check(rc == 0, "expand_array page %u gave %ld", n, rc);
    rc = expand(ARRAY_GPFN + n);
    check(rc == -ENOSPC, "expand_array past %u pages gave %ld", n, rc);
    /* Events still flow. */
    evtchn_notify(tx[1]);
    open_window();
    check_order("after the array is full", 1, &rx[1]);
}

/* EVTCHNOP_reset closes every port and goes back to 2-level. */
void test_reset(domid_t peer)
{
    long rc;

    /* Not another domU's ports, nor a domain that is not there. */
    if ( peer )
    {
        rc = evtchn_op(EVTCHNOP_reset,
                       &(struct evtchn_reset){ .dom = peer });
        check(rc == -EPERM, "reset of d%u gave %ld", peer, rc);
    }
    rc = evtchn_op(EVTCHNOP_reset, &(struct evtchn_reset){ .dom = 0x7fef });
    check(rc == -ESRCH, "reset of a missing domain gave %ld", rc);
    check(!still_2l(), "a refused reset left the domain 2-level");

    rc = evtchn_op(EVTCHNOP_reset,
                   &(struct evtchn_reset){ .dom = DOMID_SELF });
    check(rc == 0, "reset gave %ld", rc);
    check(still_2l(), "expand_array after reset is not -EOPNOTSUPP");
    rc = set_priority(rx[0], 3);
    check(rc == -ENOSYS, "set_priority after reset gave %ld", rc);
    /* The old control block was let go: it can be set up afresh. */
    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET, 0);
    check(rc == 0, "init_control after reset gave %ld", rc);
    rc = expand(ARRAY_GPFN);
    check(rc == 0, "expand_array after reset gave %ld", rc);
    rc = expand(ARRAY_GPFN + 1);
    check(rc == -EINVAL, "expand_array at the given-back gfn gave %ld", rc);
}


/* The per-vCPU upcall vector (HVMOP_set_evtchn_upcall_vector, through the
 * local APIC) carries FIFO upcalls as well, as Linux uses it. */
void test_pervcpu_vector(void)
{
    struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = 0,
                                               .vector = PERVCPU_VEC };
    unsigned int before = upcalls_pervcpu;
    long rc;

    rc = hvm_set_param(HVM_PARAM_CALLBACK_IRQ, 0);
    check(rc == 0, "set_param(CALLBACK_IRQ, 0) gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
                    &uv);
    check(rc == 0, "set_evtchn_upcall_vector gave %ld", rc);
    evtchn_notify(tx[1]);
    open_window();
    check_order("through the per-vCPU vector", 1, &rx[1]);
    check(upcalls_pervcpu == before + 1, "%u upcalls through vector %#x",
          upcalls_pervcpu - before, PERVCPU_VEC);
}

/*
 * The guest gives back an event-array page the hypervisor still has
 * (decrease_reservation): the hypervisor keeps its reference, so the
 * frame is not reused while it may still write there, events on the
 * other pages still flow, and after a reset the gfn is a hole that
 * expand_array refuses.
 */
void test_freed_array_page(void)
{
    const xen_pfn_t gfn = ARRAY_GPFN + 1;
    long rc = decrease_reservation(&gfn, 1);

    check(rc == 1, "decrease_reservation of array page 1 gave %ld", rc);
    evtchn_notify(tx[1]);
    open_window();
    check_order("after array page 1 was given back", 1, &rx[1]);
}
