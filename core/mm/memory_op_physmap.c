/* SPDX-License-Identifier: MIT */
/*
 * XENMEM_add_to_physmap and remove_from_physmap: a guest chooses where
 * frames appear in its guest-physical space -- shared_info (every XTF
 * test and Linux do this first; reference §1.7), grant-table frames, or
 * its own RAM moved from one gfn to another (gmfn, gmfn_range).
 *
 * Placing a frame at gpfn, as Xen does:
 *   1. whatever was at gpfn goes: the domain's own RAM there is given
 *      back (freed, so it does not leak), a hypervisor frame there is
 *      just unmapped; a grant or foreign mapping there is -EBUSY (unmap
 *      it with the grant calls first); anything else is replaced;
 *   2. the frame leaves its old gfn (a frame is mapped once);
 *   3. it is mapped at gpfn as ordinary RAM (p2m_ram_rw).
 * Hypervisor frames (shared_info, grant frames) stay the hypervisor's:
 * marked PGC_xen_shared while mapped, never freed by the guest.
 */
#include <orrery/errno.h>
#include <orrery/grant.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "memory_op_private.h"
#include "mm-internal.h"

/* Empty gpfn for a new frame (step 1). */
static int clear_gpfn(struct domain *d, uint64_t gpfn, mfn_t mfn)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gpfn), &e);
    if ( p2m_is_foreign_mapping(e.type) )
        return -EBUSY;
    if ( !p2m_is_ram(e.type) || mfn_x(e.mfn) == mfn_x(mfn) )
        return 0;               /* replaced by the new mapping, or step 2 */
    return p2m_release_ram(d, _gfn(gpfn), 1);
}

/* Put hypervisor frame @mfn at @gpfn of @d. */
static int map_xen_frame(struct domain *d, mfn_t mfn, uint64_t gpfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t old = ~0ULL;
    int rc = clear_gpfn(d, gpfn, mfn);

    if ( rc )
        return rc;
    spin_lock(&domheap_lock);
    if ( (pg->count_info & PGC_xen_shared) && pg->owner == d )
        old = pg->gfn;
    spin_unlock(&domheap_lock);
    /* A frame is mapped once: it leaves its old gfn first. */
    if ( old != ~0ULL && (rc = p2m_unmap_ram(d, _gfn(old), 1)) != 0 )
        return rc;
    rc = p2m_set_entry(d, _gfn(gpfn), mfn, p2m_ram_rw, p2m_access_rwx);
    spin_lock(&domheap_lock);
    if ( !rc )
        xen_frame_share_locked(pg, d, gpfn);
    else if ( old != ~0ULL )
        xen_frame_unshare_locked(pg);   /* it is mapped nowhere now */
    spin_unlock(&domheap_lock);
    return rc;
}

/* Move @d's own RAM page at @idx to @gpfn (XENMAPSPACE_gmfn). */
static int move_gmfn(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    struct p2m_entry e;
    struct page_info *pg;
    int rc;

    if ( idx > P2M_MAX_GFN )
        return -EINVAL;
    p2m_get_entry(d, _gfn(idx), &e);
    if ( !p2m_is_ram(e.type) )
        return -EINVAL;
    pg = mfn_to_page(e.mfn);
    if ( page_owner(pg) != PGO_DOMAIN || page_get_owner(pg) != d )
        return -EINVAL;         /* not a page of the domain's own RAM */
    if ( idx == gpfn )
        return 0;
    rc = clear_gpfn(d, gpfn, e.mfn);
    if ( !rc )
        rc = p2m_unmap_ram(d, _gfn(idx), 1);
    /* On failure past the unmap the page is mapped nowhere: its owner
     * keeps it, counted, until destroy (as Xen would). */
    if ( !rc )
        rc = p2m_set_entry(d, _gfn(gpfn), e.mfn, e.type, e.access);
    return rc;
}

static int add_one(struct domain *d, unsigned int space, uint64_t idx,
                   uint64_t gpfn)
{
    mfn_t mfn;
    int rc;

    if ( gpfn > P2M_MAX_GFN )
        return -EINVAL;
    switch ( space )
    {
    case XENMAPSPACE_shared_info:
        if ( idx != 0 )
            return -EINVAL;
        return map_xen_frame(d, arch_virt_to_mfn(d->shared_info), gpfn);
    case XENMAPSPACE_grant_table:
        /* idx is the frame number; its top bit asks for a v2 status
         * frame. A frame past the table's size grows it (core/grant). */
        if ( idx & ~(XENMAPIDX_grant_table_status | 0xffffffffULL) )
            return -EINVAL;
        rc = gnttab_get_frame(d, idx & ~XENMAPIDX_grant_table_status,
                              idx & XENMAPIDX_grant_table_status, &mfn);
        return rc ? rc : map_xen_frame(d, mfn, gpfn);
    case XENMAPSPACE_gmfn:
        return move_gmfn(d, idx, gpfn);
    default:
        return -EINVAL;
    }
}

/*
 * gmfn_range: @size pages from idx to gpfn, resumable. Returns 0, an
 * errno, or a positive resume point (the pages done so far, counted from
 * the guest's first call) when preempted.
 */
static int64_t add_range(struct domain *d, struct xen_add_to_physmap *x,
                         uint64_t start)
{
    uint64_t done;
    int rc;

    if ( x->size < start )
        return -EILSEQ;
    for ( done = start; done < x->size; )
    {
        rc = add_one(d, XENMAPSPACE_gmfn, x->idx + done, x->gpfn + done);
        if ( rc )
            return rc;
        if ( ++done < x->size && hypercall_preempt_check() )
            return (int64_t)done;
    }
    return 0;
}

int64_t memop_add_to_physmap(struct vcpu *v, struct hypercall_regs *r,
                             uint64_t start)
{
    struct xen_add_to_physmap x;
    struct domain *d;
    int64_t rc;

    /* The resume point must fit the 16-bit size it counts against: a
     * larger one is forged (Xen answers -EDOM). */
    if ( start > 0xffff )
        return -EDOM;
    if ( copy_from_guest(v, &x, r->args[1], sizeof(x)) )
        return -EFAULT;
    /* Foreign frames only through add_to_physmap_batch (not provided). */
    if ( x.space == XENMAPSPACE_gmfn_foreign )
        return -ENOSYS;
    rc = memop_target(v, x.domid, &d);
    if ( rc )
        return rc;
    if ( x.space == XENMAPSPACE_gmfn_range )
        rc = add_range(d, &x, start);
    else
        rc = add_one(d, x.space, x.idx, x.gpfn);
    domain_put(d);

    if ( x.space == XENMAPSPACE_gmfn_range && rc > 0 )
    {
        r->args[0] = XENMEM_add_to_physmap |
                     ((uint64_t)rc << MEMOP_EXTENT_SHIFT);
        return hypercall_continue(r);
    }
    return rc;
}

/* Take RAM frame @pg off @gfn of @d, keeping it as its owner had it. */
static int unmap_frame(struct domain *d, uint64_t gfn, struct page_info *pg)
{
    bool plain;
    int rc;

    spin_lock(&domheap_lock);
    plain = page_owner(pg) == PGO_HEAP && !(pg->count_info & PGC_xen_shared);
    spin_unlock(&domheap_lock);
    /* A heap frame handed to the p2m as RAM is the mapping's: freed. */
    if ( plain )
        return p2m_release_ram(d, _gfn(gfn), 1);
    rc = p2m_unmap_ram(d, _gfn(gfn), 1);
    spin_lock(&domheap_lock);
    if ( !rc && (pg->count_info & PGC_xen_shared) && pg->owner == d )
        xen_frame_unshare_locked(pg);
    spin_unlock(&domheap_lock);
    return rc;
}

/*
 * Unmap the frame at gpfn. The domain's own RAM stays its own (counted,
 * freed at destroy; Xen does the same), a hypervisor frame is just
 * unmapped. -ENOENT when nothing the domain may unmap is there: a hole,
 * MMIO, a grant or foreign mapping (unmapped through the grant calls).
 */
int64_t memop_remove_from_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_remove_from_physmap x;
    struct p2m_entry e;
    struct domain *d;
    int64_t rc;

    if ( copy_from_guest(v, &x, arg, sizeof(x)) )
        return -EFAULT;
    rc = memop_target(v, x.domid, &d);
    if ( rc )
        return rc;
    rc = -ENOENT;
    if ( x.gpfn <= P2M_MAX_GFN )
    {
        p2m_get_entry(d, _gfn(x.gpfn), &e);
        if ( p2m_is_ram(e.type) )
            rc = unmap_frame(d, x.gpfn, mfn_to_page(e.mfn));
    }
    domain_put(d);
    return rc;
}
