/* SPDX-License-Identifier: MIT */
/*
 * The fifo test kernel's guest side of the FIFO event-channel ABI
 * (xen-abi-facts §2.2, include/public/event_channel.h): where its pages
 * are, the upcall handler that consumes the queues (queue.c), and what
 * the test's files share.
 */
#ifndef FIFO_H
#define FIFO_H

#include <orrery/errno.h>
#include <orrery/types.h>
#include <public/event_channel.h>

/* Event array pages are guest frames ARRAY_GPFN, ARRAY_GPFN + 1, ...
 * (8 MiB: free RAM in a 16 MiB test domain), so port p's word is at
 * ARRAY_GPFN * 4096 + 4 * p once the pages up to it have been added. */
#define ARRAY_GPFN 0x800UL

#define CALLBACK_VEC 0xf3     /* HVM_PARAM_CALLBACK_IRQ */
#define PERVCPU_VEC  0xf4     /* HVMOP_set_evtchn_upcall_vector */

#define W_PENDING (1U << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1U << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1U << EVTCHN_FIFO_LINKED)
#define W_BUSY    (1U << EVTCHN_FIFO_BUSY)

static inline volatile event_word_t *fifo_word(evtchn_port_t port)
{
    return (volatile event_word_t *)(ARRAY_GPFN * 4096 + 4UL * port);
}

/* The control blocks of vCPUs 0 and 1 (NULL before init_control). */
extern volatile struct evtchn_fifo_control_block *fifo_cb, *fifo_cb1;

/* Ports the handler consumed (PENDING, not MASKED), in order, on vCPU 0
 * and on vCPU 1; upcalls counts vCPU 0's. */
#define LOG_MAX 32
extern volatile evtchn_port_t consumed[LOG_MAX], consumed1[LOG_MAX];
extern volatile unsigned int nr_consumed, nr_consumed1;
extern volatile unsigned int upcalls, upcalls_pervcpu;
/* Set once vCPU 1 runs: the handler then asks CPUID which vCPU it is. */
extern volatile bool fifo_smp;
/* The TSC at the handler's entry. */
extern volatile uint64_t upcall_tsc;
/* Events consumed per port, for ports below 64. */
extern volatile unsigned int port_hits[64];

/* Install the IDT with the two vectors' gates. */
void fifo_load_idt(void);

/* ---- The test's state and helpers (util.c) ------------------------------ */

/* How long to wait for another vCPU or domain: generous, since the
 * runner's machine may be busy; only a failure ever waits this long. */
#define WAIT_NS    30000000000ULL

#define CB_OFFSET  64          /* the control block need not start a page */

extern uint8_t cb_page[4096];
extern volatile struct shared_info *shinfo;
/* VIRQ_TIMER's port; three loopback pairs: a send on tx[i] raises rx[i]. */
extern evtchn_port_t timer_port, rx[3], tx[3];

/* The subops; init_control also checks link_bits on success. */
long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu);
long expand(uint64_t gfn);
long set_priority(evtchn_port_t port, uint32_t prio);
/* An unmask that must succeed (sends: evtchn_notify(), guest.h). */
void unmask(evtchn_port_t port);
/* Let pending upcalls in for two instructions (STI shadow), then CLI. */
void open_window(void);
/* Exactly @n ports consumed since the last check, in this order. */
void check_order(const char *what, unsigned int n, const evtchn_port_t *want);
/* Is the domain still 2-level (expand_array -EOPNOTSUPP)? */
bool still_2l(void);

/* The tests after the switch (queues.c, subops.c). */
void test_one_queue(void);
void test_priorities(void);
void test_mask_needs_unmask(void);
void test_timer(void);
void measure_latency(void);
void test_subops(void);
void test_array_limit(void);
/* EVTCHNOP_reset: of @peer (if not 0) refused, then of ourselves. */
void test_reset(domid_t peer);
void test_pervcpu_vector(void);
void test_freed_array_page(void);
/* Moving linked events between queues and vCPUs (moves.c). */
void test_priority_while_linked(void);
void test_vcpu_moves(void);

/* Between two guests (peer.c): the FIFO side and the 2-level side. */
void fifo_with_peer(domid_t peer);
void twolevel_peer(domid_t peer);
/* Then a burst from the 2-level side onto new ports (burst.c). */
void fifo_burst(domid_t peer, evtchn_port_t p);
void twolevel_burst(domid_t peer, evtchn_port_t q);

#endif /* FIFO_H */
