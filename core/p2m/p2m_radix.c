/* SPDX-License-Identifier: MIT */
/*
 * The software radix backend: four levels of 512 64-bit entries, one
 * hypervisor page per table, the shape of x86-64 and Arm 4 KiB-granule
 * page tables, but a format only software reads. Levels 2 and 1 may hold
 * leaves (1 GiB and 2 MiB), like x86's PS bit. Each table page is charged
 * to the domain's ledger as a hypervisor page.
 *
 * Entry format:
 *   bit 0      present
 *   bit 1      leaf (implied at level 0)
 *   bit 2      no frame (pod, mmio_dm, paged: the mfn field is unused)
 *   bits 12-51 mfn: of the next table, or of the leaf's first frame
 *   bits 52-55 type, bits 56-58 access
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

#define RX_PRESENT   (1ULL << 0)
#define RX_LEAF      (1ULL << 1)
#define RX_NOFRAME   (1ULL << 2)
#define RX_MFN_SHIFT 12
#define RX_MFN_MASK  ((1ULL << 40) - 1)
#define RX_TYPE_SHIFT 52
#define RX_ACC_SHIFT 56
#define RX_LEVELS    4
#define RX_ENTRIES   512

typedef uint64_t rx_entry_t;

struct radix {
    rx_entry_t *root;
};

static unsigned int rx_index(uint64_t gfn, unsigned int level)
{
    return (gfn >> (9 * level)) & (RX_ENTRIES - 1);
}

static mfn_t rx_mfn(rx_entry_t e)
{
    return _mfn((e >> RX_MFN_SHIFT) & RX_MFN_MASK);
}

static rx_entry_t *rx_table(rx_entry_t e)
{
    return arch_mfn_to_virt(rx_mfn(e));
}

static bool rx_is_leaf(rx_entry_t e, unsigned int level)
{
    return level == 0 || (e & RX_LEAF);
}

static rx_entry_t rx_make_leaf(mfn_t mfn, p2m_type_t t, p2m_access_t a,
                               bool noframe)
{
    rx_entry_t e = RX_PRESENT | RX_LEAF | ((uint64_t)t << RX_TYPE_SHIFT) |
                   ((uint64_t)a << RX_ACC_SHIFT);

    if ( noframe )
        e |= RX_NOFRAME;
    else
        e |= (mfn_x(mfn) & RX_MFN_MASK) << RX_MFN_SHIFT;
    return e;
}

static rx_entry_t *rx_alloc_table(struct p2m_domain *p2m, rx_entry_t *out)
{
    mfn_t mfn = alloc_pages(0, MEMF_ZERO);

    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        return NULL;
    ledger_charge(p2m->domain, LEDGER_XEN_PAGES, 1);
    *out = RX_PRESENT | (mfn_x(mfn) << RX_MFN_SHIFT);
    return arch_mfn_to_virt(mfn);
}

/* Free the table behind @e, whose entries are at @level, and every
 * table below it. */
static void rx_free_tree(struct p2m_domain *p2m, rx_entry_t e,
                         unsigned int level)
{
    rx_entry_t *t = rx_table(e);
    unsigned int i;

    if ( level > 0 )
        for ( i = 0; i < RX_ENTRIES; i++ )
            if ( (t[i] & RX_PRESENT) && !rx_is_leaf(t[i], level) )
                rx_free_tree(p2m, t[i], level - 1);
    free_pages(rx_mfn(e), 0);
    ledger_charge(p2m->domain, LEDGER_XEN_PAGES, -1);
}

static int rx_init(struct p2m_domain *p2m)
{
    struct radix *rx = xzalloc(struct radix);
    rx_entry_t root;

    if ( !rx )
        return -ENOMEM;
    rx->root = rx_alloc_table(p2m, &root);
    if ( !rx->root )
    {
        xfree(rx);
        return -ENOMEM;
    }
    p2m->backend = rx;
    return 0;
}

static void rx_teardown(struct p2m_domain *p2m)
{
    struct radix *rx = p2m->backend;

    if ( !rx )
        return;
    rx_free_tree(p2m, RX_PRESENT |
                 (mfn_x(arch_virt_to_mfn(rx->root)) << RX_MFN_SHIFT),
                 RX_LEVELS - 1);
    xfree(rx);
    p2m->backend = NULL;
}

/*
 * Replace the superpage leaf *@slot at @level by a table of 512 entries
 * one level down that map the same frames the same way.
 */
static int rx_split(struct p2m_domain *p2m, rx_entry_t *slot,
                    unsigned int level)
{
    rx_entry_t old = *slot, new, *t;
    bool noframe = old & RX_NOFRAME;
    uint64_t step = 1ULL << (9 * (level - 1));
    unsigned int i;

    t = rx_alloc_table(p2m, &new);
    if ( !t )
        return -ENOMEM;
    for ( i = 0; i < RX_ENTRIES; i++ )
    {
        t[i] = old + (noframe ? 0 : ((i * step) << RX_MFN_SHIFT));
        if ( level - 1 == 0 )
            t[i] &= ~RX_LEAF;   /* level 0 entries are leaves anyway */
        else
            t[i] |= RX_LEAF;
        t[i] |= RX_PRESENT;
    }
    *slot = new;
    return 0;
}

static bool rx_order_ok(unsigned int order)
{
    return order == P2M_ORDER_4K || order == P2M_ORDER_2M ||
           order == P2M_ORDER_1G;
}

static int rx_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
                        unsigned int order, p2m_type_t type,
                        p2m_access_t access)
{
    struct radix *rx = p2m->backend;
    unsigned int level, target = order / 9;
    rx_entry_t *t = rx->root, *slot;
    int rc;

    if ( !rx_order_ok(order) || !IS_ALIGNED(gfn_x(gfn), 1ULL << order) ||
         gfn_x(gfn) > P2M_MAX_GFN )
        return -EINVAL;

    for ( level = RX_LEVELS - 1; level > target; level-- )
    {
        slot = &t[rx_index(gfn_x(gfn), level)];
        if ( !(*slot & RX_PRESENT) )
        {
            if ( type == p2m_invalid )
                return 0;           /* removing from a hole */
            if ( !rx_alloc_table(p2m, slot) )
                return -ENOMEM;
        }
        else if ( rx_is_leaf(*slot, level) )
        {
            rc = rx_split(p2m, slot, level);
            if ( rc )
                return rc;
        }
        t = rx_table(*slot);
    }

    slot = &t[rx_index(gfn_x(gfn), target)];
    if ( (*slot & RX_PRESENT) && !rx_is_leaf(*slot, target) )
        rx_free_tree(p2m, *slot, target - 1);
    if ( type == p2m_invalid )
        *slot = 0;
    else
    {
        bool noframe = mfn_x(mfn) == mfn_x(INVALID_MFN);

        *slot = rx_make_leaf(mfn, type, access, noframe);
        if ( target == 0 )
            *slot &= ~RX_LEAF;
    }
    return 0;
}

static void rx_get_entry(struct p2m_domain *p2m, gfn_t gfn,
                         struct p2m_entry *e)
{
    struct radix *rx = p2m->backend;
    rx_entry_t *t = rx->root, x = 0;
    unsigned int level;

    e->mfn = INVALID_MFN;
    e->type = p2m_invalid;
    e->access = p2m_access_n;
    e->order = 0;
    if ( gfn_x(gfn) > P2M_MAX_GFN )
        return;

    for ( level = RX_LEVELS - 1; ; level-- )
    {
        x = t[rx_index(gfn_x(gfn), level)];
        if ( !(x & RX_PRESENT) )
        {
            e->order = 9 * level;   /* the whole hole at this level */
            return;
        }
        if ( rx_is_leaf(x, level) )
            break;
        t = rx_table(x);
    }

    e->order = 9 * level;
    e->type = (p2m_type_t)((x >> RX_TYPE_SHIFT) & 0xf);
    e->access = (p2m_access_t)((x >> RX_ACC_SHIFT) & 0x7);
    if ( !(x & RX_NOFRAME) )
        e->mfn = _mfn(mfn_x(rx_mfn(x)) +
                      (gfn_x(gfn) & ((1ULL << e->order) - 1)));
}

static int rx_walk(struct p2m_domain *p2m, const rx_entry_t *t,
                   unsigned int level, uint64_t base,
                   int (*fn)(gfn_t, const struct p2m_entry *, void *),
                   void *arg)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < RX_ENTRIES; i++ )
    {
        uint64_t gfn = base + ((uint64_t)i << (9 * level));
        struct p2m_entry e;

        if ( !(t[i] & RX_PRESENT) )
            continue;
        if ( !rx_is_leaf(t[i], level) )
        {
            rc = rx_walk(p2m, rx_table(t[i]), level - 1, gfn, fn, arg);
            if ( rc )
                return rc;
            continue;
        }
        rx_get_entry(p2m, _gfn(gfn), &e);
        rc = fn(_gfn(gfn), &e, arg);
        if ( rc )
            return rc;
    }
    return 0;
}

static int rx_for_each(struct p2m_domain *p2m,
                       int (*fn)(gfn_t, const struct p2m_entry *, void *),
                       void *arg)
{
    struct radix *rx = p2m->backend;

    return rx_walk(p2m, rx->root, RX_LEVELS - 1, 0, fn, arg);
}

const struct p2m_backend_ops p2m_radix_ops = {
    .name = "radix",
    .init = rx_init,
    .teardown = rx_teardown,
    .set_entry = rx_set_entry,
    .get_entry = rx_get_entry,
    .for_each_entry = rx_for_each,
    .order_ok = rx_order_ok,
};
