/* SPDX-License-Identifier: MIT */
/*
 * fuzz-emulate's shared parts: the input's memory bytes, the failure
 * report, and the system-state callbacks (fuzz_system.c).
 */
#ifndef FUZZ_EMULATE_H
#define FUZZ_EMULATE_H

#include <stddef.h>

#include <orrery/x86_emulate.h>

extern const uint8_t *fz_mem;   /* what every memory read sees */
extern size_t fz_mem_len;

/* Report a broken invariant with the instruction bytes; aborts. */
void fail(const char *what) __attribute__((noreturn));
void check_access(uint64_t off, unsigned int bytes);

int f_read_cr(unsigned int reg, uint64_t *val, struct x86_emulate_ctxt *c);
int f_write_reg(unsigned int reg, uint64_t val, struct x86_emulate_ctxt *c);
int f_read_dr(unsigned int reg, uint64_t *val, struct x86_emulate_ctxt *c);
int f_read_msr(uint32_t reg, uint64_t *val, struct x86_emulate_ctxt *c);
int f_write_msr(uint32_t reg, uint64_t val, struct x86_emulate_ctxt *c);
int f_read_segment(enum x86_segment seg, struct segment_register *r,
                   struct x86_emulate_ctxt *c);
int f_write_segment(enum x86_segment seg, const struct segment_register *r,
                    struct x86_emulate_ctxt *c);
int f_invlpg(enum x86_segment seg, uint64_t off, struct x86_emulate_ctxt *c);
int f_read_xmm(unsigned int reg, void *buf, unsigned int bytes,
               struct x86_emulate_ctxt *c);
int f_write_xmm(unsigned int reg, const void *buf, unsigned int bytes,
                struct x86_emulate_ctxt *c);

#endif /* FUZZ_EMULATE_H */
