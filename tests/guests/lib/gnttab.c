/* SPDX-License-Identifier: MIT */
/* Grant-table operations a test kernel repeats (gnttab.h). */
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "gnttab.h"
#include "guest.h"

long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

long gnttab_map_table_frame(uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx,
        .gpfn = gpfn,
    };

    return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp);
}

void gnttab_grant_v1(volatile struct grant_entry_v1 *gt, grant_ref_t ref,
                     domid_t dom, const void *page, uint16_t flags)
{
    gt[ref].domid = dom;
    gt[ref].frame = (uint32_t)gfn_of(page);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gt[ref].flags = GTF_permit_access | flags;
}

int16_t gnttab_map(domid_t dom, grant_ref_t ref, uint64_t gpfn,
                   uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = gpfn << 12, .flags = GNTMAP_host_map | flags,
        .ref = ref, .dom = dom,
    };
    long rc = gnttab_op(GNTTABOP_map_grant_ref, &m, 1);

    if ( rc )
        return GNTST_general_error;
    *handle = m.handle;
    return m.status;
}

grant_handle_t gnttab_map_when_granted(domid_t dom, grant_ref_t ref,
                                      uint64_t gpfn, uint64_t timeout_ns)
{
    uint64_t deadline = now_ns() + timeout_ns;
    grant_handle_t h = 0;
    int16_t st;

    while ( (st = gnttab_map(dom, ref, gpfn, 0, &h)) )
    {
        if ( now_ns() > deadline )
            panic("map of d%u's ref %u: status %d", dom, ref, st);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    return h;
}

int16_t gnttab_unmap(uint64_t gpfn, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = gpfn << 12,
                                        .handle = handle };

    return gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1) ? GNTST_general_error
                                                      : u.status;
}
