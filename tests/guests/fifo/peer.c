/* SPDX-License-Identifier: MIT */
/*
 * fifo: events between two guests of different ABIs. The FIFO domain
 * (`peer=<2-level domain>`) allocates one unbound port P for its peer;
 * the 2-level domain (`role=twolevel peer=<FIFO domain>`) finds it by
 * trying bind_interdomain on the FIFO domain's low ports (every other
 * port is -EINVAL: not unbound for it) and gets its port Q. Then ping-
 * pong: Q -> P arrives on the FIFO domain's queue of P's priority
 * through its upcall, P -> Q as a 2-level pending bit the peer polls
 * for. Then a burst (burst.c). Finally the FIFO domain closes P and the
 * peer's Q reads unbound.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "fifo.h"

#define ROUNDS 20

static bool port_bound(evtchn_port_t port, domid_t peer)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

    return evtchn_op(EVTCHNOP_status, &st) == 0 &&
           st.status == EVTCHNSTAT_interdomain &&
           st.u.interdomain.dom == peer;
}

/* The FIFO side, with IF clear; the upcall consumes the queues. */
void fifo_with_peer(domid_t peer)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = peer };
    uint64_t deadline = now_ns() + WAIT_NS;
    unsigned int rounds = 0;
    long rc;

    rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
    if ( rc )
        panic("alloc_unbound for d%u gave %ld", peer, rc);
    rc = set_priority(a.port, 4);
    check(rc == 0, "set_priority of an unbound port gave %ld", rc);
    while ( !port_bound(a.port, peer) )
    {
        if ( now_ns() > deadline )
            panic("d%u did not bind port %u", peer, a.port);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }

    nr_consumed = 0;
    for ( rounds = 0; rounds < ROUNDS; rounds++ )
    {
        deadline = now_ns() + WAIT_NS;
        asm volatile ( "sti" ::: "memory" );
        while ( !nr_consumed && now_ns() < deadline )
            asm volatile ( "pause" ::: "memory" );
        asm volatile ( "cli" ::: "memory" );
        if ( !nr_consumed )
            break;
        check_order("event from the 2-level peer", 1, &a.port);
        evtchn_notify(a.port);
    }
    check(rounds == ROUNDS, "%u of %u events from d%u arrived", rounds,
          ROUNDS, peer);
    printf("%u events each way with d%u (2-level) on FIFO port %u, "
           "priority 4\n", rounds, peer, a.port);
    fifo_burst(peer, a.port);
    /* Let the last reply be polled for before the port goes. */
    spin_ns(10000000);
    rc = evtchn_op(EVTCHNOP_close, &(struct evtchn_close){ .port = a.port });
    check(rc == 0, "close of port %u gave %ld", a.port, rc);
}

static bool pending_2l(volatile struct shared_info *s, evtchn_port_t p)
{
    return (s->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void clear_2l(volatile struct shared_info *s, evtchn_port_t p)
{
    __atomic_fetch_and(&s->evtchn_pending[p / 64], ~(1ULL << (p % 64)),
                       __ATOMIC_SEQ_CST);
}

/* The 2-level side: no upcalls, SCHEDOP_poll. */
void twolevel_peer(domid_t peer)
{
    volatile struct shared_info *s = shared_info();
    struct evtchn_bind_interdomain b = { .remote_dom = peer };
    struct sched_poll poll = { .nr_ports = 1 };
    uint64_t deadline = now_ns() + WAIT_NS;
    unsigned int tried_bad = 0;
    evtchn_port_t q;
    long rc;

    for ( ;; )
    {
        for ( b.remote_port = 1; b.remote_port < 64; b.remote_port++ )
        {
            rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
            if ( rc == 0 )
                break;
            check(rc == -EINVAL, "bind_interdomain to d%u port %u gave %ld",
                  peer, b.remote_port, rc);
            tried_bad++;
        }
        if ( b.remote_port < 64 )
            break;
        if ( now_ns() > deadline )
            panic("no unbound port of d%u for us", peer);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    q = b.local_port;
    clear_2l(s, q);             /* bind_interdomain raised it (Xen) */
    printf("bound to d%u port %u as port %u (%u ports refused)\n", peer,
           b.remote_port, q, tried_bad);

    poll.ports = (uintptr_t)&q;
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        evtchn_notify(q);
        deadline = now_ns() + WAIT_NS;
        poll.timeout = deadline;
        while ( !pending_2l(s, q) )
        {
            if ( now_ns() >= deadline )
                panic("no reply %u from d%u", i, peer);
            hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
        }
        clear_2l(s, q);
    }
    twolevel_burst(peer, q);

    /* The FIFO side closes its end: ours goes back to unbound. */
    deadline = now_ns() + WAIT_NS;
    for ( ;; )
    {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = q };

        rc = evtchn_op(EVTCHNOP_status, &st);
        if ( rc == 0 && st.status == EVTCHNSTAT_unbound )
        {
            check(st.u.unbound.dom == peer, "unbound for d%u, not d%u",
                  st.u.unbound.dom, peer);
            break;
        }
        check(rc == 0 && st.status == EVTCHNSTAT_interdomain,
              "status of port %u: rc %ld status %u", q, rc, st.status);
        if ( now_ns() > deadline )
            panic("d%u never closed its end", peer);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
}
