/* SPDX-License-Identifier: MIT */
/*
 * Pinning a grant: the step map and copy share. The guest owns its entry
 * and may rewrite it at any time, so the hypervisor checks it and marks
 * it in use (GTF_reading, GTF_writing) in a way the guest can observe
 * before it revokes: v1 with one compare-and-swap of flags and domid; v2
 * by setting the bits in the status frame and then reading the header
 * again (xen-abi-facts §2.3). A granter revoking an entry clears its
 * flags only while neither bit is set; a pinned entry whose flags the
 * guest clears anyway stays pinned on what was checked, and further pins
 * of it reuse the active entry without reading the guest's entry again
 * (Xen's behaviour), except to upgrade a read-only pin to a writable one.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>

#include "grant_private.h"

/* Attempts at the v1 compare-and-swap before calling the entry unstable. */
#define GNT_RETRIES 4

static uint32_t *hdr_word(void *entry)
{
    /* flags (bits 0-15) and domid (16-31): one aligned 32-bit word. */
    return (uint32_t *)entry;
}

/*
 * Check a header word against the request. @type_mask: GTF_type_mask,
 * plus GTF_sub_page for a mapping (a sub-page grant is never mapped).
 */
static int check_hdr(uint32_t word, domid_t ldom, bool ro, uint16_t mask,
                     bool transitive)
{
    uint16_t flags = word & 0xffff, type = flags & mask;

    if ( type != GTF_permit_access &&
         !(transitive && type == GTF_transitive) )
        return GNTST_general_error;
    if ( (domid_t)(word >> 16) != ldom )
        return GNTST_general_error;
    if ( !ro && (flags & GTF_readonly) )
        return GNTST_general_error;
    return GNTST_okay;
}

static uint16_t in_use_bits(bool ro)
{
    return GTF_reading | (ro ? 0 : GTF_writing);
}

/* Set the in-use bits of @ref; @word gets the header that was checked. */
static int set_status(struct grant_table *gt, grant_ref_t ref, domid_t ldom,
                      bool ro, bool map, bool transitive, uint32_t *word)
{
    uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);
    unsigned int tries;

    if ( gt->version == 1 )
    {
        uint32_t *p = hdr_word(gnt_entry_v1(gt, ref));

        for ( tries = 0; tries < GNT_RETRIES; tries++ )
        {
            uint32_t old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
            int rc = check_hdr(old, ldom, ro, GTF_type_mask, false);

            if ( rc )
                return rc;
            if ( __atomic_compare_exchange_n(p, &old, old | in_use_bits(ro),
                                             false, __ATOMIC_ACQ_REL,
                                             __ATOMIC_ACQUIRE) )
            {
                *word = old;
                return GNTST_okay;
            }
        }
        return GNTST_general_error;     /* the guest keeps changing it */
    }
    else
    {
        uint32_t *p = hdr_word(gnt_entry_v2(gt, ref));
        grant_status_t *st = gnt_status(gt, ref);
        uint32_t old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
        uint16_t add = in_use_bits(ro), prev;
        int rc = check_hdr(old, ldom, ro, mask, transitive);

        if ( rc )
            return rc;
        prev = __atomic_fetch_or(st, add, __ATOMIC_SEQ_CST);
        /* A guest that changed the entry before seeing the bits wins. */
        if ( __atomic_load_n(p, __ATOMIC_SEQ_CST) != old )
        {
            __atomic_fetch_and(st, (uint16_t)~(add & ~prev),
                               __ATOMIC_SEQ_CST);
            return GNTST_general_error;
        }
        *word = old;
        return GNTST_okay;
    }
}

static void clear_status(struct grant_table *gt, grant_ref_t ref,
                         uint16_t bits)
{
    uint16_t *f = gt->version == 1 ? &gnt_entry_v1(gt, ref)->flags :
                                     gnt_status(gt, ref);

    __atomic_fetch_and(f, (uint16_t)~bits, __ATOMIC_SEQ_CST);
}

/* Is @gfn of @rd RAM the holder may use, and which frame? */
static int lookup_frame(struct domain *rd, uint64_t gfn, bool ro, mfn_t *mfn)
{
    struct p2m_entry e;

    if ( gfn > P2M_MAX_GFN )
        return GNTST_bad_page;
    p2m_get_entry(rd, _gfn(gfn), &e);
    if ( !p2m_is_ram(e.type) || (!ro && e.type == p2m_ram_ro) )
        return GNTST_bad_page;
    *mfn = e.mfn;
    return GNTST_okay;
}

/*
 * A v2 transitive entry's source grant, held before the intermediate's
 * lock is taken and let go after it is dropped, so that no CPU ever
 * holds two tables' locks (two domains granting transitively through
 * each other cannot deadlock). Each hold of a transitive grant holds
 * its source once; the active entry keeps one domain reference.
 */
struct source_hold {
    struct domain *td;          /* referenced; NULL: no source held */
    grant_ref_t tref;
    struct grant_frame f;
};

/* Peek at @ref of @rd: if it is transitive, hold its source for @rd. */
static int hold_source(struct domain *rd, struct grant_table *gt,
                       grant_ref_t ref, bool ro, struct source_hold *sh)
{
    uint16_t flags = 0;
    domid_t tdom = 0;
    int rc;

    sh->td = NULL;
    spin_lock(&gt->lock);
    if ( gt->version == 2 && ref < gnt_nr_entries(gt) )
    {
        union grant_entry_v2 *e = gnt_entry_v2(gt, ref);

        flags = __atomic_load_n(&e->hdr.flags, __ATOMIC_ACQUIRE);
        tdom = __atomic_load_n(&e->transitive.trans_domid,
                               __ATOMIC_RELAXED);
        sh->tref = __atomic_load_n(&e->transitive.gref, __ATOMIC_RELAXED);
    }
    spin_unlock(&gt->lock);
    if ( (flags & GTF_type_mask) != GTF_transitive )
        return GNTST_okay;
    if ( tdom == rd->domain_id )
        return GNTST_general_error;     /* self-referential */
    sh->td = domain_get(tdom);
    if ( !sh->td )
        return GNTST_general_error;     /* Xen: a bad transitive domain */
    /* One level only (Xen): the source must be a plain grant to @rd. */
    rc = gnt_acquire(sh->td, sh->tref, rd, ro, false, false, &sh->f);
    if ( rc )
    {
        domain_put(sh->td);
        sh->td = NULL;
    }
    return rc;
}

static void drop_source(struct source_hold *sh, bool ro, bool keep_ref)
{
    if ( !sh->td )
        return;
    gnt_release(sh->td, sh->tref, ro);
    if ( !keep_ref )
        domain_put(sh->td);
    sh->td = NULL;
}

/* First pin: fill @act from the entry just checked (@word). */
static int fill_active(struct domain *rd, struct grant_table *gt,
                       grant_ref_t ref, struct active_grant *act,
                       uint32_t word, bool ro, struct source_hold *sh)
{
    uint16_t flags = word & 0xffff;
    uint64_t gfn;

    act->sub_page = false;
    act->start = 0;
    act->length = PAGE_SIZE;
    act->trans_dom = NULL;
    if ( gt->version == 1 )
        gfn = gnt_entry_v1(gt, ref)->frame;
    else
    {
        union grant_entry_v2 *e = gnt_entry_v2(gt, ref);

        if ( (flags & GTF_type_mask) == GTF_transitive )
        {
            /* The source held must be the one the entry names now. */
            if ( !sh->td ||
                 __atomic_load_n(&e->transitive.trans_domid,
                                 __ATOMIC_RELAXED) != sh->td->domain_id ||
                 __atomic_load_n(&e->transitive.gref, __ATOMIC_RELAXED) !=
                 sh->tref )
                return GNTST_general_error;
            act->trans_dom = sh->td;
            act->trans_ref = sh->tref;
            act->mfn = sh->f.mfn;
            act->gfn = INVALID_GFN;
            act->start = sh->f.start;
            act->length = sh->f.length;
            return GNTST_okay;
        }
        gfn = __atomic_load_n(&e->full_page.frame, __ATOMIC_RELAXED);
        if ( flags & GTF_sub_page )
        {
            uint16_t off = __atomic_load_n(&e->sub_page.page_off,
                                           __ATOMIC_RELAXED);
            uint16_t len = __atomic_load_n(&e->sub_page.length,
                                           __ATOMIC_RELAXED);

            if ( (unsigned int)off + len > PAGE_SIZE )
                return GNTST_general_error;
            act->sub_page = true;
            act->start = off;
            act->length = len;
        }
    }
    if ( sh->td )
        return GNTST_general_error;     /* no longer transitive */
    act->gfn = _gfn(gfn);
    return lookup_frame(rd, gfn, ro, &act->mfn);
}

/* A pinned entry gains a writable hold: the frame must still be RW RAM. */
static int check_upgrade(struct domain *rd, struct active_grant *act)
{
    mfn_t mfn;
    int rc = lookup_frame(rd, gfn_x(act->gfn), false, &mfn);

    if ( !rc && mfn_x(mfn) != mfn_x(act->mfn) )
        rc = GNTST_bad_page;
    return rc;
}

/* Another hold of a pinned entry: a transitive one needs its source
 * held again, the same source. */
static int hold_again(struct domain *rd, struct active_grant *act,
                      bool upgrade, struct source_hold *sh)
{
    if ( act->trans_dom )
        return sh->td == act->trans_dom && sh->tref == act->trans_ref ?
               GNTST_okay : GNTST_general_error;
    if ( sh->td )
        return GNTST_general_error;     /* the guest rewrote the entry */
    return upgrade ? check_upgrade(rd, act) : GNTST_okay;
}

int gnt_acquire(struct domain *rd, grant_ref_t ref, struct domain *ld,
                bool ro, bool map, bool transitive, struct grant_frame *out)
{
    struct grant_table *gt = rd->grant_table;
    struct source_hold sh = { .td = NULL };
    struct domain *put = NULL;
    struct active_grant *act;
    bool pinned, upgrade, keep_ref = false;
    uint32_t word = 0;
    int rc;

    if ( !gt )
        return GNTST_bad_domain;
    if ( transitive )
    {
        rc = hold_source(rd, gt, ref, ro, &sh);
        if ( rc )
            return rc;
    }
    spin_lock(&gt->lock);
    if ( ref >= gnt_nr_entries(gt) )
    {
        rc = GNTST_bad_gntref;
        goto out;
    }
    act = gnt_active(gt, ref);
    pinned = act->pin_rw || act->pin_ro;
    upgrade = pinned && !ro && !act->pin_rw;
    if ( pinned &&
         (act->domid != ld->domain_id ||
          (map && (act->sub_page || act->trans_dom)) ||
          act->pin_ro >= ACT_PIN_MAX || act->pin_rw >= ACT_PIN_MAX) )
    {
        rc = GNTST_general_error;
        goto out;
    }

    if ( !pinned || upgrade )
    {
        rc = set_status(gt, ref, ld->domain_id, ro, map, transitive, &word);
        if ( rc )
            goto out;
    }
    rc = pinned ? hold_again(rd, act, upgrade, &sh)
                : fill_active(rd, gt, ref, act, word, ro, &sh);
    if ( rc )
    {
        if ( !pinned )
            clear_status(gt, ref, GTF_reading | GTF_writing);
        else if ( upgrade )
            clear_status(gt, ref, GTF_writing);
        goto out;
    }

    if ( !pinned )
    {
        act->domid = ld->domain_id;
        gt->nr_active++;
        keep_ref = true;        /* act->trans_dom's reference, if any */
    }
    if ( ro )
        act->pin_ro++;
    else
        act->pin_rw++;
    out->mfn = act->mfn;
    out->start = act->start;
    out->length = act->length;
    /* The source stays held (its pin now belongs to this hold); its
     * extra domain reference goes after the lock (the domain list lock
     * is taken before table locks, by debug key 'g'). */
    if ( !keep_ref )
        put = sh.td;
    sh.td = NULL;
    rc = GNTST_okay;
 out:
    spin_unlock(&gt->lock);
    drop_source(&sh, ro, false);
    if ( put )
        domain_put(put);
    return rc;
}

void gnt_release(struct domain *rd, grant_ref_t ref, bool ro)
{
    struct grant_table *gt = rd->grant_table;
    struct source_hold sh = { .td = NULL };
    struct domain *put = NULL;
    struct active_grant *act;

    if ( !gt )
        return;                 /* the granter is gone: nothing to mark */
    spin_lock(&gt->lock);
    act = gnt_active(gt, ref);
    if ( ro )
    {
        BUG_ON(!act->pin_ro);
        act->pin_ro--;
    }
    else
    {
        BUG_ON(!act->pin_rw);
        act->pin_rw--;
    }
    if ( act->trans_dom )
    {
        /* Its source hold goes after the lock (see struct source_hold). */
        sh.td = act->trans_dom;
        sh.tref = act->trans_ref;
    }
    if ( !act->pin_rw )
        clear_status(gt, ref, GTF_writing);
    if ( !act->pin_rw && !act->pin_ro )
    {
        clear_status(gt, ref, GTF_reading);
        put = act->trans_dom;
        memset(act, 0, sizeof(*act));
        gt->nr_active--;
    }
    spin_unlock(&gt->lock);
    drop_source(&sh, ro, true);
    if ( put )
        domain_put(put);
}
