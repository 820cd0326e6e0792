/* SPDX-License-Identifier: MIT */
/*
 * The local APIC as a test kernel reaches it: xAPIC registers in the
 * 4 KiB MMIO page at 0xFEE00000, or in x2APIC mode the MSRs 0x800 +
 * offset / 16 (Intel SDM vol. 3 §11.4.1 Table 11-1, §11.12.1.2).
 */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include <orrery/types.h>

#define APIC_MMIO_BASE 0xfee00000UL
#define APIC_REG(off)  (((volatile uint32_t *)APIC_MMIO_BASE)[(off) / 4])
#define MSR_X2APIC(off) (0x800 + (off) / 16)

#define APIC_ID    0x020
#define APIC_VER   0x030
#define APIC_TPR   0x080
#define APIC_PPR   0x0a0
#define APIC_EOI   0x0b0
#define APIC_SVR   0x0f0
#define APIC_ISR   0x100
#define APIC_IRR   0x200
#define APIC_ICR   0x300
#define APIC_ICR2  0x310
#define APIC_LVTT  0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR  0x3e0

#define MSR_APIC_BASE  0x1b
#define APIC_BASE_EXTD (1ull << 10)     /* x2APIC mode */

/* EOI in xAPIC mode (the per-vCPU upcall vector needs one, xen-abi-facts
 * §1.5). */
static inline void xapic_eoi(void)
{
    APIC_REG(APIC_EOI) = 0;
}

#endif /* GUEST_LAPIC_H */
