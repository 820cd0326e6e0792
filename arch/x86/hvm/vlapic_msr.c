/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC's MSRs: APIC_BASE (0x1b) with the xAPIC/x2APIC mode
 * switch, TSC_DEADLINE (0x6e0) and the x2APIC registers 0x800-0x8ff
 * (Intel SDM vol. 3 §11.12: MSR = 0x800 + xAPIC offset / 16, ICR one
 * 64-bit MSR, EOI and SELF_IPI write-only, DFR and ICR2 gone).
 */
#include <asm/x86.h>

#include "vlapic.h"

#define REG VLAPIC_REG
#define x2apic vlapic_x2apic

static bool base_write(struct vlapic *vl, uint64_t val)
{
    uint64_t old = vl->apic_base;
    bool en = val & APIC_BASE_EN, extd = val & APIC_BASE_EXTD;

    /* The base stays at the default; BSP is read-only; x2APIC without
     * the global enable, and x2APIC -> xAPIC directly, are invalid
     * transitions (SDM §11.12.5, figure 11-27): #GP. */
    if ( (val & ~(APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP)) !=
         VLAPIC_BASE_DEFAULT ||
         (val & APIC_BASE_BSP) != (old & APIC_BASE_BSP) ||
         (extd && !en) ||
         ((old & APIC_BASE_EXTD) && en && !extd) )
        return false;
    vl->apic_base = val;
    if ( extd && !(old & APIC_BASE_EXTD) )
    {
        REG(vl, APIC_ID) = vl->v->vcpu_id;
        REG(vl, APIC_LDR) = vlapic_x2apic_ldr(vl->v->vcpu_id);
    }
    else if ( !en && (old & APIC_BASE_EN) )
    {
        /* Disabled: back to the reset state's xAPIC ID. */
        REG(vl, APIC_ID) = vl->v->vcpu_id << 24;
        REG(vl, APIC_LDR) = 0;
    }
    return true;
}

bool vlapic_msr_read(struct vlapic *vl, uint32_t msr, uint64_t *val)
{
    unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

    if ( msr == MSR_APIC_BASE )
    {
        *val = vl->apic_base;
        return true;
    }
    if ( msr == MSR_TSC_DEADLINE )
    {
        *val = vl->tsc_deadline;
        return true;
    }
    if ( msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic(vl) )
        return false;
    switch ( off )
    {
    case APIC_ID: case APIC_VER: case APIC_TPR: case APIC_PPR:
    case APIC_LDR: case APIC_SVR: case APIC_ESR: case APIC_LVT_CMCI:
    case APIC_LVT_TIMER: case APIC_LVT_THERMAL: case APIC_LVT_PMC:
    case APIC_LVT_LINT0: case APIC_LVT_LINT1: case APIC_LVT_ERROR:
    case APIC_TMICT: case APIC_TMCCT: case APIC_TDCR:
        *val = vlapic_read(vl, off);
        return true;
    case APIC_ICR:
        *val = ((uint64_t)REG(vl, APIC_ICR2) << 32) | vlapic_read(vl, off);
        return true;
    default:
        if ( off >= APIC_ISR && off < APIC_ESR )
        {
            *val = vlapic_read(vl, off);
            return true;
        }
        return false;   /* EOI, SELF_IPI, DFR, ICR2, reserved: #GP */
    }
}

bool vlapic_msr_write(struct vlapic *vl, uint32_t msr, uint64_t val)
{
    unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

    if ( msr == MSR_APIC_BASE )
        return base_write(vl, val);
    if ( msr == MSR_TSC_DEADLINE )
    {
        vlapic_timer_set_deadline(vl, val);
        return true;
    }
    if ( msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic(vl) )
        return false;
    /* Reserved bits set in the upper half of a 32-bit register: #GP. */
    if ( off != APIC_ICR && (val >> 32) )
        return false;
    switch ( off )
    {
    case APIC_TPR: case APIC_SVR: case APIC_ESR: case APIC_LVT_CMCI:
    case APIC_LVT_TIMER: case APIC_LVT_THERMAL: case APIC_LVT_PMC:
    case APIC_LVT_LINT0: case APIC_LVT_LINT1: case APIC_LVT_ERROR:
    case APIC_TMICT: case APIC_TDCR:
        vlapic_write(vl, off, (uint32_t)val);
        return true;
    case APIC_EOI:
        if ( val )
            return false;   /* x2APIC EOI takes 0 only (SDM §11.12.1.2) */
        vlapic_write(vl, off, 0);
        return true;
    case APIC_SELF_IPI:
        if ( val & ~0xffULL )
            return false;
        vlapic_write(vl, off, (uint32_t)val);
        return true;
    case APIC_ICR:
        REG(vl, APIC_ICR2) = (uint32_t)(val >> 32);
        vlapic_write(vl, off, (uint32_t)val);
        return true;
    default:
        return false;   /* read-only or reserved: #GP */
    }
}
