/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise for HVM and PVH guests: the register state a vCPU
 * starts in (Xen's public/hvm/hvm_vcpu.h layout, measured here by the
 * static assertions below). A 32-bit start gives the segment registers
 * explicitly; a 64-bit start gets flat long-mode segments from the
 * hypervisor, so the guest must load its own GDT and IDT before it takes
 * an interrupt.
 *
 * Segment attributes (*_ar) use the 12-bit packed form: type in bits
 * 3:0, S 4, DPL 6:5, P 7, AVL 8, L 9, D/B 10, G 11; bits 15:12 must be
 * zero. This is also the VMCB's attribute format (AMD APM vol. 2
 * §15.5.1), so SVM loads them unchanged.
 */
#ifndef PUBLIC_HVM_HVM_VCPU_H
#define PUBLIC_HVM_HVM_VCPU_H

#include <public/xen.h>

struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip;
    uint32_t eflags;

    uint32_t cr0;
    uint32_t cr3;
    uint32_t cr4;
    uint32_t pad1;              /* must be 0 */

    /* EFER.LMA is derived from LME and may not be set without it. */
    uint64_t efer;

    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];           /* must be 0 */
};

/* 64-bit mode: paging on (CR0.PG, CR4.PAE, EFER.LME required). */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip;
    uint64_t rflags;

    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
};

#define VCPU_HVM_MODE_32B 0     /* use cpu_regs.x86_32 */
#define VCPU_HVM_MODE_64B 1     /* use cpu_regs.x86_64 */

struct vcpu_hvm_context {
    uint32_t mode;              /* VCPU_HVM_MODE_* */
    uint32_t pad;               /* must be 0 */
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

XEN_ABI_SIZE(vcpu_hvm_x86_32, 120);
XEN_ABI_CHECK(vcpu_hvm_x86_32, eip, 32);
XEN_ABI_CHECK(vcpu_hvm_x86_32, eflags, 36);
XEN_ABI_CHECK(vcpu_hvm_x86_32, cr0, 40);
XEN_ABI_CHECK(vcpu_hvm_x86_32, pad1, 52);
XEN_ABI_CHECK(vcpu_hvm_x86_32, efer, 56);
XEN_ABI_CHECK(vcpu_hvm_x86_32, cs_base, 64);
XEN_ABI_CHECK(vcpu_hvm_x86_32, tr_base, 80);
XEN_ABI_CHECK(vcpu_hvm_x86_32, cs_limit, 84);
XEN_ABI_CHECK(vcpu_hvm_x86_32, tr_limit, 100);
XEN_ABI_CHECK(vcpu_hvm_x86_32, cs_ar, 104);
XEN_ABI_CHECK(vcpu_hvm_x86_32, tr_ar, 112);
XEN_ABI_CHECK(vcpu_hvm_x86_32, pad2, 114);
XEN_ABI_SIZE(vcpu_hvm_x86_64, 112);
XEN_ABI_CHECK(vcpu_hvm_x86_64, rip, 64);
XEN_ABI_CHECK(vcpu_hvm_x86_64, rflags, 72);
XEN_ABI_CHECK(vcpu_hvm_x86_64, cr0, 80);
XEN_ABI_CHECK(vcpu_hvm_x86_64, efer, 104);
XEN_ABI_SIZE(vcpu_hvm_context, 128);
XEN_ABI_CHECK(vcpu_hvm_context, pad, 4);
XEN_ABI_CHECK(vcpu_hvm_context, cpu_regs, 8);

#endif /* PUBLIC_HVM_HVM_VCPU_H */
