/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the hypercall tests: a control domain d0 and a domU u1,
 * each with RAM at gfns 0 .. HC_RAM_PAGES-1, and in u1 a row of frames of
 * other kinds just above its RAM (HC_GFN_*).
 */
#ifndef HC_TEST_H
#define HC_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/xsm.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define HC_RAM_PAGES 16
#define HC_GFN_MMIO      16     /* mmio_direct */
#define HC_GFN_GRANT_RO  17     /* grant_map_ro of a d0 RAM frame */
#define HC_GFN_GRANT_RW  18     /* grant_map_rw of a d0 RAM frame */
#define HC_GFN_FOREIGN   19     /* map_foreign of a d0 RAM frame */
#define HC_GFN_POD       20     /* populate_on_demand */
#define HC_GFN_RAM_RO    21     /* RAM with p2m_access_r */
#define HC_GFN_HOLE      22     /* nothing */

extern struct domain *hc_d0, *hc_u1;

extern CU_TestInfo dispatch_tests[];
extern CU_TestInfo guest_copy_tests[];
extern CU_TestInfo guest_copy_linear_tests[];
extern CU_TestInfo xen_version_tests[];
extern CU_TestInfo console_io_tests[];

void hc_setup(void);
void hc_teardown(void);

/* The host pointer to guest address @gaddr of @d (RAM only). */
uint8_t *hc_guest_ptr(struct domain *d, uint64_t gaddr);

/* Make hypercall @nr from vCPU 0 of @d; returns r.ret. */
int64_t hc_call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1,
                uint64_t a2);

#endif
