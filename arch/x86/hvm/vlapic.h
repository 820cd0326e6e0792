/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC: one per vCPU, xAPIC registers at 0xFEE00000
 * (MMIO through mmio.c) or x2APIC MSRs 0x800-0x8ff (Intel SDM vol. 3
 * ch. 11 "Advanced Programmable Interrupt Controller"; AMD APM vol. 2
 * ch. 16). Interrupts enter the IRR (timer, IPIs, the per-vCPU upcall
 * vector), the highest one above the processor priority is injected and
 * moves to the ISR, and an EOI retires it.
 */
#ifndef ARCH_X86_HVM_VLAPIC_H
#define ARCH_X86_HVM_VLAPIC_H

#include <orrery/domain.h>
#include <orrery/timer.h>
#include <asm/x86.h>

#define VLAPIC_BASE_DEFAULT 0xfee00000ULL
#define MSR_X2APIC_LAST     0x8ffu
#define MSR_TSC_DEADLINE    0x6e0u

/* Register offsets (SDM table 11-1); x2APIC MSR = 0x800 + offset / 16. */
#define APIC_ID       0x020
#define APIC_VER      0x030
#define APIC_TPR      0x080
#define APIC_APR      0x090
#define APIC_PPR      0x0a0
#define APIC_EOI      0x0b0
#define APIC_LDR      0x0d0
#define APIC_DFR      0x0e0
#define APIC_SVR      0x0f0
#define APIC_ISR      0x100
#define APIC_TMR      0x180
#define APIC_IRR      0x200
#define APIC_ESR      0x280
#define APIC_LVT_CMCI 0x2f0
#define APIC_ICR      0x300
#define APIC_ICR2     0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PMC  0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT    0x380
#define APIC_TMCCT    0x390
#define APIC_TDCR     0x3e0
#define APIC_SELF_IPI 0x3f0     /* x2APIC only */

#define APIC_LVT_MASKED   (1u << 16)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_TIMER_TSC_DEADLINE (2u << 17)
#define APIC_TIMER_MODE_MASK (3u << 17)
#define APIC_SVR_ENABLED  (1u << 8)

/* APIC_BASE MSR (0x1b): BSP 8, x2APIC enable 10, global enable 11. */
#define APIC_BASE_BSP   (1ull << 8)
#define APIC_BASE_EXTD  (1ull << 10)
#define APIC_BASE_EN    (1ull << 11)

struct vlapic {
    struct vcpu *v;
    uint32_t reg[64];           /* by offset / 16; IRR words atomic */
    uint64_t apic_base;         /* the APIC_BASE MSR */
    /* The timer: counting since timer_start for period_ns (initial
     * count x divisor, one bus cycle = 1 ns as in Xen); a one-shot that
     * fired reads 0. */
    struct timer timer;
    s_time_t timer_start;
    uint64_t period_ns;
    bool timer_running;
    uint64_t tsc_deadline;
    /* An INIT IPI took the vCPU down: reset at its next start. */
    bool init_pending;
};

#define VLAPIC_REG(vl, off) ((vl)->reg[(off) >> 4])

static inline bool vlapic_x2apic(const struct vlapic *vl)
{
    return vl->apic_base & APIC_BASE_EXTD;
}

/* x2APIC logical ID (SDM §11.12.10.2): cluster in 31:16, 1 << low 4 bits. */
static inline uint32_t vlapic_x2apic_ldr(uint32_t id)
{
    return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void vlapic_init(struct vlapic *vl, struct vcpu *v);
void vlapic_destroy(struct vlapic *vl);
/* Back to the power-on state (after an INIT), by the vCPU's own CPU. */
void vlapic_reset(struct vlapic *vl);
/* Boot: claim the xAPIC page in the MMIO registry. */
void vlapic_register_mmio(void);

/* Raise @vector in the IRR (any CPU) and wake/kick the vCPU. */
void vlapic_set_irq(struct vlapic *vl, unsigned int vector);
/* The highest IRR vector the processor priority lets through, or -1. */
int vlapic_pending_irq(const struct vlapic *vl);
/* @vector was injected: IRR -> ISR. */
void vlapic_ack_irq(struct vlapic *vl, unsigned int vector);

/* Register access by offset (4-byte), shared by MMIO and MSRs. */
uint32_t vlapic_read(struct vlapic *vl, unsigned int off);
void vlapic_write(struct vlapic *vl, unsigned int off, uint32_t val);
/* MSRs: APIC_BASE, TSC_DEADLINE and the x2APIC range; false: #GP. */
bool vlapic_msr_read(struct vlapic *vl, uint32_t msr, uint64_t *val);
bool vlapic_msr_write(struct vlapic *vl, uint32_t msr, uint64_t val);

/* Interrupts from the IOAPIC (vdev.c): raise @vector, remembering in the
 * TMR whether it is @level-triggered; at the EOI of a level-triggered
 * vector the hook (one, set at boot) hears of it (SDM §11.8.4-11.8.5).
 * vlapic_match_dest: does @vl accept an 8-bit @dest in that mode? */
void vlapic_deliver(struct vlapic *vl, unsigned int vector, bool level);
void vlapic_set_eoi_hook(void (*fn)(struct vcpu *v, unsigned int vector));
bool vlapic_match_dest(struct vlapic *vl, uint32_t dest, bool logical);

/* The timer (vlapic_timer.c). */
void vlapic_timer_write(struct vlapic *vl, unsigned int off, uint32_t val);
uint32_t vlapic_timer_count(const struct vlapic *vl);
void vlapic_timer_set_deadline(struct vlapic *vl, uint64_t tsc);
void vlapic_timer_fn(void *data);

/* Provided by the vendor code (svm/intr.c): @v's vLAPIC, and make @v's
 * pCPU leave the guest so it sees a new interrupt. */
struct vlapic *vcpu_vlapic(struct vcpu *v);
void vlapic_kick(struct vcpu *v);

#endif /* ARCH_X86_HVM_VLAPIC_H */
