/* SPDX-License-Identifier: MIT */
/* Grant-table operations a test kernel repeats (xen-abi-facts §2.3). */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <orrery/types.h>
#include <public/grant_table.h>

long gnttab_op(unsigned int cmd, void *arg, unsigned int count);

/* Map frame @idx of our grant table (| XENMAPIDX_grant_table_status for
 * a v2 status frame) at our @gpfn with XENMEM_add_to_physmap. */
long gnttab_map_table_frame(uint64_t idx, uint64_t gpfn);

/* The frame of a page of ours (the first 4 GiB are identity-mapped,
 * lib/head.S). */
static inline uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> 12;
}

/* Grant @dom our @page as v1 entry @ref of @gt, with @flags (on top of
 * GTF_permit_access): domid and frame first, the flags that make the
 * entry valid after them (xen-abi-facts §2.3). */
void gnttab_grant_v1(volatile struct grant_entry_v1 *gt, grant_ref_t ref,
                     domid_t dom, const void *page, uint16_t flags);

/* Map @dom's grant @ref at our frame @gpfn (GNTMAP_host_map | @flags):
 * the entry's status, GNTST_general_error when the hypercall itself
 * failed; *@handle is set on success. */
int16_t gnttab_map(domid_t dom, grant_ref_t ref, uint64_t gpfn,
                   uint32_t flags, grant_handle_t *handle);
/* The same, writable, retried (yielding) while @dom gets to granting
 * @ref; panics after @timeout_ns. */
grant_handle_t gnttab_map_when_granted(domid_t dom, grant_ref_t ref,
                                      uint64_t gpfn, uint64_t timeout_ns);
/* Unmap what @handle mapped at @gpfn: the status, as gnttab_map(). */
int16_t gnttab_unmap(uint64_t gpfn, grant_handle_t handle);

#endif /* GUEST_GNTTAB_H */
