/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC on sim: three vCPUs, each with its vLAPIC, driven through
 * the register, MMIO and MSR entry points the SVM code uses.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <sim/sim.h>

#include "mmio.h"
#include "orr_sim_heap.h"
#include "orr_test.h"
#include "vlapic.h"

#define NR 3

static struct domain *dom;
static struct vlapic vl[NR];
static unsigned int kicks[NR];
static bool mmio_registered;

/* ---- What the vendor code and vlapic_timer.c provide ------------------- */

struct vlapic *vcpu_vlapic(struct vcpu *v)
{
    return v->domain == dom ? &vl[v->vcpu_id] : NULL;
}

void vlapic_kick(struct vcpu *v)
{
    kicks[v->vcpu_id]++;
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

/* ---- Set-up ------------------------------------------------------------- */

static int setup(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_HVM,
        .max_vcpus = NR, .max_pages = 16,
    };

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    if ( domain_create(&cfg, &dom) )
        return -1;
    for ( unsigned int i = 0; i < NR; i++ )
    {
        vlapic_init(&vl[i], dom->vcpu[i]);
        vlapic_write(&vl[i], APIC_SVR, 0x1ff);
        kicks[i] = 0;
    }
    if ( !mmio_registered )
        vlapic_register_mmio();
    mmio_registered = true;
    return 0;
}

static int teardown(void)
{
    for ( unsigned int i = 0; i < NR; i++ )
        vlapic_destroy(&vl[i]);
    return domain_destroy(dom) || domain_leaks() ? -1 : 0;
}

static bool irr(unsigned int i, unsigned int vec)
{
    return (vlapic_read(&vl[i], APIC_IRR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

static void clear_all_irr(void)
{
    for ( unsigned int i = 0; i < NR; i++ )
        for ( int vec; (vec = vlapic_pending_irq(&vl[i])) >= 0; )
        {
            vlapic_ack_irq(&vl[i], (unsigned int)vec);
            vlapic_write(&vl[i], APIC_EOI, 0);
        }
}

/* ---- Tests -------------------------------------------------------------- */

static void test_reset_state(void)
{
    CU_ASSERT_EQUAL(vlapic_read(&vl[1], APIC_ID), 1u << 24);
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_VER) & 0xff, 0x14);
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_DFR), 0xffffffffu);
    CU_ASSERT(vlapic_read(&vl[0], APIC_LVT_LINT0) & APIC_LVT_MASKED);
    CU_ASSERT(vl[0].apic_base & APIC_BASE_BSP);
    CU_ASSERT(!(vl[1].apic_base & APIC_BASE_BSP));
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), -1);
}

static void test_priority_and_eoi(void)
{
    vlapic_set_irq(&vl[0], 0x45);
    vlapic_set_irq(&vl[0], 0x91);
    CU_ASSERT_EQUAL(kicks[0], 2);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), 0x91);
    vlapic_ack_irq(&vl[0], 0x91);
    /* 0x91 in service: PPR 0x90 holds 0x45 back. */
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_PPR), 0x90);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), -1);
    vlapic_write(&vl[0], APIC_EOI, 0);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), 0x45);
    /* TPR 0x4f: class 4 held; 0x50 raises PPR above it. */
    vlapic_write(&vl[0], APIC_TPR, 0x4f);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), -1);
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_PPR), 0x4f);
    vlapic_write(&vl[0], APIC_TPR, 0x3f);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), 0x45);
    /* Illegal vectors are dropped and logged in the ESR. */
    vlapic_set_irq(&vl[0], 7);
    CU_ASSERT(vlapic_read(&vl[0], APIC_ESR) & (1u << 6));
    vlapic_write(&vl[0], APIC_ESR, 0);
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_ESR), 0);
}

static void send(unsigned int from, uint32_t lo, uint32_t hi)
{
    vlapic_write(&vl[from], APIC_ICR2, hi);
    vlapic_write(&vl[from], APIC_ICR, lo);
}

static void test_ipi_xapic(void)
{
    /* Physical: ID 2 only. */
    send(0, 0x40, 2u << 24);
    CU_ASSERT(!irr(0, 0x40) && !irr(1, 0x40) && irr(2, 0x40));
    clear_all_irr();
    /* Broadcast 0xff, all-including-self, all-excluding-self. */
    send(1, 0x41, 0xffu << 24);
    CU_ASSERT(irr(0, 0x41) && irr(1, 0x41) && irr(2, 0x41));
    clear_all_irr();
    send(1, (2u << 18) | 0x42, 0);
    CU_ASSERT(irr(0, 0x42) && irr(1, 0x42) && irr(2, 0x42));
    clear_all_irr();
    send(1, (3u << 18) | 0x43, 0);
    CU_ASSERT(irr(0, 0x43) && !irr(1, 0x43) && irr(2, 0x43));
    clear_all_irr();
    send(1, (1u << 18) | 0x44, 0);
    CU_ASSERT(!irr(0, 0x44) && irr(1, 0x44) && !irr(2, 0x44));
    clear_all_irr();
    /* Logical flat: LDR bits; vCPUs 0 and 2 share bit 0x04's mask. */
    vlapic_write(&vl[0], APIC_LDR, 0x01u << 24);
    vlapic_write(&vl[1], APIC_LDR, 0x02u << 24);
    vlapic_write(&vl[2], APIC_LDR, 0x04u << 24);
    send(0, (1u << 11) | 0x45, 0x05u << 24);
    CU_ASSERT(irr(0, 0x45) && !irr(1, 0x45) && irr(2, 0x45));
    clear_all_irr();
    /* Logical cluster (DFR 0x0...): cluster 1, member bit 2. */
    for ( unsigned int i = 0; i < NR; i++ )
        vlapic_write(&vl[i], APIC_DFR, 0x0fffffffu);
    vlapic_write(&vl[1], APIC_LDR, 0x12u << 24);
    send(0, (1u << 11) | 0x46, 0x12u << 24);
    CU_ASSERT(!irr(0, 0x46) && irr(1, 0x46) && !irr(2, 0x46));
    clear_all_irr();
    /* Illegal vector: not sent, ESR send-illegal; NMI/INIT dropped. */
    send(0, 0x05, 1u << 24);
    CU_ASSERT(vlapic_read(&vl[0], APIC_ESR) & (1u << 5));
    send(0, (4u << 8) | 0x47, 1u << 24);
    send(0, (5u << 8) | 0x47, 1u << 24);
    CU_ASSERT(!irr(1, 0x47));
    /* The delivery-status bit reads idle. */
    CU_ASSERT(!(vlapic_read(&vl[0], APIC_ICR) & (1u << 12)));
}

/* Lowest priority reaches one target only: the lowest PPR among those
 * the destination names, the first vCPU on a tie (it was delivered to
 * every target before, like a multicast fixed IPI). */
static void test_ipi_lowest_priority(void)
{
    /* Equal footing: flat model, TPR 0, nothing in service. */
    for ( unsigned int i = 0; i < NR; i++ )
    {
        vlapic_write(&vl[i], APIC_DFR, 0xffffffffu);
        vlapic_write(&vl[i], APIC_TPR, 0);
        for ( unsigned int k = 0; k < 256; k++ )
            vlapic_write(&vl[i], APIC_EOI, 0);
    }
    vlapic_write(&vl[0], APIC_LDR, 0x01u << 24);
    vlapic_write(&vl[1], APIC_LDR, 0x02u << 24);
    vlapic_write(&vl[2], APIC_LDR, 0x04u << 24);
    clear_all_irr();
    /* vCPUs 0 and 2 named, equal priority: vCPU 0 only. */
    send(1, (1u << 11) | (1u << 8) | 0x48, 0x05u << 24);
    CU_ASSERT(irr(0, 0x48) && !irr(1, 0x48) && !irr(2, 0x48));
    clear_all_irr();
    /* vCPU 0 busier (TPR class 2): vCPU 2. */
    vlapic_write(&vl[0], APIC_TPR, 0x20);
    send(1, (1u << 11) | (1u << 8) | 0x49, 0x05u << 24);
    CU_ASSERT(!irr(0, 0x49) && !irr(1, 0x49) && irr(2, 0x49));
    clear_all_irr();
    /* All but self from vCPU 0, vCPU 2 busiest: vCPU 1. */
    vlapic_write(&vl[2], APIC_TPR, 0x30);
    send(0, (3u << 18) | (1u << 8) | 0x4a, 0);
    CU_ASSERT(!irr(0, 0x4a) && irr(1, 0x4a) && !irr(2, 0x4a));
    clear_all_irr();
    /* Physical: the one named. */
    send(0, (1u << 8) | 0x4b, 2u << 24);
    CU_ASSERT(!irr(0, 0x4b) && !irr(1, 0x4b) && irr(2, 0x4b));
    clear_all_irr();
    vlapic_write(&vl[0], APIC_TPR, 0);
    vlapic_write(&vl[2], APIC_TPR, 0);
}

static void test_mmio(void)
{
    struct vcpu *v = dom->vcpu[1];
    uint32_t val = 0;
    uint64_t w;

    CU_ASSERT(hvm_mmio_read(v, 0xfee00020, &val, 4));
    CU_ASSERT_EQUAL(val, 1u << 24);
    CU_ASSERT(!hvm_mmio_read(v, 0xfee01020, &val, 4));
    val = 0x30;
    CU_ASSERT(hvm_mmio_write(v, 0xfee00080, &val, 4));
    CU_ASSERT_EQUAL(vlapic_read(&vl[1], APIC_TPR), 0x30);
    /* A byte read sees its part of the dword; a byte write is dropped. */
    CU_ASSERT(hvm_mmio_read(v, 0xfee00023, &val, 1));
    CU_ASSERT_EQUAL(val & 0xff, 1);
    val = 0x77;
    CU_ASSERT(hvm_mmio_write(v, 0xfee00080, &val, 1));
    CU_ASSERT_EQUAL(vlapic_read(&vl[1], APIC_TPR), 0x30);
    /* x2APIC mode: the page is no longer the APIC's. */
    CU_ASSERT(vlapic_msr_read(&vl[1], 0x1b, &w));
    CU_ASSERT(vlapic_msr_write(&vl[1], 0x1b, w | APIC_BASE_EXTD));
    CU_ASSERT(!hvm_mmio_read(v, 0xfee00020, &val, 4));
    /* Globally disabled: nothing claimed, nothing delivered. */
    CU_ASSERT(vlapic_msr_write(&vl[2], 0x1b, 0xfee00000ULL));
    CU_ASSERT(!hvm_mmio_read(dom->vcpu[2], 0xfee00020, &val, 4));
    vlapic_set_irq(&vl[2], 0x80);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[2]), -1);
}

static void test_x2apic_msrs(void)
{
    uint64_t base, v;

    vlapic_init(&vl[2], dom->vcpu[2]);  /* test_mmio disabled it */
    CU_ASSERT(!vlapic_msr_read(&vl[2], 0x802, &v));     /* xAPIC mode */
    CU_ASSERT(vlapic_msr_read(&vl[2], 0x1b, &base));
    /* EXTD without EN, and a moved base: #GP. */
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x1b,
                                (base & ~APIC_BASE_EN) | APIC_BASE_EXTD));
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x1b, base + 0x1000));
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x1b, base ^ APIC_BASE_BSP));
    CU_ASSERT(vlapic_msr_write(&vl[2], 0x1b, base | APIC_BASE_EXTD));
    CU_ASSERT(vlapic_msr_read(&vl[2], 0x802, &v) && v == 2);
    /* x2APIC logical ID of 2: cluster 0, bit 2. */
    CU_ASSERT(vlapic_msr_read(&vl[2], 0x80d, &v) && v == 4);
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x80d, 1));     /* LDR read-only */
    CU_ASSERT(!vlapic_msr_read(&vl[2], 0x80e, &v));     /* no DFR */
    CU_ASSERT(!vlapic_msr_read(&vl[2], 0x831, &v));     /* no ICR2 */
    CU_ASSERT(!vlapic_msr_read(&vl[2], 0x80b, &v));     /* EOI write-only */
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x80b, 1));
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x808, 1ULL << 32));
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x83f, 0x100));
    /* x2APIC -> xAPIC without disabling first: #GP; disabling works. */
    CU_ASSERT(!vlapic_msr_write(&vl[2], 0x1b, base));
    CU_ASSERT(vlapic_msr_write(&vl[2], 0x1b, base & ~APIC_BASE_EN));
    CU_ASSERT(vlapic_msr_write(&vl[2], 0x1b, base));
    CU_ASSERT_EQUAL(vlapic_read(&vl[2], APIC_ID), 2u << 24);

    /* x2APIC IPIs: 32-bit physical IDs, logical clusters, SELF_IPI. */
    for ( unsigned int i = 0; i < NR; i++ )
    {
        CU_ASSERT(vlapic_msr_read(&vl[i], 0x1b, &base));
        CU_ASSERT(vlapic_msr_write(&vl[i], 0x1b, base | APIC_BASE_EXTD));
    }
    CU_ASSERT(vlapic_msr_write(&vl[0], 0x830, (1ULL << 32) | 0x50));
    CU_ASSERT(!irr(0, 0x50) && irr(1, 0x50) && !irr(2, 0x50));
    clear_all_irr();
    CU_ASSERT(vlapic_msr_write(&vl[0], 0x830, (0x100ULL << 32) | 0x51));
    CU_ASSERT(!irr(0, 0x51) && !irr(1, 0x51) && !irr(2, 0x51));
    CU_ASSERT(vlapic_msr_write(&vl[0], 0x830,
                               (0x6ULL << 32) | (1u << 11) | 0x52));
    CU_ASSERT(!irr(0, 0x52) && irr(1, 0x52) && irr(2, 0x52));
    clear_all_irr();
    CU_ASSERT(vlapic_msr_write(&vl[1], 0x83f, 0x53));
    CU_ASSERT(irr(1, 0x53) && !irr(0, 0x53));
    CU_ASSERT(vlapic_msr_write(&vl[1], 0x80b, 0));
    clear_all_irr();
    /* ICR reads back whole, destination in the high half. */
    CU_ASSERT(vlapic_msr_read(&vl[0], 0x830, &v));
    CU_ASSERT_EQUAL(v, (0x6ULL << 32) | (1u << 11) | 0x52);
}

static CU_TestInfo tests[] = {
    { "reset state", test_reset_state },
    { "priority, TPR, EOI, illegal vectors", test_priority_and_eoi },
    { "xAPIC IPI destinations", test_ipi_xapic },
    { "lowest-priority IPIs reach one vCPU", test_ipi_lowest_priority },
    { "xAPIC page through the MMIO registry", test_mmio },
    { "x2APIC MSRs and IPIs", test_x2apic_msrs },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "vlapic", setup, teardown, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
