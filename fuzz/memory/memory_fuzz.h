/* SPDX-License-Identifier: MIT */
/* Between the files of fuzz-memory. */
#ifndef MEMORY_FUZZ_H
#define MEMORY_FUZZ_H

#include <orrery/domain.h>
#include <orrery/mm.h>

#define NR_DOMS 3
#define MAX_HELD 16

/* The input's domains ([0] the control domain; NULL once destroyed) and
 * the references the harness holds, as a grant mapping would. */
extern struct domain *doms[NR_DOMS];
extern struct page_info *held[MAX_HELD];
extern unsigned int nr_held;

/* Print @what, the call that broke it and the console, then abort(). */
void fail(const char *what, const struct domain *d, uint64_t x)
    __attribute__((noreturn));

/* The invariants of memory_fuzz.c's header comment, checked now. */
void check_invariants(void);

#endif
