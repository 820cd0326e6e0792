/* SPDX-License-Identifier: MIT */
/*
 * Domain pages: who owns a frame and how many references it has
 * (the rules are in orrery/mm.h, "Domain pages"). A frame is given back
 * to the buddy only when its count reaches zero, scrubbed first, so that
 * a grant mapping by another domain keeps a page alive past its owner's
 * decrease_reservation or destruction, and no byte of a guest's memory
 * ever reaches the next user of the frame.
 *
 * Lock order: a p2m lock, then domheap_lock, then the buddy's heap_lock.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

#include "mm-internal.h"

DEFINE_SPINLOCK(domheap_lock);
static uint64_t pages_in_use;

/* The count is 32 bits wide in count_info's upper half. */
#define PAGE_COUNT_MAX 0xffffffffUL

static unsigned long count_of(const struct page_info *pg)
{
    return pg->count_info >> PGC_COUNT_SHIFT;
}

static void set_count(struct page_info *pg, unsigned long count)
{
    pg->count_info = (pg->count_info & ~PGC_COUNT_MASK) |
                     (count << PGC_COUNT_SHIFT);
}

void domheap_account(int64_t pages)
{
    pages_in_use += (uint64_t)pages;
}

uint64_t domheap_pages_in_use(void)
{
    return pages_in_use;
}

struct domain *page_get_owner(const struct page_info *pg)
{
    if ( page_owner(pg) == PGO_DOMAIN ||
         (page_owner(pg) == PGO_HEAP && (pg->count_info & PGC_xen_shared)) )
        return pg->owner;
    return NULL;
}

unsigned int page_refcount(const struct page_info *pg)
{
    return page_owner(pg) == PGO_DOMAIN ? (unsigned int)count_of(pg) : 0;
}

/*
 * The count reached zero: scrub the frame, take it off its owner (if it
 * still has one) and give it back to the buddy as the order-0 block
 * alloc_domheap_pages() made of it. Caller holds domheap_lock.
 */
static void release_locked(struct page_info *pg)
{
    mfn_t mfn = page_to_mfn(pg);
    struct domain *d = pg->owner;

    if ( d )
    {
        list_del(&pg->list);
        ledger_charge(d, LEDGER_GUEST_PAGES, -1);
    }
    pages_in_use--;
    memset(arch_mfn_to_virt(mfn), 0, PAGE_SIZE);
    pg->owner = NULL;
    pg->gfn = ~0ULL;
    pg->count_info = PGO_DOMAIN | PGC_head;
    pg->u.order = 0;
    free_pages_owned(mfn, 0, PGO_DOMAIN);
}

void page_put_locked(struct page_info *pg)
{
    unsigned long c = count_of(pg);

    if ( page_owner(pg) != PGO_DOMAIN || c == 0 )
    {
        spin_unlock(&domheap_lock);
        panic("put_page: frame 0x%lx (%s) has no reference to drop\n",
              mfn_x(page_to_mfn(pg)), page_owner_name(page_owner(pg)));
    }
    set_count(pg, c - 1);
    if ( c == 1 )
        release_locked(pg);
}

bool page_drop_owner_ref_locked(struct page_info *pg)
{
    if ( page_owner(pg) != PGO_DOMAIN || !(pg->count_info & PGC_allocated) )
        return false;
    pg->count_info &= ~PGC_allocated;
    page_put_locked(pg);
    return true;
}

bool get_page(struct page_info *pg, const struct domain *d)
{
    bool ok;

    if ( !pg || !d )
        return false;
    spin_lock(&domheap_lock);
    ok = page_owner(pg) == PGO_DOMAIN && pg->owner == d && !d->is_dying &&
         (pg->count_info & PGC_allocated) && count_of(pg) < PAGE_COUNT_MAX;
    if ( ok )
        set_count(pg, count_of(pg) + 1);
    spin_unlock(&domheap_lock);
    return ok;
}

void put_page(struct page_info *pg)
{
    spin_lock(&domheap_lock);
    page_put_locked(pg);
    spin_unlock(&domheap_lock);
}

void p2m_ram_released(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;

    if ( !mfn_valid(mfn) )
        return;
    pg = mfn_to_page(mfn);
    spin_lock(&domheap_lock);
    if ( page_owner(pg) == PGO_DOMAIN )
    {
        if ( pg->owner == d )
            page_drop_owner_ref_locked(pg);
        spin_unlock(&domheap_lock);
        return;
    }
    if ( page_owner(pg) == PGO_HEAP && (pg->count_info & PGC_xen_shared) )
    {
        /* shared_info or a grant frame: its allocator frees it. */
        if ( pg->owner == d )
            xen_frame_unshare_locked(pg);
        spin_unlock(&domheap_lock);
        return;
    }
    spin_unlock(&domheap_lock);
    /* A heap frame handed to the p2m as RAM belongs to the mapping. */
    if ( page_owner(pg) == PGO_HEAP )
        free_pages(mfn, 0);
}

void xen_frame_share_locked(struct page_info *pg, struct domain *d,
                            uint64_t gfn)
{
    xen_frames_unmap_hook = xen_frames_unmap;
    pg->count_info |= PGC_xen_shared;
    pg->owner = d;
    pg->gfn = gfn;
}

void xen_frame_unshare_locked(struct page_info *pg)
{
    pg->count_info &= ~PGC_xen_shared;
    pg->owner = NULL;
    pg->gfn = ~0ULL;
}

void xen_frames_unmap(mfn_t mfn, unsigned int order)
{
    uint64_t i;

    if ( order > MAX_ORDER )
        return;                 /* free_pages_owned() reports it */
    for ( i = 0; i < (1ULL << order); i++ )
    {
        mfn_t m = _mfn(mfn_x(mfn) + i);
        struct page_info *pg;
        struct domain *d = NULL;
        uint64_t gfn = 0;

        if ( !mfn_valid(m) )
            return;
        pg = mfn_to_page(m);
        spin_lock(&domheap_lock);
        if ( page_owner(pg) == PGO_HEAP && (pg->count_info & PGC_xen_shared) )
        {
            d = pg->owner;
            gfn = pg->gfn;
            xen_frame_unshare_locked(pg);
        }
        spin_unlock(&domheap_lock);
        if ( d )
            p2m_unmap_ram(d, _gfn(gfn), 1);
    }
}
