/* SPDX-License-Identifier: MIT */
/*
 * Random cases: prefixes, REX, ModRM/SIB/displacement and immediates are
 * drawn at random, then the state is fitted so the instruction's memory
 * operands, stack and branch targets land inside the machine (the data
 * window and the HLT-filled code page). The fitting uses Orrery's decoder
 * for the instruction's shape only; Unicorn then decides independently.
 */
#include <string.h>

#include "gen.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;

void rnd_seed(uint64_t seed)
{
    rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
}

/* xorshift64* */
uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_value(void)
{
    switch ( rnd() % 10 )
    {
    case 0: return 0;
    case 1: return ~0ull;
    case 2: return rnd() & 0xff;
    case 3: return 1ull << (rnd() % 64);
    case 4: return (1ull << (rnd() % 64)) - 1;
    case 5: return -(rnd() & 0xff);
    case 6: return 0x7f + (rnd() % 3);          /* around 8-bit signs */
    case 7: return (rnd() & 0xffff) << 16 | 0x7fff;
    default: return rnd();
    }
}

static unsigned int shift_count(void)
{
    static const uint8_t c[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                                 63, 64, 65, 0xff };

    return rnd() % 3 ? c[rnd() % sizeof(c)] : rnd() & 0xff;
}

static uint64_t code_target(void)
{
    uint64_t t;

    do
        t = CODE_BASE + 0x40 + rnd() % (CODE_SIZE - 0x80);
    while ( t >= INSN_AT - 16 && t < INSN_AT + 32 );
    return t;
}

static uint64_t data_target(void)
{
    return TARGET_LO + rnd() % (TARGET_HI - TARGET_LO);
}

static uint64_t ea_of(const struct x86_insn *in, const struct machine *m)
{
    uint64_t ea = in->disp;

    if ( in->rip_rel )
        ea += INSN_AT + in->len;
    if ( in->ea_base != X86_NO_REG )
        ea += m->regs.gpr[in->ea_base];
    if ( in->ea_index != X86_NO_REG )
        ea += m->regs.gpr[in->ea_index] << in->ea_scale;
    return in->ad_bytes == 8 ? ea : ea & ((1ull << (in->ad_bytes * 8)) - 1);
}

static bool in_window(uint64_t a, unsigned int margin)
{
    return a >= DATA_BASE + margin && a < DATA_BASE + DATA_SIZE - margin;
}

static void patch(uint8_t *p, uint64_t v, unsigned int bytes)
{
    unsigned int i;

    for ( i = 0; i < bytes; i++ )
        p[i] = v >> (8 * i);
}

static void poke(struct machine *m, uint64_t addr, uint64_t v,
                 unsigned int bytes)
{
    if ( in_window(addr, 0) && in_window(addr + bytes - 1, 0) )
        patch(&m->data[addr - DATA_BASE], v, bytes);
}

static uint64_t reg_mask(const struct machine *m)
{
    return m->mode == X86_MODE_64 ? ~0ull : 0xffffffffull;
}

/* Move the memory operand into the data window. */
static bool place_memory(struct machine *m, struct x86_insn *in,
                         uint8_t *insn_bytes)
{
    uint64_t target = data_target(), ea = ea_of(in, m);
    unsigned int disp_at = in->len - in->imm_bytes - in->disp_bytes;

    if ( in->rip_rel )
    {
        in->disp = (int32_t)(target - (INSN_AT + in->len));
        patch(insn_bytes + disp_at, in->disp, 4);
    }
    else if ( in->ea_base != X86_NO_REG || in->ea_index != X86_NO_REG )
    {
        unsigned int r = in->ea_base != X86_NO_REG ? in->ea_base
                                                   : in->ea_index;
        uint64_t delta = target - ea;

        if ( r == in->ea_index && in->ea_base == X86_NO_REG )
            delta >>= in->ea_scale;
        else if ( in->ea_base == in->ea_index )
            delta /= 1 + (1u << in->ea_scale);
        m->regs.gpr[r] = (m->regs.gpr[r] + delta) & reg_mask(m);
    }
    else
    {
        in->disp = target;
        patch(insn_bytes + disp_at, target, in->disp_bytes);
    }
    return in_window(ea_of(in, m), 0x100);
}

/* Write the decoded instruction and fill the page with HLT around it. */
static void place_code(struct machine *m, const uint8_t *b, unsigned int n)
{
    memset(m->code, 0xf4, CODE_SIZE);
    memcpy(&m->code[INSN_AT - CODE_BASE], b, n);
}

static int decode(struct machine *m, const uint8_t *b, unsigned int n,
                  struct x86_insn *out)
{
    struct x86_emulate_ctxt c = {
        .mode = m->mode, .insn_buf = b, .insn_buf_bytes = n,
    };
    int rc = x86_decode(&c, NULL);

    *out = c.insn;
    return rc;
}

unsigned int gen_case(const struct form *f, struct machine *m)
{
    unsigned int attempt, i, len, n;
    struct x86_insn in;
    uint8_t b[40];

    for ( attempt = 0; attempt < 64; attempt++ )
    {
        n = gen_build(f, m, b);
        for ( i = 0; i < 16; i++ )
            m->regs.gpr[i] = rnd_value() & reg_mask(m);
        m->regs.rflags = 2 | (rnd() & (X86_EFLAGS_ARITH | X86_EFLAGS_DF |
                                       X86_EFLAGS_IF));
        m->regs.rip = INSN_AT;
        for ( i = 0; i < DATA_SIZE; i += 8 )
        {
            uint64_t v = rnd();

            memcpy(&m->data[i], &v, 8);
        }
        m->io_seed = rnd();
        m->nr_outs = 0;
        for ( i = 0; i < 16 * 16; i += 8 )
        {
            uint64_t v = rnd_value();

            memcpy(&m->xmm[0][0] + i, &v, 8);
        }

        if ( decode(m, b, n, &in) != X86EMUL_OKAY )
        {
            /* An invalid encoding (a stray LOCK): a case for #UD. */
            place_code(m, b, 15);
            return 15;
        }
        len = in.len;

        if ( f->flags & F_STACK )
            m->regs.gpr[X86_RSP] = (rnd() & reg_mask(m) &
                                    ~size_mask_of(m->mode)) | data_target();
        if ( f->flags & F_LEAVE )
            m->regs.gpr[X86_RBP] = data_target();
        if ( f->map == 0 && f->op == 0xc8 )
            m->regs.gpr[X86_RSP] &= size_mask_of(m->mode);
        if ( f->flags & F_STRING )
        {
            /* Bits above the address size must not matter. */
            uint64_t hi = reg_mask(m) & ~size_mask_of(in.ad_bytes);

            m->regs.gpr[X86_RSI] = (rnd() & hi) | data_target();
            m->regs.gpr[X86_RDI] = (rnd() & hi) | data_target();
            m->regs.gpr[X86_RCX] = (rnd() & hi) | (rnd() % 17);
        }
        if ( f->flags & F_LOOP )
            m->regs.gpr[X86_RCX] = rnd() % 3 ? rnd() % 3 : rnd_value();
        if ( f->op >= 0xd2 && f->op <= 0xd3 && f->map == 0 )
            m->regs.gpr[X86_RCX] = (m->regs.gpr[X86_RCX] & ~0xffull) |
                                   shift_count();
        if ( (f->flags & F_DIV) && rnd() % 4 )
        {
            unsigned int ob = f->op & 1 ? in.op_bytes : 1;
            uint64_t ax = m->regs.gpr[X86_RAX];
            bool neg = ax & (1ull << (ob * 8 - 1));
            uint64_t hi = (f->reg == 7 && neg) ? ~0ull : 0;

            if ( ob == 1 )
                m->regs.gpr[X86_RAX] = (ax & ~0xff00ull) | (hi & 0xff00);
            else
                m->regs.gpr[X86_RDX] = hi & reg_mask(m);
        }

        if ( f->flags & F_BITOFF )
            m->regs.gpr[in.modrm_reg] = (rnd() % 512 - 256) & reg_mask(m);
        if ( f->flags & F_XLAT )
            m->regs.gpr[X86_RBX] = (m->regs.gpr[X86_RBX] & reg_mask(m) &
                                    ~size_mask_of(in.ad_bytes)) |
                                   data_target();
        /* Before placing memory: RAX may be the index. */
        if ( f->map == 1 && (f->op & 0xfe) == 0xb0 )
            m->regs.gpr[X86_RAX] &= 0xffffffffu;
        if ( in.mem && !place_memory(m, &in, b) )
            continue;
        if ( (f->flags & F_BITOFF) && in.mem )
        {
            /* The word addressed lies offset/8 bytes from the EA. */
            int64_t off = (int64_t)(m->regs.gpr[in.modrm_reg] <<
                                    (64 - in.op_bytes * 8)) >>
                          (64 - in.op_bytes * 8);

            if ( off < -256 || off >= 256 ||
                 !in_window(ea_of(&in, m) + (off >> 3), 0x100) )
                continue;
        }
        if ( (f->flags & F_CX8) && in.op_bytes == 8 && rnd() % 8 )
        {
            /* Mostly aligned: a misaligned CMPXCHG16B is #GP(0). */
            uint64_t ea = ea_of(&in, m);

            if ( in.ea_base == X86_NO_REG || in.ea_base == in.ea_index )
                continue;
            m->regs.gpr[in.ea_base] -= ea & 15;
        }
        if ( (f->flags & F_ALIGN16) && in.mem )
        {
            uint64_t ea = ea_of(&in, m);

            if ( in.ea_base == X86_NO_REG || in.ea_base == in.ea_index )
                continue;
            m->regs.gpr[in.ea_base] -= ea & 15;
        }
        if ( (f->flags & F_CX8) && rnd() % 2 )
        {
            /* Make the comparison succeed half the time. */
            uint64_t ea = ea_of(&in, m), *r = m->regs.gpr;

            if ( in.op_bytes == 8 )
            {
                poke(m, ea, r[X86_RAX], 8);
                poke(m, ea + 8, r[X86_RDX], 8);
            }
            else
                poke(m, ea, (uint32_t)r[X86_RAX] | r[X86_RDX] << 32, 8);
        }
        if ( f->map == 0 && f->op == 0xc2 )
            b[len - 1] &= 0x7f;
        if ( f->flags & F_MOFFS )
            patch(b + len - in.imm_bytes, data_target(), in.imm_bytes);
        if ( f->flags & F_REL )
        {
            uint64_t t = code_target();
            int64_t rel = t - (INSN_AT + len);

            if ( in.imm_bytes == 1 && (rel < -128 || rel > 127) )
            {
                rel = (int8_t)rnd();
                t = INSN_AT + len + rel;
                if ( t >= INSN_AT - 16 && t < INSN_AT + 32 )
                    continue;
            }
            patch(b + len - in.imm_bytes, rel, in.imm_bytes);
        }
        if ( f->flags & (F_RET | F_INDIRECT) )
        {
            uint64_t t = code_target();

            if ( f->flags & F_RET )
                poke(m, m->regs.gpr[X86_RSP] & size_mask_of(m->mode),
                     t, in.op_bytes);
            else if ( in.mem )
                poke(m, ea_of(&in, m), t, in.op_bytes);
            else
                m->regs.gpr[in.modrm_rm] = t;
        }
        if ( f->flags & F_POPF )
        {
            /* Any flags but TF, whose #DB after the next instruction
             * is not this instruction's. */
            uint64_t fl = rnd() & ~(uint64_t)X86_EFLAGS_TF;

            poke(m, m->regs.gpr[X86_RSP] & size_mask_of(m->mode), fl,
                 in.op_bytes);
        }
        if ( (f->flags & F_STACK) &&
             !in_window(m->regs.gpr[X86_RSP] & size_mask_of(m->mode), 0x100) )
            continue;

        place_code(m, b, len);
        return len;
    }
    return 0;
}
