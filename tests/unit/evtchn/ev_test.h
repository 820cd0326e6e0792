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

#endif
