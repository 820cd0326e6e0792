/* SPDX-License-Identifier: MIT */
#ifndef HVM_TEST_H
#define HVM_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <sim/sim.h>

#include "hvm.h"
#include "orr_sim_heap.h"
#include "orr_test.h"

/* A domain with HVM_TEST_PAGES of RAM from gfn 0. */
#define HVM_TEST_PAGES 512
extern struct domain *hvm_dom;
extern struct vcpu *hvm_vcpu;

int hvm_test_setup(void);
int hvm_test_teardown(void);

extern CU_TestInfo cpuid_tests[], hypercall_page_tests[], guest_walk_tests[];

#endif
