/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the memory tests: a control domain d0 and two domUs u1,
 * u2, each with MEM_RAM_PAGES of RAM at gfns 0 .. MEM_RAM_PAGES-1 and a
 * limit of MEM_MAX_PAGES. Hypercall arguments are built in the caller's
 * RAM at MEM_ARG (a struct) and MEM_LIST (an extent list or buffer).
 */
#ifndef MEM_TEST_H
#define MEM_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/xsm.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define MEM_RAM_PAGES 8
#define MEM_MAX_PAGES 64
#define MEM_ARG   0x0100        /* gfn 0 */
#define MEM_LIST  0x1000        /* gfns 1 .. 7: up to 3584 extents */
#define MEM_HOLE_GADDR  (0x7000ULL << PAGE_SHIFT)   /* never mapped */

extern struct domain *mem_d0, *mem_u1, *mem_u2;

extern CU_TestInfo pages_tests[];
extern CU_TestInfo reservation_tests[];
extern CU_TestInfo physmap_tests[];
extern CU_TestInfo info_tests[];
extern CU_TestInfo continuation_tests[];
extern CU_TestInfo gmfn_tests[];
extern CU_TestInfo oom_tests[];
extern CU_TestInfo populate_tests[];

void mem_setup(void);
void mem_teardown(void);

/* The host pointer to guest address @gaddr of @d (must be RAM). */
void *mem_ptr(struct domain *d, uint64_t gaddr);
/* The frame at @gfn of @d (INVALID_MFN for none) and its type. */
mfn_t mem_mfn(struct domain *d, uint64_t gfn, p2m_type_t *type);

/* memory_op @cmd, @arg from vCPU 0 of @d: one entry, r.ret; *restart
 * (may be NULL) tells whether it asked to continue. */
int64_t mem_op1(struct domain *d, uint64_t cmd, uint64_t arg,
                struct hypercall_regs *out);
/* memory_op until it stops continuing; @entries (may be NULL) counts
 * the entries it took. */
int64_t mem_op(struct domain *d, uint64_t cmd, uint64_t arg,
               unsigned int *entries);

/* Write a reservation at MEM_ARG of @caller and @nr gfns at MEM_LIST. */
void mem_reservation(struct domain *caller, domid_t domid, uint64_t nr,
                     unsigned int order, uint32_t flags,
                     const uint64_t *gfns);

/* The type at @gfn of @d. */
p2m_type_t mem_type_at(struct domain *d, uint64_t gfn);

/* A reservation subop @op from @caller (mem_reservation() then memory_op
 * to completion): the extents done. */
int64_t mem_res_op(struct domain *caller, unsigned int op, domid_t domid,
                   uint64_t nr, unsigned int order, uint32_t flags,
                   const uint64_t *gfns);
/* add_to_physmap / remove_from_physmap from @caller, to completion. */
int64_t mem_add(struct domain *caller, domid_t domid, unsigned int space,
                uint64_t idx, uint64_t gpfn, uint16_t size);
int64_t mem_rm(struct domain *caller, domid_t domid, uint64_t gpfn);

/* Pages @d owns (its ledger), and a full check of the invariants:
 * every domain's ledger equals the domain pages it owns. */
uint64_t mem_tot(struct domain *d);
void mem_check_ownership(void);

/* Run @stmt expecting a panic whose console text contains @needle
 * (setjmp rules: @stmt must not modify non-volatile locals used after). */
#define MM_EXPECT_PANIC(stmt, needle) \
    do { \
        sim_console_clear(); \
        if ( SIM_CATCH_HALT() == 0 ) \
        { \
            stmt; \
            sim_halt_disarm(); \
            CU_FAIL("no panic from: " #stmt); \
        } \
        else \
        { \
            console_force_unlock(); \
            CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED); \
            ORR_ASSERT_CONTAINS(sim_console_text(), needle); \
        } \
        sim_halt_disarm(); \
    } while ( 0 )

#endif
