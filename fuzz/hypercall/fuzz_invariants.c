/* SPDX-License-Identifier: MIT */
/*
 * The invariants fuzz-hypercall checks after every call (see fuzz_hc.h),
 * each recomputed from the subsystems' own state rather than trusted
 * from a counter.
 */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/event.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "fuzz_hc.h"

static bool live(const struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
        if ( doms[i] == d )
            return d != NULL;
    return false;
}

/* Ports not free, counted bucket by bucket; interdomain ports checked. */
static uint64_t count_ports(struct domain *d)
{
    uint64_t n = 0;
    evtchn_port_t p;

    for ( p = 0; p < d->evtchn->max_ports; p++ )
    {
        const struct evtchn *chn = evtchn_from_port(d, p), *rchn;

        if ( !chn )
        {
            p |= EVTCHN_BUCKET_PORTS - 1;     /* bucket never allocated */
            continue;
        }
        if ( chn->state == ECS_FREE )
            continue;
        n++;
        if ( chn->state != ECS_INTERDOMAIN )
            continue;
        if ( !live(chn->u.interdomain.remote_dom) )
            fuzz_fail("interdomain port names a domain that is gone", d);
        rchn = evtchn_from_port(chn->u.interdomain.remote_dom,
                                chn->u.interdomain.remote_port);
        if ( !rchn || rchn->state != ECS_INTERDOMAIN ||
             rchn->u.interdomain.remote_dom != d ||
             rchn->u.interdomain.remote_port != p )
            fuzz_fail("interdomain port without its other end", d);
    }
    return n;
}

static uint64_t count_owned_pages(struct domain *d)
{
    const struct list_head *pos;
    uint64_t n = 0;

    list_for_each(pos, &d->page_list)
    {
        const struct page_info *pg =
            list_entry(pos, struct page_info, list);

        if ( page_get_owner(pg) != d )
            fuzz_fail("a page on the domain's list is not its own", d);
        n++;
    }
    return n;
}

struct p2m_walk {
    struct domain *d;
    uint64_t mappings;
};

static int check_entry(gfn_t gfn, const struct p2m_entry *e, void *arg)
{
    struct p2m_walk *w = arg;
    uint64_t i, nr = 1ULL << e->order;

    (void)gfn;
    if ( p2m_is_foreign_mapping(e->type) )
        w->mappings += nr;
    if ( !p2m_is_ram(e->type) && !p2m_is_foreign_mapping(e->type) )
        return 0;
    for ( i = 0; i < nr; i++ )
    {
        mfn_t mfn = _mfn(mfn_x(e->mfn) + i);
        const struct page_info *pg;

        if ( !mfn_valid(mfn) )
            fuzz_fail("p2m maps a frame outside the frame table", w->d);
        pg = mfn_to_page(mfn);
        if ( page_owner(pg) == PGO_FREE )
            fuzz_fail("p2m maps a free frame", w->d);
        /* RAM is the domain's own; a mapping is someone's live page. */
        if ( p2m_is_ram(e->type) && page_get_owner(pg) != w->d )
            fuzz_fail("p2m maps as RAM a frame the domain does not own",
                      w->d);
        if ( p2m_is_foreign_mapping(e->type) &&
             page_owner(pg) == PGO_DOMAIN && page_refcount(pg) == 0 )
            fuzz_fail("p2m maps an unreferenced foreign frame", w->d);
    }
    return 0;
}

static void check_domain(struct domain *d, bool walk_p2m)
{
    struct p2m_walk w = { .d = d };

    if ( d->evtchn && count_ports(d) != ledger_read(d, LEDGER_PORTS) )
        fuzz_fail("LEDGER_PORTS differs from the ports in use", d);
    if ( count_owned_pages(d) != ledger_read(d, LEDGER_GUEST_PAGES) )
        fuzz_fail("LEDGER_GUEST_PAGES differs from the pages owned", d);
    if ( !walk_p2m || !d->p2m )
        return;
    d->p2m->ops->for_each_entry(d->p2m, check_entry, &w);
    if ( w.mappings != ledger_read(d, LEDGER_MAPPINGS) )
        fuzz_fail("LEDGER_MAPPINGS differs from the p2m's mappings", d);
}

void fuzz_check_invariants(bool walk_p2m)
{
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
        if ( doms[i] )
            check_domain(doms[i], walk_p2m);
}
