/* SPDX-License-Identifier: MIT */
/*
 * XENMEM_increase_reservation, decrease_reservation, populate_physmap.
 *
 * The answer is the number of extents done, counted from 0 across
 * continuations; a call that stops early (bad argument, bad extent, out
 * of memory, past max_pages) returns the count so far, so a guest sees
 * any failure as fewer extents than it asked for. That includes bad
 * reservation pointers, unknown domains and refused permission: Xen
 * answers those with the resume point too, never with an errno.
 *
 * Every Orrery guest is auto-translated (PVH, HVM, Arm): extent_start
 * holds gfns, read with the p2m-checked copy; increase_reservation reads
 * and writes none (the pages are the domain's but not mapped, as Xen
 * does for a translated guest).
 *
 * Long calls continue: before every extent but the first of an entry the
 * loop asks hypercall_preempt_check(); when preempted the command is
 * rewritten as op | (done << MEMOP_EXTENT_SHIFT) and the guest re-enters.
 * At least one extent is done per entry, so a call always progresses.
 */
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "memory_op_private.h"

/* The largest continuation a 32-bit command can carry (Xen's limit). */
#define MEMOP_MAX_EXTENTS (0xffffffffULL >> MEMOP_EXTENT_SHIFT)

/* Largest extent order a caller may ask for: Xen's default maximum
 * orders for a domU (2 MiB) and for the control domain (16 MiB). */
#define MEMOP_MAX_ORDER_DOMU   9
#define MEMOP_MAX_ORDER_CTLDOM 12

struct memop_args {
    struct vcpu *v;
    struct domain *d;
    uint64_t list;              /* extent_start */
    uint64_t nr;                /* nr_extents */
    unsigned int order;
    unsigned int memflags;      /* MEMF_bits() */
    uint64_t done;              /* extents done, from the resume point */
    bool preempted;
};

/* Address bits the machine's frames need: below that a limit applies. */
static unsigned int machine_addr_bits(void)
{
    struct page_alloc_stats st;
    unsigned int bits = PAGE_SHIFT;

    page_alloc_stats(&st);
    while ( bits < 64 && (st.max_page << PAGE_SHIFT) > (1ULL << bits) )
        bits++;
    return bits;
}

/*
 * mem_flags to allocation flags. -EINVAL: an address width of a page or
 * less, an exact request for a node other than 0 (there is one; Xen's
 * allocation would fail there), populate-on-demand (not implemented). A
 * virtual node is ignored, as Xen does for a domain without vNUMA.
 */
static int memflags_of(uint32_t mem_flags, unsigned int *memflags)
{
    unsigned int bits = XENMEMF_get_address_bits(mem_flags);
    unsigned int node = (mem_flags >> 8) & 0xff;

    *memflags = 0;
    if ( bits && bits < machine_addr_bits() )
    {
        if ( bits <= PAGE_SHIFT )
            return -EINVAL;
        *memflags = MEMF_bits(bits);
    }
    if ( mem_flags & XENMEMF_populate_on_demand )
        return -EINVAL;
    if ( node > 1 && !(mem_flags & XENMEMF_vnode) &&
         (mem_flags & XENMEMF_exact_node_request) )
        return -EINVAL;
    return 0;
}

/* The gfn at extent_start[@i]; false on a bad pointer. */
static bool read_extent(struct memop_args *a, uint64_t i, uint64_t *gfn)
{
    uint64_t off = i * sizeof(xen_pfn_t);

    if ( a->list > UINT64_MAX - off )
        return false;
    return !copy_from_guest(a->v, gfn, a->list + off, sizeof(*gfn));
}

/* Is [@gfn, @gfn + @n) inside guest-physical space? */
static bool gfn_range_ok(uint64_t gfn, uint64_t n)
{
    return gfn <= P2M_MAX_GFN && n - 1 <= P2M_MAX_GFN - gfn;
}

/* Should the loop stop here to continue later? */
static bool preempt(struct memop_args *a, uint64_t i, uint64_t start)
{
    if ( i != start && hypercall_preempt_check() )
    {
        a->preempted = true;
        return true;
    }
    return false;
}

static void increase_reservation(struct memop_args *a, uint64_t start)
{
    uint64_t i;

    for ( i = start; i < a->nr && !preempt(a, i, start); i++ )
        if ( !alloc_domheap_pages(a->d, a->order, a->memflags) )
            break;
    a->done = i;
}

/* One extent of new RAM at @gfn: only over holes, all or nothing. */
static int populate_one(struct memop_args *a, uint64_t gfn)
{
    uint64_t n = 1ULL << a->order, k, mapped = 0;
    struct page_info *pg;
    struct p2m_entry e;
    int rc;

    if ( !gfn_range_ok(gfn, n) )
        return -EINVAL;
    for ( k = 0; k < n; k++ )
    {
        p2m_get_entry(a->d, _gfn(gfn + k), &e);
        if ( e.type != p2m_invalid )
            return -EEXIST;
    }
    pg = alloc_domheap_pages(a->d, a->order, a->memflags);
    if ( !pg )
        return -ENOMEM;
    rc = p2m_set_range(a->d, _gfn(gfn), page_to_mfn(pg), n, p2m_ram_rw,
                       p2m_access_rwx, &mapped);
    /*
     * Out of table memory part-way: unmap our part, then give the pages
     * back -- never a frame the p2m still maps: if even the unmap fails,
     * the pages stay the domain's (counted, freed at destroy).
     */
    if ( rc && !p2m_unmap_ram(a->d, _gfn(gfn), mapped) )
        free_domheap_pages(pg, a->order);
    return rc;
}

static void populate_physmap(struct memop_args *a, uint64_t start)
{
    uint64_t i, gfn;

    for ( i = start; i < a->nr && !preempt(a, i, start); i++ )
        if ( !read_extent(a, i, &gfn) || populate_one(a, gfn) )
            break;
    a->done = i;
}

/*
 * Give back the page at @gfn (Xen's guest_remove_page): the domain's RAM
 * loses its owner's reference (freed unless granted to someone still
 * mapping it); a hypervisor frame mapped there (shared_info, a grant
 * frame) is just unmapped; a passed-through MMIO frame is unmapped, as
 * Xen does on x86. -ENOENT for a hole or anything else (a grant mapping
 * is undone with the grant calls).
 */
static int remove_page(struct domain *d, uint64_t gfn)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    if ( e.type == p2m_mmio_direct )
        return p2m_remove_range(d, _gfn(gfn), 1);
    if ( !p2m_is_ram(e.type) )
        return -ENOENT;
    return p2m_release_ram(d, _gfn(gfn), 1);
}

static void decrease_reservation(struct memop_args *a, uint64_t start)
{
    uint64_t i, gfn, n = 1ULL << a->order, k;

    for ( i = start; i < a->nr && !preempt(a, i, start); i++ )
    {
        if ( !read_extent(a, i, &gfn) || !gfn_range_ok(gfn, n) )
            break;
        for ( k = 0; k < n; k++ )
            if ( remove_page(a->d, gfn + k) )
                goto out;
    }
 out:
    a->done = i;
}

int64_t memop_reservation(struct vcpu *v, struct hypercall_regs *r,
                          unsigned int op, uint64_t start)
{
    struct xen_memory_reservation res;
    struct memop_args a = { .v = v };
    unsigned int max_order = v->domain->is_privileged ?
                             MEMOP_MAX_ORDER_CTLDOM : MEMOP_MAX_ORDER_DOMU;

    if ( copy_from_guest(v, &res, r->args[1], sizeof(res)) )
        return (int64_t)start;
    if ( res.nr_extents > MEMOP_MAX_EXTENTS || start >= res.nr_extents )
        return (int64_t)start;
    if ( res.extent_order > max_order ||
         memflags_of(res.mem_flags, &a.memflags) )
        return (int64_t)start;
    if ( memop_target(v, res.domid, &a.d) )
        return (int64_t)start;

    a.list = res.extent_start;
    a.nr = res.nr_extents;
    a.order = res.extent_order;
    switch ( op )
    {
    case XENMEM_increase_reservation:
        increase_reservation(&a, start);
        break;
    case XENMEM_decrease_reservation:
        decrease_reservation(&a, start);
        break;
    default:
        populate_physmap(&a, start);
        break;
    }
    domain_put(a.d);

    if ( a.preempted )
    {
        r->args[0] = op | (a.done << MEMOP_EXTENT_SHIFT);
        return hypercall_continue(r);
    }
    return (int64_t)a.done;
}
