/* SPDX-License-Identifier: MIT */
/*
 * fuzz-grant's invariants, checked after every call: pins against the
 * mappings that hold them, the in-use bits the guest reads, maptrack
 * against the mapper's p2m, page references and LEDGER_MAPPINGS (the
 * list is at the top of grant_fuzz.c).
 */
#include <string.h>

#include <orrery/grant.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <public/grant_table.h>

#include "fuzz_grant.h"
#include "grant_private.h"

static struct grant_mapping *mapping(struct grant_table *gt, uint32_t h)
{
    return &gt->maptrack[h / GNTTAB_MAPTRACK_PER_FRAME]
                        [h % GNTTAB_MAPTRACK_PER_FRAME];
}

/* Holds per (granter, ref, rw/ro) counted from every maptrack. */
static unsigned int holds[NR_DOMS][CHECKED_REFS][2];
bool tainted[NR_DOMS][CHECKED_REFS];

static void count_holds(void)
{
    unsigned int i, k;
    uint32_t h;

    memset(holds, 0, sizeof(holds));
    for ( i = 0; i < NR_DOMS; i++ )
    {
        struct grant_table *gt = doms[i] ? doms[i]->grant_table : NULL;

        if ( !gt )
            continue;
        for ( h = 0; h < gt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME;
              h++ )
        {
            struct grant_mapping *m = mapping(gt, h);

            if ( !m->flags )
                continue;
            if ( m->ref >= CHECKED_REFS )
                fail("a mapping of a ref the input never wrote", doms[i]);
            for ( k = 0; k < NR_DOMS; k++ )
                if ( m->rd == doms[k] )
                    holds[k][m->ref][!!(m->flags & GNTMAP_readonly)]++;
        }
    }
}

static uint16_t in_use_bits(struct grant_table *gt, grant_ref_t ref)
{
    uint16_t f = gt->version == 1 ? gnt_entry_v1(gt, ref)->flags
                                  : *gnt_status(gt, ref);

    return f & (GTF_reading | GTF_writing);
}

static void check_table(unsigned int di)
{
    struct domain *d = doms[di];
    struct grant_table *gt = d->grant_table;
    unsigned int active = 0, maps = 0, rw, ro;
    grant_ref_t ref;
    uint32_t h;

    for ( ref = 0; ref < MIN(gnt_nr_entries(gt), CHECKED_REFS); ref++ )
    {
        struct active_grant *act = gnt_active(gt, ref);
        uint16_t bits = in_use_bits(gt, ref);

        if ( act->pin_rw || act->pin_ro )
            active++;
        if ( act->trans_dom )
            fail("a transitive hold outlived its copy", d);
        rw = holds[di][ref][0];
        ro = holds[di][ref][1];
        if ( act->pin_rw != rw || act->pin_ro != ro )
            fail("pins differ from the mappings holding the grant", d);
        if ( !act->pin_rw && !act->pin_ro )
            tainted[di][ref] = false;
        if ( tainted[di][ref] )
            continue;
        if ( (act->pin_rw || act->pin_ro) != !!(bits & GTF_reading) )
            fail("GTF_reading differs from the pins", d);
        if ( !!act->pin_rw != !!(bits & GTF_writing) )
            fail("GTF_writing differs from the writable pins", d);
    }
    if ( active != gt->nr_active )
        fail("nr_active is wrong", d);

    for ( h = 0; h < gt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME; h++ )
    {
        struct grant_mapping *m = mapping(gt, h);
        struct p2m_entry e;

        if ( !m->flags )
            continue;
        maps++;
        p2m_get_entry(d, m->gfn, &e);
        if ( e.type != ((m->flags & GNTMAP_readonly) ? p2m_grant_map_ro
                                                      : p2m_grant_map_rw) ||
             mfn_x(e.mfn) != mfn_x(m->mfn) )
            fail("a mapping is not in the mapper's p2m", d);
        if ( page_refcount(mfn_to_page(m->mfn)) == 0 )
            fail("a mapped page holds no reference", d);
        /* Only what was granted to this very domain is mapped. */
        if ( m->rd->grant_table &&
             gnt_active(m->rd->grant_table, m->ref)->domid != d->domain_id )
            fail("a mapping of a grant made to another domain", d);
    }
    if ( maps != gt->maptrack_used )
        fail("maptrack count is wrong", d);
    if ( ledger_read(d, LEDGER_MAPPINGS) != maps )
        fail("LEDGER_MAPPINGS differs from the mappings made", d);
    if ( p2m_count(d, p2m_grant_map_rw) + p2m_count(d, p2m_grant_map_ro) !=
         maps )
        fail("grant entries in the p2m differ from the mappings", d);
}

void check(void)
{
    unsigned int i;

    count_holds();
    for ( i = 0; i < NR_DOMS; i++ )
        if ( doms[i] )
            check_table(i);
}
