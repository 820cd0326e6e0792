/* SPDX-License-Identifier: MIT */
/*
 * Nested page faults (AMD APM vol. 2 §15.25.6): EXITINFO1 holds a #PF-
 * style error code (bit 32: the fault was on the final guest-physical
 * address, bit 33: while walking the guest's own tables), EXITINFO2 the
 * guest-physical address.
 *
 * A fault on a frame the guest has (RAM, grants, passed-through MMIO) is
 * a rights violation -- a write to read-only memory, say -- and crashes
 * that domain only. A fault where the p2m has nothing, or emulated MMIO,
 * is an access to a device: the instruction is completed by core/emulate
 * (arch/x86/hvm/emulate.c), with unclaimed MMIO reading all ones.
 */
#include <orrery/console.h>
#include <orrery/p2m.h>

#include "../hvm/emulate.h"
#include "exit.h"

#define NPF_WALK (1ULL << 33)

static struct segment_register seg_in(const struct vmcb_seg *s)
{
    return (struct segment_register){ .sel = s->sel, .attr = s->attrib,
                                      .limit = s->limit, .base = s->base };
}

void svm_emul_state_in(struct svm_vcpu *sv, struct hvm_emul *e)
{
    struct vmcb *vmcb = sv->vmcb;
    struct svm_gprs *g = &sv->gprs;
    uint64_t *r = e->ctxt.regs.gpr;

    r[X86_RAX] = vmcb->rax; r[X86_RCX] = g->rcx; r[X86_RDX] = g->rdx;
    r[X86_RBX] = g->rbx; r[X86_RSP] = vmcb->rsp; r[X86_RBP] = g->rbp;
    r[X86_RSI] = g->rsi; r[X86_RDI] = g->rdi;
    r[X86_R8] = g->r8; r[X86_R9] = g->r9; r[X86_R10] = g->r10;
    r[X86_R11] = g->r11; r[X86_R12] = g->r12; r[X86_R13] = g->r13;
    r[X86_R14] = g->r14; r[X86_R15] = g->r15;
    e->ctxt.regs.rip = vmcb->rip;
    e->ctxt.regs.rflags = vmcb->rflags;
    e->ctxt.mode = svm_guest_mode(vmcb);
    e->ctxt.sp_bytes = e->ctxt.mode == X86_MODE_64 ? 0 :
                       (vmcb->ss.attrib & (1u << 10)) ? 4 : 2;
    e->ctxt.cpl = vmcb->cpl;
    e->seg[x86_seg_es] = seg_in(&vmcb->es);
    e->seg[x86_seg_cs] = seg_in(&vmcb->cs);
    e->seg[x86_seg_ss] = seg_in(&vmcb->ss);
    e->seg[x86_seg_ds] = seg_in(&vmcb->ds);
    e->seg[x86_seg_fs] = seg_in(&vmcb->fs);
    e->seg[x86_seg_gs] = seg_in(&vmcb->gs);
    e->gdtr = seg_in(&vmcb->gdtr);
    e->idtr = seg_in(&vmcb->idtr);
    e->ldtr = seg_in(&vmcb->ldtr);
    e->tr = seg_in(&vmcb->tr);
    e->pg = (struct hvm_paging){ .cr0 = vmcb->cr0, .cr3 = vmcb->cr3,
                                 .cr4 = vmcb->cr4, .efer = vmcb->efer,
                                 .cpl = vmcb->cpl };
    e->v = sv->v;
}

void svm_emul_state_out(struct svm_vcpu *sv, const struct hvm_emul *e)
{
    struct vmcb *vmcb = sv->vmcb;
    struct svm_gprs *g = &sv->gprs;
    const uint64_t *r = e->ctxt.regs.gpr;

    vmcb->rax = r[X86_RAX]; g->rcx = r[X86_RCX]; g->rdx = r[X86_RDX];
    g->rbx = r[X86_RBX]; vmcb->rsp = r[X86_RSP]; g->rbp = r[X86_RBP];
    g->rsi = r[X86_RSI]; g->rdi = r[X86_RDI];
    g->r8 = r[X86_R8]; g->r9 = r[X86_R9]; g->r10 = r[X86_R10];
    g->r11 = r[X86_R11]; g->r12 = r[X86_R12]; g->r13 = r[X86_R13];
    g->r14 = r[X86_R14]; g->r15 = r[X86_R15];
    vmcb->rip = e->ctxt.regs.rip;
    vmcb->rflags = e->ctxt.regs.rflags;
}

enum svm_exit_action svm_do_npf(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    domid_t id = sv->v->domain->domain_id;
    uint64_t gpa = vmcb->exitinfo2, err = vmcb->exitinfo1;
    struct hvm_emul e = { 0 };
    struct p2m_entry pe;
    int rc;

    p2m_get_entry(sv->v->domain, _gfn(gpa >> PAGE_SHIFT), &pe);
    if ( p2m_is_readable(pe.type) || pe.type == p2m_mmio_direct ||
         (err & NPF_WALK) )
    {
        printk(LOG_ERR "d%u: %s at gpa %#llx (%s, error %#llx), rip %#llx\n",
               id, (err & NPF_WALK) ? "page tables outside RAM"
                                    : "access violation",
               (unsigned long long)gpa, p2m_type_name(pe.type),
               (unsigned long long)err, (unsigned long long)vmcb->rip);
        return SVM_EXIT_CRASH;
    }

    svm_emul_state_in(sv, &e);
    e.ctxt.memo = sv->memo;
    rc = hvm_emulate_one(&e);
    sv->memo = e.ctxt.memo;
    switch ( rc )
    {
    case X86EMUL_OKAY:
        svm_emul_state_out(sv, &e);
        return SVM_EXIT_RESUME;
    case X86EMUL_EXCEPTION:
        if ( e.ctxt.event.vector == X86_EXC_PF )
            vmcb->cr2 = e.ctxt.event.cr2;
        svm_inject_exception(sv, e.ctxt.event.vector,
                             e.ctxt.event.has_error_code
                             ? (int)e.ctxt.event.error_code : -1);
        return SVM_EXIT_RESUME;
    case X86EMUL_RETRY:
        return SVM_EXIT_RESUME;
    default:
        printk(LOG_ERR "d%u: cannot complete the MMIO access at gpa %#llx "
               "(rip %#llx, opcode %02x)\n", id, (unsigned long long)gpa,
               (unsigned long long)vmcb->rip, e.ctxt.insn.opcode);
        return SVM_EXIT_CRASH;
    }
}
