/* SPDX-License-Identifier: MIT */
/*
 * A small machine for the emulator tests: flat memory at 0..64 KiB (code
 * and data), optional faulting pages, call counters, and helpers to run
 * one instruction from a byte string.
 */
#ifndef EMUL_TEST_MACHINE_H
#define EMUL_TEST_MACHINE_H

#include <orrery/x86_emulate.h>

#define TM_MEM      0x10000
#define TM_CODE     0x1000      /* where tm_run() puts the instruction */

struct tmachine {
    struct x86_emulate_ctxt ctxt;
    uint8_t mem[TM_MEM];
    uint64_t fault_lo, fault_hi;    /* writes here raise #PF */
    unsigned int reads, writes, cmpxchgs;
    bool cmpxchg_lock;
    bool cmpxchg_fail_once;         /* report a race on the next call */
    unsigned int last_port, last_port_bytes;
    uint32_t last_out;
    /* System state for the system-instruction callbacks. */
    uint64_t cr[9], dr[8];
    uint64_t tsc, tsc_aux, msr_val;     /* MSR 0x10, 0xc0000103, others */
    uint32_t last_msr;
    struct segment_register sregs[6], gdtr, idtr, tr, ldtr;
    uint64_t invlpg_off;
    unsigned int invlpgs;
    uint8_t xmm[16][32];            /* YMM0-15 */
    bool bulk;                      /* tm_run() offers rep_movs/rep_stos */
    unsigned int bulk_calls, bulk_reps;
};

extern const struct x86_emulate_ops tm_ops, tm_bulk_ops;

/* Reset @m to @mode with zeroed registers and memory, RIP = TM_CODE. */
void tm_reset(struct tmachine *m, enum x86_mode mode);
/* Put @n bytes at TM_CODE and emulate one instruction. */
int tm_run(struct tmachine *m, const char *bytes, unsigned int n);
#define TM_RUN(m, s) tm_run((m), (s), sizeof(s) - 1)

uint64_t tm_read(struct tmachine *m, uint64_t addr, unsigned int bytes);
void tm_write(struct tmachine *m, uint64_t addr, uint64_t v,
              unsigned int bytes);

#define R(m, r) ((m)->ctxt.regs.gpr[X86_##r])
#define FL(m) ((m)->ctxt.regs.rflags)

#endif
