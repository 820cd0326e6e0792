/* SPDX-License-Identifier: MIT */
/*
 * memory_op (hypercall 12; reference §1.1): a guest's reservation and
 * physmap. memory_op lives in core/mm, beside the allocator and page
 * ownership it drives, as event_channel_op lives in core/evtchn;
 * core/hypercall keeps only the table, the copy helpers and
 * continuations.
 *
 * The command's low MEMOP_EXTENT_SHIFT bits are the subop; the bits above
 * hold the extent a continuation resumes at (0 on the guest's own call).
 * Only the reservation subops and add_to_physmap's gmfn_range continue;
 * the others refuse a non-zero resume point with -EINVAL (add_to_physmap
 * one its 16-bit size cannot count with -EDOM), as Xen does.
 *
 * Subops Orrery does not implement (machphys_mapping, which HVM/PVH
 * guests may not use, sharing, paging, acquire_resource ...) are -ENOSYS.
 */
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/xsm.h>

#include "memory_op_private.h"

int memop_target(struct vcpu *v, domid_t domid, struct domain **out)
{
    struct domain *d;
    int rc = domain_lookup(v->domain, domid, &d);

    *out = NULL;
    if ( rc )
        return rc;
    rc = xsm()->memory(v->domain, d);
    if ( rc )
    {
        domain_put(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* current_reservation, maximum_reservation, maximum_gpfn: arg points at
 * a domid_t; the answer is the return value. */
static int64_t reservation_info(struct vcpu *v, unsigned int op,
                                uint64_t arg)
{
    struct domain *d;
    domid_t domid;
    int64_t rc;

    if ( copy_from_guest(v, &domid, arg, sizeof(domid)) )
        return -EFAULT;
    rc = memop_target(v, domid, &d);
    if ( rc )
        return rc;
    switch ( op )
    {
    case XENMEM_current_reservation:
        rc = (int64_t)ledger_read(d, LEDGER_GUEST_PAGES);
        break;
    case XENMEM_maximum_reservation:
        rc = (int64_t)d->max_pages;
        break;
    default:    /* XENMEM_maximum_gpfn: the highest gfn ever mapped */
        rc = d->p2m ? (int64_t)gfn_x(d->p2m->max_mapped_gfn) : 0;
        break;
    }
    domain_put(d);
    return rc;
}

/*
 * The caller's memory map (the domain builder set it): at most the
 * nr_entries the guest has room for are written, and nr_entries is set
 * to the number written. -ENOSYS when no map was set, as Xen answers a
 * domain without one.
 */
static int64_t memory_map(struct vcpu *v, uint64_t arg)
{
    const struct domain_memmap *m = v->domain->memmap;
    struct xen_memory_map map;
    unsigned int nr;

    if ( copy_from_guest(v, &map, arg, sizeof(map)) )
        return -EFAULT;
    if ( !m )
        return -ENOSYS;
    nr = MIN(map.nr_entries, m->nr);
    if ( copy_to_guest(v, map.buffer, m->e, nr * sizeof(m->e[0])) )
        return -EFAULT;
    map.nr_entries = nr;
    if ( copy_to_guest(v, arg, &map, sizeof(map)) )
        return -EFAULT;
    return 0;
}

int64_t do_memory_op(struct vcpu *v, struct hypercall_regs *r)
{
    unsigned int op = r->args[0] & MEMOP_CMD_MASK;
    uint64_t start = r->args[0] >> MEMOP_EXTENT_SHIFT;
    uint64_t arg = r->args[1];
    struct page_alloc_stats st;

    switch ( op )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return memop_reservation(v, r, op, start);

    case XENMEM_add_to_physmap:
        return memop_add_to_physmap(v, r, start);

    case XENMEM_remove_from_physmap:
        if ( start )
            return -EINVAL;
        return memop_remove_from_physmap(v, arg);

    case XENMEM_maximum_ram_page:
        if ( start )
            return -EINVAL;
        page_alloc_stats(&st);
        return (int64_t)st.max_page;

    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        if ( start )
            return -EINVAL;
        return reservation_info(v, op, arg);

    case XENMEM_memory_map:
        return memory_map(v, arg);

    default:
        return -ENOSYS;
    }
}
