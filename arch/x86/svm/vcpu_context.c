/* SPDX-License-Identifier: MIT */
/*
 * Start states on SVM: arch_vcpu_initialise() (VCPUOP_initialise and
 * STARTUP IPIs, checked by core: orrery/vcpu_context.h) only records the
 * state; the CPU that next runs the vCPU loads it into the VMCB before
 * VMRUN (svm_vcpu_apply_start from arch_guest_run). The caller may be
 * another CPU, and after an INIT the target may still be on its way out
 * of the guest there, so only the vCPU's own CPU writes its VMCB.
 *
 * The packed segment attributes are the VMCB's own format (AMD APM
 * vol. 2 §15.5.1), so they go in unchanged. What the state does not
 * carry starts as after INIT (svm_vcpu_reset_real_mode): null FS, GS,
 * LDTR, GDTR and IDTR, the power-on PAT, DR6/DR7 -- so a guest's AP
 * loads its own GDT and IDT before it takes an interrupt, as on Xen.
 */
#include <orrery/errno.h>
#include <orrery/vcpu_context.h>

#include "svm.h"

int arch_vcpu_initialise(struct vcpu *v, const struct hvm_vcpu_state *s)
{
    struct svm_vcpu *sv = v->arch_priv;

    if ( !sv )
        return -EOPNOTSUPP;         /* no guest code (test domains) */
    sv->start = *s;
    __atomic_store_n(&sv->start_pending, true, __ATOMIC_RELEASE);
    return 0;
}

static struct vmcb_seg vmcb_seg(const struct hvm_seg *s)
{
    return (struct vmcb_seg){ .sel = s->sel, .attrib = s->attr,
                              .limit = s->limit, .base = s->base };
}

void svm_vcpu_apply_start(struct svm_vcpu *sv)
{
    const struct hvm_vcpu_state *s = &sv->start;
    struct svm_vcpu *bsp = sv->v->domain->vcpu[0]->arch_priv;
    struct vmcb *vmcb = sv->vmcb;

    __atomic_store_n(&sv->start_pending, false, __ATOMIC_RELAXED);
    /* After an INIT the local APIC starts from its power-on state. */
    if ( __atomic_exchange_n(&sv->vlapic.init_pending, false,
                             __ATOMIC_ACQUIRE) )
        vlapic_reset(&sv->vlapic);
    svm_vcpu_reset_real_mode(sv, 0, 0);
    vmcb->cs = vmcb_seg(&s->cs);
    vmcb->ds = vmcb_seg(&s->ds);
    vmcb->ss = vmcb_seg(&s->ss);
    vmcb->es = vmcb_seg(&s->es);
    vmcb->tr = vmcb_seg(&s->tr);
    /* CPL is SS.DPL (APM vol. 2 §15.5.1); core made it CS.DPL too. */
    vmcb->cpl = HVM_SEG_DPL(s->ss.attr);
    /* VMRUN requires the guest's EFER.SVME (§15.5.1). */
    vmcb->efer = s->efer | EFER_SVME;
    vmcb->cr0 = s->cr0;
    vmcb->cr3 = s->cr3;
    vmcb->cr4 = s->cr4;
    vmcb->rflags = s->rflags;
    vmcb->rip = s->rip;
    vmcb->rsp = s->rsp;
    vmcb->rax = s->rax;
    /* No event half-delivered from the old life, no interrupt window
     * asked for; V_TPR follows the vLAPIC's TPR (0 after a reset). */
    vmcb->eventinj = 0;
    vmcb->exitintinfo = 0;
    vmcb->interrupt_shadow = 0;
    vmcb->vintr = VINTR_MASKING |
                  ((VLAPIC_REG(&sv->vlapic, APIC_TPR) >> 4) & 0xf);
    sv->vtpr_synced = (uint8_t)(vmcb->vintr & 0xf);
    vmcb->intercepts1 &= ~INTERCEPT1_VINTR;
    sv->gprs.rbx = s->rbx;
    sv->gprs.rcx = s->rcx;
    sv->gprs.rdx = s->rdx;
    sv->gprs.rsi = s->rsi;
    sv->gprs.rdi = s->rdi;
    sv->gprs.rbp = s->rbp;
    /* The AP's TSC counts with the BSP's (Xen syncs it the same way). */
    if ( bsp && bsp != sv )
        vmcb->tsc_offset = bsp->vmcb->tsc_offset;
}
