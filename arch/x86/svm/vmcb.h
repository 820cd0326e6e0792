/* SPDX-License-Identifier: MIT */
/*
 * The VMCB: one 4 KiB page per vCPU, a control area at 0 and the guest
 * state save area at 0x400 (AMD APM vol. 2 appendix B, tables B-1 and
 * B-2). Every field Orrery uses is checked against the manual's offset.
 */
#ifndef ARCH_X86_SVM_VMCB_H
#define ARCH_X86_SVM_VMCB_H

#include <orrery/types.h>

/* A segment in the save area; attrib packs descriptor bits 40-47 (type,
 * S, DPL, P) into 0-7 and bits 52-55 (AVL, L, D/B, G) into 8-11. */
struct vmcb_seg {
    uint16_t sel;
    uint16_t attrib;
    uint32_t limit;
    uint64_t base;
};

struct vmcb {
    /* ---- control area (table B-1) ---- */
    uint16_t cr_read_intercepts;        /* 0x000 */
    uint16_t cr_write_intercepts;       /* 0x002 */
    uint16_t dr_read_intercepts;        /* 0x004 */
    uint16_t dr_write_intercepts;       /* 0x006 */
    uint32_t exception_intercepts;      /* 0x008: bit n = vector n */
    uint32_t intercepts1;               /* 0x00c: INTERCEPT1_* */
    uint32_t intercepts2;               /* 0x010: INTERCEPT2_* */
    uint32_t intercepts3;               /* 0x014 */
    uint8_t rsvd0[0x3c - 0x18];
    uint16_t pause_filter_thresh;       /* 0x03c */
    uint16_t pause_filter_count;        /* 0x03e */
    uint64_t iopm_base_pa;              /* 0x040 */
    uint64_t msrpm_base_pa;             /* 0x048 */
    uint64_t tsc_offset;                /* 0x050 */
    uint32_t asid;                      /* 0x058 */
    uint8_t tlb_control;                /* 0x05c: TLB_CONTROL_* */
    uint8_t rsvd1[3];
    uint64_t vintr;                     /* 0x060: V_TPR, V_IRQ, ... */
    uint64_t interrupt_shadow;          /* 0x068 */
    uint64_t exitcode;                  /* 0x070: VMEXIT_* */
    uint64_t exitinfo1;                 /* 0x078 */
    uint64_t exitinfo2;                 /* 0x080 */
    uint64_t exitintinfo;               /* 0x088 */
    uint64_t np_enable;                 /* 0x090: bit 0 nested paging */
    uint64_t avic_apic_bar;             /* 0x098 */
    uint64_t ghcb_pa;                   /* 0x0a0 */
    uint64_t eventinj;                  /* 0x0a8 */
    uint64_t n_cr3;                     /* 0x0b0: nested page table root */
    uint64_t virt_ext;                  /* 0x0b8: LBR, VMLOAD/VMSAVE virt */
    uint32_t clean_bits;                /* 0x0c0 */
    uint32_t rsvd2;
    uint64_t next_rip;                  /* 0x0c8: only with NRIPS */
    uint8_t insn_len;                   /* 0x0d0: only with decode assists */
    uint8_t insn_bytes[15];             /* 0x0d1 */
    uint8_t rsvd3[0x400 - 0xe0];

    /* ---- state save area (table B-2, offsets from 0x400) ---- */
    struct vmcb_seg es, cs, ss, ds, fs, gs;     /* 0x400 .. 0x45f */
    struct vmcb_seg gdtr, ldtr, idtr, tr;       /* 0x460 .. 0x49f */
    uint8_t rsvd4[0x4cb - 0x4a0];
    uint8_t cpl;                        /* 0x4cb */
    uint32_t rsvd5;
    uint64_t efer;                      /* 0x4d0 */
    uint8_t rsvd6[0x548 - 0x4d8];
    uint64_t cr4;                       /* 0x548 */
    uint64_t cr3;                       /* 0x550 */
    uint64_t cr0;                       /* 0x558 */
    uint64_t dr7;                       /* 0x560 */
    uint64_t dr6;                       /* 0x568 */
    uint64_t rflags;                    /* 0x570 */
    uint64_t rip;                       /* 0x578 */
    uint8_t rsvd7[0x5d8 - 0x580];
    uint64_t rsp;                       /* 0x5d8 */
    uint64_t s_cet, ssp, isst_addr;     /* 0x5e0 .. 0x5f7 */
    uint64_t rax;                       /* 0x5f8 */
    uint64_t star;                      /* 0x600 */
    uint64_t lstar;                     /* 0x608 */
    uint64_t cstar;                     /* 0x610 */
    uint64_t sfmask;                    /* 0x618 */
    uint64_t kernel_gs_base;            /* 0x620 */
    uint64_t sysenter_cs;               /* 0x628 */
    uint64_t sysenter_esp;              /* 0x630 */
    uint64_t sysenter_eip;              /* 0x638 */
    uint64_t cr2;                       /* 0x640 */
    uint8_t rsvd8[0x668 - 0x648];
    uint64_t g_pat;                     /* 0x668 */
    uint64_t dbgctl;                    /* 0x670 */
    uint8_t rsvd9[0x1000 - 0x678];
};

/* Natural alignment gives the manual's layout; these prove it. */
#define VMCB_CHECK(field, off) \
    BUILD_BUG_ON(__builtin_offsetof(struct vmcb, field) != (off))
VMCB_CHECK(intercepts1, 0x00c);
VMCB_CHECK(iopm_base_pa, 0x040);
VMCB_CHECK(asid, 0x058);
VMCB_CHECK(tlb_control, 0x05c);
VMCB_CHECK(exitcode, 0x070);
VMCB_CHECK(np_enable, 0x090);
VMCB_CHECK(eventinj, 0x0a8);
VMCB_CHECK(n_cr3, 0x0b0);
VMCB_CHECK(next_rip, 0x0c8);
VMCB_CHECK(es, 0x400);
VMCB_CHECK(tr, 0x490);
VMCB_CHECK(cpl, 0x4cb);
VMCB_CHECK(efer, 0x4d0);
VMCB_CHECK(cr4, 0x548);
VMCB_CHECK(rip, 0x578);
VMCB_CHECK(rsp, 0x5d8);
VMCB_CHECK(rax, 0x5f8);
VMCB_CHECK(cr2, 0x640);
VMCB_CHECK(g_pat, 0x668);
BUILD_BUG_ON(sizeof(struct vmcb) != 4096);

/* Control area bits (APM vol. 2 §15.9-15.13, table B-1). */
#define INTERCEPT1_INTR      (1u << 0)
#define INTERCEPT1_NMI       (1u << 1)
#define INTERCEPT1_SMI       (1u << 2)
#define INTERCEPT1_INIT      (1u << 3)
#define INTERCEPT1_VINTR     (1u << 4)      /* virtual interrupt window */
#define INTERCEPT1_CPUID     (1u << 18)
#define INTERCEPT1_HLT       (1u << 24)
#define INTERCEPT1_INVLPGA   (1u << 26)
#define INTERCEPT1_IOIO      (1u << 27)
#define INTERCEPT1_MSR       (1u << 28)
#define INTERCEPT1_SHUTDOWN  (1u << 31)
#define INTERCEPT2_VMRUN     (1u << 0)      /* required by VMRUN's checks */
#define INTERCEPT2_VMMCALL   (1u << 1)
#define INTERCEPT2_VMLOAD    (1u << 2)
#define INTERCEPT2_VMSAVE    (1u << 3)
#define INTERCEPT2_STGI      (1u << 4)
#define INTERCEPT2_CLGI      (1u << 5)
#define INTERCEPT2_SKINIT    (1u << 6)
#define INTERCEPT2_XSETBV    (1u << 13)

#define TLB_CONTROL_NONE      0
#define TLB_CONTROL_FLUSH_ALL 1     /* every ASID: works without FlushByAsid */

#define VINTR_MASKING (1ull << 24)  /* guest IF masks only virtual IRQs */
/* The rest of the VMCB's virtual interrupt field (APM vol. 2 §15.21.1,
 * table B-1 offset 0x60): V_IRQ asks for a virtual interrupt, taken (or
 * intercepted) once the guest can take it; its priority and vector. */
#define VINTR_IRQ        (1ull << 8)
#define VINTR_PRIO_SHIFT 16
#define VINTR_IGN_TPR    (1ull << 20)
#define VINTR_VECTOR_SHIFT 32

/* EVENTINJ and EXITINTINFO (APM vol. 2 §15.20, §15.7.2): vector 7:0,
 * type 10:8 (0 external interrupt, 3 exception), EV 11 (error code
 * valid), V 31, error code 63:32. */
#define EVENTINJ_TYPE_INTR      (0u << 8)
#define EVENTINJ_TYPE_EXCEPTION (3u << 8)
#define EVENTINJ_EV             (1u << 11)
#define EVENTINJ_V              (1u << 31)

/* interrupt_shadow bit 0: the guest is in a STI / MOV SS shadow. */
#define INTERRUPT_SHADOW (1ull << 0)

/* Exit codes (APM vol. 2 appendix C). */
#define VMEXIT_EXCEPTION_BASE 0x40
#define VMEXIT_INTR      0x60
#define VMEXIT_NMI       0x61
#define VMEXIT_VINTR     0x64
#define VMEXIT_CPUID     0x72
#define VMEXIT_HLT       0x78
#define VMEXIT_IOIO      0x7b
#define VMEXIT_MSR       0x7c
#define VMEXIT_SHUTDOWN  0x7f
#define VMEXIT_VMRUN     0x80
#define VMEXIT_VMMCALL   0x81
#define VMEXIT_NPF       0x400
#define VMEXIT_INVALID   ((uint64_t)-1)

/* IOIO EXITINFO1 (APM vol. 2 §15.10.2): bit 0 IN, bit 2 string, bit 3 REP,
 * bits 4-6 operand size 8/16/32, bits 16-31 the port; EXITINFO2 holds
 * the address of the next instruction even without NRIPS. */
#define IOIO_IN          (1u << 0)
#define IOIO_STR         (1u << 2)
#define IOIO_SIZE_SHIFT  4
#define IOIO_PORT_SHIFT  16

/* Segment attributes for the states guests start in. */
#define SEG_ATTR_CODE16  0x09b      /* P, S, code exec/read, accessed */
#define SEG_ATTR_DATA16  0x093      /* P, S, data read/write, accessed */
#define SEG_ATTR_LDT     0x082
#define SEG_ATTR_TSS16_BUSY 0x083
#define SEG_ATTR_CODE32  0xc9b      /* + D/B and G: flat 4 GiB */
#define SEG_ATTR_DATA32  0xc93
#define SEG_ATTR_TSS32_BUSY 0x08b

#endif /* ARCH_X86_SVM_VMCB_H */
