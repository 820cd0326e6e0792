/* SPDX-License-Identifier: MIT */
/* Shared by the unit.conin files: domains with console rings, typing. */
#ifndef CONIN_TEST_H
#define CONIN_TEST_H

#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/keyhandler.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <public/sched.h>
#include <sim/sim.h>
#include <string.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define RING_PFN 0x200u
#define RING_GA  ((uint64_t)RING_PFN << 12)
#define CTRL_A3  "\x01\x01\x01"

struct con {
    struct domain *d;
    evtchn_port_t port;
};

/* Ctrl-a bytes that reached the hypervisor as a key (a test handler). */
extern unsigned int ctrl_a_keys;
/* What the last type() printed (the assertion macros evaluate their
 * arguments twice: never type inside one). */
extern const char *typed;

/* A domain with a console ring, as the PVH builder makes it. */
struct con *make(const char *name);
/* Its ring page, read back; the guest side moving in_cons. */
struct xencons_interface ring_of(const struct con *c);
void guest_reads(const struct con *c, XENCONS_RING_IDX cons);
/* Its console port's pending bit. */
bool pending(const struct con *c);
void clear_pending(const struct con *c);
/* Type @keys on the console, run the softirq; what was printed. */
const char *type(const char *keys);

extern CU_TestInfo conin_switch_tests[], conin_ring_tests[];

#endif /* CONIN_TEST_H */
