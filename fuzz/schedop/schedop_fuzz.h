/* SPDX-License-Identifier: MIT */
/* Between the files of fuzz-schedop. */
#ifndef SCHEDOP_FUZZ_H
#define SCHEDOP_FUZZ_H

#include <orrery/domain.h>
#include <orrery/hypercall.h>
#include <public/hvm/params.h>

#include "vcpu_hc.h"

#define NR_DOMS 3

/* The input's domains ([0] the control domain; NULL once destroyed),
 * when each was created, and the last call made (for fail()). */
extern struct domain *doms[NR_DOMS];
extern s_time_t born[NR_DOMS];
extern struct hypercall_regs last;

/* Print @what, the time and the last call, then abort(). */
__noreturn void fail(const char *what, const struct domain *d);

/* The per-step invariants; check_params() after a call by @caller, with
 * every domain's HVM parameters as they were before it. */
void check(void);
void check_params(const struct domain *caller,
                  uint64_t before[NR_DOMS][HVM_NR_PARAMS]);

#endif
