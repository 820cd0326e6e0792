/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy: the hypervisor copies between two frames, each named
 * either by a grant (GNTCOPY_source_gref / GNTCOPY_dest_gref: a ref of
 * the named domain granted to the caller) or as one of the caller's own
 * frames (named with DOMID_SELF or the caller's id). Each side's bytes must
 * lie in its page and in the grant's window (a v2 sub-page grant, or the
 * source of a transitive one). Every op gets its own GNTST_* status.
 *
 * A copy holds each frame (a page reference, and the pin for a grant)
 * for the op, and, as Xen does, on to the next op of the same batch when
 * that names the same frame and domains: a batch of copies to one grant
 * pins it once. Everything is let go when the batch ends (or stops for
 * a continuation).
 *
 * GNTTABOP_cache_flush: validated as Xen does; the operation itself has
 * nothing to do where caches are coherent with guest memory (x86, sim).
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>

#include "grant_private.h"

static int lock_side(struct domain *ld, domid_t domid, bool is_gref,
                     struct gnt_copy_side *s)
{
    s->domid = domid;
    if ( domain_lookup(ld, domid, &s->d) )
        return GNTST_bad_domain;
    /* Only the caller's own frames may be named directly (by DOMID_SELF
     * or its id: Xen stopped requiring DOMID_SELF in 4.15). */
    if ( !is_gref && s->d != ld )
        return GNTST_permission_denied;
    return GNTST_okay;
}

/* The caller's own RAM frame @gmfn for reading (@ro) or writing. */
static int own_frame(struct domain *ld, uint64_t gmfn, bool ro,
                     struct grant_frame *f)
{
    struct p2m_entry e;

    if ( gmfn > P2M_MAX_GFN )
        return GNTST_bad_page;
    p2m_get_entry(ld, _gfn(gmfn), &e);
    if ( !p2m_is_ram(e.type) || (!ro && e.type == p2m_ram_ro) )
        return GNTST_bad_page;
    f->mfn = e.mfn;
    f->start = 0;
    f->length = PAGE_SIZE;
    return GNTST_okay;
}

/* Let go of a side's frame (the domain stays locked). */
static void release_side(struct gnt_copy_side *s)
{
    if ( s->pg )
        put_page(s->pg);
    if ( s->pinned )
        gnt_release(s->d, (grant_ref_t)s->key, s->ro);
    s->pg = NULL;
    s->pinned = false;
    s->claimed = false;
}

static void unlock_side(struct gnt_copy_side *s)
{
    release_side(s);
    if ( s->d )
        domain_put(s->d);
    s->d = NULL;
}

/*
 * Find and hold one side's frame: the grant pinned (or the caller's own
 * frame found) and a page reference, which keeps the frame from being
 * freed under the copy if its owner gives it back meanwhile (another
 * vCPU's decrease_reservation), as Xen holds one. Only a page a domain
 * owns qualifies (GNTST_bad_page otherwise).
 */
static int claim_side(struct domain *ld, const struct gnttab_copy_ptr *p,
                      bool gref, bool ro, struct gnt_copy_side *s)
{
    struct page_info *pg;
    int rc;

    s->gref = gref;
    s->ro = ro;
    s->key = gref ? p->u.ref : p->u.gmfn;
    if ( !gref )
        rc = own_frame(ld, p->u.gmfn, ro, &s->f);
    else
    {
        rc = gnt_acquire(s->d, p->u.ref, ld, ro, false, true, &s->f);
        s->pinned = !rc;
    }
    if ( !rc )
    {
        pg = mfn_to_page(s->f.mfn);
        if ( get_page(pg, page_get_owner(pg)) )
            s->pg = pg;
        else
            rc = GNTST_bad_page;
    }
    if ( rc )
        release_side(s);
    else
    {
        s->claimed = true;
        s->va = arch_mfn_to_virt(s->f.mfn);
    }
    return rc;
}

/* Is the side held from the previous op the one this op names? */
static bool side_valid(const struct gnt_copy_side *s,
                       const struct gnttab_copy_ptr *p, bool gref)
{
    return s->claimed && s->gref == gref &&
           s->key == (gref ? p->u.ref : p->u.gmfn);
}

static bool in_window(const struct grant_frame *f, unsigned int off,
                      unsigned int len)
{
    return off >= f->start && off + len <= (unsigned int)f->start + f->length;
}

void gnt_copy_end(struct gnt_copy_ctx *c)
{
    unlock_side(&c->src);
    unlock_side(&c->dst);
}

/* Hold what @op names: its domains (afresh when they are not the
 * previous op's), then each side's frame. On failure nothing is held
 * but the domains. */
int gnt_copy_hold(struct domain *ld, const struct gnttab_copy *op,
                  struct gnt_copy_ctx *c)
{
    bool sg = op->flags & GNTCOPY_source_gref;
    bool dg = op->flags & GNTCOPY_dest_gref;
    int rc = GNTST_okay;

    if ( !c->src.d || op->source.domid != c->src.domid ||
         !c->dst.d || op->dest.domid != c->dst.domid )
    {
        gnt_copy_end(c);
        rc = lock_side(ld, op->source.domid, sg, &c->src);
        if ( !rc )
            rc = lock_side(ld, op->dest.domid, dg, &c->dst);
        if ( !rc && xsm()->grant(c->src.d, c->dst.d) )
            rc = GNTST_permission_denied;
        if ( rc )
        {
            gnt_copy_end(c);
            return rc;
        }
    }
    if ( !side_valid(&c->src, &op->source, sg) )
    {
        release_side(&c->src);
        rc = claim_side(ld, &op->source, sg, true, &c->src);
    }
    if ( !rc && !side_valid(&c->dst, &op->dest, dg) )
    {
        release_side(&c->dst);
        rc = claim_side(ld, &op->dest, dg, false, &c->dst);
    }
    if ( rc )
        gnt_copy_drop(c);
    return rc;
}

void gnt_copy_drop(struct gnt_copy_ctx *c)
{
    release_side(&c->src);
    release_side(&c->dst);
}

int gnt_copy_one(struct domain *ld, const struct gnttab_copy *op,
                 struct gnt_copy_ctx *c)
{
    bool sg = op->flags & GNTCOPY_source_gref;
    bool dg = op->flags & GNTCOPY_dest_gref;
    int rc = GNTST_okay;

    /* Most ops of a batch name what the previous one holds (the rest is
     * out of line, so this path stays short). */
    if ( unlikely(!c->src.d || op->source.domid != c->src.domid ||
                  !c->dst.d || op->dest.domid != c->dst.domid ||
                  !side_valid(&c->src, &op->source, sg) ||
                  !side_valid(&c->dst, &op->dest, dg)) )
    {
        rc = gnt_copy_hold(ld, op, c);
        if ( rc )
            return rc;
    }
    /* The bounds: the page, then each grant's window. */
    if ( (unsigned int)op->source.offset + op->len > PAGE_SIZE ||
         (unsigned int)op->dest.offset + op->len > PAGE_SIZE )
        rc = GNTST_bad_copy_arg;
    else if ( !in_window(&c->src.f, op->source.offset, op->len) ||
              !in_window(&c->dst.f, op->dest.offset, op->len) )
        rc = GNTST_general_error;
    if ( rc )
    {
        gnt_copy_drop(c);
        return rc;
    }
    if ( op->len && c->guarded &&
         (mfn_x(c->dst.f.mfn) == mfn_x(c->guard[0]) ||
          mfn_x(c->dst.f.mfn) == mfn_x(c->guard[1]) ||
          mfn_x(c->src.f.mfn) == mfn_x(c->guard[0]) ||
          mfn_x(c->src.f.mfn) == mfn_x(c->guard[1])) )
        return GNT_COPY_DEFER;  /* both sides stay held for the retry */
    if ( op->len )
        memmove(c->dst.va + op->dest.offset, c->src.va + op->source.offset,
                op->len);
    return GNTST_okay;
}

int gnt_cache_flush_one(struct domain *ld,
                        const struct gnttab_cache_flush *op)
{
    struct p2m_entry e;
    uint64_t gfn;

    /* GNTTAB_CACHE_SOURCE_GREF is outside the accepted mask (Xen). */
    if ( op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
         (unsigned int)op->offset + op->length > PAGE_SIZE ||
         (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)) )
        return -EINVAL;
    if ( !op->length || !op->op )
        return 0;
    /*
     * The frame: the caller's own RAM, or a grant it has mapped. On Xen
     * the address is a bus address; for a translated guest here it is
     * guest-physical, looked up in the caller's p2m.
     */
    gfn = op->a.dev_bus_addr >> PAGE_SHIFT;
    if ( gfn > P2M_MAX_GFN )
        return -EINVAL;
    p2m_get_entry(ld, _gfn(gfn), &e);
    if ( !p2m_is_ram(e.type) && e.type != p2m_grant_map_rw &&
         e.type != p2m_grant_map_ro )
        return -EINVAL;
    /* Clean / invalidate: nothing to do with coherent caches. */
    return 0;
}
