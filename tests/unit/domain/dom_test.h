/* SPDX-License-Identifier: MIT */
/* Fixtures shared by the core/domain tests. */
#ifndef DOM_TEST_H
#define DOM_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <public/sched.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

extern CU_TestInfo lifecycle_tests[];
extern CU_TestInfo state_tests[];
extern CU_TestInfo xsm_tests[];

/* Each test starts on a heap with no domains and checks that it ends
 * with none, no leak and every page back (dom_setup/dom_teardown). */
void dom_setup(void);
void dom_teardown(void);
/* Leaks a test causes on purpose (to prove the ledger sees them). */
extern unsigned int dom_expected_leaks;

/* A domain with @vcpus vCPUs and room for @pages pages; asserts success. */
struct domain *dom_new(uint32_t flags, unsigned int vcpus, uint64_t pages);
/* Destroy @d; asserts success. */
void dom_kill(struct domain *d);

static inline uint64_t free_pages_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

#endif
