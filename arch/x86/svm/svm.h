/* SPDX-License-Identifier: MIT */
/* AMD SVM: per-CPU enabling and one virtual CPU's hardware state. */
#ifndef ARCH_X86_SVM_SVM_H
#define ARCH_X86_SVM_SVM_H

#include <orrery/domain.h>
#include <orrery/vcpu_context.h>
#include <orrery/x86_emulate.h>

#include "../hvm/vlapic.h"
#include "svm_regs.h"
#include "vmcb.h"

#define MSR_VM_CR       0xc0010114  /* bit 4: SVMDIS (APM vol. 2 §15.30.1) */
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS    (1u << 4)
#define EFER_SVME       (1u << 12)

/* What this processor's SVM offers (CPUID Fn8000_000A, §15.4). */
struct svm_caps {
    bool svm;               /* Fn8000_0001 ECX[2], not disabled in VM_CR */
    bool npt;               /* EDX[0] nested paging */
    bool nrips;             /* EDX[3] next RIP saved on exits */
    bool flush_by_asid;     /* EDX[6] */
    bool clean_bits;        /* EDX[5] VMCB clean bits */
    bool decode_assists;    /* EDX[7] */
    bool page1gb;           /* Fn8000_0001 EDX[26]: 1 GiB nested pages */
    uint32_t nr_asids;      /* Fn8000_000A EBX */
};
extern struct svm_caps svm_caps;

/* Probe the CPU and enable SVM on every online one (EFER.SVME, host save
 * areas). false, with the reason printed, when it cannot be used. */
bool svm_init(void);

/* What a guest wrote to the debug port 0xE9, a line at a time. */
struct svm_debug_port {
    char line[128];
    unsigned int len;
};

/* One vCPU: its VMCB, the registers VMRUN leaves to us, and the intercept
 * bitmaps (all ports and MSRs intercepted until device models say). */
struct svm_vcpu {
    struct vcpu *v;
    struct vmcb *vmcb;
    struct svm_gprs gprs;
    void *iopm;             /* 12 KiB, 3 pages (APM §15.10.1) */
    void *msrpm;            /* 8 KiB, 2 pages (§15.11) */
    struct svm_debug_port dbg;
    /* The emulator's last decoding for this vCPU: a driver polling one
     * device register exits on the same instruction again and again. */
    struct x86_decode_memo memo;
    /* Interrupts (intr.c): the virtual local APIC; the per-vCPU upcall
     * vector enters its IRR on each 0 -> 1 of upcall_pending, and
     * upcall_vector_seen notices HVMOP_set_evtchn_upcall_vector; the
     * V_TPR last written, to see the guest's own MOV CR8. */
    struct vlapic vlapic;
    uint8_t upcall_vector_seen;
    uint8_t vtpr_synced;
    /* A start state from VCPUOP_initialise or a STARTUP IPI, loaded by
     * the CPU that next runs the vCPU (vcpu_context.c): the caller may
     * be on another CPU, where the vCPU might still be leaving. */
    struct hvm_vcpu_state start;
    bool start_pending;
};

int svm_vcpu_create(struct svm_vcpu *sv, struct vcpu *v);
void svm_vcpu_destroy(struct svm_vcpu *sv);
/* Enter the guest once; returns at its next #VMEXIT (exit code in VMCB). */
void svm_vcpu_enter(struct svm_vcpu *sv);
/* Queue exception @vector for the next VMRUN (EVENTINJ, §15.20), with
 * @error_code when the vector has one (pass -1 for none). */
void svm_inject_exception(struct svm_vcpu *sv, unsigned int vector,
                          int error_code);
/* Before each VMRUN (intr.c): re-inject an event whose delivery an exit
 * interrupted (EXITINTINFO), then inject a pending event upcall if the
 * guest can take it now, else ask for an exit at its interrupt window. */
void svm_intr_assist(struct svm_vcpu *sv);
/* After a HLT exit: has @sv an interrupt to take (so it must not block)? */
bool svm_intr_pending(struct svm_vcpu *sv);
/* VMEXIT_VINTR: the window opened; svm_intr_assist injects next. */
void svm_intr_window_open(struct svm_vcpu *sv);
/* Boot: the core's upcall hook latches per-vCPU vectors and kicks. */
void svm_intr_init(void);
/* Make @v's pCPU leave the guest if @v is in it now (vcpu_run.c). */
void svm_vcpu_kick(struct vcpu *v);
/* Before entering @sv: load a pending start state (vcpu_context.c). */
void svm_vcpu_apply_start(struct svm_vcpu *sv);

/* The MSR permission map: everything intercepted but the MSRs VMRUN and
 * VMLOAD/VMSAVE switch themselves (msr.c). */
void svm_msrpm_init(void *msrpm);

/* Start state: 16-bit real mode at @cs:@ip with paging off (INIT-like). */
void svm_vcpu_reset_real_mode(struct svm_vcpu *sv, uint16_t cs, uint16_t ip);
/* Start state of a PVH entry (reference §1.4): 32-bit protected mode,
 * paging off, flat segments, EBX = the hvm_start_info address. */
void svm_vcpu_reset_pvh(struct svm_vcpu *sv, uint32_t entry, uint32_t ebx);

#endif /* ARCH_X86_SVM_SVM_H */
