/* SPDX-License-Identifier: MIT */
/*
 * arch_vcpu_initialise() on SVM: load the start state core checked
 * (orrery/vcpu_context.h) into a secondary vCPU's VMCB. The packed
 * segment attributes are the VMCB's own format (AMD APM vol. 2 §15.5.1),
 * so they go in unchanged. What the context does not carry starts as
 * after INIT (svm_vcpu_reset_real_mode): null FS, GS, LDTR, GDTR and
 * IDTR, the power-on PAT, DR6/DR7 -- so a guest's AP loads its own GDT
 * and IDT before it takes an interrupt, as on Xen.
 */
#include <orrery/errno.h>
#include <orrery/vcpu_context.h>

#include "svm.h"

static struct vmcb_seg vmcb_seg(const struct hvm_seg *s)
{
    return (struct vmcb_seg){ .attrib = s->attr, .limit = s->limit,
                              .base = s->base };
}

int arch_vcpu_initialise(struct vcpu *v, const struct hvm_vcpu_state *s)
{
    struct svm_vcpu *sv = v->arch_priv;
    struct svm_vcpu *bsp = v->domain->vcpu[0]->arch_priv;
    struct vmcb *vmcb;

    if ( !sv )
        return -EOPNOTSUPP;         /* no guest code (test domains) */
    vmcb = sv->vmcb;
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
    vmcb->eventinj = 0;
    vmcb->interrupt_shadow = 0;
    sv->gprs.rbx = s->rbx;
    sv->gprs.rcx = s->rcx;
    sv->gprs.rdx = s->rdx;
    sv->gprs.rsi = s->rsi;
    sv->gprs.rdi = s->rdi;
    sv->gprs.rbp = s->rbp;
    /* The AP's TSC counts with the BSP's (Xen syncs it the same way). */
    if ( bsp && bsp != sv )
        vmcb->tsc_offset = bsp->vmcb->tsc_offset;
    return 0;
}
