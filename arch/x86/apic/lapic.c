/* SPDX-License-Identifier: MIT */
/*
 * Local APIC in xAPIC (MMIO) or x2APIC (MSR) mode; Intel SDM vol. 3
 * ch. 11, AMD APM vol. 2 ch. 16. x2APIC is used when CPUID.1:ECX[21]
 * offers it. In x2APIC mode register offset R is MSR 0x800 + R/16 and the
 * ICR is one 64-bit MSR with the destination in bits 63:32.
 */
#include <orrery/console.h>
#include <orrery/platform.h>
#include <asm/x86.h>

#include "apic.h"

#define APIC_ID     0x020
#define APIC_TPR    0x080
#define APIC_EOI    0x0b0
#define APIC_SVR    0x0f0
#define APIC_ESR    0x280
#define APIC_ICR    0x300
#define APIC_ICR2   0x310
#define APIC_LVTT   0x320
#define APIC_LINT0  0x350
#define APIC_LINT1  0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT  0x380
#define APIC_TMCCT  0x390
#define APIC_TDCR   0x3e0

#define APIC_BASE_EXTD   (1u << 10)
#define APIC_BASE_ENABLE (1u << 11)
#define SVR_ENABLE       (1u << 8)
#define LVT_MASKED       (1u << 16)
#define ICR_BUSY         (1u << 12)
#define ICR_ASSERT       (1u << 14)
#define ICR_LEVEL        (1u << 15)
#define ICR_INIT         (5u << 8)
#define ICR_STARTUP      (6u << 8)
#define ICR_NMI          (4u << 8)
#define ICR_ALL_BUT_SELF (3u << 18)
#define TDCR_DIV_16      0x3

static bool x2apic;
static volatile uint32_t *xapic_mmio;

bool lapic_is_x2apic(void)
{
    return x2apic;
}

static uint32_t apic_read(unsigned int reg)
{
    if ( x2apic )
        return (uint32_t)rdmsr(MSR_X2APIC_FIRST + (reg >> 4));
    return xapic_mmio[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    if ( x2apic )
        wrmsr(MSR_X2APIC_FIRST + (reg >> 4), v);
    else
        xapic_mmio[reg / 4] = v;
}

static void apic_write_icr(uint32_t dest, uint32_t low)
{
    if ( x2apic )
    {
        wrmsr(MSR_X2APIC_FIRST + (APIC_ICR >> 4), ((uint64_t)dest << 32) | low);
        return;
    }
    while ( apic_read(APIC_ICR) & ICR_BUSY )
        arch_cpu_relax();
    apic_write(APIC_ICR2, dest << 24);
    apic_write(APIC_ICR, low);
}

uint32_t lapic_id(void)
{
    return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void lapic_init(void)
{
    uint32_t a, b, c, d;
    uint64_t base = rdmsr(MSR_APIC_BASE);

    cpuid(1, 0, &a, &b, &c, &d);
    x2apic = c & (1u << 21);
    base |= APIC_BASE_ENABLE;
    if ( x2apic )
        base |= APIC_BASE_EXTD;
    wrmsr(MSR_APIC_BASE, base);
    /* The xAPIC page is mapped uncached in the direct map (mm/paging.c). */
    xapic_mmio = (volatile uint32_t *)(DIRECTMAP_BASE +
                                        (base & 0xffffff000ull));

    apic_write(APIC_TPR, 0);
    apic_write(APIC_LINT0, LVT_MASKED);
    apic_write(APIC_LINT1, LVT_MASKED);
    apic_write(APIC_LVTERR, VEC_APIC_ERROR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_LVTT, LVT_MASKED | VEC_TIMER);
    apic_write(APIC_TDCR, TDCR_DIV_16);
    apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    lapic_eoi();
}

void lapic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    apic_write_icr(apic_id, vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
    apic_write_icr(apic_id, ICR_NMI | ICR_ASSERT);
}

void lapic_send_nmi_allbutself(void)
{
    apic_write_icr(0, ICR_ALL_BUT_SELF | ICR_NMI | ICR_ASSERT);
}

/*
 * INIT, then two STARTUP IPIs whose vector is the trampoline's page
 * number (Intel SDM vol. 3 §9.4.4.1, "Typical AP Initialization").
 */
void lapic_send_init_sipi(uint32_t apic_id, paddr_t trampoline)
{
    apic_write_icr(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
    udelay(10000);
    for ( int i = 0; i < 2; i++ )
    {
        apic_write_icr(apic_id, ICR_STARTUP | (uint32_t)(trampoline >> 12));
        udelay(200);
    }
}

void lapic_timer_oneshot(uint32_t count)
{
    apic_write(APIC_LVTT, VEC_TIMER);       /* unmasked, one-shot mode */
    apic_write(APIC_TMICT, count);          /* 0 stops the timer */
}

uint32_t lapic_timer_current(void)
{
    return apic_read(APIC_TMCCT);
}
