/* SPDX-License-Identifier: MIT */
/* fuzz-grant: what the harness (grant_fuzz.c) and the invariant checks
 * (grant_invariants.c) share. */
#ifndef FUZZ_GRANT_H
#define FUZZ_GRANT_H

#include <orrery/domain.h>

#define NR_DOMS 3

/*
 * Only refs below CHECKED_REFS are ever written by the input (entries
 * past them stay invalid, and a switch of version keeps only the
 * reserved ones), so only they can be pinned: nr_active must count them
 * all.
 */
#define CHECKED_REFS 32

extern struct domain *doms[NR_DOMS];

/* An entry the guest rewrote while it was in use: its flags (v1, or v1
 * after a switch) are the guest's to break, so its in-use bits prove
 * nothing until the grant is free again. */
extern bool tainted[NR_DOMS][CHECKED_REFS];

/* Report a broken invariant with the console, and abort. */
__noreturn void fail(const char *what, const struct domain *d);

/* Every invariant of every live domain's grant table (see the top of
 * grant_fuzz.c). */
void check(void);

#endif
