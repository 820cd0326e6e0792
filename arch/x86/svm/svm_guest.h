/* SPDX-License-Identifier: MIT */
/* Domains whose vCPUs run under SVM (vcpu_run.c). */
#ifndef ARCH_X86_SVM_GUEST_H
#define ARCH_X86_SVM_GUEST_H

#include "svm.h"

/* Boot: free each domain's SVM state at its teardown. */
int svm_register_domain_hooks(void);

/* Give every vCPU of @d a VMCB; vCPU 0 starts in the PVH entry state at
 * @entry with EBX = @ebx. Undone by the domain's teardown. */
int svm_domain_attach(struct domain *d, uint32_t entry, uint32_t ebx);

#endif /* ARCH_X86_SVM_GUEST_H */
