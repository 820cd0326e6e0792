/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing memory_op and page ownership: sequences of memory_op calls
 * with arbitrary arguments from three domains (d0 a control domain, u1
 * and u2 domUs, each with GUEST_PAGES of RAM at gfn 0..), through
 * hypercall_dispatch() as a guest's VMCALL reaches it, continuations
 * re-entered as the guest would.
 *
 * Input: records, op byte % 6:
 *   0  reservation: caller, subop (increase/decrease/populate), domid
 *      selector, nr_extents, extent order, mem_flags selector, then up
 *      to 16 extent gfns written into the caller's list area (or a bad
 *      pointer instead of the list or the struct);
 *   1  add_to_physmap: caller, domid, space, idx, gpfn, size;
 *   2  remove_from_physmap: caller, domid, gpfn;
 *   3  any memory_op command (resume bits included) with an argument
 *      selector: the informational subops, memory_map, unknown subops;
 *   4  a "grant mapping" from outside: take a reference on a page some
 *      domain owns at a gfn (held by the harness), or drop one held;
 *   5  a domU dies and is rebuilt, or the preemption budget changes.
 *
 * After every call: each live domain's ledger equals the pages on its
 * page list, each of them its own with a reference; its p2m maps as RAM
 * only pages it owns and holds, or hypervisor frames shared with it at
 * that gfn; no frame is mapped at two gfns or in two domains; the pages
 * in use machine-wide are exactly those owned plus the orphans the
 * harness still references. At the end every reference is dropped and
 * every domain destroyed: no page, no ledger, no xmalloc object left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/sched.h>
#include <orrery/timer.h>
#include <orrery/xsm.h>
#include <public/memory.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "fuzz_common.h"
#include "memory_fuzz.h"

#define GUEST_PAGES 16
#define MAX_PAGES 96
#define ARG   0x100             /* argument structs, gfn 0 */
#define LIST  0x1000            /* extent lists and buffers, gfns 1..3 */
#define MAX_RESTARTS 4096

struct domain *doms[NR_DOMS];
struct page_info *held[MAX_HELD];
unsigned int nr_held;

static unsigned int call_no;
static struct hypercall_regs last;

void fail(const char *what, const struct domain *d, uint64_t x)
{
    fprintf(stderr, "memory fuzz: %s (d%d, %#llx) after call %u: cmd %#llx "
            "arg %#llx ret %lld\n", what, d ? (int)d->domain_id : -1,
            (unsigned long long)x, call_no,
            (unsigned long long)last.args[0],
            (unsigned long long)last.args[1], (long long)last.ret);
    fprintf(stderr, "console:\n%s\n", sim_console_text());
    abort();
}

/* ---- Building calls ---------------------------------------------------- */

static domid_t domid_sel(void)
{
    uint8_t s = fuzz_byte();

    switch ( s % 6 )
    {
    case 0:
    case 1:
        return DOMID_SELF;
    case 2:
    case 3:
    case 4:
        return doms[s % NR_DOMS] ? doms[s % NR_DOMS]->domain_id : 999;
    default:
        return s & 1 ? DOMID_INVALID : DOMID_IO;
    }
}

static uint64_t gfn_sel(void)
{
    static const uint64_t edges[] = {
        P2M_MAX_GFN, P2M_MAX_GFN + 1, ~0ULL, 1ULL << 40, 0x1ff, 0x200,
    };
    uint8_t s = fuzz_byte();

    if ( s < 0xf0 )
        return s % 64;          /* RAM, holes and the gfns above */
    return edges[s % ARRAY_SIZE(edges)];
}

static uint64_t addr_sel(uint64_t good)
{
    static const uint64_t bad[] = {
        0x40000, GUEST_PAGES * PAGE_SIZE - 8, ~0ULL - 3, 1ULL << 50,
    };
    uint8_t s = fuzz_byte();

    return s < 0xe0 ? good : bad[s % ARRAY_SIZE(bad)];
}

static struct domain *caller(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];

    return d;
}

static void guest_put(struct domain *d, uint64_t gaddr, const void *p,
                      size_t len)
{
    struct hypercall_regs saved = last;

    /* The guest writes its own memory (when it has RAM there). */
    (void)copy_to_guest(d->vcpu[0], gaddr, p, len);
    last = saved;
}

static void call(struct domain *d, uint64_t cmd, uint64_t arg)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_memory_op, .args = { cmd, arg },
    };
    unsigned int i;

    call_no++;
    for ( i = 0; i < MAX_RESTARTS; i++ )
    {
        last = r;
        hypercall_dispatch(d->vcpu[0], &r);
        last.ret = r.ret;
        if ( r.args[1] != arg )
            fail("a continuation rewrote the argument", d, r.args[1]);
        check_invariants();
        if ( !r.restart )
            return;
    }
    fail("a continuation that never ends", d, r.args[0]);
}

static void reservation(void)
{
    static const unsigned int ops[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation,
        XENMEM_populate_physmap,
    };
    struct domain *d = caller();
    unsigned int op = ops[fuzz_byte() % 3];
    struct xen_memory_reservation res = { .domid = domid_sel() };
    uint8_t o = fuzz_byte(), f = fuzz_byte();
    uint64_t gfns[16];
    unsigned int i, nr = fuzz_byte() % 17;

    res.nr_extents = nr;
    res.extent_order = o < 0xf0 ? o % 4 : (o & 1 ? 9 : 0xffffffffU);
    res.mem_flags = f < 0xc0 ? 0 : fuzz_bytes(4);
    for ( i = 0; i < nr; i++ )
        gfns[i] = gfn_sel();
    res.extent_start = addr_sel(LIST);
    if ( !d )
        return;
    guest_put(d, LIST, gfns, nr * sizeof(gfns[0]));
    guest_put(d, ARG, &res, sizeof(res));
    call(d, op, addr_sel(ARG));
}

static void add_to_physmap(void)
{
    struct domain *d = caller();
    struct xen_add_to_physmap x = { .domid = domid_sel() };

    x.space = fuzz_byte() % 6;
    x.idx = x.space == XENMAPSPACE_grant_table ?
            (fuzz_byte() % 8) | (fuzz_byte() & 1 ? XENMAPIDX_grant_table_status : 0) :
            gfn_sel();
    x.gpfn = gfn_sel();
    x.size = fuzz_byte() % 8;
    if ( !d )
        return;
    guest_put(d, ARG, &x, sizeof(x));
    call(d, XENMEM_add_to_physmap, addr_sel(ARG));
}

static void remove_from_physmap(void)
{
    struct domain *d = caller();
    struct xen_remove_from_physmap x = { .domid = domid_sel() };

    x.gpfn = gfn_sel();
    if ( !d )
        return;
    guest_put(d, ARG, &x, sizeof(x));
    call(d, XENMEM_remove_from_physmap, addr_sel(ARG));
}

static void any_op(void)
{
    struct domain *d = caller();
    uint64_t cmd = fuzz_byte() % 32;
    domid_t domid = domid_sel();
    struct xen_memory_map m = { .nr_entries = fuzz_byte() % 6 };

    if ( fuzz_byte() >= 0xf0 )
        cmd |= (uint64_t)fuzz_byte() << MEMOP_EXTENT_SHIFT;
    m.buffer = addr_sel(LIST);
    if ( !d )
        return;
    if ( (cmd & MEMOP_CMD_MASK) == XENMEM_memory_map )
        guest_put(d, ARG, &m, sizeof(m));
    else
        guest_put(d, ARG, &domid, sizeof(domid));
    call(d, cmd, addr_sel(ARG));
}

/* A grant mapping by someone else: a reference the harness holds. */
static void reference(void)
{
    uint8_t s = fuzz_byte();
    struct domain *d = doms[s % NR_DOMS];
    uint64_t gfn = fuzz_byte() % 64;
    struct p2m_entry e;

    if ( s & 0x80 )
    {
        if ( nr_held )
        {
            unsigned int i = fuzz_byte() % nr_held;

            put_page(held[i]);
            held[i] = held[--nr_held];
        }
    }
    else if ( d && nr_held < MAX_HELD )
    {
        p2m_get_entry(d, _gfn(gfn), &e);
        if ( p2m_is_ram(e.type) && get_page(mfn_to_page(e.mfn), d) )
            held[nr_held++] = mfn_to_page(e.mfn);
    }
    check_invariants();
}

static struct domain *make(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = MAX_PAGES,
    };
    static const struct memmap_entry map[2] = {
        { .addr = 0, .size = GUEST_PAGES * PAGE_SIZE, .type = MEMMAP_RAM },
        { .addr = 0xfc000000, .size = 0x4000000, .type = MEMMAP_RESERVED },
    };
    struct domain *d;

    if ( domain_create(&cfg, &d) )
        fail("domain_create failed", NULL, 0);
    if ( p2m_populate_ram(d, _gfn(0), GUEST_PAGES) )
        fail("p2m_populate_ram failed", d, 0);
    if ( domain_set_memory_map(d, map, 2) )
        fail("domain_set_memory_map failed", d, 0);
    return d;
}

static void destroy(unsigned int i)
{
    if ( !doms[i] )
        return;
    if ( domain_destroy(doms[i]) )
        fail("domain_destroy failed", doms[i], 0);
    doms[i] = NULL;
    check_invariants();
}

static void outside_event(void)
{
    uint8_t what = fuzz_byte(), a = fuzz_byte();

    if ( what & 1 )
    {
        unsigned int i = 1 + a % 2;

        destroy(i);
        if ( what & 2 )
            doms[i] = make(0);
    }
    else
        hypercall_set_budget(1 + a % 64);
    check_invariants();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct page_alloc_stats before, after;
    struct xmalloc_stats xbefore, xafter;
    unsigned int i;

    fuzz_machine_boot_once("warning");
    sim_console_clear();
    fuzz_input_start(data, size);
    call_no = 0;
    nr_held = 0;
    hypercall_set_budget(0);
    page_alloc_stats(&before);
    xmalloc_stats(&xbefore);

    doms[0] = make(ORR_CDF_privileged);
    doms[1] = make(0);
    doms[2] = make(0);
    check_invariants();

    while ( fuzz_input_left() )
    {
        switch ( fuzz_byte() % 6 )
        {
        case 0:
            reservation();
            break;
        case 1:
            add_to_physmap();
            break;
        case 2:
            remove_from_physmap();
            break;
        case 3:
            any_op();
            break;
        case 4:
            reference();
            break;
        default:
            outside_event();
            break;
        }
    }

    while ( nr_held )
        put_page(held[--nr_held]);
    check_invariants();
    for ( i = NR_DOMS; i-- > 0; )
        destroy(i);
    hypercall_set_budget(0);
    if ( domain_count() != 0 )
        fail("a destroyed domain is still referenced", NULL, 0);
    if ( domain_leaks() != 0 )
        fail("a domain was destroyed with a non-zero ledger", NULL, 0);
    if ( domheap_pages_in_use() != 0 )
        fail("domain pages outlive every domain", NULL,
             domheap_pages_in_use());
    page_alloc_stats(&after);
    if ( after.free_pages != before.free_pages )
        fail("pages not given back to the allocator", NULL,
             before.free_pages - after.free_pages);
    xmalloc_stats(&xafter);
    if ( xafter.objects != xbefore.objects )
        fail("xmalloc objects left over", NULL, xafter.objects);
    return 0;
}
