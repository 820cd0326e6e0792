/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM: pages the domain owns (core/mm's alloc_domheap_pages(),
 * zeroed and charged to its ledger against max_pages), given back
 * through p2m_ram_released() when removed or at teardown. Each frame of
 * a domain page is freed alone, so RAM may be mapped in 2 MiB entries
 * and still returned a page at a time (decrease_reservation).
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "p2m_private.h"

int p2m_populate_ram(struct domain *d, gfn_t gfn, uint64_t nr)
{
    uint64_t g = gfn_x(gfn), i;
    struct p2m_entry e;
    int rc;

    if ( !d->p2m || g > P2M_MAX_GFN || nr > P2M_MAX_GFN - g + 1 )
        return -EINVAL;
    if ( nr > d->max_pages ||
         ledger_read(d, LEDGER_GUEST_PAGES) > d->max_pages - nr )
        return -ENOMEM;
    for ( i = 0; i < nr; i++ )
    {
        p2m_get_entry(d, _gfn(g + i), &e);
        if ( e.type != p2m_invalid )
            return -EEXIST;
    }

    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = alloc_domheap_pages(d, 0, 0);

        if ( !pg )
        {
            rc = -ENOMEM;
            goto undo;
        }
        rc = p2m_set_entry(d, _gfn(g + i), page_to_mfn(pg), p2m_ram_rw,
                           p2m_access_rwx);
        if ( rc )
        {
            free_domheap_pages(pg, 0);
            goto undo;
        }
    }
    return 0;

 undo:
    /* Nothing half-done stays behind. */
    p2m_release_ram(d, gfn, i);
    return rc;
}

int p2m_release_ram(struct domain *d, gfn_t gfn, uint64_t nr)
{
    uint64_t g = gfn_x(gfn), i;
    struct p2m_entry e;
    int rc;

    if ( !d->p2m || g > P2M_MAX_GFN || nr > P2M_MAX_GFN - g + 1 )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
    {
        p2m_get_entry(d, _gfn(g + i), &e);
        if ( e.type != p2m_invalid && !p2m_is_ram(e.type) )
            return -EINVAL;
    }
    for ( i = 0; i < nr; i++ )
    {
        p2m_get_entry(d, _gfn(g + i), &e);
        if ( e.type == p2m_invalid )
            continue;
        /* Splitting a superpage may need a table: on -ENOMEM the frame
         * stays mapped, so it must not be given back. */
        rc = p2m_set_range_raw(d, _gfn(g + i), INVALID_MFN, 1, p2m_invalid,
                               p2m_access_n, NULL, true);
        if ( rc )
            return rc;
        p2m_ram_released(d, e.mfn);
    }
    return 0;
}

int p2m_unmap_ram(struct domain *d, gfn_t gfn, uint64_t nr)
{
    uint64_t g = gfn_x(gfn), i;
    struct p2m_entry e;

    if ( !d->p2m || g > P2M_MAX_GFN || nr > P2M_MAX_GFN - g + 1 )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
    {
        p2m_get_entry(d, _gfn(g + i), &e);
        if ( e.type != p2m_invalid && !p2m_is_ram(e.type) )
            return -EINVAL;
    }
    for ( i = 0; i < nr; i++ )
    {
        int rc = p2m_set_range_raw(d, _gfn(g + i), INVALID_MFN, 1,
                                   p2m_invalid, p2m_access_n, NULL, true);

        if ( rc )
            return rc;
    }
    return 0;
}
