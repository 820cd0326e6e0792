/* SPDX-License-Identifier: MIT */
/*
 * What every x86 HVM/PVH guest gets whatever the vendor (SVM now, VMX
 * later): Xen's CPUID leaves, the hypercall page, and reading guest
 * memory through the guest's own page tables. Pure C over core's guest
 * copy helpers, so tests/unit/hvm runs these files on sim.
 */
#ifndef ARCH_X86_HVM_H
#define ARCH_X86_HVM_H

#include <orrery/domain.h>
#include <orrery/x86_emulate.h>

/* ---- CPUID (reference §1.2) -------------------------------------------- */

#define HVM_CPUID_BASE     0x40000000u
#define HVM_CPUID_MAX_LEAF (HVM_CPUID_BASE + 4)
/* The MSR that installs the hypercall page (base+2's EBX). */
#define HVM_MSR_HYPERCALL_PAGE 0x40000000u

/*
 * What @v sees for CPUID @leaf/@subleaf. @r holds the host's values on
 * entry (the caller ran CPUID) and the guest's on return: the Xen leaves
 * replace the hypervisor range, the hypervisor-present bit is set, and
 * features a guest must not use (SVM, VMX, MONITOR/MWAIT) are hidden.
 */
void hvm_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
               struct cpuid_leaf *r);

/* ---- The hypercall page (reference §1.3) -------------------------------- */

/* The 3-byte instruction a stub uses: VMMCALL on AMD, VMCALL on Intel. */
extern const uint8_t hvm_vmmcall_insn[3];
extern const uint8_t hvm_vmcall_insn[3];

/* Fill @page with 0xCC and 128 stubs of 32 bytes calling through @insn. */
void hvm_fill_hypercall_page(uint8_t page[PAGE_SIZE], const uint8_t insn[3]);

/*
 * The guest wrote @val to HVM_MSR_HYPERCALL_PAGE: write the page at that
 * guest-physical address. -EINVAL (the caller raises #GP) for low bits
 * set or a page that is not the guest's writable RAM.
 */
int hvm_write_hypercall_page(struct vcpu *v, uint64_t val,
                             const uint8_t insn[3]);

/* ---- Guest page-table walks (AMD APM vol. 2 §5) ------------------------- */

struct hvm_paging {
    uint64_t cr0, cr3, cr4, efer;
    unsigned int cpl;
};

enum hvm_access { HVM_READ, HVM_WRITE, HVM_FETCH };

/* #PF error code bits (APM vol. 2 §8.4.2). */
#define PFEC_PRESENT  (1u << 0)
#define PFEC_WRITE    (1u << 1)
#define PFEC_USER     (1u << 2)
#define PFEC_RSVD     (1u << 3)
#define PFEC_FETCH    (1u << 4)

/*
 * Translate linear address @lin for an access of kind @acc, in the paging
 * mode @pg describes (none, 32-bit, PAE or 4-level), setting accessed and
 * dirty bits as the processor would. 0 with *@gpa set; -EFAULT with
 * *@pfec set when the guest must see #PF; -ENXIO when a table lies
 * outside the guest's RAM (the processor would take a nested fault).
 */
int hvm_linear_to_phys(struct vcpu *v, const struct hvm_paging *pg,
                       uint64_t lin, enum hvm_access acc, uint64_t *gpa,
                       uint32_t *pfec);

/* ---- Guest time (guest_time.c; needs the x86 TSC, so not on sim) ------ */

/* Refresh @v's vcpu_time_info from the TSC (before each guest entry). */
void hvm_update_guest_time(struct vcpu *v);

#endif /* ARCH_X86_HVM_H */
