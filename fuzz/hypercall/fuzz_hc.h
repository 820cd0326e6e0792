/* SPDX-License-Identifier: MIT */
/* Between the files of fuzz-hypercall. */
#ifndef FUZZ_HC_H
#define FUZZ_HC_H

#include <orrery/domain.h>

#include "fuzz_common.h"

#define NR_DOMS 3
#define GUEST_PAGES 16          /* RAM at gfn 0.. of each domain */

/* The domains of the current input: [0] the control domain, [1] and [2]
 * domUs; NULL once destroyed. */
extern struct domain *doms[NR_DOMS];

/* A running domain with GUEST_PAGES of RAM at gfn 0 (aborts on failure). */
struct domain *fuzz_make_domain(uint32_t flags, unsigned int vcpus,
                                unsigned int type);

/* Print @what and the call that broke it, then abort(). */
void fuzz_fail(const char *what, const struct domain *d);

/*
 * After every call: for each live domain, its ledger matches what is
 * recomputed from its state (ports, owned pages); no port names a domain
 * that is gone, and interdomain ports pair up. With @walk_p2m also
 * (after anything that may change a p2m; the walk is the costly part):
 * its p2m maps as RAM only frames it owns, as a mapping only frames that
 * are still alive, and LEDGER_MAPPINGS counts those mappings.
 */
void fuzz_check_invariants(bool walk_p2m);

/* The guest side of FIFO (fuzz_guest_fifo.c): note where domain @dom's
 * control blocks and array pages are from its successful calls, forget
 * them when it resets or dies, and drain @vcpu's queues as a guest does
 * (at most @budget events). */
struct hypercall_regs;
void guest_fifo_note_call(unsigned int dom, struct vcpu *v,
                          const struct hypercall_regs *r);
void guest_fifo_forget(unsigned int dom);
void guest_fifo_consume(unsigned int dom, unsigned int vcpu,
                        unsigned int budget);

#endif
