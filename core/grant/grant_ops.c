/* SPDX-License-Identifier: MIT */
/*
 * The table-level subops: setup_table, query_size, set_version,
 * get_version, get_status_frames, dump_table, swap_grant_ref. Results go
 * in each op's status field (GNTST_*), except for set/get_version, which
 * Xen answers with an errno.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/platform.h>

#include "grant_private.h"

/* Xen's INVALID_GFN: where a frame appears before the guest maps it. */
#define GNT_FRAME_UNMAPPED (~0ULL)

/* Where @d has grant frame @va in its physmap (add_to_physmap marks it
 * PGC_xen_shared with the gfn), or GNT_FRAME_UNMAPPED. */
static uint64_t frame_gfn(const struct domain *d, const void *va)
{
    const struct page_info *pg = mfn_to_page(arch_virt_to_mfn(va));

    if ( page_owner(pg) == PGO_HEAP && page_get_owner(pg) == d )
        return pg->gfn;
    return GNT_FRAME_UNMAPPED;
}

/* The domain an op names, for a caller allowed to act on it. */
static int target(struct domain *ld, domid_t dom, struct domain **out)
{
    if ( domain_lookup(ld, dom, out) )
        return GNTST_bad_domain;
    if ( !gnt_may_target(ld, *out) || !(*out)->grant_table )
    {
        domain_put(*out);
        *out = NULL;
        return GNTST_permission_denied;
    }
    return GNTST_okay;
}

/*
 * Write the frame numbers of @d's first @nr shared (or @status) frames
 * to @v's guest. A translated guest maps the frames itself
 * (XENMEM_add_to_physmap), so, as Xen does for such guests, each is the
 * gfn where @d has it, or INVALID_GFN while it has not mapped it.
 */
static int put_frame_list(struct vcpu *v, struct domain *d, bool status,
                          uint64_t list, unsigned int nr)
{
    struct grant_table *gt = d->grant_table;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        uint64_t val;

        spin_lock(&gt->lock);
        val = frame_gfn(d, status ? (void *)gt->status[i] : gt->shared[i]);
        spin_unlock(&gt->lock);
        if ( copy_to_guest(v, list + (uint64_t)i * sizeof(val), &val,
                           sizeof(val)) )
            return GNTST_bad_virt_addr;
    }
    return GNTST_okay;
}

int gnt_setup_table(struct vcpu *v, struct gnttab_setup_table *op)
{
    struct domain *d;
    int rc = target(v->domain, op->dom, &d);

    if ( rc )
        return op->status = rc;
    if ( op->nr_frames > GNTTAB_MAX_FRAMES )
        rc = GNTST_general_error;
    else
    {
        spin_lock(&d->grant_table->lock);
        rc = gnt_grow(d->grant_table, op->nr_frames) ? GNTST_general_error
                                                     : GNTST_okay;
        spin_unlock(&d->grant_table->lock);
    }
    if ( !rc )
        rc = put_frame_list(v, d, false, op->frame_list, op->nr_frames);
    domain_put(d);
    return op->status = rc;
}

int gnt_query_size(struct domain *ld, struct gnttab_query_size *op)
{
    struct domain *d;
    int rc = target(ld, op->dom, &d);

    if ( !rc )
    {
        op->nr_frames = d->grant_table->nr_frames;
        op->max_nr_frames = GNTTAB_MAX_FRAMES;
        domain_put(d);
    }
    return op->status = rc;
}

/*
 * The reserved entries (console, xenstore) survive a switch, in use or
 * not (xen-abi-facts §2.3: the toolstack keeps them mapped), converted to
 * the new layout with their in-use bits moved between the entry (v1) and
 * the status frame (v2); everything else is cleared, as Xen does.
 */
static void convert_reserved(struct grant_table *gt, unsigned int to)
{
    struct { uint16_t flags; domid_t domid; uint64_t frame; }
        keep[GNTTAB_NR_RESERVED_ENTRIES];
    const uint16_t in_use = GTF_reading | GTF_writing;
    unsigned int i;

    for ( i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        if ( gt->version == 1 )
        {
            const struct grant_entry_v1 *e = gnt_entry_v1(gt, i);

            keep[i].flags = e->flags;
            keep[i].domid = e->domid;
            keep[i].frame = e->frame;
        }
        else
        {
            const union grant_entry_v2 *e = gnt_entry_v2(gt, i);
            bool permit = (e->hdr.flags & GTF_type_mask) == GTF_permit_access;

            /* Only plain grants carry over to v1; the rest is dropped. */
            keep[i].flags = permit ? e->hdr.flags | *gnt_status(gt, i) : 0;
            keep[i].domid = permit ? e->hdr.domid : 0;
            keep[i].frame = permit ? e->full_page.frame : 0;
        }
    }
    for ( i = 0; i < gt->nr_frames; i++ )
        memset(gt->shared[i], 0, PAGE_SIZE);
    for ( i = 0; i < gt->nr_status_frames; i++ )
        memset(gt->status[i], 0, PAGE_SIZE);
    gt->version = to;
    for ( i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        if ( to == 1 )
        {
            struct grant_entry_v1 *e = gnt_entry_v1(gt, i);

            e->flags = keep[i].flags;
            e->domid = keep[i].domid;
            e->frame = (uint32_t)keep[i].frame;
        }
        else
        {
            union grant_entry_v2 *e = gnt_entry_v2(gt, i);

            *gnt_status(gt, i) = keep[i].flags & in_use;
            e->hdr.flags = keep[i].flags & ~in_use;
            e->hdr.domid = keep[i].domid;
            e->full_page.frame = keep[i].frame;
        }
    }
}

/* Grants in use outside the reserved entries (which may stay mapped). */
static bool unreserved_in_use(struct grant_table *gt)
{
    unsigned int i, reserved = 0;

    for ( i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
        if ( gnt_active(gt, i)->pin_rw || gnt_active(gt, i)->pin_ro )
            reserved++;
    return gt->nr_active > reserved;
}

/* v1 cannot express a reserved v2 entry that is transitive or names a
 * frame above 2^32. */
static bool reserved_fit_v1(struct grant_table *gt)
{
    unsigned int i;

    for ( i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        const union grant_entry_v2 *e = gnt_entry_v2(gt, i);
        uint16_t type = e->hdr.flags & GTF_type_mask;

        if ( type == GTF_transitive ||
             (type == GTF_permit_access && (e->full_page.frame >> 32)) )
            return false;
    }
    return true;
}

int gnt_set_version(struct domain *ld, struct gnttab_set_version *op)
{
    struct grant_table *gt = ld->grant_table;
    int rc = 0;

    spin_lock(&gt->lock);
    if ( op->version != 1 && op->version != 2 )
        rc = -EINVAL;
    else if ( op->version != gt->version )
    {
        unsigned int old = gt->version;

        /* Entries change size: nothing else may be in use (-EBUSY). */
        if ( unreserved_in_use(gt) )
            rc = -EBUSY;
        else if ( op->version == 1 && !reserved_fit_v1(gt) )
            rc = -ERANGE;
        else
        {
            /* Status frames first (v2), so a failure changes nothing.
             * They stay allocated back in v1: the guest may still have
             * them in its physmap. */
            gt->version = op->version;
            rc = gnt_grow(gt, gt->nr_frames);
            gt->version = old;
            if ( !rc )
                convert_reserved(gt, op->version);
        }
    }
    op->version = gt->version;
    spin_unlock(&gt->lock);
    return rc;
}

int gnt_get_version(struct domain *ld, struct gnttab_get_version *op)
{
    struct domain *d;

    if ( domain_lookup(ld, op->dom, &d) )
        return -ESRCH;
    if ( !gnt_may_target(ld, d) || !d->grant_table )
    {
        domain_put(d);
        return -EPERM;
    }
    op->version = d->grant_table->version;
    domain_put(d);
    return 0;
}

int gnt_get_status_frames(struct vcpu *v,
                          struct gnttab_get_status_frames *op)
{
    struct domain *d;
    int rc = target(v->domain, op->dom, &d);

    if ( rc )
        return op->status = rc;
    /* A v1 table has no status frames: any frame asked for is too many. */
    if ( op->nr_frames > (d->grant_table->version == 2 ?
                          gnt_status_frames(d->grant_table->nr_frames) : 0) )
        rc = GNTST_general_error;
    else
        rc = put_frame_list(v, d, true, op->frame_list, op->nr_frames);
    domain_put(d);
    return op->status = rc;
}

int gnt_dump_table(struct domain *ld, struct gnttab_dump_table *op)
{
    struct domain *d;
    int rc = target(ld, op->dom, &d);

    if ( !rc )
    {
        gnt_dump_domain(d);
        domain_put(d);
    }
    return op->status = rc;
}

/* Exchange two of the caller's entries (and v2 status words). */
int gnt_swap_one(struct domain *ld, struct gnttab_swap_grant_ref *op)
{
    struct grant_table *gt = ld->grant_table;
    int rc = GNTST_okay;

    spin_lock(&gt->lock);
    if ( op->ref_a >= gnt_nr_entries(gt) || op->ref_b >= gnt_nr_entries(gt) )
        rc = GNTST_bad_gntref;
    else if ( op->ref_a == op->ref_b )
        ;                       /* a no-op, even in use (Xen) */
    else if ( gnt_active(gt, op->ref_a)->pin_rw ||
              gnt_active(gt, op->ref_a)->pin_ro ||
              gnt_active(gt, op->ref_b)->pin_rw ||
              gnt_active(gt, op->ref_b)->pin_ro )
        rc = GNTST_eagain;      /* in use: try again later */
    else if ( gt->version == 1 )
    {
        struct grant_entry_v1 t = *gnt_entry_v1(gt, op->ref_a);

        *gnt_entry_v1(gt, op->ref_a) = *gnt_entry_v1(gt, op->ref_b);
        *gnt_entry_v1(gt, op->ref_b) = t;
    }
    else
    {
        union grant_entry_v2 t = *gnt_entry_v2(gt, op->ref_a);
        grant_status_t s = *gnt_status(gt, op->ref_a);

        *gnt_entry_v2(gt, op->ref_a) = *gnt_entry_v2(gt, op->ref_b);
        *gnt_entry_v2(gt, op->ref_b) = t;
        *gnt_status(gt, op->ref_a) = *gnt_status(gt, op->ref_b);
        *gnt_status(gt, op->ref_b) = s;
    }
    spin_unlock(&gt->lock);
    return op->status = rc;
}
