/* SPDX-License-Identifier: MIT */
/*
 * Completing a guest instruction in the hypervisor with core/emulate:
 * the glue between the emulator's callbacks and a guest's memory, page
 * tables and devices. Vendor-neutral: SVM (and later VMX) fill the state
 * in from their control block and copy the registers back.
 */
#ifndef ARCH_X86_HVM_EMULATE_H
#define ARCH_X86_HVM_EMULATE_H

#include <orrery/x86_emulate.h>

#include "hvm.h"

struct hvm_emul {
    struct x86_emulate_ctxt ctxt;       /* regs, mode, cpl in; out too */
    struct vcpu *v;
    struct hvm_paging pg;
    struct segment_register seg[6];     /* es, cs, ss, ds, fs, gs */
    struct segment_register gdtr, idtr, ldtr, tr;
    unsigned int mmio_reads, mmio_writes;   /* accesses that hit MMIO */
    /* Port I/O for IN/OUT/INS/OUTS (@in: *@val is read, else written);
     * NULL leaves port I/O to its own intercept (UNHANDLEABLE). */
    void (*port_io)(struct hvm_emul *e, bool in, unsigned int port,
                    unsigned int bytes, uint32_t *val);
    void *port_ctx;                     /* for port_io */
};

/*
 * Emulate the instruction at ctxt.regs.rip. Guest RAM is read and written
 * through the guest's page tables and p2m; addresses with no RAM behind
 * them are MMIO, where (until device models claim them) reads return all
 * ones and writes are dropped. Returns an X86EMUL_* code; after EXCEPTION
 * ctxt.event says what to inject.
 */
int hvm_emulate_one(struct hvm_emul *e);

#endif /* ARCH_X86_HVM_EMULATE_H */
