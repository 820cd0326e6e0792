/* SPDX-License-Identifier: MIT */
/*
 * The upcall handler of the fifo test kernel: a FIFO consumer as a Xen
 * guest writes one (xen-abi-facts §2.2). It takes the control block's
 * READY word, then repeatedly serves the highest-priority ready queue
 * (the lowest bit), one event at a time:
 *
 *   - the queue's head is the consumer's own cursor, or, when that is 0
 *     (the previous event was the queue's last), the control block's head
 *     (the hypervisor writes it only when it links onto an empty queue);
 *   - the head's word loses LINKED and its LINK in one compare-exchange,
 *     and the old LINK is the next head; 0 ends the queue;
 *   - an event that is PENDING and not MASKED is consumed (PENDING
 *     cleared) and recorded; a masked one stays pending, off the queue.
 */
#include <orrery/lib.h>
#include <public/xen.h>

#include "guest.h"
#include "idt.h"
#include "lapic.h"
#include "smp.h"
#include "fifo.h"

volatile struct evtchn_fifo_control_block *fifo_cb, *fifo_cb1;
volatile evtchn_port_t consumed[LOG_MAX], consumed1[LOG_MAX];
volatile unsigned int nr_consumed, nr_consumed1;
volatile unsigned int upcalls, upcalls_pervcpu;
volatile bool fifo_smp;
volatile uint64_t upcall_tsc;
volatile unsigned int port_hits[64];

/* Each vCPU's consumer: its control block, cursors and log. */
struct consumer {
    volatile struct evtchn_fifo_control_block *cb;
    evtchn_port_t *cursor;
    volatile evtchn_port_t *log;
    volatile unsigned int *n;
};

static evtchn_port_t cursor[2][EVTCHN_FIFO_MAX_QUEUES];

/* Clear LINKED and LINK; returns the LINK that was there. */
static evtchn_port_t unlink_word(volatile event_word_t *w)
{
    event_word_t old = *w;

    while ( !__atomic_compare_exchange_n(w, &old,
                                         old & ~(W_LINKED |
                                                 EVTCHN_FIFO_LINK_MASK),
                                         false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST) )
        ;
    return old & EVTCHN_FIFO_LINK_MASK;
}

static void consume_one(const struct consumer *c, unsigned int q,
                        uint32_t *ready)
{
    evtchn_port_t port = c->cursor[q], next;
    volatile event_word_t *w;

    if ( !port )
        port = __atomic_load_n(&c->cb->head[q], __ATOMIC_SEQ_CST);
    w = fifo_word(port);
    next = unlink_word(w);
    if ( !next )
        *ready &= ~(1U << q);
    if ( (*w & (W_PENDING | W_MASKED)) == W_PENDING )
    {
        __atomic_fetch_and(w, ~W_PENDING, __ATOMIC_SEQ_CST);
        if ( *c->n < LOG_MAX )
            c->log[*c->n] = port;
        (*c->n)++;
        if ( port < ARRAY_SIZE(port_hits) )
            port_hits[port]++;
    }
    c->cursor[q] = next;
}

void fifo_upcall(unsigned int vector);
void fifo_upcall(unsigned int vector)
{
    /* Which vCPU: CPUID's HVM leaf once a second one runs. */
    unsigned int id = fifo_smp && smp_cpuid_vcpu_id() == 1;
    volatile struct vcpu_info *vi = &shared_info()->vcpu_info[id];
    struct consumer c = {
        .cb = id ? fifo_cb1 : fifo_cb, .cursor = cursor[id],
        .log = id ? consumed1 : consumed, .n = id ? &nr_consumed1 : &nr_consumed,
    };
    uint32_t ready;

    upcall_tsc = rdtsc_ordered();
    if ( !id )
        upcalls++;
    if ( vector == PERVCPU_VEC )
    {
        upcalls_pervcpu++;
        /* Through the local APIC: EOI it (xen-abi-facts §1.5). */
        xapic_eoi();
    }
    vi->evtchn_upcall_pending = 0;
    if ( !c.cb )
        return;
    ready = __atomic_exchange_n(&c.cb->ready, 0, __ATOMIC_SEQ_CST);
    while ( ready )
        consume_one(&c, __builtin_ctz(ready), &ready);
}

/* ---- IDT: the callback vector and the per-vCPU vector ------------------- */

IDT_IRQ_STUB(stub_0xf3, 0xf3, fifo_upcall);
IDT_IRQ_STUB(stub_0xf4, 0xf4, fifo_upcall);
extern char stub_0xf3[], stub_0xf4[];

void fifo_load_idt(void)
{
    idt_set_gate(CALLBACK_VEC, stub_0xf3);
    idt_set_gate(PERVCPU_VEC, stub_0xf4);
    idt_load();
}
