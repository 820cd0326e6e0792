/* SPDX-License-Identifier: MIT */
/*
 * unit.hvmdev: the set-up every suite shares, the helpers, and the
 * device set's lifecycle -- created only for type=hvm, one page charged
 * to the ledger and given back at destroy (no leak), nothing claimed for
 * a PVH domain.
 */
#include <orrery/console.h>
#include <orrery/keyhandler.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>
#include <sim/sim.h>

#include "hvmdev_test.h"
#include "mmio.h"
#include "orr_sim_heap.h"
#include "portio.h"

/* 2026-11-22 21:34:56 UTC, a Sunday: the domain's wallclock at time 0. */
#define WC_SEC 1795383296u

struct domain *dom, *pvh;
struct hvm_vdev *hv;
struct vlapic vl[2];
static struct vlapic pvh_vl;

/* ---- What the vendor code and vlapic_timer.c provide ------------------- */

struct vlapic *vcpu_vlapic(struct vcpu *v)
{
    if ( v->domain == dom )
        return &vl[v->vcpu_id];
    return v->domain == pvh ? &pvh_vl : NULL;
}

void vlapic_kick(struct vcpu *v)
{
    (void)v;
}

void vlapic_timer_fn(void *data)
{
    (void)data;
}

void vlapic_timer_write(struct vlapic *l, unsigned int off, uint32_t val)
{
    l->reg[off >> 4] = val;
}

uint32_t vlapic_timer_count(const struct vlapic *l)
{
    (void)l;
    return 0;
}

void vlapic_timer_set_deadline(struct vlapic *l, uint64_t tsc)
{
    l->tsc_deadline = tsc;
}

/* ---- Helpers ------------------------------------------------------------ */

void port_out(uint16_t port, uint8_t val)
{
    CU_ASSERT(hvm_portio_write(dom->vcpu[0], port, 1, val));
}

uint8_t port_in(uint16_t port)
{
    uint32_t v = 0;

    CU_ASSERT(hvm_portio_read(dom->vcpu[0], port, 1, &v));
    return (uint8_t)v;
}

uint32_t ioapic_read(unsigned int reg)
{
    uint32_t sel = reg, v = 0;

    CU_ASSERT(hvm_mmio_write(dom->vcpu[0], VIOAPIC_BASE, &sel, 4));
    CU_ASSERT(hvm_mmio_read(dom->vcpu[0], VIOAPIC_BASE + 0x10, &v, 4));
    return v;
}

void ioapic_write(unsigned int reg, uint32_t val)
{
    uint32_t sel = reg;

    CU_ASSERT(hvm_mmio_write(dom->vcpu[0], VIOAPIC_BASE, &sel, 4));
    CU_ASSERT(hvm_mmio_write(dom->vcpu[0], VIOAPIC_BASE + 0x10, &val, 4));
}

void isa_irq(unsigned int irq, bool level)
{
    unsigned long flags;

    spin_lock_irqsave(&hv->lock, flags);
    hvm_isa_irq_set(hv, irq, level);
    spin_unlock_irqrestore(&hv->lock, flags);
}

void advance(s_time_t ns)
{
    for ( s_time_t done = 0; done < ns; done += MICROSECS(50) )
    {
        sim_advance(MIN(MICROSECS(50), ns - done));
        sim_deliver_ipis();
        do_softirq();
    }
}

unsigned int drain(unsigned int i, unsigned int vec)
{
    unsigned int n = 0;

    for ( int v; (v = vlapic_pending_irq(&vl[i])) >= 0; )
    {
        vlapic_ack_irq(&vl[i], (unsigned int)v);
        vlapic_write(&vl[i], APIC_EOI, 0);
        n += (unsigned int)v == vec;
    }
    return n;
}

void pic_init(void)
{
    port_out(0x20, 0x11); port_out(0x21, 0x20); port_out(0x21, 0x04); port_out(0x21, 0x01);
    port_out(0xa0, 0x11); port_out(0xa1, 0x28); port_out(0xa1, 0x02); port_out(0xa1, 0x01);
    port_out(0x21, 0xff);
    port_out(0xa1, 0xff);
}

/* ---- Set-up ------------------------------------------------------------- */

static int suite_init(void)
{
    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    timer_init();
    domain_reset_hooks();
    hvm_portio_reset();
    /* HVM params live in core/hypercall's per-domain state. */
    return vcpu_ops_register() || hvm_vdev_init() ? -1 : 0;
}

static int make(unsigned int type, unsigned int nr, struct domain **d)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = type,
        .max_vcpus = nr, .max_pages = 16,
    };

    return domain_create(&cfg, d);
}

static void setup(void)
{
    CU_ASSERT_FATAL(!make(ORR_GUEST_HVM, 2, &dom));
    CU_ASSERT_FATAL(!make(ORR_GUEST_PVH, 1, &pvh));
    dom->shared_info->wc_sec = WC_SEC;
    for ( unsigned int i = 0; i < 2; i++ )
    {
        vlapic_init(&vl[i], dom->vcpu[i]);
        vlapic_write(&vl[i], APIC_SVR, 0x1ff);
    }
    vlapic_init(&pvh_vl, pvh->vcpu[0]);
    CU_ASSERT_FATAL(!hvm_vdev_create(dom));
    hv = hvm_vdev(dom);
}

static void teardown(void)
{
    for ( unsigned int i = 0; i < 2; i++ )
        vlapic_destroy(&vl[i]);
    vlapic_destroy(&pvh_vl);
    CU_ASSERT(!domain_destroy(dom));
    CU_ASSERT(!domain_destroy(pvh));
    CU_ASSERT_EQUAL(domain_leaks(), 0);
}

/* ---- Lifecycle ---------------------------------------------------------- */

static void test_lifecycle(void)
{
    struct page_alloc_stats before, after;
    struct domain *d;

    /* The device page is charged to the domain's ledger ... */
    CU_ASSERT_PTR_NOT_NULL(hv);
    CU_ASSERT_EQUAL(ledger_read(dom, LEDGER_XEN_PAGES),
                    ledger_read(pvh, LEDGER_XEN_PAGES) + 1);
    CU_ASSERT_PTR_NULL(hvm_vdev(pvh));
    /* ... given back by hvm_vdev_destroy (the second round: the first
     * may grow the timer heap, which keeps its size) ... */
    CU_ASSERT_FATAL(!make(ORR_GUEST_HVM, 1, &d));
    for ( unsigned int round = 0; round < 2; round++ )
    {
        page_alloc_stats(&before);
        CU_ASSERT_FATAL(!hvm_vdev_create(d));
        CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x43, 1, 0x34));
        CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x40, 1, 0x00));
        CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x40, 1, 0x01));
        CU_ASSERT(timer_is_active(&hvm_vdev(d)->pit.timer));
        hvm_vdev_destroy(d);
        CU_ASSERT_PTR_NULL(hvm_vdev(d));
        page_alloc_stats(&after);
    }
    CU_ASSERT_EQUAL(before.free_pages, after.free_pages);
    /* ... and by the domain's teardown: the ledger ends at zero (a
     * domain destroyed with a non-zero ledger counts as a leak), and no
     * timer is left to fire. */
    CU_ASSERT_FATAL(!hvm_vdev_create(d));
    CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x43, 1, 0x34));
    CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x40, 1, 0x00));
    CU_ASSERT(hvm_portio_write(d->vcpu[0], 0x40, 1, 0x01));
    CU_ASSERT(!domain_destroy(d));
    CU_ASSERT_EQUAL(domain_leaks(), 0);
    advance(MILLISECS(2));
}

/* PVH has exactly the vLAPIC (xen-abi-facts §1.4): no port or IOAPIC
 * access of its is claimed, so the exit handlers give all ones. */
static void test_pvh_unclaimed(void)
{
    static const uint16_t ports[] = {
        0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x41, 0x42, 0x43,
        0x61, 0x70, 0x71,
    };
    struct vcpu *pv = pvh->vcpu[0];
    uint32_t v;

    for ( unsigned int i = 0; i < ARRAY_SIZE(ports); i++ )
    {
        CU_ASSERT(!hvm_portio_read(pv, ports[i], 1, &v));
        CU_ASSERT(!hvm_portio_write(pv, ports[i], 1, 0));
        CU_ASSERT(hvm_portio_read(dom->vcpu[0], ports[i], 1, &v));
    }
    CU_ASSERT(!hvm_mmio_read(pv, VIOAPIC_BASE, &v, 4));
    CU_ASSERT(!hvm_mmio_write(pv, VIOAPIC_BASE + 0x10, &v, 4));
    /* A wide access straddling a claimed and an unclaimed port: the
     * unclaimed byte floats high. */
    CU_ASSERT(hvm_portio_read(dom->vcpu[0], 0x43, 2, &v));
    CU_ASSERT_EQUAL(v >> 8, 0xff);
    CU_ASSERT(!hvm_portio_read(dom->vcpu[0], 0x3f0, 4, &v));
    CU_ASSERT_EQUAL(v, 0xffffffffu);
}

/* Debug key 'I': the HVM domain's devices, not the PVH one's. */
static void test_debug_key(void)
{
    const char *first;

    port_out(0x21, 0xfe);
    ioapic_write(0x10 + 2 * 4, 0x44);
    sim_console_clear();
    handle_keypress('I');
    ORR_ASSERT_CONTAINS(sim_console_text(), "PIC master: IRR 00 ISR 00 IMR fe");
    ORR_ASSERT_CONTAINS(sim_console_text(), "pin  4: 0000000000000044");
    ORR_ASSERT_CONTAINS(sim_console_text(), "RTC: A 26 B 02");
    /* One device set: the PVH domain has none to dump. */
    first = strstr(sim_console_text(), "PIC master");
    CU_ASSERT_FATAL(first != NULL);
    CU_ASSERT_PTR_NULL(strstr(first + 1, "PIC master"));
}

/* ---- The port registry: wrap-around, duplicates, a full table ---------- */

static unsigned int wrap_writes;

static bool wrap_claims(struct vcpu *v, uint16_t port)
{
    return v->domain == dom && (port == 0xffff || port == 0x0000);
}

static uint8_t wrap_read(struct vcpu *v, uint16_t port)
{
    (void)v;
    return port ? 0x11 : 0x22;
}

static void wrap_write(struct vcpu *v, uint16_t port, uint8_t val)
{
    (void)v;
    wrap_writes += port == 0 && val == 0xbb;
}

static bool none_claims(struct vcpu *v, uint16_t port)
{
    (void)v; (void)port;
    return false;
}

static const struct hvm_portio_ops wrap_ops = {
    .claims = wrap_claims, .read = wrap_read, .write = wrap_write,
};
static const struct hvm_portio_ops filler[8] = {
    [0 ... 7] = { .claims = none_claims, .read = wrap_read,
                  .write = wrap_write },
};

/* Last in its suite: it fills the table (the next suite starts anew). */
static void test_portio_registry(void)
{
    unsigned int n = 0;
    uint32_t v;

    CU_ASSERT(hvm_portio_register(&wrap_ops));
    CU_ASSERT(hvm_portio_register(&wrap_ops));      /* once only */
    /* A word at 0xFFFF wraps to port 0, as the 16-bit port address does. */
    CU_ASSERT(hvm_portio_read(dom->vcpu[0], 0xffff, 2, &v));
    CU_ASSERT_EQUAL(v, 0x2211);
    CU_ASSERT(hvm_portio_write(dom->vcpu[0], 0xffff, 2, 0xbbaa));
    CU_ASSERT_EQUAL(wrap_writes, 1);
    /* Not the neighbour's: the PVH domain's access is unclaimed. */
    CU_ASSERT(!hvm_portio_read(pvh->vcpu[0], 0xffff, 1, &v));
    CU_ASSERT_EQUAL(v, 0xff);
    /* Eight slots: PIC, PIT, RTC, this one and four more. */
    while ( n < 8 && hvm_portio_register(&filler[n]) )
        n++;
    CU_ASSERT_EQUAL(n, 4);
}

static CU_TestInfo life_tests[] = {
    ORR_CASE(test_lifecycle),
    ORR_CASE(test_pvh_unclaimed),
    ORR_CASE(test_debug_key),
    ORR_CASE(test_portio_registry),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "lifecycle", suite_init, NULL, setup, teardown, life_tests },
    { "vpic", suite_init, NULL, setup, teardown, vpic_tests },
    { "vioapic", suite_init, NULL, setup, teardown, vioapic_tests },
    { "vpit", suite_init, NULL, setup, teardown, vpit_tests },
    { "vrtc", suite_init, NULL, setup, teardown, vrtc_tests },
    { "callback", suite_init, NULL, setup, teardown, callback_tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
