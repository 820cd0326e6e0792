/* SPDX-License-Identifier: MIT */
/*
 * The guest registers VMRUN does not switch (APM vol. 2 §15.5: RAX, RSP
 * and RIP live in the VMCB; the rest are the hypervisor's to save), laid
 * out for vmrun.S. Shared by C and assembly.
 */
#ifndef ARCH_X86_SVM_REGS_H
#define ARCH_X86_SVM_REGS_H

#define SVM_GPR_RBX 0x00
#define SVM_GPR_RCX 0x08
#define SVM_GPR_RDX 0x10
#define SVM_GPR_RSI 0x18
#define SVM_GPR_RDI 0x20
#define SVM_GPR_RBP 0x28
#define SVM_GPR_R8  0x30
#define SVM_GPR_R9  0x38
#define SVM_GPR_R10 0x40
#define SVM_GPR_R11 0x48
#define SVM_GPR_R12 0x50
#define SVM_GPR_R13 0x58
#define SVM_GPR_R14 0x60
#define SVM_GPR_R15 0x68
#define SVM_GPR_SIZE 0x70

#ifndef __ASSEMBLER__
#include <orrery/types.h>

struct svm_gprs {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
BUILD_BUG_ON(__builtin_offsetof(struct svm_gprs, rdi) != SVM_GPR_RDI);
BUILD_BUG_ON(__builtin_offsetof(struct svm_gprs, r8) != SVM_GPR_R8);
BUILD_BUG_ON(__builtin_offsetof(struct svm_gprs, r15) != SVM_GPR_R15);
BUILD_BUG_ON(sizeof(struct svm_gprs) != SVM_GPR_SIZE);

/*
 * Run the guest whose VMCB is at machine address @vmcb_pa until its next
 * #VMEXIT. @host_pa is a page where VMSAVE keeps the hypervisor's FS, GS
 * (its per-CPU pointer), TR, LDTR and syscall MSRs while the guest's are
 * loaded. Returns with GIF set again.
 */
void svm_vmrun(struct svm_gprs *gprs, uint64_t vmcb_pa, uint64_t host_pa);
#endif

#endif /* ARCH_X86_SVM_REGS_H */
