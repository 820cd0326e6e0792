/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing grant tables: sequences of grant operations with arbitrary
 * arguments from three simulated domains (d0 a control domain, u1 and u2
 * domUs), through hypercall_dispatch() as a guest's VMCALL reaches it,
 * with the grant invariants checked after every call.
 *
 * Input: one byte of set-up (guest types; v2 for some), then records
 * chosen by their first byte:
 *
 *   0  a guest writes one of its grant entries (v1 or v2 layout as its
 *      table is: type and flag bits, grantee, frame, sub-page window,
 *      transitive source)
 *   1  map_grant_ref: caller, granter, ref, where, GNTMAP flags
 *   2  unmap_grant_ref / unmap_and_replace: a handle given out earlier
 *      or an arbitrary one, the right or a wrong address
 *   3  copy: each side a gref or a frame, any domain, offsets, length
 *   4  a table-level subop with arbitrary fields (setup_table,
 *      query_size, set/get_version, get_status_frames, swap, dump,
 *      cache_flush), any cmd with a raw pointer and count, or a grant
 *      frame put into the guest's physmap (XENMEM_add_to_physmap)
 *   5  a domU is destroyed (mid-mapping), or the XSM policy changes
 *
 * Invariants (check() below): every active entry's pins match the
 * mappings that hold it plus nothing else (copies are over when the call
 * returns); an entry in use shows GTF_reading (and GTF_writing exactly
 * when a writable hold exists) where the guest looks for it; every
 * maptrack entry is in the mapper's p2m as a grant mapping of the frame
 * it holds, with a page reference, of a grant its granter made to that
 * very mapper; LEDGER_MAPPINGS equals the mappings made. At the end all
 * domains are destroyed and every page and xmalloc object is back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/sched.h>
#include <orrery/timer.h>
#include <orrery/xsm.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "fuzz_common.h"
#include "fuzz_grant.h"
#include "grant_private.h"

#define GUEST_PAGES 16
#define ARG         0x0000ULL   /* page 0: op structs; page 1: lists */
#define HOLE        0x100       /* mappings go at HOLE .. HOLE + 63 */
#define MAX_HANDLES 64
#define MAX_RESTARTS 64

struct domain *doms[NR_DOMS];
static unsigned int call_no;
static grant_handle_t handles[MAX_HANDLES];
static unsigned int nr_handles;

void fail(const char *what, const struct domain *d)
{
    fprintf(stderr, "grant fuzz: %s (d%d) after call %u\nconsole:\n%s\n",
            what, d ? (int)d->domain_id : -1, call_no, sim_console_text());
    abort();
}

static domid_t domid_pick(uint8_t b)
{
    static const domid_t odd[] = { DOMID_SELF, DOMID_INVALID, 0x7000, 0 };

    if ( b < 0xf0 )
        return doms[b % NR_DOMS] ? doms[b % NR_DOMS]->domain_id : 999;
    return odd[b % ARRAY_SIZE(odd)];
}

/* @d's memory at @gaddr as the guest writes it, or NULL where it has
 * no writable memory (its argument page may have been remapped). */
static void *guest(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    if ( !p2m_is_writable(e.type) )
        return NULL;
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

/* ---- Operations --------------------------------------------------------- */

static void call(struct domain *d, uint64_t cmd, uint64_t uop,
                 uint64_t count)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_grant_table_op, .args = { cmd, uop, count },
    };
    unsigned int i;

    call_no++;
    for ( i = 0; i < MAX_RESTARTS; i++ )
    {
        hypercall_dispatch(d->vcpu[0], &r);
        check();
        if ( !r.restart )
            break;
    }
}

/* One op struct written at ARG by the guest, then the call. */
static void call_one(struct domain *d, unsigned int cmd, const void *op,
                     size_t size)
{
    void *arg = guest(d, ARG);

    if ( !arg )
        return;
    memcpy(arg, op, size);
    call(d, cmd, ARG, 1);
}

static void write_entry(void)
{
    unsigned int di = fuzz_byte() % NR_DOMS;
    struct domain *d = doms[di];
    grant_ref_t ref = fuzz_byte() % 24;
    domid_t to = domid_pick(fuzz_byte());
    uint8_t fl = fuzz_byte();
    uint16_t flags = (fl & 3) | ((fl & 4) ? GTF_readonly : 0) |
                     ((fl & 8) ? GTF_sub_page : 0);
    uint64_t frame = (fl & 0x80) ? fuzz_bytes(4) : fuzz_byte() % (GUEST_PAGES + 2);
    uint16_t off = fuzz_bytes(2) % 4200, len = fuzz_bytes(2) % 4200;
    domid_t tdom = domid_pick(fuzz_byte());
    grant_ref_t tref = fuzz_byte() % 24;
    struct active_grant *act;
    mfn_t mfn;

    if ( !d || gnttab_get_frame(d, 0, false, &mfn) )
        return;
    /*
     * Rewriting an entry in use: in v1 the guest overwrites the in-use
     * bits themselves; in v2 a later switch to v1 drops a reserved entry
     * that is no longer a plain grant, bits and all (as Xen does).
     */
    act = gnt_active(d->grant_table, ref);
    if ( act->pin_rw || act->pin_ro )
        tainted[di][ref] = true;
    if ( gnttab_version(d) == 1 )
    {
        struct grant_entry_v1 *e = (struct grant_entry_v1 *)
                                   arch_mfn_to_virt(mfn) + ref;

        e->frame = (uint32_t)frame;
        e->domid = to;
        e->flags = flags & ~GTF_sub_page;
    }
    else
    {
        union grant_entry_v2 *e = (union grant_entry_v2 *)
                                  arch_mfn_to_virt(mfn) + ref;

        if ( (flags & GTF_type_mask) == GTF_transitive )
        {
            e->transitive.trans_domid = tdom;
            e->transitive.gref = tref;
        }
        else
        {
            e->sub_page.frame = frame;
            e->sub_page.page_off = off;
            e->sub_page.length = len;
        }
        e->hdr.domid = to;
        e->hdr.flags = flags;
    }
}

static void do_map(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];
    uint8_t fl = fuzz_byte();
    struct gnttab_map_grant_ref m = {
        .flags = GNTMAP_host_map | ((fl & 1) ? GNTMAP_readonly : 0),
    };

    /* One field at a time: the input is read in a fixed order. */
    m.dom = domid_pick(fuzz_byte());
    m.ref = fuzz_byte() % 26;
    m.host_addr = (uint64_t)(HOLE + fuzz_byte() % 64) << PAGE_SHIFT;

    if ( fl & 0x80 )
        m.flags = fuzz_bytes(4);     /* anything */
    if ( fl & 0x40 )
        m.host_addr = fuzz_bytes(8);
    if ( !d )
        return;
    call_one(d, GNTTABOP_map_grant_ref, &m, sizeof(m));
    if ( !guest(d, ARG) )
        return;
    m = *(struct gnttab_map_grant_ref *)guest(d, ARG);
    if ( m.status == GNTST_okay && nr_handles < MAX_HANDLES )
        handles[nr_handles++] = m.handle;
}

static void do_unmap(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];
    uint8_t how = fuzz_byte(), pick = fuzz_byte();
    grant_handle_t h = nr_handles ? handles[pick % nr_handles] : pick;
    uint64_t addr = (uint64_t)(HOLE + fuzz_byte() % 64) << PAGE_SHIFT;

    if ( how & 1 )
        h = fuzz_bytes(4);
    if ( how & 2 )
        addr = 0;
    if ( !d )
        return;
    if ( how & 4 )
    {
        struct gnttab_unmap_and_replace u = {
            .host_addr = addr, .handle = h,
            .new_addr = (how & 8) ? fuzz_bytes(8) : 0,
        };

        call_one(d, GNTTABOP_unmap_and_replace, &u, sizeof(u));
    }
    else
    {
        struct gnttab_unmap_grant_ref u = { .host_addr = addr, .handle = h };

        call_one(d, GNTTABOP_unmap_grant_ref, &u, sizeof(u));
    }
}

static void copy_ptr(struct gnttab_copy_ptr *p, bool *gref)
{
    uint8_t b = fuzz_byte();

    *gref = b & 1;
    p->domid = domid_pick(fuzz_byte());
    if ( *gref )
        p->u.ref = fuzz_byte() % 26;
    else
        p->u.gmfn = (b & 2) ? fuzz_bytes(8) : fuzz_byte() % (GUEST_PAGES + 2);
    if ( !*gref && (b & 4) )
        p->domid = DOMID_SELF;
    p->offset = fuzz_bytes(2) % 4200;
}

static void do_copy(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];
    struct gnttab_copy c[2];
    bool sg, dg;
    unsigned int n = 1 + fuzz_byte() % 2, i;

    memset(c, 0, sizeof(c));
    for ( i = 0; i < n; i++ )
    {
        copy_ptr(&c[i].source, &sg);
        copy_ptr(&c[i].dest, &dg);
        c[i].len = fuzz_bytes(2) % 4200;
        c[i].flags = (sg ? GNTCOPY_source_gref : 0) |
                     (dg ? GNTCOPY_dest_gref : 0);
    }
    if ( !d || !guest(d, ARG) )
        return;
    memcpy(guest(d, ARG), c, sizeof(c));
    call(d, GNTTABOP_copy, ARG, n);
}

static void do_table_op(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];
    uint8_t what = fuzz_byte();
    uint8_t raw[40];
    unsigned int i;

    for ( i = 0; i < sizeof(raw); i++ )
        raw[i] = fuzz_byte();
    if ( !d || !guest(d, ARG) )
        return;
    switch ( what % 8 )
    {
    case 0:
    {
        struct gnttab_set_version sv = { .version = raw[0] % 4 };

        call_one(d, GNTTABOP_set_version, &sv, sizeof(sv));
        break;
    }
    case 1:
    {
        struct gnttab_setup_table st = {
            .dom = domid_pick(raw[0]), .nr_frames = raw[1] % 70,
            .frame_list = (raw[2] & 1) ? 0x1000 : fuzz_bytes(8),
        };

        call_one(d, GNTTABOP_setup_table, &st, sizeof(st));
        break;
    }
    case 2:
    {
        struct gnttab_swap_grant_ref sw = {
            .ref_a = raw[0] % 26, .ref_b = raw[1] % 26,
        };

        call_one(d, GNTTABOP_swap_grant_ref, &sw, sizeof(sw));
        break;
    }
    case 3:
    {
        struct gnttab_get_status_frames gs = {
            .nr_frames = raw[0] % 4, .dom = domid_pick(raw[1]),
            .frame_list = 0x1000,
        };

        call_one(d, GNTTABOP_get_status_frames, &gs, sizeof(gs));
        break;
    }
    case 4:
    {
        /* A grant frame into the guest's physmap (memory_op asks
         * core/grant for it, growing the table): over RAM, a hole or a
         * mapping. */
        struct xen_add_to_physmap x = {
            .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
            .idx = (raw[0] % 70) |
                   ((raw[1] & 1) ? XENMAPIDX_grant_table_status : 0),
            /* Not over pages 0 and 1: op structs and frame lists
             * written there would be untracked writes to the entries. */
            .gpfn = (raw[1] & 2) ? HOLE + raw[2] % 64
                                 : 2 + raw[2] % (GUEST_PAGES + 2),
        };
        struct hypercall_regs r = {
            .nr = __HYPERVISOR_memory_op,
            .args = { XENMEM_add_to_physmap, ARG },
        };

        memcpy(guest(d, ARG), &x, sizeof(x));
        call_no++;
        hypercall_dispatch(d->vcpu[0], &r);
        check();
        break;
    }
    default:    /* any subop, raw struct, pointer and count */
        memcpy(guest(d, ARG), raw, sizeof(raw));
        call(d, raw[0] % 16, (raw[1] & 1) ? ARG : fuzz_bytes(8),
             (raw[2] & 1) ? raw[3] % 4 : fuzz_bytes(8));
        break;
    }
}

static struct domain *make(uint32_t flags, unsigned int type)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .guest_type = type,
        .max_vcpus = 1, .max_pages = 2 * GUEST_PAGES,
    };
    struct domain *d;

    if ( domain_create(&cfg, &d) )
        fail("domain_create failed", NULL);
    if ( p2m_populate_ram(d, _gfn(0), GUEST_PAGES) )
        fail("p2m_populate_ram failed", d);
    return d;
}

static void destroy(unsigned int i)
{
    if ( !doms[i] )
        return;
    if ( domain_destroy(doms[i]) )
        fail("domain_destroy failed", doms[i]);
    doms[i] = NULL;
    check();
}

static void outside_event(void)
{
    uint8_t b = fuzz_byte();

    if ( b & 1 )
        destroy(1 + (b >> 1) % 2);
    else
        xsm_set_policy((b & 2) ? "silo" : "dummy");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct page_alloc_stats before, after;
    struct xmalloc_stats xbefore, xafter;
    uint8_t setup;
    unsigned int i;

    fuzz_machine_boot_once("none");
    sim_console_clear();
    xsm_set_policy("dummy");
    page_alloc_stats(&before);
    xmalloc_stats(&xbefore);
    fuzz_input_start(data, size);
    call_no = 0;
    nr_handles = 0;
    memset(tainted, 0, sizeof(tainted));

    setup = fuzz_byte();
    doms[0] = make(ORR_CDF_privileged, ORR_GUEST_PVH);
    doms[1] = make(0, (setup & 1) ? ORR_GUEST_ARM : ORR_GUEST_PVH);
    doms[2] = make(0, (setup & 2) ? ORR_GUEST_ARM : ORR_GUEST_PVH);
    for ( i = 0; i < NR_DOMS; i++ )
        if ( setup & (4 << i) )
        {
            struct gnttab_set_version sv = { .version = 2 };

            call_one(doms[i], GNTTABOP_set_version, &sv, sizeof(sv));
        }
    check();

    while ( fuzz_input_left() )
    {
        switch ( fuzz_byte() % 6 )
        {
        case 0:
            write_entry();
            break;
        case 1:
            do_map();
            break;
        case 2:
            do_unmap();
            break;
        case 3:
            do_copy();
            break;
        case 4:
            do_table_op();
            break;
        default:
            outside_event();
            break;
        }
    }

    for ( i = NR_DOMS; i-- > 0; )
        destroy(i);
    xsm_set_policy("dummy");
    if ( domain_count() != 0 )
        fail("a destroyed domain is still referenced", NULL);
    if ( domain_leaks() != 0 )
        fail("a domain was destroyed with a non-zero ledger", NULL);
    if ( domheap_pages_in_use() != 0 )
        fail("domain pages outlive every domain", NULL);
    page_alloc_stats(&after);
    if ( after.free_pages != before.free_pages )
        fail("pages not given back to the allocator", NULL);
    xmalloc_stats(&xafter);
    if ( xafter.objects != xbefore.objects )
        fail("xmalloc objects left over", NULL);
    return 0;
}
