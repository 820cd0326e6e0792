/* SPDX-License-Identifier: MIT */
/*
 * The table walker shared by every p2m page-table format (p2m_pt.h):
 * four levels of 512 entries, one hypervisor page per table, leaves at
 * level 0 (4 KiB), 1 (2 MiB) or 2 (1 GiB). Each table page is charged to
 * the domain's ledger as a hypervisor page.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m_pt.h>
#include <orrery/platform.h>

/*
 * Lookups remember the table their walk ended in (the walk, not a
 * translation): the level-0 table of a 4 KiB entry, the level-1 table
 * of a 2 MiB one. The next lookup in the region that table covers starts
 * there instead of at the root, skipping upper-level entries that often
 * collide in the cache with the page contents being copied (a grant copy
 * looks up three or four frames per call). Only p2m_pt_set_entry()
 * changes, splits or frees tables, and it forgets the table first;
 * entries are always read fresh. Both run under the p2m lock.
 */
struct p2m_pt {
    const struct p2m_pt_format *fmt;
    p2m_pte_t *root;
    const p2m_pte_t *walk_table;        /* NULL: none remembered */
    unsigned int walk_level;            /* its entries' level */
    uint64_t walk_region;               /* gfn >> (9 * (level + 1)) */
};

static unsigned int pt_index(uint64_t gfn, unsigned int level)
{
    return (gfn >> (9 * level)) & (P2M_PT_ENTRIES - 1);
}

static p2m_pte_t *pt_table(const struct p2m_pt *pt, p2m_pte_t e)
{
    return arch_mfn_to_virt(pt->fmt->mfn(e));
}

static bool pt_is_leaf(const struct p2m_pt *pt, p2m_pte_t e,
                       unsigned int level)
{
    return level == 0 || pt->fmt->is_leaf(e, level);
}

static p2m_pte_t *pt_alloc_table(struct p2m_domain *p2m, p2m_pte_t *out)
{
    struct p2m_pt *pt = p2m->backend;
    mfn_t mfn = alloc_pages(0, MEMF_ZERO);

    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        return NULL;
    ledger_charge(p2m->domain, LEDGER_XEN_PAGES, 1);
    if ( out )
        *out = pt->fmt->make_table(mfn);
    return arch_mfn_to_virt(mfn);
}

/* Free the table @t, whose entries are at @level, and every table below. */
static void pt_free_tree(struct p2m_domain *p2m, p2m_pte_t *t,
                         unsigned int level)
{
    struct p2m_pt *pt = p2m->backend;

    if ( level > 0 )
        for ( unsigned int i = 0; i < P2M_PT_ENTRIES; i++ )
            if ( pt->fmt->is_used(t[i]) && !pt_is_leaf(pt, t[i], level) )
                pt_free_tree(p2m, pt_table(pt, t[i]), level - 1);
    free_pages(arch_virt_to_mfn(t), 0);
    ledger_charge(p2m->domain, LEDGER_XEN_PAGES, -1);
}

int p2m_pt_init(struct p2m_domain *p2m, const struct p2m_pt_format *fmt)
{
    struct p2m_pt *pt = xzalloc(struct p2m_pt);

    if ( !pt )
        return -ENOMEM;
    pt->fmt = fmt;
    p2m->backend = pt;
    pt->root = pt_alloc_table(p2m, NULL);
    if ( !pt->root )
    {
        xfree(pt);
        p2m->backend = NULL;
        return -ENOMEM;
    }
    return 0;
}

void p2m_pt_teardown(struct p2m_domain *p2m)
{
    struct p2m_pt *pt = p2m->backend;

    if ( !pt )
        return;
    pt_free_tree(p2m, pt->root, P2M_PT_LEVELS - 1);
    xfree(pt);
    p2m->backend = NULL;
}

mfn_t p2m_pt_root(const struct p2m_domain *p2m)
{
    const struct p2m_pt *pt = p2m->backend;

    return arch_virt_to_mfn(pt->root);
}

/*
 * Replace the superpage leaf *@slot at @level by a table of 512 leaves
 * one level down that map the same frames the same way.
 */
static int pt_split(struct p2m_domain *p2m, p2m_pte_t *slot,
                    unsigned int level)
{
    struct p2m_pt *pt = p2m->backend;
    const struct p2m_pt_format *f = pt->fmt;
    p2m_pte_t old = *slot, new, *t;
    mfn_t base = f->mfn(old);
    bool noframe = mfn_x(base) == mfn_x(INVALID_MFN);
    uint64_t step = 1ULL << (9 * (level - 1));

    t = pt_alloc_table(p2m, &new);
    if ( !t )
        return -ENOMEM;
    for ( unsigned int i = 0; i < P2M_PT_ENTRIES; i++ )
        t[i] = f->make_leaf(noframe ? INVALID_MFN
                                    : _mfn(mfn_x(base) + i * step),
                            f->type(old), f->access(old), level - 1);
    *slot = new;
    return 0;
}

bool p2m_pt_order_ok(unsigned int order)
{
    return order == P2M_ORDER_4K || order == P2M_ORDER_2M ||
           order == P2M_ORDER_1G;
}

int p2m_pt_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
                     unsigned int order, p2m_type_t type,
                     p2m_access_t access)
{
    struct p2m_pt *pt = p2m->backend;
    const struct p2m_pt_format *f = pt->fmt;
    unsigned int level, target = order / 9;
    p2m_pte_t *t = pt->root, *slot;
    int rc;

    if ( !p2m_pt_order_ok(order) || !IS_ALIGNED(gfn_x(gfn), 1ULL << order) ||
         gfn_x(gfn) > P2M_MAX_GFN )
        return -EINVAL;
    pt->walk_table = NULL;      /* tables may be split, replaced, freed */

    for ( level = P2M_PT_LEVELS - 1; level > target; level-- )
    {
        slot = &t[pt_index(gfn_x(gfn), level)];
        if ( !f->is_used(*slot) )
        {
            if ( type == p2m_invalid )
                return 0;           /* removing from a hole */
            if ( !pt_alloc_table(p2m, slot) )
                return -ENOMEM;
        }
        else if ( pt_is_leaf(pt, *slot, level) )
        {
            rc = pt_split(p2m, slot, level);
            if ( rc )
                return rc;
        }
        t = pt_table(pt, *slot);
    }

    slot = &t[pt_index(gfn_x(gfn), target)];
    if ( f->is_used(*slot) && !pt_is_leaf(pt, *slot, target) )
        pt_free_tree(p2m, pt_table(pt, *slot), target - 1);
    *slot = type == p2m_invalid ? 0 : f->make_leaf(mfn, type, access, target);
    return 0;
}

/* p2m_pt_get_entry() for a format described by masks (p2m_pt_bits). */
static void pt_get_bits(struct p2m_pt *pt, const struct p2m_pt_bits *b,
                        uint64_t gfn, struct p2m_entry *e)
{
    const p2m_pte_t *t = pt->root;
    unsigned int level = P2M_PT_LEVELS - 1;
    p2m_pte_t x;

    if ( pt->walk_table &&
         pt->walk_region == gfn >> (9 * (pt->walk_level + 1)) )
    {
        t = pt->walk_table;
        level = pt->walk_level;
    }
    for ( ; ; level-- )
    {
        x = t[pt_index(gfn, level)];
        if ( !(x & b->used) || level == 0 || (x & b->leaf) )
            break;
        t = arch_mfn_to_virt(_mfn((x & b->addr) >> PAGE_SHIFT));
    }
    if ( level < P2M_PT_LEVELS - 1 )
    {
        pt->walk_table = t;
        pt->walk_level = level;
        pt->walk_region = gfn >> (9 * (level + 1));
    }

    e->order = 9 * level;
    if ( !(x & b->used) )
        return;                 /* the whole hole at this level */
    e->type = (p2m_type_t)((x >> b->type_shift) & 0xf);
    e->access = (p2m_access_t)((x >> b->access_shift) & 0x7);
    if ( !(x & b->noframe) )
        e->mfn = _mfn(((x & b->addr) >> PAGE_SHIFT) +
                      (gfn & ((1ULL << e->order) - 1)));
}

void p2m_pt_get_entry(struct p2m_domain *p2m, gfn_t gfn, struct p2m_entry *e)
{
    struct p2m_pt *pt = p2m->backend;
    const struct p2m_pt_format *f = pt->fmt;
    p2m_pte_t *t = pt->root, x = 0;
    unsigned int level;
    mfn_t base;

    e->mfn = INVALID_MFN;
    e->type = p2m_invalid;
    e->access = p2m_access_n;
    e->order = 0;
    if ( gfn_x(gfn) > P2M_MAX_GFN )
        return;
    if ( f->bits )
    {
        pt_get_bits(pt, f->bits, gfn_x(gfn), e);
        return;
    }

    for ( level = P2M_PT_LEVELS - 1; ; level-- )
    {
        x = t[pt_index(gfn_x(gfn), level)];
        if ( !f->is_used(x) )
        {
            e->order = 9 * level;   /* the whole hole at this level */
            return;
        }
        if ( pt_is_leaf(pt, x, level) )
            break;
        t = pt_table(pt, x);
    }

    e->order = 9 * level;
    e->type = f->type(x);
    e->access = f->access(x);
    base = f->mfn(x);
    if ( mfn_x(base) != mfn_x(INVALID_MFN) )
        e->mfn = _mfn(mfn_x(base) + (gfn_x(gfn) & ((1ULL << e->order) - 1)));
}

static int pt_walk(struct p2m_domain *p2m, const p2m_pte_t *t,
                   unsigned int level, uint64_t base,
                   int (*fn)(gfn_t, const struct p2m_entry *, void *),
                   void *arg)
{
    struct p2m_pt *pt = p2m->backend;
    int rc;

    for ( unsigned int i = 0; i < P2M_PT_ENTRIES; i++ )
    {
        uint64_t gfn = base + ((uint64_t)i << (9 * level));
        struct p2m_entry e;

        if ( !pt->fmt->is_used(t[i]) )
            continue;
        if ( !pt_is_leaf(pt, t[i], level) )
        {
            rc = pt_walk(p2m, pt_table(pt, t[i]), level - 1, gfn, fn, arg);
            if ( rc )
                return rc;
            continue;
        }
        p2m_pt_get_entry(p2m, _gfn(gfn), &e);
        rc = fn(_gfn(gfn), &e, arg);
        if ( rc )
            return rc;
    }
    return 0;
}

int p2m_pt_for_each(struct p2m_domain *p2m,
                    int (*fn)(gfn_t, const struct p2m_entry *, void *),
                    void *arg)
{
    struct p2m_pt *pt = p2m->backend;

    return pt_walk(p2m, pt->root, P2M_PT_LEVELS - 1, 0, fn, arg);
}
