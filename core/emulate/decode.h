/* SPDX-License-Identifier: MIT */
/*
 * Instruction-byte fetching shared by the decoder's files (decode.c,
 * decode_ext.c): the bytes known up front, then insn_fetch for the rest,
 * exactly as many as the instruction needs so that only the faults of
 * bytes it has count, and the 15-byte limit.
 */
#ifndef ORRERY_EMULATE_DECODE_H
#define ORRERY_EMULATE_DECODE_H

#include "private.h"

/* SDM Vol. 2A §2.3.11: longer instructions raise #GP(0). */
#define MAX_INSN_LEN 15

/* x86_decode_insn(): @buf ended and there are no ops to fetch more. */
#define DECODE_TRUNCATED (-1)

struct fetch_state {
    const uint8_t *buf;         /* bytes known up front */
    unsigned int buf_bytes;
    unsigned int len;           /* bytes consumed so far */
    struct x86_emulate_ctxt *ctxt;  /* NULL: only @buf is available */
    const struct x86_emulate_ops *ops;
    uint64_t rip;
    enum x86_mode mode;
    struct x86_event *ev;       /* where a decode fault goes */
};

static inline int decode_fault(struct x86_event *ev, unsigned int vector,
                               int ec)
{
    ev->vector = vector;
    ev->type = X86_EVENTTYPE_HW_EXCEPTION;
    ev->insn_len = 0;
    ev->has_error_code = ec >= 0;
    ev->error_code = ec >= 0 ? ec : 0;
    ev->cr2 = 0;
    return X86EMUL_EXCEPTION;
}

int fetch_more(struct fetch_state *fs, unsigned int n, uint64_t *out);

/* Fetch @n more instruction bytes into @out (little-endian value). */
static inline int fetch(struct fetch_state *fs, unsigned int n,
                        uint64_t *out)
{
    const uint8_t *p = fs->buf + fs->len;
    uint64_t v = 0;
    unsigned int i;

    /* Buffered bytes never go past 15, so this also checks the limit. */
    if ( unlikely(fs->len + n > fs->buf_bytes) )
        return fetch_more(fs, n, out);
    for ( i = n; i-- > 0; )
        v = (v << 8) | p[i];
    *out = v;
    fs->len += n;
    return X86EMUL_OKAY;
}

#define FETCH(n, out)                                   \
    do {                                                \
        int rc_ = fetch(fs, (n), (out));                \
        if ( rc_ != X86EMUL_OKAY )                      \
            return rc_;                                 \
    } while ( 0 )

/* decode_ext.c: the rarer parts. */
int decode_escape(struct fetch_state *fs, struct x86_insn *insn,
                  uint64_t *b, unsigned int *attr);
int decode_vex(struct fetch_state *fs, struct x86_insn *insn, uint8_t first,
               uint8_t p0, unsigned int *attr);
int decode_imm(struct fetch_state *fs, struct x86_insn *insn,
               unsigned int attr);

#endif /* ORRERY_EMULATE_DECODE_H */
