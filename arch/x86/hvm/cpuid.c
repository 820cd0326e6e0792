/* SPDX-License-Identifier: MIT */
/*
 * The CPUID a guest sees (reference §1.2). Linux and XTF look for
 * "XenVMMXenVMM" at 0x40000000 with at least two leaves after it; the
 * hypercall-page leaf names the MSR; the HVM leaf gives the vCPU and
 * domain ids.
 */
#include <orrery/hypercall.h>

#include "hvm.h"

/* Fn0000_0001 ECX: MONITOR (3), VMX (5); and the bit reserved for
 * hypervisors to say they are there (31). Fn8000_0001 ECX: SVM (2). */
#define CPUID1_ECX_MONITOR    (1u << 3)
#define CPUID1_ECX_VMX        (1u << 5)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID1_ECX_X2APIC     (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID81_ECX_SVM       (1u << 2)
/* Fn0000_0001 EDX: machine-check exception (7) and architecture (14). */
#define CPUID1_EDX_MCE        (1u << 7)
#define CPUID1_EDX_MCA        (1u << 14)

/* HVM leaf EAX flags. */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT   (1u << 4)

static void xen_leaf(const struct vcpu *v, uint32_t leaf,
                     struct cpuid_leaf *r)
{
    *r = (struct cpuid_leaf){ 0 };
    switch ( leaf - HVM_CPUID_BASE )
    {
    case 0:
        r->a = HVM_CPUID_MAX_LEAF;
        r->b = 0x566e6558;          /* "XenV" */
        r->c = 0x65584d4d;          /* "MMXe" */
        r->d = 0x4d4d566e;          /* "nVMM" */
        break;
    case 1:
        r->a = (ORRERY_XEN_MAJOR << 16) | ORRERY_XEN_MINOR;
        break;
    case 2:
        r->a = 1;                   /* one hypercall page */
        r->b = HVM_MSR_HYPERCALL_PAGE;
        break;
    case 3:
        break;                      /* TSC info: not offered yet */
    case 4:
        r->a = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
        r->b = v->vcpu_id;
        r->c = v->domain->domain_id;
        break;
    }
}

void hvm_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
               struct cpuid_leaf *r)
{
    (void)subleaf;
    if ( leaf >= HVM_CPUID_BASE && leaf < HVM_CPUID_BASE + 0x10000 )
    {
        /* Only the first base: other 0x100 steps read as empty, so
         * XTF's scan finds exactly one. */
        if ( leaf <= HVM_CPUID_MAX_LEAF )
            xen_leaf(v, leaf, r);
        else
            *r = (struct cpuid_leaf){ 0 };
        return;
    }
    switch ( leaf )
    {
    case 1:
        r->c &= ~(CPUID1_ECX_MONITOR | CPUID1_ECX_VMX);
        /* No virtual machine-check architecture (Xen's vMCE) yet: its
         * MSRs (MCG_CAP 0x179, MCG_STATUS 0x17A, the banks) raise #GP,
         * which Linux takes as an MCA violation and panics on unless
         * CPUID says there is no MCE/MCA. */
        r->d &= ~(CPUID1_EDX_MCE | CPUID1_EDX_MCA);
        /* The virtual local APIC (vlapic*.c) has x2APIC mode and the
         * TSC-deadline timer whatever the host offers. */
        r->c |= CPUID1_ECX_HYPERVISOR | CPUID1_ECX_X2APIC |
                CPUID1_ECX_TSC_DEADLINE;
        /* Initial APIC id (EBX[31:24]) is the vCPU's. */
        r->b = (r->b & 0x00ffffffu) | ((uint32_t)v->vcpu_id << 24);
        break;
    case 5:                         /* MONITOR/MWAIT leaf: hidden */
        *r = (struct cpuid_leaf){ 0 };
        break;
    case 0x80000001:
        r->c &= ~CPUID81_ECX_SVM;
        break;
    case 0x8000000a:                /* SVM features: no nesting */
        *r = (struct cpuid_leaf){ 0 };
        break;
    }
}
