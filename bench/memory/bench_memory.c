/* SPDX-License-Identifier: MIT */
/*
 * bench-memory: what a guest's memory costs to hand out and take back.
 *
 *   domheap_page        alloc_domheap_pages(d, 0) + free_domheap_pages:
 *                       ownership, ledger, zeroing and scrubbing
 *   buddy_page_zeroed   alloc_pages(0, MEMF_ZERO) + free_pages: the
 *                       buddy alone, zeroing once, for comparison
 *   populate_decrease   populate_physmap of 512 4 KiB extents, then
 *                       decrease_reservation of them, through
 *                       hypercall_dispatch(): per page, the round trip
 *   populate_2m         the same with one 2 MiB extent: per page
 *   get_put_page        a reference taken and dropped (a grant mapping's
 *                       share of the cost)
 *   add_shared_info     XENMEM_add_to_physmap of shared_info, moved
 *                       between two gfns each call
 *
 * Each case runs for at least MIN_NS of wall time; figures are printed
 * as `name: value unit`. Usage: bench-memory [min-milliseconds-per-case]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>
#include <public/memory.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"

#define RAM_PAGES 8
#define ARG       0x0100ULL
#define LIST      0x1000ULL     /* 512 gfns: one page */
#define POP_BASE  0x10000ULL    /* 2 MiB aligned */
#define EXTENTS   512

static uint64_t min_ns = 300 * 1000000ULL;
static struct domain *d;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-memory: %s failed\n", what);
    exit(1);
}

static void *mem(uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    if ( !p2m_is_ram(e.type) )
        die("guest memory lookup");
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

static int64_t memop(uint64_t cmd)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_memory_op, .args = { cmd, ARG },
    };

    do
        hypercall_dispatch(d->vcpu[0], &r);
    while ( r.restart );
    return r.ret;
}

static void reservation(unsigned int nr, unsigned int order)
{
    struct xen_memory_reservation res = {
        .extent_start = LIST, .nr_extents = nr, .extent_order = order,
        .domid = DOMID_SELF,
    };

    memcpy(mem(ARG), &res, sizeof(res));
}

typedef uint64_t (*round_fn)(void);      /* returns operations done */

/* Nanoseconds per operation over at least min_ns. */
static double measure(round_fn fn)
{
    uint64_t start, elapsed, ops = 0;

    fn();                               /* warm up */
    start = now_ns();
    do
    {
        ops += fn();
        elapsed = now_ns() - start;
    } while ( elapsed < min_ns );
    return (double)elapsed / (double)ops;
}

static uint64_t domheap_page(void)
{
    unsigned int i;

    for ( i = 0; i < 64; i++ )
    {
        struct page_info *pg = alloc_domheap_pages(d, 0, 0);

        if ( !pg )
            die("alloc_domheap_pages");
        free_domheap_pages(pg, 0);
    }
    return 64;
}

static uint64_t buddy_page_zeroed(void)
{
    unsigned int i;

    for ( i = 0; i < 64; i++ )
    {
        mfn_t m = alloc_pages(0, MEMF_ZERO);

        if ( mfn_x(m) == mfn_x(INVALID_MFN) )
            die("alloc_pages");
        free_pages(m, 0);
    }
    return 64;
}

static uint64_t populate_decrease(void)
{
    reservation(EXTENTS, 0);
    if ( memop(XENMEM_populate_physmap) != EXTENTS ||
         memop(XENMEM_decrease_reservation) != EXTENTS )
        die("populate/decrease of 4 KiB extents");
    return EXTENTS;
}

static uint64_t populate_2m(void)
{
    reservation(1, 9);
    if ( memop(XENMEM_populate_physmap) != 1 ||
         memop(XENMEM_decrease_reservation) != 1 )
        die("populate/decrease of a 2 MiB extent");
    return 512;
}

static uint64_t get_put_page(void)
{
    struct page_info *pg = mfn_to_page(arch_virt_to_mfn(mem(ARG)));
    unsigned int i;

    for ( i = 0; i < 1024; i++ )
    {
        if ( !get_page(pg, d) )
            die("get_page");
        put_page(pg);
    }
    return 1024;
}

static uint64_t add_shared_info(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
    };
    unsigned int i;

    for ( i = 0; i < 256; i++ )
    {
        x.gpfn = 0x100 + (i & 1);
        memcpy(mem(ARG), &x, sizeof(x));
        if ( memop(XENMEM_add_to_physmap) != 0 )
            die("add_to_physmap");
    }
    return 256;
}

static void setup(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = 4096,
    };
    uint64_t *gfns;
    unsigned int i;

    sim_init(1, 0);
    orr_sim_heap_init_once(128 << 20);
    console_set_loglvl("warning");
    xsm_set_policy("dummy");
    if ( domain_create(&cfg, &d) || p2m_populate_ram(d, _gfn(0), RAM_PAGES) )
        die("domain set-up");
    gfns = mem(LIST);
    for ( i = 0; i < EXTENTS; i++ )
        gfns[i] = POP_BASE + i;     /* the 2 MiB case uses the first */
}

int main(int argc, char **argv)
{
    double dh, bz;

    if ( argc > 1 )
        min_ns = strtoull(argv[1], NULL, 0) * 1000000ULL;
#ifdef BENCH_SANITIZED
    fprintf(stderr, "bench-memory: sanitized build: figures are not "
            "representative (make bench builds an -O2 tree)\n");
#endif
    setup();
    dh = measure(domheap_page);
    bz = measure(buddy_page_zeroed);
    printf("domheap_page: %.1f ns\n", dh);
    printf("buddy_page_zeroed: %.1f ns\n", bz);
    printf("domheap_vs_buddy: %.2f ratio\n", dh / bz);
    printf("populate_decrease: %.1f ns/page\n", measure(populate_decrease));
    printf("populate_2m: %.1f ns/page\n", measure(populate_2m));
    printf("get_put_page: %.1f ns\n", measure(get_put_page));
    printf("add_shared_info: %.1f ns\n", measure(add_shared_info));
    if ( domain_destroy(d) || domain_leaks() || domheap_pages_in_use() )
        die("teardown");
    return 0;
}
