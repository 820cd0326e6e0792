/* SPDX-License-Identifier: MIT */
/*
 * Per-domain allocation: guest RAM charged to its domain against
 * max_pages (Xen's tot_pages is the LEDGER_GUEST_PAGES count), and given
 * back at destroy. The reference rules are in orrery/mm.h.
 */
#include <orrery/domain.h>
#include <orrery/lib.h>

#include "mm-internal.h"

struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order,
                                      unsigned int memflags)
{
    struct page_info *pg = NULL;
    uint64_t n = 1ULL << (order <= MAX_ORDER ? order : 0), have, i;
    mfn_t mfn;

    if ( !d || order > MAX_ORDER ||
         (memflags & ~(MEMF_ZERO | MEMF_BELOW_4G | MEMF_BITS_MASK)) )
        return NULL;

    spin_lock(&domheap_lock);
    have = ledger_read(d, LEDGER_GUEST_PAGES);
    if ( d->is_dying || have > d->max_pages || n > d->max_pages - have )
        goto out;
    /* A block from the buddy, zeroed: it may have held hypervisor data. */
    mfn = alloc_pages_owned(order, memflags | MEMF_ZERO, PGO_DOMAIN);
    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        goto out;

    /*
     * Each frame becomes an order-0 block of its own, so that any one can
     * be freed alone (decrease_reservation of a single page out of a 2 MiB
     * extent); the buddy merges them back as they come home.
     */
    pg = mfn_to_page(mfn);
    for ( i = 0; i < n; i++ )
    {
        pg[i].count_info = PGO_DOMAIN | PGC_head | PGC_allocated |
                           (1UL << PGC_COUNT_SHIFT);
        pg[i].u.order = 0;
        pg[i].owner = d;
        pg[i].gfn = ~0ULL;
        list_add_tail(&pg[i].list, &d->page_list);
    }
    ledger_charge(d, LEDGER_GUEST_PAGES, (int64_t)n);
    domheap_account((int64_t)n);
 out:
    spin_unlock(&domheap_lock);
    return pg;
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    uint64_t i;

    if ( !pg || order > MAX_ORDER )
        return;
    spin_lock(&domheap_lock);
    for ( i = 0; i < (1ULL << order); i++ )
        page_drop_owner_ref_locked(&pg[i]);
    spin_unlock(&domheap_lock);
}

void domain_relinquish_memory(struct domain *d)
{
    spin_lock(&domheap_lock);
    while ( !list_empty(&d->page_list) )
    {
        struct page_info *pg = list_first_entry(&d->page_list,
                                                struct page_info, list);

        /* Frees the page when nobody else holds it (it leaves the list). */
        page_drop_owner_ref_locked(pg);
        if ( pg->owner != d )
            continue;
        /*
         * Still referenced (a grant mapping by another domain): the page
         * outlives its owner as an orphan, freed at the last put_page().
         * The owner's ledger no longer counts it, so it reads zero.
         */
        list_del(&pg->list);
        pg->owner = NULL;
        ledger_charge(d, LEDGER_GUEST_PAGES, -1);
    }
    spin_unlock(&domheap_lock);
    domain_memmap_free(d);
}
