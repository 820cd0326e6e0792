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

#include "grant_private.h"

/* Xen's INVALID_GFN: where a frame appears before the guest maps it. */
#define GNT_FRAME_UNMAPPED (~0ULL)

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
 * Write @nr frame numbers to the guest. A translated guest maps the
 * frames itself (XENMEM_add_to_physmap), so, as Xen does for such
 * guests, each reads as INVALID_GFN until then.
 */
static int put_frame_list(struct vcpu *v, uint64_t list, unsigned int nr)
{
    uint64_t val = GNT_FRAME_UNMAPPED;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( copy_to_guest(v, list + (uint64_t)i * sizeof(val), &val,
                           sizeof(val)) )
            return GNTST_bad_virt_addr;
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
        rc = put_frame_list(v, op->frame_list, op->nr_frames);
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

/* Keep the reserved entries (console, xenstore) across a switch (Xen). */
static void convert_reserved(struct grant_table *gt, unsigned int to)
{
    struct { uint16_t flags; domid_t domid; uint64_t frame; }
        keep[GNTTAB_NR_RESERVED_ENTRIES];
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

            keep[i].flags = e->hdr.flags;
            keep[i].domid = e->hdr.domid;
            keep[i].frame = e->full_page.frame;
        }
    }
    for ( i = 0; i < gt->nr_frames; i++ )
        memset(gt->shared[i], 0, PAGE_SIZE);
    for ( i = 0; i < gt->nr_status_frames; i++ )
        memset(gt->status[i], 0, PAGE_SIZE);
    gt->version = to;
    for ( i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        uint16_t flags = keep[i].flags & ~(GTF_reading | GTF_writing);

        if ( to == 1 )
        {
            struct grant_entry_v1 *e = gnt_entry_v1(gt, i);

            e->flags = flags;
            e->domid = keep[i].domid;
            e->frame = (uint32_t)keep[i].frame;
        }
        else
        {
            union grant_entry_v2 *e = gnt_entry_v2(gt, i);

            e->hdr.flags = flags;
            e->hdr.domid = keep[i].domid;
            e->full_page.frame = keep[i].frame;
        }
    }
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

        /* Entries change size: nothing may be in use (Xen: -EBUSY). */
        if ( gt->nr_active )
            rc = -EBUSY;
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
    if ( d->grant_table->version != 2 ||
         op->nr_frames > gnt_status_frames(d->grant_table->nr_frames) )
        rc = GNTST_general_error;
    else
        rc = put_frame_list(v, op->frame_list, op->nr_frames);
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
    else if ( gnt_active(gt, op->ref_a)->pin_rw ||
              gnt_active(gt, op->ref_a)->pin_ro ||
              gnt_active(gt, op->ref_b)->pin_rw ||
              gnt_active(gt, op->ref_b)->pin_ro )
        rc = GNTST_eagain;      /* in use: try again later */
    else if ( op->ref_a != op->ref_b && gt->version == 1 )
    {
        struct grant_entry_v1 t = *gnt_entry_v1(gt, op->ref_a);

        *gnt_entry_v1(gt, op->ref_a) = *gnt_entry_v1(gt, op->ref_b);
        *gnt_entry_v1(gt, op->ref_b) = t;
    }
    else if ( op->ref_a != op->ref_b )
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
