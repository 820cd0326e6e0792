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

/*
 * The largest extent to allocate at @g with @left frames to go: a 1 GiB
 * or 2 MiB block when @g is aligned to it and the format maps it in one
 * entry (AMD APM vol. 2 §15.25.5: nested tables take 2 MiB and 1 GiB
 * leaves as ordinary ones do), so that guest RAM gets large TLB entries.
 */
static unsigned int ram_order(const struct p2m_domain *p2m, uint64_t g,
                              uint64_t left)
{
    static const unsigned int orders[] = { P2M_ORDER_1G, P2M_ORDER_2M };

    for ( unsigned int k = 0; k < ARRAY_SIZE(orders); k++ )
    {
        uint64_t size = 1ULL << orders[k];

        if ( left >= size && IS_ALIGNED(g, size) &&
             p2m->ops->order_ok(orders[k]) )
            return orders[k];
    }
    return P2M_ORDER_4K;
}

int p2m_populate_ram(struct domain *d, gfn_t gfn, uint64_t nr)
{
    uint64_t g = gfn_x(gfn), i, done;
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

    for ( i = 0; i < nr; )
    {
        unsigned int order = ram_order(d->p2m, g + i, nr - i);
        struct page_info *pg;

        /* A fragmented heap has no large block: take smaller ones. */
        while ( !(pg = alloc_domheap_pages(d, order, 0)) && order )
            order = order > P2M_ORDER_2M ? P2M_ORDER_2M : P2M_ORDER_4K;
        if ( !pg )
        {
            rc = -ENOMEM;
            goto undo;
        }
        rc = p2m_set_range(d, _gfn(g + i), page_to_mfn(pg), 1ULL << order,
                           p2m_ram_rw, p2m_access_rwx, &done);
        if ( rc )
        {
            /* Frames already mapped go back with the rest at undo; each
             * frame of the block is a page of its own (core/mm). */
            for ( uint64_t k = done; k < (1ULL << order); k++ )
                free_domheap_pages(pg + k, 0);
            i += done;
            goto undo;
        }
        i += 1ULL << order;
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
