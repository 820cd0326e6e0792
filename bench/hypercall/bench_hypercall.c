/* SPDX-License-Identifier: MIT */
/*
 * bench-hypercall: the cost of the hypercalls a split driver lives on,
 * each through hypercall_dispatch() from a simulated guest's vCPU, as a
 * guest would enter them:
 *
 *   evtchn_send          EVTCHNOP_send, then the guest's handler reads
 *                        and clears the pending bit (2-level ABI)
 *   grant_copy_4k        GNTTABOP_copy of a whole page into a grant
 *   grant_copy_4k_batch  the same, 16 copies per hypercall
 *   grant_copy_4k_batch64  64 copies per hypercall (netback's most)
 *   grant_map_unmap      GNTTABOP_map_grant_ref + unmap_grant_ref
 *   xen_version          XENVER_version, the cheapest hypercall
 *   memcpy_4k            plain memcpy of the same two pages
 *
 * and the bandwidth of a 4 KiB grant copy as a fraction of memcpy's
 * (target >= 0.8), for one copy per call and for batches. Each case runs
 * for at least MIN_NS of wall time. Figures count in the unsanitized -O2
 * tree of `make bench`; a sanitized tree builds it too and says so.
 *
 * Usage: bench-hypercall [min-milliseconds-per-case [case]]
 * (one case alone, by its name above, for a profiler: perf record ...)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/version.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"

#define RAM_PAGES 16
#define ARG       0x0000ULL
#define GFN_SRC   4
#define GFN_DST   5
#define GFN_HOLE  0x100
#define BATCH     16
#define BATCH_MAX 64            /* netback's batch: 64 ops of 40 bytes */

static uint64_t min_ns = 300 * 1000000ULL;
static struct domain *back, *front;
static evtchn_port_t bport;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void *mem(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

static void die(const char *what)
{
    fprintf(stderr, "bench-hypercall: %s failed\n", what);
    exit(1);
}

static int64_t call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1,
                    uint64_t a2)
{
    struct hypercall_regs r = { .nr = nr, .args = { a0, a1, a2 } };

    hypercall_dispatch(d->vcpu[0], &r);
    return r.ret;
}

static struct domain *make(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = 32, .guest_type = ORR_GUEST_PVH,
    };
    struct domain *d = NULL;

    if ( domain_create(&cfg, &d) || p2m_populate_ram(d, _gfn(0), RAM_PAGES) )
        die("domain_create");
    return d;
}

static void setup(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF };
    struct evtchn_bind_interdomain bi;
    struct grant_entry_v1 *e;
    mfn_t mfn;

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("none");
    xsm_set_policy("dummy");
    evtchn_register_domain_hooks();
    gnttab_register_domain_hooks();
    /* A budget that never preempts: every batch completes in one entry. */
    hypercall_set_budget(1U << 30);
    back = make(ORR_CDF_privileged);
    front = make(0);

    au.remote_dom = back->domain_id;
    if ( evtchn_alloc_unbound(front, &au) )
        die("alloc_unbound");
    bi = (struct evtchn_bind_interdomain){
        .remote_dom = front->domain_id, .remote_port = au.port,
    };
    if ( evtchn_bind_interdomain(back, &bi) )
        die("bind_interdomain");
    bport = au.port;            /* the frontend notifies the backend */

    /* The frontend grants its destination page to the backend. */
    if ( gnttab_get_frame(front, 0, false, &mfn) )
        die("gnttab_get_frame");
    e = arch_mfn_to_virt(mfn);
    e[8] = (struct grant_entry_v1){
        .flags = GTF_permit_access, .domid = back->domain_id,
        .frame = GFN_DST,
    };
    memset(mem(back, GFN_SRC << PAGE_SHIFT), 0x5a, PAGE_SIZE);
}

typedef void (*op_fn)(void);

/* Nanoseconds per call of @fn, after a warm-up. */
static double measure(op_fn fn, unsigned int per_round)
{
    uint64_t start, elapsed, n = 0;
    unsigned int i;

    for ( i = 0; i < 1000; i++ )
        fn();
    start = now_ns();
    do {
        for ( i = 0; i < 1000; i++ )
            fn();
        n += 1000ULL * per_round;
        elapsed = now_ns() - start;
    } while ( elapsed < min_ns );
    return (double)elapsed / (double)n;
}

static void op_evtchn_send(void)
{
    struct evtchn_send *s = mem(front, ARG);
    struct shared_info *si = back->shared_info;

    s->port = bport;
    if ( call(front, __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0) )
        die("send");
    /* The backend's handler: see the bit, clear it and the selectors. */
    if ( !(si->evtchn_pending[bport / 64] & (1ULL << (bport % 64))) )
        die("pending bit");
    si->evtchn_pending[bport / 64] = 0;
    si->vcpu_info[0].evtchn_pending_sel = 0;
    si->vcpu_info[0].evtchn_upcall_pending = 0;
}

static void fill_copies(unsigned int n)
{
    struct gnttab_copy *c = mem(back, ARG);
    unsigned int i;

    for ( i = 0; i < n; i++ )
        c[i] = (struct gnttab_copy){
            .source = { .u.gmfn = GFN_SRC, .domid = DOMID_SELF },
            .dest = { .u.ref = 8, .domid = front->domain_id },
            .len = PAGE_SIZE, .flags = GNTCOPY_dest_gref,
        };
}

static void op_grant_copy(void)
{
    if ( call(back, __HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG, 1) ||
         ((struct gnttab_copy *)mem(back, ARG))->status != GNTST_okay )
        die("grant copy");
}

static void op_grant_copy_batch(void)
{
    if ( call(back, __HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG,
              BATCH) )
        die("grant copy batch");
}

static void op_grant_copy_batch64(void)
{
    if ( call(back, __HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG,
              BATCH_MAX) )
        die("grant copy batch64");
}

static void op_map_unmap(void)
{
    struct gnttab_map_grant_ref *m = mem(back, ARG);
    struct gnttab_unmap_grant_ref *u = mem(back, ARG + 64);

    *m = (struct gnttab_map_grant_ref){
        .host_addr = GFN_HOLE << PAGE_SHIFT, .flags = GNTMAP_host_map,
        .ref = 8, .dom = front->domain_id,
    };
    if ( call(back, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
              ARG, 1) || m->status != GNTST_okay )
        die("map");
    *u = (struct gnttab_unmap_grant_ref){
        .host_addr = GFN_HOLE << PAGE_SHIFT, .handle = m->handle,
    };
    if ( call(back, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
              ARG + 64, 1) || u->status != GNTST_okay )
        die("unmap");
}

static void op_xen_version(void)
{
    if ( call(back, __HYPERVISOR_xen_version, XENVER_version, 0, 0) <= 0 )
        die("xen_version");
}

static uint8_t *memcpy_src, *memcpy_dst;

static void op_memcpy(void)
{
    memcpy(memcpy_dst, memcpy_src, PAGE_SIZE);
    /* Keep the copy: the compiler may not drop or merge it. */
    __asm__ volatile("" : : "r"(memcpy_dst) : "memory");
}

static const struct {
    const char *name;
    op_fn fn;
    unsigned int copies;        /* fill_copies() first */
    unsigned int per_call;
} cases[] = {
    { "evtchn_send", op_evtchn_send, 0, 1 },
    { "grant_copy_4k", op_grant_copy, 1, 1 },
    { "grant_copy_4k_batch", op_grant_copy_batch, BATCH, BATCH },
    { "grant_copy_4k_batch64", op_grant_copy_batch64, BATCH_MAX, BATCH_MAX },
    { "grant_map_unmap", op_map_unmap, 0, 1 },
    { "xen_version", op_xen_version, 0, 1 },
    { "memcpy_4k", op_memcpy, 0, 1 },
};

static int run_alone(const char *name)
{
    unsigned int i;

    for ( i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
        if ( !strcmp(cases[i].name, name) )
        {
            if ( cases[i].copies )
                fill_copies(cases[i].copies);
            printf("%s: %.1f ns/op\n", name,
                   measure(cases[i].fn, cases[i].per_call));
            return 0;
        }
    fprintf(stderr, "bench-hypercall: no case %s\n", name);
    return 2;
}

int main(int argc, char **argv)
{
    double send, copy, batch, batch64, map, ver, mc;
    unsigned int i;

    if ( argc > 1 )
        min_ns = strtoull(argv[1], NULL, 0) * 1000000ULL;
#ifdef BENCH_SANITIZED
    fprintf(stderr, "bench-hypercall: sanitized build, figures are not "
            "representative (make bench)\n");
#endif
    setup();
    memcpy_src = mem(back, GFN_SRC << PAGE_SHIFT);
    memcpy_dst = mem(front, GFN_DST << PAGE_SHIFT);
    if ( argc > 2 )
        return run_alone(argv[2]);

    send = measure(op_evtchn_send, 1);
    fill_copies(1);
    copy = measure(op_grant_copy, 1);
    fill_copies(BATCH);
    batch = measure(op_grant_copy_batch, BATCH);
    fill_copies(BATCH_MAX);
    batch64 = measure(op_grant_copy_batch64, BATCH_MAX);
    for ( i = 0; i < BATCH_MAX; i++ )
        if ( ((struct gnttab_copy *)mem(back, ARG))[i].status != GNTST_okay )
            die("grant copy batch64 status");
    map = measure(op_map_unmap, 1);
    ver = measure(op_xen_version, 1);
    mc = measure(op_memcpy, 1);
    if ( memcmp(memcpy_dst, memcpy_src, PAGE_SIZE) )
        die("copied data");

    printf("evtchn_send: %.1f ns/op\n", send);
    printf("grant_copy_4k: %.1f ns/op\n", copy);
    printf("grant_copy_4k_batch%u: %.1f ns/op\n", BATCH, batch);
    printf("grant_copy_4k_batch%u: %.1f ns/op\n", BATCH_MAX, batch64);
    printf("grant_map_unmap: %.1f ns/op\n", map);
    printf("xen_version: %.1f ns/op\n", ver);
    printf("memcpy_4k: %.1f ns/op\n", mc);
    printf("grant_copy_4k_vs_memcpy: %.2f ratio\n", mc / copy);
    printf("grant_copy_4k_batch%u_vs_memcpy: %.2f ratio\n", BATCH,
           mc / batch);
    printf("grant_copy_4k_batch%u_vs_memcpy: %.2f ratio\n", BATCH_MAX,
           mc / batch64);

    domain_destroy(front);
    domain_destroy(back);
    return domain_leaks() ? 1 : 0;
}
