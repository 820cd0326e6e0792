/* SPDX-License-Identifier: MIT */
/*
 * map_grant_ref / unmap_grant_ref for auto-translated guests (every
 * Orrery guest type): host_addr is a guest-physical address in the
 * mapper's p2m, where the granted frame appears as p2m_grant_map_rw or
 * p2m_grant_map_ro (counted in the mapper's LEDGER_MAPPINGS by the p2m).
 *
 * Each mapping is a maptrack entry of the mapper, found again by the
 * handle the guest gets back. It holds a reference on the granted page
 * (get_page) and one on the granting domain, so that neither goes away
 * before the unmap, even if the granter is destroyed meanwhile.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/xsm.h>

#include "grant_private.h"

/* A translated guest has no PTE or device mapping to ask for (Xen
 * refuses these for paging_mode_external domains). */
#define GNTMAP_NOT_TRANSLATED \
    (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)

static struct grant_mapping *maptrack_entry(struct grant_table *gt,
                                            uint32_t handle)
{
    return &gt->maptrack[handle / GNTTAB_MAPTRACK_PER_FRAME]
                        [handle % GNTTAB_MAPTRACK_PER_FRAME];
}

/* A free handle, growing the table by one frame's worth when needed. */
static uint32_t maptrack_get(struct grant_table *gt)
{
    struct grant_mapping *m;
    uint32_t h;

    spin_lock(&gt->maptrack_lock);
    if ( gt->maptrack_free == MAPTRACK_NONE &&
         gt->maptrack_frames < GNTTAB_MAPTRACK_FRAMES )
    {
        unsigned int i, f = gt->maptrack_frames;

        m = xzalloc_array(struct grant_mapping, GNTTAB_MAPTRACK_PER_FRAME);
        if ( m )
        {
            gt->maptrack[f] = m;
            gt->maptrack_frames++;
            /* Chain them so that handles come out in ascending order. */
            for ( i = GNTTAB_MAPTRACK_PER_FRAME; i-- > 0; )
            {
                m[i].next_free = gt->maptrack_free;
                gt->maptrack_free = f * GNTTAB_MAPTRACK_PER_FRAME + i;
            }
        }
    }
    h = gt->maptrack_free;
    if ( h != MAPTRACK_NONE )
    {
        m = maptrack_entry(gt, h);
        gt->maptrack_free = m->next_free;
        gt->maptrack_used++;
    }
    spin_unlock(&gt->maptrack_lock);
    return h;
}

static void maptrack_put(struct grant_table *gt, uint32_t h)
{
    struct grant_mapping *m = maptrack_entry(gt, h);

    spin_lock(&gt->maptrack_lock);
    memset(m, 0, sizeof(*m));
    m->next_free = gt->maptrack_free;
    gt->maptrack_free = h;
    gt->maptrack_used--;
    spin_unlock(&gt->maptrack_lock);
}

void gnt_maptrack_free(struct grant_table *gt)
{
    unsigned int i;

    for ( i = 0; i < gt->maptrack_frames; i++ )
    {
        xfree(gt->maptrack[i]);
        gt->maptrack[i] = NULL;
    }
    gt->maptrack_frames = 0;
    gt->maptrack_free = MAPTRACK_NONE;
}

int gnt_map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt = ld->grant_table;
    bool ro = op->flags & GNTMAP_readonly;
    struct grant_mapping *m;
    struct grant_frame f;
    struct p2m_entry e;
    struct domain *rd;
    uint64_t gfn = op->host_addr >> PAGE_SHIFT;
    uint32_t h;
    int rc;

    op->handle = 0;
    op->dev_bus_addr = 0;
    if ( !(op->flags & (GNTMAP_device_map | GNTMAP_host_map)) )
        return GNTST_bad_gntref;        /* Xen's answer to "no mapping" */
    if ( op->flags & GNTMAP_NOT_TRANSLATED )
        return GNTST_general_error;

    /* By id: DOMID_SELF names no domain here, as in Xen. */
    rd = op->dom < DOMID_FIRST_RESERVED ? domain_get(op->dom) : NULL;
    if ( !rd )
        return GNTST_bad_domain;
    if ( xsm()->grant(ld, rd) )
    {
        domain_put(rd);
        return GNTST_permission_denied;
    }
    h = maptrack_get(lgt);
    if ( h == MAPTRACK_NONE )
    {
        domain_put(rd);
        return GNTST_no_space;
    }

    rc = gnt_acquire(rd, op->ref, ld, ro, true, false, &f);
    if ( rc )
        goto fail_handle;

    /* The mapping goes into a hole: never over RAM or another mapping. */
    rc = GNTST_general_error;
    if ( gfn > P2M_MAX_GFN )
        goto fail_pin;
    p2m_get_entry(ld, _gfn(gfn), &e);
    if ( e.type != p2m_invalid )
        goto fail_pin;
    rc = GNTST_bad_page;
    if ( !get_page(mfn_to_page(f.mfn), rd) )
        goto fail_pin;
    if ( p2m_set_entry(ld, _gfn(gfn), f.mfn,
                       ro ? p2m_grant_map_ro : p2m_grant_map_rw,
                       p2m_access_rwx) )
    {
        put_page(mfn_to_page(f.mfn));
        rc = GNTST_general_error;
        goto fail_pin;
    }

    m = maptrack_entry(lgt, h);
    m->flags = op->flags & (GNTMAP_host_map | GNTMAP_readonly);
    m->ref = op->ref;
    m->rd = rd;                 /* keeps the domain_get() reference */
    m->gfn = _gfn(gfn);
    m->mfn = f.mfn;
    op->handle = h;
    return GNTST_okay;

 fail_pin:
    gnt_release(rd, op->ref, ro);
 fail_handle:
    maptrack_put(lgt, h);
    domain_put(rd);
    return rc;
}

/* Drop mapping @m (handle @h) of @ld: p2m entry, page, pin, references. */
static void unmap_entry(struct domain *ld, uint32_t h, struct grant_mapping *m)
{
    struct domain *rd = m->rd;
    bool ro = m->flags & GNTMAP_readonly;
    struct p2m_entry e;

    /* Only our own mapping: the guest may have replaced it meanwhile. */
    p2m_get_entry(ld, m->gfn, &e);
    if ( p2m_is_foreign_mapping(e.type) && mfn_x(e.mfn) == mfn_x(m->mfn) )
        p2m_remove_range(ld, m->gfn, 1);
    put_page(mfn_to_page(m->mfn));
    gnt_release(rd, m->ref, ro);
    maptrack_put(ld->grant_table, h);
    domain_put(rd);
}

int gnt_unmap_one(struct domain *ld, uint64_t host_addr, uint64_t new_addr,
                  grant_handle_t handle)
{
    struct grant_table *lgt = ld->grant_table;
    struct grant_mapping *m;
    struct p2m_entry e;

    if ( handle / GNTTAB_MAPTRACK_PER_FRAME >= lgt->maptrack_frames )
        return GNTST_bad_handle;
    m = maptrack_entry(lgt, handle);
    if ( !m->flags )
        return GNTST_bad_handle;
    /* Without a host address nothing is unmapped (Xen). */
    if ( !host_addr )
        return GNTST_okay;
    /* A translated guest cannot move the mapping elsewhere. */
    if ( new_addr )
        return GNTST_general_error;
    if ( host_addr >> PAGE_SHIFT != gfn_x(m->gfn) )
        return GNTST_general_error;
    p2m_get_entry(ld, m->gfn, &e);
    if ( !p2m_is_foreign_mapping(e.type) || mfn_x(e.mfn) != mfn_x(m->mfn) )
        return GNTST_general_error;
    unmap_entry(ld, handle, m);
    return GNTST_okay;
}

void gnt_unmap_all(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    uint32_t h;

    for ( h = 0; h < gt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME; h++ )
    {
        struct grant_mapping *m = maptrack_entry(gt, h);

        if ( m->flags )
            unmap_entry(d, h, m);
    }
}
