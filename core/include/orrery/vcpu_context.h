/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise for HVM/PVH vCPUs: the guest's struct
 * vcpu_hvm_context (public/hvm/hvm_vcpu.h) checked and turned into one
 * normalised register state, which the platform then loads
 * (arch_vcpu_initialise() in platform.h). The checks are core's, so the
 * sim runs every bad-input case; loading is the platform's.
 */
#ifndef ORRERY_VCPU_CONTEXT_H
#define ORRERY_VCPU_CONTEXT_H

#include <orrery/types.h>

struct vcpu;
struct vcpu_hvm_context;

/* A segment as the hardware holds it: selector (0 from a
 * vcpu_hvm_context, which has none), base, byte-granular limit (G
 * already applied), 12-bit packed attributes (hvm_vcpu.h). */
struct hvm_seg {
    uint64_t base;
    uint32_t limit;
    uint16_t attr;
    uint16_t sel;
};

/* The start state of a vCPU, every field valid for VMRUN's consistency
 * checks (AMD APM vol. 2 §15.5.1). EFER.LMA is set when LME and CR0.PG
 * are; CPL is CS.DPL. FS, GS, LDTR, GDTR and IDTR start null. */
struct hvm_vcpu_state {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
    struct hvm_seg cs, ds, ss, es, tr;
};

/* Segment attribute bits (packed form). */
#define HVM_SEG_TYPE(a)   ((a) & 0xfu)
#define HVM_SEG_S         (1u << 4)
#define HVM_SEG_DPL(a)    (((a) >> 5) & 3u)
#define HVM_SEG_P         (1u << 7)
#define HVM_SEG_L         (1u << 9)
#define HVM_SEG_DB        (1u << 10)
#define HVM_SEG_G         (1u << 11)

/* Control-register bits the checks use. */
#define HVM_CR0_PE  (1ull << 0)
#define HVM_CR0_NW  (1ull << 29)
#define HVM_CR0_CD  (1ull << 30)
#define HVM_CR0_PG  (1ull << 31)
#define HVM_CR4_PAE (1ull << 5)
#define HVM_EFER_SCE (1ull << 0)
#define HVM_EFER_LME (1ull << 8)
#define HVM_EFER_LMA (1ull << 10)
#define HVM_EFER_NXE (1ull << 11)

/*
 * Check @ctx and fill @out. 0, or -EINVAL for a bad mode, non-zero
 * padding, a segment the vCPU cannot start with, or control registers
 * VMRUN would refuse (the reason goes to the log at debug level).
 */
int hvm_vcpu_context_check(const struct vcpu_hvm_context *ctx,
                           struct hvm_vcpu_state *out);

/*
 * INIT and STARTUP IPIs between a guest's vCPUs (the vLAPIC, Intel SDM
 * vol. 3 §10.4.4 / §10.6.1), as Xen's vlapic_init_sipi_one does them:
 *
 * vcpu_init_ipi(): an initialised @v goes down and loses its start
 * state (the last vCPU of the domain going down powers it off, as
 * VCPUOP_down); true if so, false when it had none (nothing to do).
 *
 * vcpu_startup_ipi(): a vCPU without a start state gets the real-mode
 * one of @vector (CS = vector << 8, IP 0) and comes up; ignored (false)
 * when it has one, so a second SIPI does nothing.
 *
 * Both are no-ops for vCPUs without the hypercall state (false).
 */
bool vcpu_init_ipi(struct vcpu *v);
bool vcpu_startup_ipi(struct vcpu *v, uint8_t vector);
/* The real-mode start state of a STARTUP IPI with @vector. */
void hvm_vcpu_state_sipi(struct hvm_vcpu_state *s, uint8_t vector);

#endif /* ORRERY_VCPU_CONTEXT_H */
