/* SPDX-License-Identifier: MIT */
/*
 * sim.grant-ring: a console-style split driver between two simulated
 * guests, everything through the hypercall entry path.
 *
 *   frontend (domU)                      backend (control domain)
 *   grants its ring page as ref 0  -->   maps ref 0 into a hole
 *   alloc_unbound for the backend  <--   bind_interdomain
 *   writes out[], notifies         -->   sees the event, reads out[]
 *   sees the event, reads in[]     <--   writes in[], notifies
 *   grants a data page             <--   grant copy of 4 KiB into it
 *
 * then the frontend is destroyed while the backend still has the ring
 * mapped: the backend keeps reading the page until it unmaps, gets
 * Xen's answers for the dead domain (GNTST_bad_domain, an unbound port),
 * and every ledger and the free page count come back to where they were.
 * Run once with each event-channel ABI (2-level, FIFO).
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/io/console.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define RAM_PAGES   16
#define ARG         0x0000ULL   /* hypercall arguments */
#define GFN_CONTROL 2           /* FIFO control block */
#define GFN_ARRAY   3           /* FIFO event array */
#define GFN_RING    4           /* the frontend's console ring */
#define GFN_DATA    5           /* the frontend's data page */
#define GFN_SCRATCH 6           /* the backend's own buffer */
#define GFN_MAP     0x100       /* where the backend maps the ring */

static struct domain *back, *front;
static unsigned int upcalls[2];     /* [0] backend, [1] frontend */

static void upcall(struct vcpu *v)
{
    upcalls[v->domain == front]++;
}

/* Guest memory at @gaddr as the guest's own accesses reach it: through
 * its p2m, grant mappings included. */
static void *mem(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(mfn_x(e.mfn) != mfn_x(INVALID_MFN));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

static int64_t hypercall(struct domain *d, unsigned int nr, unsigned int cmd,
                         void *arg, size_t size)
{
    struct hypercall_regs r = { .nr = nr, .args = { cmd, ARG, 1 } };

    if ( nr == __HYPERVISOR_event_channel_op )
        r.args[2] = 0;
    memcpy(mem(d, ARG), arg, size);
    hypercall_dispatch(d->vcpu[0], &r);
    CU_ASSERT_FALSE(r.restart);
    memcpy(arg, mem(d, ARG), size);
    return r.ret;
}

static int64_t evtchn_op(struct domain *d, unsigned int cmd, void *a,
                         size_t size)
{
    return hypercall(d, __HYPERVISOR_event_channel_op, cmd, a, size);
}

static int64_t gnttab_op(struct domain *d, unsigned int cmd, void *a,
                         size_t size)
{
    return hypercall(d, __HYPERVISOR_grant_table_op, cmd, a, size);
}

static struct domain *make(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = 32, .guest_type = ORR_GUEST_PVH,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), RAM_PAGES) == 0);
    return d;
}

static void use_fifo(struct domain *d)
{
    struct evtchn_init_control ic = {
        .control_gfn = GFN_CONTROL, .offset = 0, .vcpu = 0,
    };
    struct evtchn_expand_array ea = { .array_gfn = GFN_ARRAY };

    CU_ASSERT_EQUAL_FATAL(evtchn_op(d, EVTCHNOP_init_control, &ic,
                                    sizeof(ic)), 0);
    CU_ASSERT_EQUAL_FATAL(evtchn_op(d, EVTCHNOP_expand_array, &ea,
                                    sizeof(ea)), 0);
}

/* Is @port pending in @d, read the way the guest's handler reads it? */
static bool pending(struct domain *d, evtchn_port_t port, bool fifo)
{
    if ( fifo )
    {
        uint32_t *words = mem(d, GFN_ARRAY << PAGE_SHIFT);

        return words[port] & (1U << EVTCHN_FIFO_PENDING);
    }
    return d->shared_info->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

/* The guest's handler: consume the event. */
static void ack(struct domain *d, evtchn_port_t port, bool fifo)
{
    if ( fifo )
    {
        uint32_t *words = mem(d, GFN_ARRAY << PAGE_SHIFT);
        struct evtchn_fifo_control_block *cb =
            mem(d, GFN_CONTROL << PAGE_SHIFT);

        words[port] = 0;
        memset(cb, 0, sizeof(*cb));
        return;
    }
    d->shared_info->evtchn_pending[port / 64] &= ~(1ULL << (port % 64));
    d->shared_info->vcpu_info[0].evtchn_pending_sel = 0;
    d->shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
}

static void send(struct domain *d, evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    CU_ASSERT_EQUAL(evtchn_op(d, EVTCHNOP_send, &s, sizeof(s)), 0);
}

/* The frontend's grant-table frame 0, as it has it mapped. */
static struct grant_entry_v1 *front_entries(void)
{
    mfn_t mfn;

    CU_ASSERT_FATAL(gnttab_get_frame(front, 0, false, &mfn) == 0);
    return arch_mfn_to_virt(mfn);
}

static void run(bool fifo)
{
    static const char msg[] = "hello, backend\n";
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF };
    struct evtchn_bind_interdomain bi;
    struct evtchn_status st;
    struct gnttab_map_grant_ref map = {
        .host_addr = GFN_MAP << PAGE_SHIFT, .flags = GNTMAP_host_map,
        .ref = GNTTAB_RESERVED_CONSOLE,
    };
    struct gnttab_unmap_grant_ref unmap = {
        .host_addr = GFN_MAP << PAGE_SHIFT,
    };
    struct gnttab_copy copy = {
        .source = { .u.gmfn = GFN_SCRATCH, .domid = DOMID_SELF },
        .dest = { .u.ref = 9 }, .len = PAGE_SIZE,
        .flags = GNTCOPY_dest_gref,
    };
    struct xencons_interface *fring, *bring;
    struct page_alloc_stats before, after;
    unsigned int leaks = domain_leaks(), i;
    evtchn_port_t fport, bport;
    domid_t front_id;
    uint8_t *scratch;

    page_alloc_stats(&before);
    back = make(ORR_CDF_privileged);
    front = make(0);
    front_id = front->domain_id;
    if ( fifo )
    {
        use_fifo(back);
        use_fifo(front);
    }
    upcalls[0] = upcalls[1] = 0;

    /* Connect: a port, the ring grant, the backend's mapping. */
    au.remote_dom = back->domain_id;
    CU_ASSERT_EQUAL_FATAL(evtchn_op(front, EVTCHNOP_alloc_unbound, &au,
                                    sizeof(au)), 0);
    fport = au.port;
    bi = (struct evtchn_bind_interdomain){
        .remote_dom = front_id, .remote_port = fport,
    };
    CU_ASSERT_EQUAL_FATAL(evtchn_op(back, EVTCHNOP_bind_interdomain, &bi,
                                    sizeof(bi)), 0);
    bport = bi.local_port;
    front_entries()[GNTTAB_RESERVED_CONSOLE] = (struct grant_entry_v1){
        .flags = GTF_permit_access, .domid = back->domain_id,
        .frame = GFN_RING,
    };
    map.dom = front_id;
    CU_ASSERT_EQUAL(gnttab_op(back, GNTTABOP_map_grant_ref, &map,
                              sizeof(map)), 0);
    CU_ASSERT_EQUAL_FATAL(map.status, GNTST_okay);
    fring = mem(front, GFN_RING << PAGE_SHIFT);
    bring = mem(back, GFN_MAP << PAGE_SHIFT);
    CU_ASSERT_PTR_EQUAL(fring, bring);

    /* Frontend -> backend. */
    memcpy(fring->out, msg, sizeof(msg) - 1);
    fring->out_prod += sizeof(msg) - 1;
    send(front, fport);
    CU_ASSERT_TRUE(pending(back, bport, fifo));
    CU_ASSERT_EQUAL(upcalls[0], 1);
    ack(back, bport, fifo);
    CU_ASSERT_EQUAL(bring->out_prod - bring->out_cons, sizeof(msg) - 1);
    CU_ASSERT_EQUAL(memcmp(bring->out, msg, sizeof(msg) - 1), 0);
    bring->out_cons = bring->out_prod;

    /* Backend -> frontend. */
    memcpy(bring->in, "ack", 3);
    bring->in_prod += 3;
    send(back, bport);
    CU_ASSERT_TRUE(pending(front, fport, fifo));
    CU_ASSERT_EQUAL(upcalls[1], 1);
    ack(front, fport, fifo);
    CU_ASSERT_EQUAL(fring->in_prod, 3);
    CU_ASSERT_EQUAL(memcmp(fring->in, "ack", 3), 0);
    fring->in_cons = fring->in_prod;

    /* Bulk data by grant copy into the frontend's data page. */
    front_entries()[9] = (struct grant_entry_v1){
        .flags = GTF_permit_access, .domid = back->domain_id,
        .frame = GFN_DATA,
    };
    scratch = mem(back, GFN_SCRATCH << PAGE_SHIFT);
    for ( i = 0; i < PAGE_SIZE; i++ )
        scratch[i] = (uint8_t)(i * 13 + 1);
    copy.dest.domid = front_id;
    CU_ASSERT_EQUAL(gnttab_op(back, GNTTABOP_copy, &copy, sizeof(copy)), 0);
    CU_ASSERT_EQUAL(copy.status, GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(mem(front, GFN_DATA << PAGE_SHIFT), scratch,
                           PAGE_SIZE), 0);
    CU_ASSERT_EQUAL(front_entries()[9].flags, GTF_permit_access);
    CU_ASSERT_EQUAL(front_entries()[0].flags,
                    GTF_permit_access | GTF_reading | GTF_writing);

    /* The frontend dies with its ring mapped by the backend. */
    CU_ASSERT_EQUAL(domain_destroy(front), 0);
    front = NULL;
    CU_ASSERT_EQUAL(domain_leaks(), leaks);
    /* The ring page lives on for the backend, as it was. */
    CU_ASSERT_EQUAL(memcmp(bring->out, msg, sizeof(msg) - 1), 0);
    /* Xen's answers about the dead peer. */
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = bport };
    CU_ASSERT_EQUAL(evtchn_op(back, EVTCHNOP_status, &st, sizeof(st)), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    send(back, bport);          /* to nobody: dropped, not an error */
    map.status = 99;
    CU_ASSERT_EQUAL(gnttab_op(back, GNTTABOP_map_grant_ref, &map,
                              sizeof(map)), 0);
    CU_ASSERT_EQUAL(map.status, GNTST_bad_domain);
    CU_ASSERT_EQUAL(gnttab_op(back, GNTTABOP_copy, &copy, sizeof(copy)), 0);
    CU_ASSERT_EQUAL(copy.status, GNTST_bad_domain);
    /* The backend's own unmap works and lets the page go. */
    unmap.handle = 0;
    CU_ASSERT_EQUAL(gnttab_op(back, GNTTABOP_unmap_grant_ref, &unmap,
                              sizeof(unmap)), 0);
    CU_ASSERT_EQUAL(unmap.status, GNTST_okay);
    ORR_ASSERT_EQ_U64(ledger_read(back, LEDGER_MAPPINGS), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(back), 0);

    CU_ASSERT_EQUAL(domain_destroy(back), 0);
    back = NULL;
    CU_ASSERT_EQUAL(domain_leaks(), leaks);
    CU_ASSERT_EQUAL(domain_count(), 0);
    page_alloc_stats(&after);
    ORR_ASSERT_EQ_U64(after.free_pages, before.free_pages);
}

static void setup(void)
{
    static bool registered;

    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    if ( !registered )
    {
        evtchn_subsys_init();
        gnttab_subsys_init();
        registered = true;
    }
    else
    {
        evtchn_register_domain_hooks();
        gnttab_register_domain_hooks();
    }
    evtchn_set_upcall_hook(upcall);
}

static void teardown(void)
{
    evtchn_set_upcall_hook(NULL);
}

static void test_ring_2level(void)
{
    run(false);
}

static void test_ring_fifo(void)
{
    run(true);
}

static CU_TestInfo ring_tests[] = {
    ORR_CASE(test_ring_2level),
    ORR_CASE(test_ring_fifo),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("ring", setup, teardown, ring_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
