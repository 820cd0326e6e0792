/* SPDX-License-Identifier: MIT */
/*
 * fifo: a burst from the 2-level peer onto four FIFO ports, two on each
 * of two queues (after peer.c's ping-pong, on its port P). The peer sends
 * 2000 events round robin without waiting and then one on P; the FIFO
 * domain consumes with interrupts on while the hypervisor links on the
 * other pCPU, so linking behind a queue's tail can race the guest's
 * unlinking of that word (xen-abi-facts §2.2: the LINKED compare-exchange
 * and BUSY). Events coalesce while pending, but none may be lost: once
 * the queues are drained every port has been consumed and no word is
 * left PENDING or LINKED. A stress test: the race is rare under TCG, and
 * unit.evtchn drives it deterministically through the race hook.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "fifo.h"

#define NB      4
#define SENDS   2000

static const uint32_t burst_prio[NB] = { 6, 6, 9, 9 };

void fifo_burst(domid_t peer, evtchn_port_t p)
{
    evtchn_port_t b[NB];
    uint64_t deadline;
    unsigned int total = 0;
    long rc;

    for ( unsigned int i = 0; i < NB; i++ )
    {
        struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                          .remote_dom = peer };

        rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
        if ( rc || a.port >= 64 )
            panic("alloc_unbound for the burst gave %ld, port %u", rc,
                  a.port);
        b[i] = a.port;
        check(set_priority(b[i], burst_prio[i]) == 0, "set_priority");
        port_hits[b[i]] = 0;
    }
    port_hits[p] = 0;
    nr_consumed = 0;

    /* The peer binds them, bursts, and then sends on P. */
    deadline = now_ns() + WAIT_NS;
    asm volatile ( "sti" ::: "memory" );
    while ( !port_hits[p] && now_ns() < deadline )
        asm volatile ( "pause" ::: "memory" );
    asm volatile ( "cli" ::: "memory" );
    check(port_hits[p] == 1, "the end of the burst: %u events on port %u",
          port_hits[p], p);

    /* Whatever is still queued below P's priority comes now. */
    for ( unsigned int i = 0; i < 10 && fifo_cb->ready; i++ )
        open_window();
    check(fifo_cb->ready == 0, "READY %#x after the burst", fifo_cb->ready);
    for ( unsigned int i = 0; i < NB; i++ )
    {
        event_word_t w = *fifo_word(b[i]);

        check(port_hits[b[i]] > 0, "port %u: no event of the burst arrived",
              b[i]);
        check(!(w & (W_PENDING | W_LINKED)), "port %u after the burst: word "
              "%#x (an event lost or left linked)", b[i], w);
        total += port_hits[b[i]];
    }
    printf("burst of %u sends from d%u on %u ports: %u upcall-consumed "
           "events (the rest coalesced)\n", SENDS, peer, NB, total);
    nr_consumed = 0;
    evtchn_notify(p);
}

/* The 2-level side: bind the FIFO domain's NB new ports, burst, end on
 * @q, and wait for the answer on @q. */
void twolevel_burst(domid_t peer, evtchn_port_t q)
{
    volatile struct shared_info *s = shared_info();
    struct evtchn_bind_interdomain bi = { .remote_dom = peer };
    struct sched_poll poll = { .nr_ports = 1 };
    uint64_t deadline = now_ns() + WAIT_NS;
    evtchn_port_t mine[NB];
    unsigned int n = 0;

    while ( n < NB )
    {
        for ( bi.remote_port = 1; bi.remote_port < 64 && n < NB;
              bi.remote_port++ )
            if ( evtchn_op(EVTCHNOP_bind_interdomain, &bi) == 0 )
                mine[n++] = bi.local_port;
        if ( n < NB && now_ns() > deadline )
            panic("only %u of d%u's burst ports found", n, peer);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    for ( unsigned int i = 0; i < SENDS; i++ )
        evtchn_op(EVTCHNOP_send, &(struct evtchn_send){ .port =
                                                        mine[i % NB] });
    evtchn_notify(q);

    poll.ports = (uintptr_t)&q;
    deadline = now_ns() + WAIT_NS;
    poll.timeout = deadline;
    while ( !((s->evtchn_pending[q / 64] >> (q % 64)) & 1) )
    {
        if ( now_ns() >= deadline )
            panic("no answer to the burst from d%u", peer);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    }
    __atomic_fetch_and(&s->evtchn_pending[q / 64], ~(1ULL << (q % 64)),
                       __ATOMIC_SEQ_CST);
}
