/* SPDX-License-Identifier: MIT */
/*
 * arch_guest_linear_to_phys() on SVM: a hypercall buffer's linear
 * address goes through the vCPU's own page tables, in the paging mode its
 * VMCB holds (CR0/CR3/CR4/EFER as of its last exit), as a supervisor
 * access -- hypercalls come only from CPL 0 (xen-abi-facts §1.1). The walk
 * (arch/x86/hvm/guest_walk.c) sets accessed/dirty bits as the processor
 * would. A vCPU without a VMCB yet (the domain builder) has paging off.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/platform.h>

#include "../hvm/hvm.h"
#include "svm.h"

int arch_guest_linear_to_phys(struct vcpu *v, uint64_t la, bool write,
                              uint64_t *gpa)
{
    const struct svm_vcpu *sv = v->arch_priv;
    const struct vmcb *vmcb = sv ? sv->vmcb : NULL;
    struct hvm_paging pg;
    uint32_t pfec;

    if ( !vmcb )
    {
        *gpa = la;
        return 0;
    }
    pg = (struct hvm_paging){ .cr0 = vmcb->cr0, .cr3 = vmcb->cr3,
                              .cr4 = vmcb->cr4, .efer = vmcb->efer,
                              .cpl = 0 };
    return hvm_linear_to_phys(v, &pg, la, write ? HVM_WRITE : HVM_READ, gpa,
                              &pfec) ? -EFAULT : 0;
}
