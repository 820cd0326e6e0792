/* SPDX-License-Identifier: MIT */
/*
 * emul-diff's machine: one code page and one data window, the same in
 * every mode, a register file, and I/O. Both engines (Orrery's emulator
 * and Unicorn) start from one `struct machine` and each ends in its own
 * copy, which are then compared.
 */
#ifndef EMUL_DIFF_MACHINE_H
#define EMUL_DIFF_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include <orrery/x86_emulate.h>

#define CODE_BASE   0x1000u     /* one page of HLT around the instruction */
#define CODE_SIZE   0x1000u
#define INSN_AT     (CODE_BASE + 0x800)
#define DATA_BASE   0x8000u     /* below 64 KiB: reachable in 16-bit mode */
#define DATA_SIZE   0x4000u
/* Operands are placed here, leaving room for strings and wide accesses. */
#define TARGET_LO   (DATA_BASE + 0x800)
#define TARGET_HI   (DATA_BASE + DATA_SIZE - 0x800)

#define MAX_OUTS    4

struct machine {
    enum x86_mode mode;
    uint32_t features;          /* X86_FEAT_*: what Unicorn's CPU has */
    uint64_t cr0, cr4;          /* Unicorn's, for reads of CR0 and CR4 */
    struct x86_regs regs;
    uint8_t xmm[16][16];        /* XMM0-15 (0-7 outside 64-bit mode) */
    uint8_t code[CODE_SIZE];
    uint8_t data[DATA_SIZE];
    uint64_t io_seed;           /* IN returns a function of this and port */
    unsigned int nr_outs;
    struct { uint16_t port; uint8_t bytes; uint32_t val; } outs[MAX_OUTS];
};

/* How a run ended. */
enum outcome {
    OUT_OK,                     /* completed, state comparable */
    OUT_EXCEPTION,              /* vector in `vector` */
    OUT_UNMAPPED,               /* touched memory outside the machine */
    OUT_UNHANDLEABLE,           /* Orrery only: not emulated */
    OUT_OTHER,                  /* Unicorn stopped for another reason */
};

struct result {
    enum outcome outcome;
    unsigned int vector;
    uint32_t flags_undefined;   /* from Orrery's run */
};

uint32_t io_in_value(uint64_t seed, unsigned int port, unsigned int bytes);

/* Run one instruction at INSN_AT on @m (updated in place). */
void orrery_run(struct machine *m, struct result *r);

struct uc_struct;
struct uc_runner;
struct uc_runner *uc_runner_new(enum x86_mode mode);
void uc_runner_free(struct uc_runner *u);
void uc_run(struct uc_runner *u, struct machine *m, struct result *r);
/* The X86_FEAT_* bits of Unicorn's CPU, from its own CPUID. */
uint32_t uc_features(struct uc_runner *u);
/* Unicorn's CR0 and CR4 at the start of every case. */
void uc_control_regs(struct uc_runner *u, uint64_t *cr0, uint64_t *cr4);

#endif /* EMUL_DIFF_MACHINE_H */
