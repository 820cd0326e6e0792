/* SPDX-License-Identifier: MIT */
/*
 * svm_vmrun(gprs, vmcb_pa, host_pa): one trip into the guest.
 *
 * GIF is cleared first (CLGI) so that no interrupt or NMI arrives while
 * the CPU holds the guest's FS/GS/TR (loaded by VMLOAD; our per-CPU
 * pointer is GS) — APM vol. 2 §15.17. Returns with interrupts enabled. VMRUN saves the host's RAX, RSP,
 * RIP, RFLAGS, segment and control registers in the VM_HSAVE_PA area and
 * #VMEXIT restores them (§15.5), so after the exit RAX is the VMCB's
 * address again and RSP our stack. The other general registers are the
 * guest's then, and are stored back into gprs here.
 */
#include "svm_regs.h"

        .text
        .globl svm_vmrun
svm_vmrun:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rdi                    /* 8(%rsp): gprs */
        push    %rdx                    /* 0(%rsp): host save page */

        clgi
        /* Interrupts on, but held by GIF=0 until VMRUN sets it: with
         * V_INTR_MASKING the host's IF decides whether a physical
         * interrupt ends the guest's run (§15.21.1), so it must be set;
         * one that is already pending exits at once. */
        sti
        mov     %rdx, %rax
        vmsave                          /* host FS, GS, TR, LDTR, MSRs */
        mov     %rsi, %rax
        vmload                          /* the guest's */

        mov     SVM_GPR_RBX(%rdi), %rbx
        mov     SVM_GPR_RCX(%rdi), %rcx
        mov     SVM_GPR_RDX(%rdi), %rdx
        mov     SVM_GPR_RSI(%rdi), %rsi
        mov     SVM_GPR_RBP(%rdi), %rbp
        mov     SVM_GPR_R8(%rdi), %r8
        mov     SVM_GPR_R9(%rdi), %r9
        mov     SVM_GPR_R10(%rdi), %r10
        mov     SVM_GPR_R11(%rdi), %r11
        mov     SVM_GPR_R12(%rdi), %r12
        mov     SVM_GPR_R13(%rdi), %r13
        mov     SVM_GPR_R14(%rdi), %r14
        mov     SVM_GPR_R15(%rdi), %r15
        mov     SVM_GPR_RDI(%rdi), %rdi

        vmrun                           /* rax: the guest's VMCB */

        vmsave                          /* the guest's FS, GS, ... back */
        push    %rdi                    /* the guest's rdi */
        mov     16(%rsp), %rdi          /* gprs */
        mov     %rbx, SVM_GPR_RBX(%rdi)
        mov     %rcx, SVM_GPR_RCX(%rdi)
        mov     %rdx, SVM_GPR_RDX(%rdi)
        mov     %rsi, SVM_GPR_RSI(%rdi)
        mov     %rbp, SVM_GPR_RBP(%rdi)
        mov     %r8, SVM_GPR_R8(%rdi)
        mov     %r9, SVM_GPR_R9(%rdi)
        mov     %r10, SVM_GPR_R10(%rdi)
        mov     %r11, SVM_GPR_R11(%rdi)
        mov     %r12, SVM_GPR_R12(%rdi)
        mov     %r13, SVM_GPR_R13(%rdi)
        mov     %r14, SVM_GPR_R14(%rdi)
        mov     %r15, SVM_GPR_R15(%rdi)
        pop     %rax
        mov     %rax, SVM_GPR_RDI(%rdi)

        pop     %rax                    /* host save page */
        vmload                          /* our GS (per-CPU) again */
        stgi

        pop     %rdi
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret
