/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the event-channel tests: a control domain d0 (2 vCPUs)
 * and two domUs u1 (2 vCPUs) and u2 (1 vCPU), each with a few pages of
 * RAM at gfn 0 for hypercall arguments.
 */
#ifndef EV_TEST_H
#define EV_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/xsm.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

extern struct domain *d0, *u1, *u2;
/* Upcall hook calls seen, and the last vCPU it was called for. */
extern unsigned int upcalls;
extern struct vcpu *last_upcall;

extern CU_TestInfo bind_tests[];
extern CU_TestInfo deliver_tests[];
extern CU_TestInfo error_tests[];
extern CU_TestInfo hypercall_tests[];
extern CU_TestInfo fifo_setup_tests[];
extern CU_TestInfo fifo_queue_tests[];
extern CU_TestInfo fifo_race_tests[];
extern CU_TestInfo fifo_switch_tests[];

void ev_setup(void);
void ev_teardown(void);

/* u-side helpers that assert success and return the port. */
evtchn_port_t ev_unbound(struct domain *d, struct domain *remote);
evtchn_port_t ev_connect(struct domain *d, struct domain *remote,
                         evtchn_port_t remote_port);

/* The 2-level bits of @port in @d. */
bool ev_pending(const struct domain *d, evtchn_port_t port);
bool ev_sel(const struct domain *d, unsigned int vcpu, evtchn_port_t port);
uint8_t ev_upcall_pending(const struct domain *d, unsigned int vcpu);
void ev_mask(struct domain *d, evtchn_port_t port);
/* Clear every event flag of @d, as a guest's handler would. */
void ev_ack_all(struct domain *d);

/* ---- FIFO: a guest's side of the ABI (fifo_guest.c) ---------------------
 *
 * Guest frames used by the FIFO tests, in the RAM ev_setup gives each
 * domain at gfn 0..3: the control blocks of vCPU 0 and 1 share gfn 1
 * (offsets FG_CB_OFF(v)), the first event array page is gfn 2.
 */
#define FG_CB_GFN 1
#define FG_CB_OFF(v) (0x100 + (v) * 0x400)
#define FG_ARRAY_GFN 2

/* @d's guest memory at frame @gfn, as the guest sees it. */
void *fg_frame(struct domain *d, uint64_t gfn);
/* init_control for @vcpu at FG_CB_GFN/FG_CB_OFF(vcpu); returns the rc. */
int fg_init(struct domain *d, unsigned int vcpu);
/* expand_array with @gfn, first filling it with MASKED words as Linux
 * does before handing a page over; returns the rc. */
int fg_expand(struct domain *d, uint64_t gfn);
/* Switch @d to FIFO with every vCPU's control block and one array page;
 * asserts success. */
void fg_setup(struct domain *d);
struct evtchn_fifo_control_block *fg_cb(struct domain *d, unsigned int vcpu);
/* @port's event word in the first array page (ports 0..1023). */
event_word_t *fg_word(struct domain *d, evtchn_port_t port);
bool fg_bit(struct domain *d, evtchn_port_t port, unsigned int bit);
/* Clear MASKED (the guest's own write, no hypercall). */
void fg_clear_mask(struct domain *d, evtchn_port_t port);

/* Handle @vcpu's events as a Linux guest does: take READY, pop each
 * ready queue from the highest priority down, clearing LINKED, and
 * collect the ports that were PENDING and not MASKED (clearing PENDING,
 * as its handler acks). Returns how many went into @out. */
unsigned int fg_drain(struct domain *d, unsigned int vcpu,
                      evtchn_port_t *out, unsigned int max);
/* u1 in FIFO (fg_setup) with @n new ports bound to d0, unmasked, none
 * pending; l[i] is u1's end, r[i] d0's. u1's upcall flag and the upcall
 * count cleared. */
void fg_pair(unsigned int n, evtchn_port_t *l, evtchn_port_t *r);
/* Forget the guest's queue heads (each test starts from scratch). */
void fg_reset(void);

#endif
