/* SPDX-License-Identifier: MIT */
/*
 * Data movement without arithmetic: MOV (88-8B, A0-A3, B0-BF, C6/C7),
 * LEA, MOVZX/MOVSX, MOVSXD, and the accumulator sign extensions
 * CBW/CWDE/CDQE and CWD/CDQ/CQO, MOVBE. No flags change.
 */
#include "private.h"

static int mov_to(struct emul *e, struct operand *dst, uint64_t val)
{
    return op_write(e, dst, val);
}

/* MOVZX/MOVSX (0F B6/B7/BE/BF) and MOVSXD (63). */
static int mov_extend(struct emul *e, unsigned int src_bytes, bool sign)
{
    const struct x86_insn *insn = e->insn;
    uint64_t v = 0;
    int rc;

    if ( insn->mem )
    {
        rc = mem_read(e, insn->seg, insn->ea, &v, src_bytes);
        if ( rc != X86EMUL_OKAY )
            return rc;
        v = le_value(&v, src_bytes);
    }
    else
        v = reg_read(e, insn->modrm_rm, src_bytes, true);
    reg_write(e, insn->modrm_reg, insn->op_bytes,
              sign ? (uint64_t)sext(v, src_bytes) : v, true);
    return X86EMUL_OKAY;
}

/*
 * MOV r/m, r and MOV r, r/m (88-8B): the moves MMIO exits are made of,
 * with a handler of their own rather than a case of emul_mov's switch.
 */
int emul_mov_rm(struct emul *e)
{
    const struct x86_insn *insn = e->insn;
    unsigned int bytes = insn->opcode & 1 ? insn->op_bytes : 1;
    struct operand dst, src;
    uint64_t v = 0;
    int rc;

    /* Memory operand: straight to the callback and the register. */
    if ( insn->mem )
    {
        if ( !(insn->opcode & 2) )          /* 88, 89: store */
        {
            v = reg_read(e, insn->modrm_reg, bytes, true);
            return mem_write(e, insn->seg, insn->ea, &v, bytes);
        }
        rc = mem_read(e, insn->seg, insn->ea, &v, bytes);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, insn->modrm_reg, bytes, le_value(&v, bytes), true);
        return rc;
    }
    if ( insn->opcode & 2 )                 /* 8A, 8B: load */
    {
        op_modrm_rm(e, &src, bytes);
        rc = op_read(e, &src);
        if ( rc != X86EMUL_OKAY )
            return rc;
        op_modrm_reg(e, &dst, bytes);
        return op_write(e, &dst, src.val);
    }
    op_modrm_rm(e, &dst, bytes);
    op_modrm_reg(e, &src, bytes);
    return op_write(e, &dst, src.val);
}

/* MOVZX/MOVSX (0F B6 B7 BE BF): a handler of their own, like 88-8B. */
int emul_movx(struct emul *e)
{
    uint8_t op = e->insn->opcode;

    return mov_extend(e, op & 1 ? 2 : 1, op & 8);
}

int emul_mov(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    unsigned int bytes = op & 1 ? insn->op_bytes : 1;
    uint64_t ax = e->regs->gpr[X86_RAX];
    struct operand dst, src;
    int rc;

    switch ( op )
    {
    case 0x63:
        /* ARPL outside 64-bit mode. MOVSXD sign-extends only with REX.W;
         * without it, it is a plain 32- (or 16-) bit move (SDM "MOVSX"). */
        if ( e->ctxt->mode != X86_MODE_64 )
            return X86EMUL_UNHANDLEABLE;
        return mov_extend(e, insn->op_bytes == 8 ? 4 : insn->op_bytes,
                          insn->op_bytes == 8);
    case 0x8d:
        /* LEA: the offset at the address size, then cut or zero-extended
         * to the operand size (SDM "LEA" Table 3-54). */
        op_modrm_reg(e, &dst, insn->op_bytes);
        return mov_to(e, &dst, insn->ea);
    case 0x98:
        bytes = insn->op_bytes;
        reg_write(e, X86_RAX, bytes, sext(ax, bytes / 2), false);
        return X86EMUL_OKAY;
    case 0x99:
        bytes = insn->op_bytes;
        reg_write(e, X86_RDX, bytes,
                  (ax & sign_bit(bytes)) ? ~0ULL : 0, false);
        return X86EMUL_OKAY;
    case 0xd7:
        /* XLAT: AL = [seg: rBX + AL], at the address size. */
        op_mem(e, &src, insn->seg,
               addr_trunc(e, e->regs->gpr[X86_RBX] + (ax & 0xff)), 1);
        rc = op_read(e, &src);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, X86_RAX, 1, src.val, false);
        return rc;
    case 0xa0 ... 0xa3:
        /* moffs: an offset in the (overridable) data segment. */
        op_mem(e, &dst, insn->seg, insn->imm & size_mask(insn->ad_bytes),
               bytes);
        if ( op >= 0xa2 )
            return mov_to(e, &dst, reg_read(e, X86_RAX, bytes, false));
        rc = op_read(e, &dst);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, X86_RAX, bytes, dst.val, false);
        return rc;
    case 0xb0 ... 0xb7:
        op_gpr(e, &dst, (op & 7) | ((insn->rex & 1) << 3), 1);
        return mov_to(e, &dst, insn->imm);
    case 0xb8 ... 0xbf:
        op_gpr(e, &dst, (op & 7) | ((insn->rex & 1) << 3), insn->op_bytes);
        return mov_to(e, &dst, insn->imm);
    case 0xc6: case 0xc7:
        if ( insn->modrm_reg & 7 )
            return X86EMUL_UNHANDLEABLE;        /* XABORT, XBEGIN */
        op_modrm_rm(e, &dst, bytes);
        return mov_to(e, &dst, insn->imm);
    }
    return X86EMUL_UNHANDLEABLE;
}

static uint64_t byte_swap(uint64_t v, unsigned int bytes)
{
    return bytes == 8 ? __builtin_bswap64(v) :
           bytes == 4 ? __builtin_bswap32((uint32_t)v) :
                        __builtin_bswap16((uint16_t)v);
}

/*
 * MOVBE (0F 38 F0 load, F1 store): a move that reverses the byte order,
 * memory operand only; a 16-bit load keeps the register's upper bits
 * (SDM Vol. 2B "MOVBE"). F2 selects CRC32, which is not emulated.
 */
int emul_movbe(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int bytes = insn->op_bytes;
    struct operand dst, src;
    int rc;

    if ( insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE) )
        return X86EMUL_UNHANDLEABLE;
    if ( !(e->ctxt->features & X86_FEAT_MOVBE) || !insn->mem )
        return emul_ud(e);
    if ( insn->opcode == 0xf1 )
    {
        op_modrm_rm(e, &dst, bytes);
        op_modrm_reg(e, &src, bytes);
        return mov_to(e, &dst, byte_swap(src.val, bytes));
    }
    op_modrm_rm(e, &src, bytes);
    rc = op_read(e, &src);
    if ( rc != X86EMUL_OKAY )
        return rc;
    op_modrm_reg(e, &dst, bytes);
    return mov_to(e, &dst, byte_swap(src.val, bytes));
}
