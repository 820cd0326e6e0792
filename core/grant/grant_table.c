/* SPDX-License-Identifier: MIT */
/*
 * The per-domain grant table: created with the domain (v1, one frame, as
 * Xen starts), grown on demand up to GNTTAB_MAX_FRAMES, torn down with
 * the domain.
 *
 * Teardown undoes every mapping the dying domain made (so the pins it
 * holds on others' grants drop), then frees its own frames. Mappings
 * others made of its grants keep their page and domain references and
 * are released by their own unmap: the granter's table being gone, the
 * unmap then only drops those references.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

#include "grant_private.h"

void *gnt_alloc_page(struct domain *d)
{
    void *va = alloc_page_virt(0, MEMF_ZERO);

    if ( va )
        ledger_charge(d, LEDGER_XEN_PAGES, 1);
    return va;
}

void gnt_free_page(struct domain *d, void *va)
{
    if ( !va )
        return;
    free_page_virt(va, 0);
    ledger_charge(d, LEDGER_XEN_PAGES, -1);
}

bool gnt_may_target(const struct domain *caller, const struct domain *target)
{
    return caller == target || caller->is_privileged;
}

struct active_grant *gnt_active(struct grant_table *gt, grant_ref_t ref)
{
    unsigned int per = gnt_per_frame(gt->version);

    return &gt->active[ref / per][ref % per];
}

struct grant_entry_v1 *gnt_entry_v1(struct grant_table *gt, grant_ref_t ref)
{
    struct grant_entry_v1 *f = gt->shared[ref / GNTTAB_V1_PER_FRAME];

    return &f[ref % GNTTAB_V1_PER_FRAME];
}

union grant_entry_v2 *gnt_entry_v2(struct grant_table *gt, grant_ref_t ref)
{
    union grant_entry_v2 *f = gt->shared[ref / GNTTAB_V2_PER_FRAME];

    return &f[ref % GNTTAB_V2_PER_FRAME];
}

grant_status_t *gnt_status(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->status[ref / GNTTAB_STATUS_PER_FRAME]
                      [ref % GNTTAB_STATUS_PER_FRAME];
}

int gnt_grow(struct grant_table *gt, unsigned int frames)
{
    unsigned int want_status;

    if ( frames > GNTTAB_MAX_FRAMES )
        return -EINVAL;
    while ( gt->nr_frames < frames )
    {
        unsigned int i = gt->nr_frames;

        gt->active[i] = xzalloc_array(struct active_grant,
                                      GNTTAB_V1_PER_FRAME);
        gt->shared[i] = gnt_alloc_page(gt->d);
        if ( !gt->active[i] || !gt->shared[i] )
        {
            xfree(gt->active[i]);
            gt->active[i] = NULL;
            gnt_free_page(gt->d, gt->shared[i]);
            gt->shared[i] = NULL;
            return -ENOMEM;
        }
        gt->nr_frames++;
    }
    /* v2 keeps GTF_reading/writing in status frames (§2.3). */
    want_status = gt->version == 2 ? gnt_status_frames(gt->nr_frames) : 0;
    while ( gt->nr_status_frames < want_status )
    {
        void *p = gnt_alloc_page(gt->d);

        if ( !p )
            return -ENOMEM;
        gt->status[gt->nr_status_frames++] = p;
    }
    return 0;
}

static int grant_domain_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(struct grant_table);
    int rc;

    if ( !gt )
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    spin_lock_init(&gt->maptrack_lock);
    gt->d = d;
    gt->version = 1;
    gt->maptrack_free = MAPTRACK_NONE;
    rc = gnt_grow(gt, 1);
    if ( rc )
    {
        gnt_free_page(d, gt->shared[0]);
        xfree(gt->active[0]);
        xfree(gt);
        return rc;
    }
    d->grant_table = gt;
    return 0;
}

/*
 * A frame the guest still has in its physmap (add_to_physmap put it
 * there as PGC_xen_shared RAM) leaves the p2m before it is freed, so
 * that the p2m teardown after this hook never meets a freed frame.
 */
static void take_back(struct domain *d, void *va)
{
    struct page_info *pg;

    if ( !va )
        return;
    pg = mfn_to_page(arch_virt_to_mfn(va));
    if ( page_owner(pg) == PGO_HEAP && page_get_owner(pg) == d )
        p2m_release_ram(d, _gfn(pg->gfn), 1);
    gnt_free_page(d, va);
}

static void grant_domain_teardown(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int i;

    if ( !gt )
        return;
    gnt_unmap_all(d);
    gnt_maptrack_free(gt);

    spin_lock(&gt->lock);
    d->grant_table = NULL;
    spin_unlock(&gt->lock);
    for ( i = 0; i < gt->nr_frames; i++ )
    {
        take_back(d, gt->shared[i]);
        xfree(gt->active[i]);
    }
    for ( i = 0; i < gt->nr_status_frames; i++ )
        take_back(d, gt->status[i]);
    xfree(gt);
}

static const struct domain_hooks grant_hooks = {
    .name = "grant",
    .domain_init = grant_domain_init,
    .domain_teardown = grant_domain_teardown,
};

void gnttab_register_domain_hooks(void)
{
    domain_register_hooks(&grant_hooks);
}

int gnttab_get_frame(struct domain *d, unsigned int idx, bool status,
                     mfn_t *mfn)
{
    struct grant_table *gt = d->grant_table;
    int rc = 0;

    if ( !gt || d->is_dying )
        return -EINVAL;
    spin_lock(&gt->lock);
    if ( status )
    {
        if ( gt->version != 2 || idx >= GNTTAB_MAX_STATUS_FRAMES )
            rc = -EINVAL;
        /* The shared frames whose entries this status frame covers. */
        else if ( idx >= gnt_status_frames(gt->nr_frames) )
            rc = gnt_grow(gt, MIN(GNTTAB_MAX_FRAMES,
                                  (idx + 1) * GNTTAB_STATUS_PER_FRAME /
                                  GNTTAB_V2_PER_FRAME));
        if ( !rc )
            *mfn = arch_virt_to_mfn(gt->status[idx]);
    }
    else
    {
        if ( idx >= gt->nr_frames )
            rc = gnt_grow(gt, idx + 1);
        if ( !rc )
            *mfn = arch_virt_to_mfn(gt->shared[idx]);
    }
    spin_unlock(&gt->lock);
    return rc;
}

unsigned int gnttab_version(const struct domain *d)
{
    return d->grant_table ? d->grant_table->version : 0;
}

unsigned int gnttab_nr_frames(const struct domain *d)
{
    return d->grant_table ? d->grant_table->nr_frames : 0;
}

unsigned int gnttab_active_count(const struct domain *d)
{
    return d->grant_table ? d->grant_table->nr_active : 0;
}

unsigned int gnttab_maptrack_count(const struct domain *d)
{
    return d->grant_table ? d->grant_table->maptrack_used : 0;
}
