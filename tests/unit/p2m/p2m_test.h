/* SPDX-License-Identifier: MIT */
#ifndef P2M_TEST_H
#define P2M_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

extern CU_TestInfo p2m_tests[];
extern CU_TestInfo p2m_model_tests[];

/* The backend the suites' domains use (NULL: radix). */
extern const struct p2m_backend_ops *p2m_test_ops;

struct domain *p2m_test_domain(uint64_t max_pages);
void p2m_test_setup(void);
void p2m_test_teardown(void);

#endif
