/* SPDX-License-Identifier: MIT */
/*
 * fuzz-memory's invariants, checked after every call: each live
 * domain's ledger equals the pages on its list, each its own and
 * referenced (without the owner's reference only a holder keeps it); its
 * p2m maps as RAM only pages it owns and still holds, or hypervisor
 * frames recorded as shared with it at that gfn; no frame is mapped
 * twice; pages in use machine-wide == owned + orphans the harness holds.
 */
#include <orrery/p2m.h>

#include "memory_fuzz.h"

struct walk {
    struct domain *d;
    uint64_t ram;               /* RAM frames mapped */
};

/* Frames seen mapped as RAM in this check (mapped at most once). */
#define SEEN_MAX 4096
static uint64_t seen[SEEN_MAX];
static unsigned int nr_seen;

static void see(uint64_t mfn, const struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < nr_seen; i++ )
        if ( seen[i] == mfn )
            fail("a frame mapped twice as RAM", d, mfn);
    if ( nr_seen == SEEN_MAX )
        fail("too many RAM frames to check", d, mfn);
    seen[nr_seen++] = mfn;
}

static int check_entry(gfn_t gfn, const struct p2m_entry *e, void *arg)
{
    struct walk *w = arg;
    uint64_t n = 1ULL << e->order, i;

    if ( !p2m_is_ram(e->type) )
        return 0;
    for ( i = 0; i < n; i++ )
    {
        mfn_t m = _mfn(mfn_x(e->mfn) + i);
        struct page_info *pg;

        if ( !mfn_valid(m) )
            fail("RAM entry without a frame", w->d, gfn_x(gfn) + i);
        pg = mfn_to_page(m);
        see(mfn_x(m), w->d);
        w->ram++;
        if ( page_owner(pg) == PGO_DOMAIN )
        {
            if ( page_get_owner(pg) != w->d )
                fail("RAM of another domain mapped", w->d, mfn_x(m));
            if ( !(pg->count_info & PGC_allocated) )
                fail("RAM mapped after its owner let it go", w->d,
                     mfn_x(m));
        }
        else if ( page_owner(pg) == PGO_HEAP )
        {
            if ( !(pg->count_info & PGC_xen_shared) ||
                 page_get_owner(pg) != w->d ||
                 pg->gfn != gfn_x(gfn) + i )
                fail("hypervisor frame mapped unrecorded", w->d, mfn_x(m));
        }
        else
            fail("a free or reserved frame mapped", w->d, mfn_x(m));
    }
    return 0;
}

static bool is_held(const struct page_info *pg)
{
    unsigned int i;

    for ( i = 0; i < nr_held; i++ )
        if ( held[i] == pg )
            return true;
    return false;
}

void check_invariants(void)
{
    uint64_t owned = 0, orphans = 0;
    unsigned int i, j;

    nr_seen = 0;
    for ( i = 0; i < NR_DOMS; i++ )
    {
        struct domain *d = doms[i];
        struct list_head *pos;
        struct walk w = { .d = d };
        uint64_t n = 0;

        if ( !d )
            continue;
        list_for_each(pos, &d->page_list)
        {
            struct page_info *pg = list_entry(pos, struct page_info, list);

            if ( page_owner(pg) != PGO_DOMAIN || page_get_owner(pg) != d )
                fail("a foreign page on the page list", d,
                     mfn_x(page_to_mfn(pg)));
            if ( page_refcount(pg) == 0 )
                fail("an owned page without references", d,
                     mfn_x(page_to_mfn(pg)));
            /* Without the owner's reference only a holder keeps it. */
            if ( !(pg->count_info & PGC_allocated) && !is_held(pg) )
                fail("a page kept by nobody", d, mfn_x(page_to_mfn(pg)));
            n++;
        }
        if ( n != ledger_read(d, LEDGER_GUEST_PAGES) )
            fail("ledger differs from the pages owned", d, n);
        if ( n > d->max_pages )
            fail("more pages than max_pages", d, n);
        owned += n;
        d->p2m->ops->for_each_entry(d->p2m, check_entry, &w);
        if ( w.ram != p2m_count(d, p2m_ram_rw) + p2m_count(d, p2m_ram_ro) +
                      p2m_count(d, p2m_ram_logdirty) )
            fail("p2m RAM count differs from a walk", d, w.ram);
    }
    for ( i = 0; i < nr_held; i++ )
    {
        bool dup = false;

        for ( j = 0; j < i; j++ )
            dup |= held[j] == held[i];
        if ( !dup && !page_get_owner(held[i]) )
            orphans++;
    }
    if ( domheap_pages_in_use() != owned + orphans )
        fail("pages in use differ from owned + orphans", NULL,
             domheap_pages_in_use());
}

