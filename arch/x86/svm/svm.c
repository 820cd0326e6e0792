/* SPDX-License-Identifier: MIT */
/*
 * Enabling AMD SVM on a CPU and creating, resetting and entering a vCPU's
 * VMCB (AMD APM vol. 2 chapter 15).
 *
 * QEMU's TCG offers SVM with nested paging but no NRIPS, decode assists,
 * flush-by-ASID or clean bits: none of them is required here. Without
 * flush-by-ASID every VMRUN asks for TLB_CONTROL_FLUSH_ALL, and without
 * clean bits the whole VMCB is reloaded each time (clean_bits stays 0).
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/p2m_pt.h>
#include <orrery/platform.h>
#include <orrery/smp.h>
#include <asm/x86.h>

#include "npt.h"
#include "svm.h"

struct svm_caps svm_caps;

/* Per CPU: the VM_HSAVE_PA page and the page VMSAVE keeps our FS/GS in. */
static void *hsave[NR_CPUS];
static void *host_vmcb[NR_CPUS];

static void svm_probe(void)
{
    uint32_t a, b, c, d;

    cpuid(0x80000000, 0, &a, &b, &c, &d);
    if ( a < 0x8000000a )
        return;
    cpuid(0x80000001, 0, &a, &b, &c, &d);
    svm_caps.svm = c & (1u << 2);
    svm_caps.page1gb = d & (1u << 26);
    if ( !svm_caps.svm )
        return;
    cpuid(0x8000000a, 0, &a, &b, &c, &d);
    svm_caps.nr_asids = b;
    svm_caps.npt = d & (1u << 0);
    svm_caps.nrips = d & (1u << 3);
    svm_caps.clean_bits = d & (1u << 5);
    svm_caps.flush_by_asid = d & (1u << 6);
    svm_caps.decode_assists = d & (1u << 7);
}

/* On each CPU (IPI context): EFER.SVME and the host save area. */
static void svm_cpu_enable(void *ok)
{
    unsigned int cpu = arch_cpu_id();

    if ( rdmsr(MSR_VM_CR) & VM_CR_SVMDIS )
    {
        *(bool *)ok = false;
        return;
    }
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA,
          mfn_x(arch_virt_to_mfn(hsave[cpu])) << PAGE_SHIFT);
}

bool svm_init(void)
{
    bool ok = true;
    unsigned int cpu;
    unsigned long flags;

    svm_probe();
    if ( !svm_caps.svm )
    {
        printk(LOG_INFO "SVM: not offered by this CPU\n");
        return false;
    }
    if ( !svm_caps.npt )
    {
        printk(LOG_WARNING "SVM: no nested paging; Orrery needs it\n");
        return false;
    }
    /* Pages for every CPU here, so the IPIs below only write MSRs. */
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        if ( !cpu_online(cpu) )
            continue;
        hsave[cpu] = alloc_page_virt(0, MEMF_ZERO);
        host_vmcb[cpu] = alloc_page_virt(0, MEMF_ZERO);
        if ( !hsave[cpu] || !host_vmcb[cpu] )
        {
            printk(LOG_ERR "SVM: no memory for the host save areas\n");
            return false;
        }
    }
    /* Cross-CPU calls want interrupts on (boot runs with them off). */
    flags = arch_irq_save();
    arch_irq_enable();
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( cpu_online(cpu) )
            smp_call_function_single(cpu, svm_cpu_enable, &ok);
    arch_irq_restore(flags);
    if ( !ok )
    {
        printk(LOG_WARNING "SVM: disabled by firmware (VM_CR.SVMDIS)\n");
        svm_caps.svm = false;
        return false;
    }
    npt_has_1g = svm_caps.page1gb;
    return true;
}

static uint64_t virt_to_pa(const void *p)
{
    return mfn_x(arch_virt_to_mfn(p)) << PAGE_SHIFT;
}

int svm_vcpu_create(struct svm_vcpu *sv, struct vcpu *v)
{
    struct vmcb *vmcb;

    memset(sv, 0, sizeof(*sv));
    sv->v = v;
    vlapic_init(&sv->vlapic, v);
    sv->vmcb = alloc_page_virt(0, MEMF_ZERO);
    /* 12 KiB and 8 KiB, physically contiguous: orders 2 and 1. */
    sv->iopm = alloc_page_virt(2, 0);
    sv->msrpm = alloc_page_virt(1, 0);
    if ( !sv->vmcb || !sv->iopm || !sv->msrpm )
    {
        svm_vcpu_destroy(sv);
        return -ENOMEM;
    }
    memset(sv->iopm, 0xff, 4 * PAGE_SIZE);
    svm_msrpm_init(sv->msrpm);

    vmcb = sv->vmcb;
    vmcb->intercepts1 = INTERCEPT1_INTR | INTERCEPT1_NMI | INTERCEPT1_SMI |
                        INTERCEPT1_INIT | INTERCEPT1_CPUID |
                        INTERCEPT1_HLT | INTERCEPT1_INVLPGA |
                        INTERCEPT1_IOIO | INTERCEPT1_MSR |
                        INTERCEPT1_SHUTDOWN;
    vmcb->intercepts2 = INTERCEPT2_VMRUN | INTERCEPT2_VMMCALL |
                        INTERCEPT2_VMLOAD | INTERCEPT2_VMSAVE |
                        INTERCEPT2_STGI | INTERCEPT2_CLGI |
                        INTERCEPT2_SKINIT | INTERCEPT2_XSETBV;
    vmcb->iopm_base_pa = virt_to_pa(sv->iopm);
    vmcb->msrpm_base_pa = virt_to_pa(sv->msrpm);
    /* ASID 0 is the host's; one ASID for every guest is correct because
     * each VMRUN flushes everything (no flush-by-ASID under TCG). */
    vmcb->asid = 1;
    vmcb->tlb_control = TLB_CONTROL_FLUSH_ALL;
    vmcb->vintr = VINTR_MASKING;
    vmcb->np_enable = 1;
    vmcb->n_cr3 = mfn_x(p2m_pt_root(v->domain->p2m)) << PAGE_SHIFT;
    return 0;
}

void svm_vcpu_destroy(struct svm_vcpu *sv)
{
    vlapic_destroy(&sv->vlapic);
    if ( sv->vmcb )
        free_page_virt(sv->vmcb, 0);
    if ( sv->iopm )
        free_page_virt(sv->iopm, 2);
    if ( sv->msrpm )
        free_page_virt(sv->msrpm, 1);
    sv->vmcb = sv->iopm = sv->msrpm = NULL;
}

static struct vmcb_seg real_mode_seg(uint16_t sel, uint16_t attrib)
{
    return (struct vmcb_seg){
        .sel = sel, .attrib = attrib, .limit = 0xffff,
        .base = (uint64_t)sel << 4,
    };
}

void svm_vcpu_reset_real_mode(struct svm_vcpu *sv, uint16_t cs, uint16_t ip)
{
    struct vmcb *vmcb = sv->vmcb;

    vmcb->cs = real_mode_seg(cs, SEG_ATTR_CODE16);
    vmcb->ds = real_mode_seg(0, SEG_ATTR_DATA16);
    vmcb->es = real_mode_seg(0, SEG_ATTR_DATA16);
    vmcb->ss = real_mode_seg(0, SEG_ATTR_DATA16);
    vmcb->fs = real_mode_seg(0, SEG_ATTR_DATA16);
    vmcb->gs = real_mode_seg(0, SEG_ATTR_DATA16);
    vmcb->ldtr = real_mode_seg(0, SEG_ATTR_LDT);
    vmcb->tr = real_mode_seg(0, SEG_ATTR_TSS16_BUSY);
    vmcb->gdtr = (struct vmcb_seg){ .limit = 0xffff };
    vmcb->idtr = (struct vmcb_seg){ .limit = 0xffff };
    vmcb->cpl = 0;
    /* A guest's EFER must have SVME set for VMRUN's checks (§15.5.1). */
    vmcb->efer = EFER_SVME;
    vmcb->cr0 = 0x10;                   /* ET; paging and PE off */
    vmcb->cr3 = 0;
    vmcb->cr4 = 0;
    vmcb->dr6 = 0xffff0ff0;
    vmcb->dr7 = 0x400;
    vmcb->rflags = 0x2;
    vmcb->rip = ip;
    vmcb->rsp = 0;
    vmcb->rax = 0;
    vmcb->g_pat = 0x0007040600070406ULL;    /* the power-on PAT */
    memset(&sv->gprs, 0, sizeof(sv->gprs));
}

void svm_vcpu_reset_pvh(struct svm_vcpu *sv, uint32_t entry, uint32_t ebx)
{
    struct vmcb *vmcb = sv->vmcb;
    const struct vmcb_seg code = { .attrib = SEG_ATTR_CODE32,
                                   .limit = 0xffffffff };
    const struct vmcb_seg data = { .attrib = SEG_ATTR_DATA32,
                                   .limit = 0xffffffff };

    svm_vcpu_reset_real_mode(sv, 0, 0);
    vmcb->cs = code;
    vmcb->ds = vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs = data;
    /* TR: a 32-bit TSS with base 0 and limit 0x67. */
    vmcb->tr = (struct vmcb_seg){ .attrib = SEG_ATTR_TSS32_BUSY,
                                  .limit = 0x67 };
    vmcb->cr0 = 0x11;                   /* PE, ET */
    vmcb->rip = entry;
    sv->gprs.rbx = ebx;
}

void svm_vcpu_enter(struct svm_vcpu *sv)
{
    unsigned int cpu = arch_cpu_id();

    sv->vmcb->tlb_control = TLB_CONTROL_FLUSH_ALL;
    sv->vmcb->clean_bits = 0;
    svm_vmrun(&sv->gprs, virt_to_pa(sv->vmcb), virt_to_pa(host_vmcb[cpu]));
}

void svm_inject_exception(struct svm_vcpu *sv, unsigned int vector,
                          int error_code)
{
    uint64_t ev = (vector & 0xff) | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_V;

    if ( error_code >= 0 )
        ev |= EVENTINJ_EV | ((uint64_t)(uint32_t)error_code << 32);
    sv->vmcb->eventinj = ev;
}
