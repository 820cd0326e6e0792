/* SPDX-License-Identifier: MIT */
/*
 * The p2m's logic, independent of the page-table format: argument checks,
 * splitting ranges into the largest entries alignment allows, per-type
 * counts and the mapping ledger, and teardown.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "p2m_private.h"

static const char *const type_names[NR_P2M_TYPES] = {
    [p2m_ram_rw] = "ram_rw",
    [p2m_invalid] = "invalid",
    [p2m_ram_logdirty] = "ram_logdirty",
    [p2m_ram_ro] = "ram_ro",
    [p2m_mmio_dm] = "mmio_dm",
    [p2m_mmio_direct] = "mmio_direct",
    [p2m_populate_on_demand] = "pod",
    [p2m_grant_map_rw] = "grant_map_rw",
    [p2m_grant_map_ro] = "grant_map_ro",
    [p2m_ram_paging_out] = "paging_out",
    [p2m_ram_paged] = "paged",
    [p2m_ram_paging_in] = "paging_in",
    [p2m_ram_shared] = "shared",
    [p2m_ram_broken] = "broken",
    [p2m_map_foreign] = "map_foreign",
    [p2m_ioreq_server] = "ioreq_server",
};

const char *p2m_type_name(p2m_type_t t)
{
    return (unsigned int)t < NR_P2M_TYPES ? type_names[t] : "?";
}

/* Types whose entries carry no machine frame. */
static bool type_has_frame(p2m_type_t t)
{
    return t != p2m_invalid && t != p2m_populate_on_demand &&
           t != p2m_mmio_dm && t != p2m_ram_paged;
}

int p2m_init(struct domain *d, const struct p2m_backend_ops *ops)
{
    struct p2m_domain *p2m = xzalloc(struct p2m_domain);
    int rc;

    if ( !p2m )
        return -ENOMEM;
    p2m->domain = d;
    p2m->ops = ops ? ops : &p2m_radix_ops;
    spin_lock_init(&p2m->lock);
    d->p2m = p2m;
    rc = p2m->ops->init(p2m);
    if ( rc )
    {
        d->p2m = NULL;
        xfree(p2m);
    }
    return rc;
}

/* Account @nr frames of an entry of @type appearing (+) or going (-). */
static void account(struct p2m_domain *p2m, p2m_type_t type, int64_t nr)
{
    if ( type == p2m_invalid )
        return;
    p2m->entries[type] += nr;
    if ( p2m_is_foreign_mapping(type) )
        ledger_charge(p2m->domain, LEDGER_MAPPINGS, nr);
    /* RAM pages are counted by their owner (core/mm, alloc_domheap_pages),
     * mapped or not. */
}

/* Uncount whatever is mapped in [@gfn, @gfn + @nr) before it is replaced. */
static void unaccount_range(struct p2m_domain *p2m, uint64_t gfn,
                            uint64_t nr)
{
    uint64_t end = gfn + nr;

    while ( gfn < end )
    {
        struct p2m_entry e;
        uint64_t span, n;

        p2m->ops->get_entry(p2m, _gfn(gfn), &e);
        span = (1ULL << e.order) - (gfn & ((1ULL << e.order) - 1));
        n = MIN(span, end - gfn);
        account(p2m, e.type, -(int64_t)n);
        gfn += n;
    }
}

/* The largest order the backend maps in one entry at @gfn (and @mfn). */
static unsigned int pick_order(const struct p2m_domain *p2m, uint64_t gfn,
                               mfn_t mfn, bool frame, uint64_t nr)
{
    static const unsigned int orders[] = { P2M_ORDER_1G, P2M_ORDER_2M };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(orders); i++ )
    {
        uint64_t size = 1ULL << orders[i];

        if ( nr >= size && IS_ALIGNED(gfn, size) &&
             (!frame || IS_ALIGNED(mfn_x(mfn), size)) &&
             p2m->ops->order_ok(orders[i]) )
            return orders[i];
    }
    return P2M_ORDER_4K;
}

/*
 * Would mapping [@gfn, +@nr) lose RAM? RAM may only be replaced by RAM
 * of the same frames (a type or access change); anything else would drop
 * the domain's page without freeing it. Caller holds the p2m lock.
 */
static bool loses_ram(struct p2m_domain *p2m, uint64_t gfn, uint64_t nr,
                      mfn_t mfn, p2m_type_t type)
{
    uint64_t g = gfn, end = gfn + nr;

    while ( g < end )
    {
        struct p2m_entry e;
        uint64_t span, n, k;

        p2m->ops->get_entry(p2m, _gfn(g), &e);
        span = (1ULL << e.order) - (g & ((1ULL << e.order) - 1));
        n = MIN(span, end - g);
        if ( p2m_is_ram(e.type) )
            for ( k = 0; k < n; k++ )
            {
                if ( !p2m_is_ram(type) )
                    return true;
                p2m->ops->get_entry(p2m, _gfn(g + k), &e);
                if ( mfn_x(e.mfn) != mfn_x(mfn) + (g + k - gfn) )
                    return true;
            }
        g += n;
    }
    return false;
}

int p2m_set_range(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr,
                  p2m_type_t type, p2m_access_t access, uint64_t *done)
{
    return p2m_set_range_raw(d, gfn, mfn, nr, type, access, done, false);
}

int p2m_set_range_raw(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr,
                      p2m_type_t type, p2m_access_t access, uint64_t *done,
                      bool drop_ram)
{
    struct p2m_domain *p2m = d->p2m;
    bool frame = type_has_frame(type);
    uint64_t g = gfn_x(gfn), i = 0;
    int rc = 0;

    if ( done )
        *done = 0;
    if ( (unsigned int)type >= NR_P2M_TYPES ||
         (unsigned int)access >= NR_P2M_ACCESS || !p2m )
        return -EINVAL;
    if ( nr == 0 )
        return 0;
    if ( g > P2M_MAX_GFN || nr - 1 > P2M_MAX_GFN - g )
        return -EINVAL;
    if ( frame && (mfn_x(mfn) >= (1ULL << 40) ||
                   nr - 1 >= (1ULL << 40) - mfn_x(mfn)) )
        return -EINVAL;
    /* The hypervisor will write into RAM it maps: it must be real RAM. */
    if ( frame && p2m_is_ram(type) &&
         (!mfn_valid(mfn) || !mfn_valid(_mfn(mfn_x(mfn) + nr - 1))) )
        return -EINVAL;

    spin_lock(&p2m->lock);
    if ( !drop_ram && loses_ram(p2m, g, nr, mfn, type) )
    {
        spin_unlock(&p2m->lock);
        return -EBUSY;
    }
    while ( i < nr )
    {
        mfn_t m = frame ? _mfn(mfn_x(mfn) + i) : INVALID_MFN;
        unsigned int order = pick_order(p2m, g + i, m, frame, nr - i);
        uint64_t n = 1ULL << order;

        unaccount_range(p2m, g + i, n);
        rc = p2m->ops->set_entry(p2m, _gfn(g + i), m, order, type, access);
        if ( rc )
        {
            /* The old entries are still there: count them back. */
            struct p2m_entry e;
            uint64_t k;

            for ( k = 0; k < n; k++ )
            {
                p2m->ops->get_entry(p2m, _gfn(g + i + k), &e);
                account(p2m, e.type, 1);
            }
            break;
        }
        account(p2m, type, (int64_t)n);
        i += n;
    }
    if ( type != p2m_invalid && i &&
         g + i - 1 > gfn_x(p2m->max_mapped_gfn) )
        p2m->max_mapped_gfn = _gfn(g + i - 1);
    spin_unlock(&p2m->lock);

    if ( done )
        *done = i;
    return rc;
}

void p2m_get_entry(struct domain *d, gfn_t gfn, struct p2m_entry *e)
{
    struct p2m_domain *p2m = d->p2m;

    if ( !p2m )
    {
        e->mfn = INVALID_MFN;
        e->type = p2m_invalid;
        e->access = p2m_access_n;
        e->order = 0;
        return;
    }
    spin_lock(&p2m->lock);
    p2m->ops->get_entry(p2m, gfn, e);
    spin_unlock(&p2m->lock);
}

int p2m_remove_range(struct domain *d, gfn_t gfn, uint64_t nr)
{
    return p2m_set_range(d, gfn, INVALID_MFN, nr, p2m_invalid,
                         p2m_access_n, NULL);
}

uint64_t p2m_count(const struct domain *d, p2m_type_t type)
{
    if ( !d->p2m || (unsigned int)type >= NR_P2M_TYPES )
        return 0;
    return d->p2m->entries[type];
}

/* Teardown: give back what each entry holds. */
static int release_one(gfn_t gfn, const struct p2m_entry *e, void *arg)
{
    struct p2m_domain *p2m = arg;
    uint64_t n = 1ULL << e->order, i;

    (void)gfn;
    if ( p2m_is_ram(e->type) )
    {
        /* core/mm drops the owner's reference of each frame (a page
         * someone else still references lives on until they let go). */
        for ( i = 0; i < n; i++ )
            p2m_ram_released(p2m->domain, _mfn(mfn_x(e->mfn) + i));
    }
    /*
     * Grant and foreign mappings only drop their count here; the grant
     * code will release the granter's reference through its own domain
     * hook, which runs before this teardown.
     */
    account(p2m, e->type, -(int64_t)n);
    return 0;
}

void p2m_teardown(struct domain *d)
{
    struct p2m_domain *p2m = d->p2m;

    if ( !p2m )
        return;
    spin_lock(&p2m->lock);
    p2m->ops->for_each_entry(p2m, release_one, p2m);
    p2m->ops->teardown(p2m);
    spin_unlock(&p2m->lock);
    d->p2m = NULL;
    xfree(p2m);
}
