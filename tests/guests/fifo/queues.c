/* SPDX-License-Identifier: MIT */
/*
 * fifo: queues once the domain is FIFO (xen-abi-facts §2.2) -- the LINK
 * chain of one queue, priority order, MASKED, and VIRQ_TIMER.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "smp.h"
#include "fifo.h"

/* Three events on one queue: linked in send order, a second send of a
 * linked event changes nothing, consumed in order, once each. */
void test_one_queue(void)
{
    const evtchn_port_t want[3] = { rx[2], rx[0], rx[1] };
    const unsigned int q = EVTCHN_FIFO_PRIORITY_DEFAULT;
    unsigned int before = upcalls;

    evtchn_notify(tx[2]);
    evtchn_notify(tx[0]);
    evtchn_notify(tx[1]);
    evtchn_notify(tx[0]);
    check(fifo_cb->head[q] == rx[2], "queue %u head %u, not %u", q,
          fifo_cb->head[q], rx[2]);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        event_word_t w = *fifo_word(want[i]);
        evtchn_port_t link = i < 2 ? want[i + 1] : 0;

        check((w & (W_PENDING | W_LINKED | W_MASKED)) ==
              (W_PENDING | W_LINKED), "port %u: word %#x", want[i], w);
        check((w & EVTCHN_FIFO_LINK_MASK) == link, "port %u links to %u, "
              "not %u", want[i], w & EVTCHN_FIFO_LINK_MASK, link);
    }
    check(fifo_cb->ready == 1U << q, "READY %#x", fifo_cb->ready);
    open_window();
    check(upcalls == before + 1, "%u upcalls for one queue",
          upcalls - before);
    check_order("one queue", 3, want);
}

/* Masked while sent: PENDING, not linked, no upcall. Unmasked in the
 * order 0, 1, 2, at priorities 10, 2 and 5: consumed 1, 2, 0. */
void test_priorities(void)
{
    const uint32_t prio[3] = { 10, 2, 5 };
    const evtchn_port_t want[3] = { rx[1], rx[2], rx[0] };
    long rc;

    for ( unsigned int i = 0; i < 3; i++ )
    {
        rc = set_priority(rx[i], prio[i]);
        check(rc == 0, "set_priority(%u, %u) gave %ld", rx[i], prio[i], rc);
        __atomic_fetch_or(fifo_word(rx[i]), W_MASKED, __ATOMIC_SEQ_CST);
        evtchn_notify(tx[i]);
    }
    for ( unsigned int i = 0; i < 3; i++ )
    {
        event_word_t w = *fifo_word(rx[i]);

        check((w & (W_PENDING | W_LINKED | W_MASKED)) ==
              (W_PENDING | W_MASKED), "masked port %u: word %#x", rx[i], w);
    }
    check(fifo_cb->ready == 0 && !shinfo->vcpu_info[0].evtchn_upcall_pending,
          "masked events: READY %#x, upcall_pending %u", fifo_cb->ready,
          shinfo->vcpu_info[0].evtchn_upcall_pending);
    asm volatile ( "sti" ::: "memory" );
    spin_ns(2000000);
    asm volatile ( "cli" ::: "memory" );
    check_order("masked events", 0, NULL);

    for ( unsigned int i = 0; i < 3; i++ )
    {
        __atomic_fetch_and(fifo_word(rx[i]), ~W_MASKED, __ATOMIC_SEQ_CST);
        unmask(rx[i]);
        check(fifo_cb->head[prio[i]] == rx[i], "queue %u head %u, not %u",
              prio[i], fifo_cb->head[prio[i]], rx[i]);
    }
    check(fifo_cb->ready == ((1U << 10) | (1U << 2) | (1U << 5)),
          "READY %#x after unmasking", fifo_cb->ready);
    open_window();
    printf("priorities 10, 2, 5 on ports %u, %u, %u: consumed %u, %u, %u\n",
           rx[0], rx[1], rx[2], consumed[0], consumed[1], consumed[2]);
    check_order("priority order", 3, want);
}

/* The guest clearing MASKED is not enough while the event is pending:
 * the hypervisor links it at EVTCHNOP_unmask, not before. */
void test_mask_needs_unmask(void)
{
    event_word_t w;

    __atomic_fetch_or(fifo_word(rx[0]), W_MASKED, __ATOMIC_SEQ_CST);
    evtchn_notify(tx[0]);
    __atomic_fetch_and(fifo_word(rx[0]), ~W_MASKED, __ATOMIC_SEQ_CST);
    asm volatile ( "sti" ::: "memory" );
    spin_ns(2000000);
    asm volatile ( "cli" ::: "memory" );
    w = *fifo_word(rx[0]);
    check((w & (W_PENDING | W_LINKED)) == W_PENDING,
          "pending, guest-unmasked port %u: word %#x", rx[0], w);
    check_order("guest-unmasked event before EVTCHNOP_unmask", 0, NULL);
    unmask(rx[0]);
    open_window();
    check_order("after EVTCHNOP_unmask", 1, &rx[0]);
    /* Unmasking a port that is not pending links nothing. */
    unmask(rx[0]);
    open_window();
    check_order("unmask of an idle port", 0, NULL);
}

/* VIRQ_TIMER at priority 0 overtakes an event already queued at 2. */
void test_timer(void)
{
    const evtchn_port_t want[2] = { timer_port, rx[1] };
    long rc;

    rc = set_priority(timer_port, EVTCHN_FIFO_PRIORITY_MAX);
    check(rc == 0, "set_priority(timer, 0) gave %ld", rc);
    evtchn_notify(tx[1]);   /* rx[1] is at priority 2 */
    timer_at(now_ns() + 1000000);
    spin_ns(5000000);
    check(fifo_cb->ready == ((1U << 0) | (1U << 2)),
          "READY %#x with the timer and a queued event", fifo_cb->ready);
    open_window();
    check_order("timer first", 2, want);

    /* And a timer that wakes a HLT. */
    timer_at(now_ns() + 2000000);
    while ( !nr_consumed )
        asm volatile ( "sti; hlt; cli" ::: "memory" );
    check_order("timer wakes HLT", 1, &timer_port);
}


/*
 * Send -> upcall latency under FIFO on a loopback pair, in guest TSC
 * cycles (issue 7's closing figure; tests/guests/upcall prints the
 * 2-level one): from before EVTCHNOP_send to the handler's entry, with
 * interrupts on; the median of 101 is printed, not judged.
 */
void measure_latency(void)
{
    static uint64_t d[101];

    for ( unsigned int i = 0; i < ARRAY_SIZE(d); i++ )
    {
        unsigned int before = nr_consumed;
        uint64_t t0;

        asm volatile ( "sti" ::: "memory" );
        t0 = rdtsc_ordered();
        evtchn_op(EVTCHNOP_send, &(struct evtchn_send){ .port = tx[1] });
        while ( nr_consumed == before )
            asm volatile ( "pause" ::: "memory" );
        asm volatile ( "cli" ::: "memory" );
        d[i] = upcall_tsc - t0;
    }
    nr_consumed = 0;
    sort_u64(d, ARRAY_SIZE(d));
    printf("fifo_send_to_upcall: %llu cycles (median of %u)\n",
           (unsigned long long)d[ARRAY_SIZE(d) / 2],
           (unsigned int)ARRAY_SIZE(d));
}
