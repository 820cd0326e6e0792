/* SPDX-License-Identifier: MIT */
/*
 * lapic: the virtual local APIC from inside a guest (Intel SDM vol. 3
 * ch. 11). xAPIC through the page at 0xFEE00000: ID, version, SVR,
 * self-IPIs held by IF and by TPR (PPR), priority order, an ISR that
 * holds back its class until EOI, the timer one-shot (with the current
 * count), periodic and masked. Then x2APIC through APIC_BASE: the MSRs
 * (ID, LDR, SELF_IPI, ICR, EOI), the xAPIC page gone, the TSC-deadline
 * timer, and #GP for every access the architecture refuses.
 */
#include <orrery/lib.h>
#include <public/xen.h>

#include "guest.h"
#include "idt.h"
#include "lapic.h"

const char test_title[] = "lapic: xAPIC, x2APIC, timer, EOI, TPR, self-IPI";

/* Short names for the registers (lapic.h) in the checks below. */
#define R(off)  APIC_REG(off)
#define X2(off) MSR_X2APIC(off)

#define MSR_TSC_DEADLINE 0x6e0

#define V_TIMER 0x31
#define V_LOW   0x41
#define V_MID   0x51
#define V_HIGH  0x61
#define V_NOEOI 0x71

static volatile unsigned int hits[256];
static volatile unsigned int order[8], norder;
static volatile bool in_service_seen;
static volatile bool x2mode, skip_eoi;
volatile unsigned int gp_count;     /* the #GP stub counts here */

/* ---- IDT ----------------------------------------------------------------- */

void lapic_interrupt(unsigned int vector);

IDT_IRQ_STUB(stub_0x31, 0x31, lapic_interrupt);
IDT_IRQ_STUB(stub_0x41, 0x41, lapic_interrupt);
IDT_IRQ_STUB(stub_0x51, 0x51, lapic_interrupt);
IDT_IRQ_STUB(stub_0x61, 0x61, lapic_interrupt);
IDT_IRQ_STUB(stub_0x71, 0x71, lapic_interrupt);
extern char stub_0x31[], stub_0x41[], stub_0x51[], stub_0x61[], stub_0x71[];

/* #GP from RDMSR/WRMSR (both 2 bytes, 0F 32 / 0F 30): count it and
 * step over the instruction. */
asm ( ".text\n"
      "stub_gp:\n"
      "  lock incl gp_count(%rip)\n"
      "  addq $2, 8(%rsp)\n"
      "  add $8, %rsp\n"                /* the error code */
      "  iretq\n" );
extern char stub_gp[];

static void load_idt(void)
{
    idt_set_gate(13, stub_gp);
    idt_set_gate(V_TIMER, stub_0x31);
    idt_set_gate(V_LOW, stub_0x41);
    idt_set_gate(V_MID, stub_0x51);
    idt_set_gate(V_HIGH, stub_0x61);
    idt_set_gate(V_NOEOI, stub_0x71);
    idt_load();
}

static uint64_t rdmsr_gp(uint32_t msr, bool *gp)
{
    unsigned int before = gp_count;
    uint32_t lo = 0, hi = 0;

    asm volatile ( "rdmsr" : "+a" (lo), "+d" (hi) : "c" (msr) : "memory" );
    *gp = gp_count != before;
    return ((uint64_t)hi << 32) | lo;
}

static bool wrmsr_gp(uint32_t msr, uint64_t val)
{
    unsigned int before = gp_count;

    asm volatile ( "wrmsr" :: "c" (msr), "a" ((uint32_t)val),
                   "d" ((uint32_t)(val >> 32)) : "memory" );
    return gp_count != before;
}

static void eoi(void)
{
    if ( x2mode )
        wrmsr_gp(X2(APIC_EOI), 0);
    else
        R(APIC_EOI) = 0;
}

static bool isr_bit(unsigned int vec)
{
    bool gp;

    if ( x2mode )
        return (rdmsr_gp(X2(APIC_ISR) + vec / 32, &gp) >> (vec % 32)) & 1;
    return (R(APIC_ISR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

static bool irr_bit(unsigned int vec)
{
    bool gp;

    if ( x2mode )
        return (rdmsr_gp(X2(APIC_IRR) + vec / 32, &gp) >> (vec % 32)) & 1;
    return (R(APIC_IRR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

void lapic_interrupt(unsigned int vector)
{
    hits[vector]++;
    if ( norder < ARRAY_SIZE(order) )
        order[norder++] = vector;
    in_service_seen = isr_bit(vector);
    if ( vector == V_NOEOI && skip_eoi )
        return;
    eoi();
}

/* ---- Helpers ------------------------------------------------------------ */

static void sti_window(void)
{
    asm volatile ( "sti; nop; nop; cli" ::: "memory" );
}

/* HLT until @vec has been taken @want times (a lost interrupt hangs and
 * the boot test times out). */
static void hlt_until(unsigned int vec, unsigned int want)
{
    while ( hits[vec] < want )
        asm volatile ( "sti; hlt; cli" ::: "memory" );
}

static void self_ipi(unsigned int vec)
{
    if ( x2mode )
        wrmsr_gp(X2(0x3f0), vec);
    else
        R(APIC_ICR) = (1u << 18) | vec;     /* shorthand self, fixed */
}

/* ---- xAPIC -------------------------------------------------------------- */

static void test_xapic_regs(void)
{
    bool gp;
    uint64_t base = rdmsr_gp(MSR_APIC_BASE, &gp);

    check(!gp && (base & ~0xfffULL) == 0xfee00000ULL && (base & (1 << 11)),
          "APIC_BASE %#llx", (unsigned long long)base);
    check(base & (1 << 8), "vCPU 0 is not the BSP");
    check(R(APIC_ID) == 0, "xAPIC ID %#x", R(APIC_ID));
    check((R(APIC_VER) & 0xff) == 0x14 && ((R(APIC_VER) >> 16) & 0xff) >= 4,
          "version %#x", R(APIC_VER));
    R(APIC_SVR) = 0x1ff;
    check(R(APIC_SVR) == 0x1ff, "SVR reads %#x", R(APIC_SVR));
    R(APIC_TPR) = 0;
    rdmsr_gp(X2(APIC_ID), &gp);
    check(gp, "an x2APIC MSR read in xAPIC mode did not #GP");
}

static void test_self_ipi_and_tpr(void)
{
    /* Held by IF = 0: pending in the IRR, taken at STI. */
    self_ipi(V_MID);
    check(hits[V_MID] == 0, "self-IPI taken with IF clear");
    check(irr_bit(V_MID), "self-IPI not in the IRR");
    sti_window();
    check(hits[V_MID] == 1, "self-IPI taken %u times at STI", hits[V_MID]);
    check(in_service_seen, "vector not in service in its handler");
    check(!isr_bit(V_MID) && !irr_bit(V_MID), "ISR/IRR not clear after EOI");

    /* TPR: class 5 blocks vector 0x51, not 0x61. */
    R(APIC_TPR) = 0x50;
    check(R(APIC_PPR) == 0x50, "PPR %#x with TPR 0x50", R(APIC_PPR));
    self_ipi(V_MID);
    sti_window();
    check(hits[V_MID] == 1, "TPR 0x50 did not hold back vector 0x51");
    self_ipi(V_HIGH);
    sti_window();
    check(hits[V_HIGH] == 1, "TPR 0x50 held back vector 0x61");
    R(APIC_TPR) = 0x40;
    sti_window();
    check(hits[V_MID] == 2, "lowering the TPR did not release 0x51");
    R(APIC_TPR) = 0;

    /* Two at once: the higher class first. */
    norder = 0;
    self_ipi(V_LOW);
    self_ipi(V_HIGH);
    sti_window();
    check(norder == 2 && order[0] == V_HIGH && order[1] == V_LOW,
          "order %u: %#x %#x", norder, order[0], order[1]);
}

static void test_eoi(void)
{
    skip_eoi = true;
    self_ipi(V_NOEOI);
    sti_window();
    check(hits[V_NOEOI] == 1, "first 0x71: %u", hits[V_NOEOI]);
    check(isr_bit(V_NOEOI), "0x71 not in service without EOI");
    check((R(APIC_PPR) & 0xf0) == 0x70, "PPR %#x with 0x71 in service",
          R(APIC_PPR));
    skip_eoi = false;
    self_ipi(V_NOEOI);
    sti_window();
    check(hits[V_NOEOI] == 1, "0x71 delivered again before EOI");
    eoi();
    sti_window();
    check(hits[V_NOEOI] == 2, "0x71 not delivered after EOI (%u)",
          hits[V_NOEOI]);
    check(!isr_bit(V_NOEOI), "0x71 still in service");
}

static void test_timer_xapic(void)
{
    uint64_t t0;
    uint32_t c1, c2;

    /*
     * The current count runs down: the longest count (4.3 s at divide by
     * 1), so that a vCPU descheduled between the reads on a busy host
     * still sees it running; TMICT = 0 stops it without an interrupt.
     */
    R(APIC_TDCR) = 0xb;
    R(APIC_LVTT) = V_TIMER;
    R(APIC_TMICT) = 0xffffffffu;
    c1 = R(APIC_TMCCT);
    spin_ns(100000);
    c2 = R(APIC_TMCCT);
    R(APIC_TMICT) = 0;
    check(c1 > 0 && c2 < c1 && c1 - c2 >= 90000,
          "current count %u then %u (0.1 ms apart)", c1, c2);
    check(R(APIC_TMCCT) == 0, "count %u after TMICT = 0", R(APIC_TMCCT));

    /* One-shot, divide by 1: 2,000,000 bus cycles = 2 ms. */
    t0 = now_ns();
    R(APIC_TMICT) = 2000000;
    hlt_until(V_TIMER, 1);
    check(now_ns() >= t0 + 2000000, "one-shot fired %llu ns early",
          (unsigned long long)(t0 + 2000000 - now_ns()));
    check(R(APIC_TMCCT) == 0, "count %u after a one-shot", R(APIC_TMCCT));
    asm volatile ( "sti" ::: "memory" );
    spin_ns(5000000);
    asm volatile ( "cli" ::: "memory" );
    check(hits[V_TIMER] == 1, "one-shot fired %u times", hits[V_TIMER]);

    /*
     * Periodic, divide by 2: 500,000 x 2 = 1 ms. Each period is due a
     * whole period after the last one was due, so the fifth comes no
     * sooner than 5 ms after the start (a late host may merge two in
     * the IRR, which only makes it later; the bound above is loose).
     */
    R(APIC_TDCR) = 0x0;
    R(APIC_LVTT) = V_TIMER | (1u << 17);
    t0 = now_ns();
    R(APIC_TMICT) = 500000;
    hlt_until(V_TIMER, 1 + 5);
    t0 = now_ns() - t0;
    R(APIC_TMICT) = 0;          /* stops it */
    check(t0 >= 5000000 && t0 < 500000000,
          "five 1 ms periods took %llu ns", (unsigned long long)t0);
    {
        unsigned int n = hits[V_TIMER];

        asm volatile ( "sti" ::: "memory" );
        spin_ns(3000000);
        asm volatile ( "cli" ::: "memory" );
        check(hits[V_TIMER] == n, "timer fired after TMICT = 0");
    }

    /* Masked: the count runs out, nothing is raised. */
    {
        unsigned int n = hits[V_TIMER];

        R(APIC_TDCR) = 0xb;
        R(APIC_LVTT) = V_TIMER | (1u << 16);
        R(APIC_TMICT) = 1000000;
        asm volatile ( "sti" ::: "memory" );
        spin_ns(3000000);
        asm volatile ( "cli" ::: "memory" );
        check(hits[V_TIMER] == n, "a masked timer raised its vector");
        check(!irr_bit(V_TIMER), "a masked timer set the IRR");
    }
}

/* ---- x2APIC ------------------------------------------------------------- */

static void test_x2apic(void)
{
    bool gp;
    uint64_t base = rdmsr_gp(MSR_APIC_BASE, &gp), v, t0, n0, tsc_per_ms;
    unsigned int n;

    check(!wrmsr_gp(MSR_APIC_BASE, base | (1 << 10)),
          "enabling x2APIC gave #GP");
    x2mode = true;
    v = rdmsr_gp(X2(APIC_ID), &gp);
    check(!gp && v == 0, "x2APIC ID %#llx (gp %d)", (unsigned long long)v,
          gp);
    v = rdmsr_gp(X2(0x0d0), &gp);
    check(!gp && v == 1, "x2APIC LDR %#llx", (unsigned long long)v);
    v = rdmsr_gp(X2(APIC_VER), &gp);
    check(!gp && (v & 0xff) == 0x14, "x2APIC version %#llx",
          (unsigned long long)v);
    check(R(APIC_VER) == 0xffffffffu,
          "the xAPIC page still answers in x2APIC mode");

    /* SELF_IPI and ICR (physical destination 0 = this vCPU). */
    self_ipi(V_MID);
    sti_window();
    check(hits[V_MID] == 3, "x2APIC SELF_IPI: %u", hits[V_MID]);
    check(!wrmsr_gp(X2(APIC_ICR), V_LOW), "ICR write gave #GP");
    sti_window();
    check(hits[V_LOW] == 2, "x2APIC ICR to ID 0: %u", hits[V_LOW]);
    check(!wrmsr_gp(X2(APIC_ICR), (5ULL << 32) | V_LOW),
          "ICR write gave #GP");
    sti_window();
    check(hits[V_LOW] == 2, "an IPI to absent APIC ID 5 arrived here");

    /* Refused accesses. */
    rdmsr_gp(X2(APIC_EOI), &gp);
    check(gp, "reading x2APIC EOI did not #GP");
    check(wrmsr_gp(X2(APIC_EOI), 1), "a non-zero x2APIC EOI did not #GP");
    check(wrmsr_gp(X2(APIC_ID), 3), "writing x2APIC ID did not #GP");
    rdmsr_gp(X2(0x0e0), &gp);
    check(gp, "reading DFR in x2APIC mode did not #GP");
    check(wrmsr_gp(X2(APIC_TPR), 1ULL << 32),
          "TPR with upper bits set did not #GP");
    check(wrmsr_gp(MSR_APIC_BASE, (base | (1 << 11)) & ~(1ULL << 10)),
          "x2APIC -> xAPIC directly did not #GP");
    check(wrmsr_gp(MSR_APIC_BASE, (base | (1 << 10)) + 0x1000),
          "moving the APIC base did not #GP");

    /* TSC-deadline: TSC rate from the pvclock over 1 ms. */
    t0 = rdtsc();
    n0 = now_ns();
    spin_ns(1000000);
    tsc_per_ms = (rdtsc() - t0) * 1000000 / (now_ns() - n0);
    n = hits[V_TIMER];
    check(!wrmsr_gp(X2(APIC_LVTT), V_TIMER | (2u << 17)),
          "LVT timer TSC-deadline mode gave #GP");
    n0 = now_ns();
    check(!wrmsr_gp(MSR_TSC_DEADLINE, rdtsc() + 2 * tsc_per_ms),
          "TSC_DEADLINE write gave #GP");
    check(rdmsr_gp(MSR_TSC_DEADLINE, &gp) != 0, "deadline reads 0 armed");
    hlt_until(V_TIMER, n + 1);
    check(now_ns() >= n0 + 1800000, "TSC deadline fired %llu ns after arming",
          (unsigned long long)(now_ns() - n0));
    check(rdmsr_gp(MSR_TSC_DEADLINE, &gp) == 0,
          "deadline does not read 0 after firing");
    asm volatile ( "sti" ::: "memory" );
    spin_ns(3000000);
    asm volatile ( "cli" ::: "memory" );
    check(hits[V_TIMER] == n + 1, "TSC deadline fired %u times",
          hits[V_TIMER] - n);
}

void test_main(const struct hvm_start_info *si)
{
    (void)si;
    load_idt();
    test_xapic_regs();
    test_self_ipi_and_tpr();
    test_eoi();
    test_timer_xapic();
    test_x2apic();
}
