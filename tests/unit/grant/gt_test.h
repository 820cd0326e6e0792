/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the grant-table tests: a control domain d0 and domUs u1,
 * u2 (PVH), and a1 (an Arm guest: every grant subop is open to it), each
 * with GT_RAM_PAGES of RAM from gfn 0. Hypercall arguments go at
 * GT_ARG; frames to grant are GT_GFN_DATA and up; GT_GFN_HOLE and up are
 * holes where grants get mapped.
 */
#ifndef GT_TEST_H
#define GT_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/keyhandler.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define GT_RAM_PAGES 16
#define GT_ARG       0x0000ULL          /* page 0: op structs */
#define GT_LIST      0x1000ULL          /* page 1: frame lists */
#define GT_GFN_DATA  4                  /* pages 4..15: data to grant */
#define GT_GFN_HOLE  0x100              /* holes from here */

extern struct domain *d0, *u1, *u2, *a1;

extern CU_TestInfo table_tests[];
extern CU_TestInfo map_tests[];
extern CU_TestInfo map_error_tests[];
extern CU_TestInfo copy_tests[];
extern CU_TestInfo copy_batch_tests[];
extern CU_TestInfo v2_tests[];
extern CU_TestInfo destroy_tests[];
extern CU_TestInfo hypercall_tests[];
extern CU_TestInfo physmap_tests[];

void gt_setup(void);
void gt_teardown(void);

/* A new domain like the fixtures (unprivileged unless @flags says). */
struct domain *gt_make(uint32_t flags, unsigned int guest_type);

/* @d's memory at guest address @gaddr. */
void *gt_ptr(struct domain *d, uint64_t gaddr);

/* Write grant entries the way the guest does, in its shared frames. */
void gt_grant_v1(struct domain *d, grant_ref_t ref, domid_t to,
                 uint32_t frame, uint16_t flags);
void gt_grant_v2(struct domain *d, grant_ref_t ref, domid_t to,
                 uint64_t frame, uint16_t flags);
void gt_grant_v2_sub(struct domain *d, grant_ref_t ref, domid_t to,
                     uint64_t frame, uint16_t off, uint16_t len, bool ro);
void gt_grant_v2_trans(struct domain *d, grant_ref_t ref, domid_t to,
                       domid_t src, grant_ref_t src_ref);
/* The entry's flags (v1) or status word (v2), as the guest reads them. */
uint16_t gt_flags(struct domain *d, grant_ref_t ref);
/* Revoke as a guest does: clear the flags only if not in use. */
bool gt_revoke(struct domain *d, grant_ref_t ref);

/*
 * grant_table_op(@cmd) from @d's vCPU 0 on @count structs of @size
 * bytes: copied into @d's memory at GT_ARG, results copied back into
 * @ops. Asserts no continuation.
 */
int64_t gt_op(struct domain *d, unsigned int cmd, void *ops, size_t size,
              unsigned int count);
/* The same with raw arguments; @restart gets r.restart (may be NULL). */
int64_t gt_call(struct domain *d, uint64_t cmd, uint64_t uop, uint64_t count,
                bool *restart);

/* Map @ref of @rd at gfn @gfn of @ld; returns the status, @handle out. */
int16_t gt_map(struct domain *ld, struct domain *rd, grant_ref_t ref,
               uint64_t gfn, uint32_t flags, grant_handle_t *handle);
int16_t gt_unmap(struct domain *ld, uint64_t gfn, grant_handle_t handle);
/* One copy op; returns its status. */
int16_t gt_copy(struct domain *d, const struct gnttab_copy *c);
int gt_set_version(struct domain *d, unsigned int version);

#endif
