/* SPDX-License-Identifier: MIT */
/*
 * RDMSR/WRMSR exits (AMD APM vol. 2 §15.11). The MSRs that VMLOAD/VMSAVE
 * and VMRUN switch (FS/GS bases, the syscall MSRs, SYSENTER) are passed
 * through in the permission map; the rest exit here. An MSR nobody
 * emulates raises #GP in the guest, as real hardware does for an MSR it
 * lacks.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <asm/x86.h>

#include "../hvm/hvm.h"
#include "exit.h"

#define MSR_TSC          0x00000010
#define MSR_PAT          0x00000277
#define MSR_MTRRCAP      0x000000fe
#define MSR_MTRR_DEF     0x000002ff
#define MSR_STAR         0xc0000081
#define MSR_LSTAR        0xc0000082
#define MSR_CSTAR        0xc0000083
#define MSR_SFMASK       0xc0000084
#define MSR_FS_BASE      0xc0000100
#define MSR_KERNEL_GS    0xc0000102
#define MSR_SYSENTER_CS  0x00000174
#define MSR_SYSENTER_ESP 0x00000175
#define MSR_SYSENTER_EIP 0x00000176

#define EFER_SCE   (1ULL << 0)
#define EFER_LMA   (1ULL << 10)
#define EFER_GUEST (EFER_SCE | EFER_LME | EFER_NXE)

/* Clear the read and write intercept bits of @msr (§15.11: two bits per
 * MSR, in three 2 KiB ranges). */
static void msrpm_pass(uint8_t *pm, uint32_t msr)
{
    uint32_t base, off;

    if ( msr < 0x2000 )
        base = 0, off = msr;
    else if ( msr - 0xc0000000u < 0x2000 )
        base = 0x800, off = msr - 0xc0000000u;
    else if ( msr - 0xc0010000u < 0x2000 )
        base = 0x1000, off = msr - 0xc0010000u;
    else
        return;
    pm[base + off / 4] &= (uint8_t)~(3u << (2 * (off % 4)));
}

void svm_msrpm_init(void *msrpm)
{
    static const uint32_t passthrough[] = {
        MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS, MSR_STAR, MSR_LSTAR,
        MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
        MSR_SYSENTER_EIP,
    };

    memset(msrpm, 0xff, 2 * PAGE_SIZE);
    for ( unsigned int i = 0; i < ARRAY_SIZE(passthrough); i++ )
        msrpm_pass(msrpm, passthrough[i]);
}

/* Each PAT entry must be a defined memory type: 0, 1, 4, 5, 6 or 7. */
static bool pat_valid(uint64_t pat)
{
    for ( unsigned int i = 0; i < 8; i++ )
    {
        uint8_t t = (uint8_t)(pat >> (8 * i));

        if ( t == 2 || t == 3 || t > 7 )
            return false;
    }
    return true;
}

static bool msr_read(struct svm_vcpu *sv, uint32_t msr, uint64_t *val)
{
    struct vmcb *vmcb = sv->vmcb;

    switch ( msr )
    {
    case MSR_EFER:
        *val = vmcb->efer & ~(uint64_t)EFER_SVME;  /* no nested SVM */
        return true;
    case MSR_PAT:
        *val = vmcb->g_pat;
        return true;
    case MSR_TSC:
        *val = rdtsc() + vmcb->tsc_offset;
        return true;
    case MSR_APIC_BASE:
    case MSR_TSC_DEADLINE:
        return vlapic_msr_read(&sv->vlapic, msr, val);
    case MSR_MTRRCAP:
    case MSR_MTRR_DEF:
        *val = 0;                   /* no MTRRs offered */
        return true;
    case HVM_MSR_HYPERCALL_PAGE:
        *val = 0;                   /* reads return 0 (reference §1.3) */
        return true;
    }
    if ( msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST )
        return vlapic_msr_read(&sv->vlapic, msr, val);
    return false;
}

static bool msr_write(struct svm_vcpu *sv, uint32_t msr, uint64_t val)
{
    struct vmcb *vmcb = sv->vmcb;

    switch ( msr )
    {
    case MSR_EFER:
        if ( val & ~(EFER_GUEST | EFER_LMA) )
            return false;
        /* LMA is the processor's to set as paging turns on; SVME stays
         * set for VMRUN's checks (§15.5.1). */
        vmcb->efer = (val & EFER_GUEST) | (vmcb->efer & EFER_LMA) |
                     EFER_SVME;
        return true;
    case MSR_PAT:
        if ( !pat_valid(val) )
            return false;
        vmcb->g_pat = val;
        return true;
    case MSR_APIC_BASE:
    case MSR_TSC_DEADLINE:
        return vlapic_msr_write(&sv->vlapic, msr, val);
    case MSR_MTRR_DEF:
        return true;                /* accepted, nothing to change yet */
    case HVM_MSR_HYPERCALL_PAGE:
        return hvm_write_hypercall_page(sv->v, val, hvm_vmmcall_insn) == 0;
    }
    if ( msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST )
        return vlapic_msr_write(&sv->vlapic, msr, val);
    return false;
}

enum svm_exit_action svm_do_msr(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    uint32_t msr = (uint32_t)sv->gprs.rcx;
    bool write = vmcb->exitinfo1 & 1, ok;
    uint64_t val = 0;

    if ( write )
        ok = msr_write(sv, msr, ((sv->gprs.rdx & 0xffffffffULL) << 32) |
                                (vmcb->rax & 0xffffffffULL));
    else
    {
        ok = msr_read(sv, msr, &val);
        if ( ok )
        {
            vmcb->rax = (uint32_t)val;
            sv->gprs.rdx = val >> 32;
        }
    }
    if ( !ok )
    {
        printk(LOG_DEBUG "d%uv%u: %s of MSR %#x refused: #GP\n",
               sv->v->domain->domain_id, sv->v->vcpu_id,
               write ? "write" : "read", msr);
        svm_inject_exception(sv, X86_EXC_GP, 0);
        return SVM_EXIT_RESUME;
    }
    return svm_skip_insn(sv, write ? "wrmsr" : "rdmsr");
}
