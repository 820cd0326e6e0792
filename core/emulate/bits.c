/* SPDX-License-Identifier: MIT */
/*
 * Bit instructions: BT/BTS/BTR/BTC (0F A3/AB/B3/BB, 0F BA /4-/7),
 * BSF/BSR (0F BC/BD) and BSWAP (0F C8-CF); POPCNT, TZCNT and LZCNT
 * are passed on to count.c.
 */
#include "private.h"

/*
 * BTx: CF = the selected bit; ZF is unchanged, OF SF AF PF undefined
 * (SDM Vol. 2A "BT"). With a memory base and a register offset the offset
 * is signed and may reach outside the operand: the operand-sized word at
 * EA + (offset SAR log2(bits)) * bytes is the one addressed. An immediate
 * offset is taken modulo the operand size.
 */
static int bt_group(struct emul *e, unsigned int kind, uint64_t offset,
                    bool reg_offset)
{
    struct x86_insn *insn = e->insn;
    unsigned int bytes = insn->op_bytes, bits = bytes * 8;
    struct operand dst;
    uint64_t bit, res;
    int rc;

    op_modrm_rm(e, &dst, bytes);
    if ( dst.kind == OP_MEM && reg_offset )
    {
        int64_t words = sext(offset, bytes) >> (bytes == 2 ? 4 :
                                                bytes == 4 ? 5 : 6);

        dst.off = addr_trunc(e, dst.off + (uint64_t)words * bytes);
    }
    bit = offset & (bits - 1);

    rc = op_read(e, &dst);
    if ( rc != X86EMUL_OKAY )
        return rc;
    flags_set(e, X86_EFLAGS_CF, (dst.val >> bit) & 1);
    e->ctxt->flags_undefined |= X86_EFLAGS_OF | X86_EFLAGS_SF |
                                X86_EFLAGS_AF | X86_EFLAGS_PF;
    switch ( kind )
    {
    case 5:                                             /* BTS */
        res = dst.val | (1ULL << bit);
        break;
    case 6:                                             /* BTR */
        res = dst.val & ~(1ULL << bit);
        break;
    case 7:                                             /* BTC */
        res = dst.val ^ (1ULL << bit);
        break;
    default:                                            /* BT */
        return X86EMUL_OKAY;
    }
    return op_rmw_commit(e, &dst, dst.val, res);
}

/*
 * BSF/BSR: ZF = (source == 0); CF OF SF AF PF undefined. A zero source
 * leaves the destination's value (AMD APM Vol. 3 "BSF"; Intel calls it
 * undefined): it is written back unchanged, which zero-extends a 32-bit
 * register as Intel processors (and QEMU) do.
 */
static int bit_scan(struct emul *e, bool reverse)
{
    unsigned int bytes = e->insn->op_bytes;
    struct operand src, dst;
    uint64_t v;
    int rc;

    op_modrm_rm(e, &src, bytes);
    rc = op_read(e, &src);
    if ( rc != X86EMUL_OKAY )
        return rc;
    v = src.val & size_mask(bytes);
    e->ctxt->flags_undefined |= X86_EFLAGS_CF | X86_EFLAGS_OF |
                                X86_EFLAGS_SF | X86_EFLAGS_AF |
                                X86_EFLAGS_PF;
    flags_set(e, X86_EFLAGS_ARITH, v ? 0 : X86_EFLAGS_ZF);
    op_modrm_reg(e, &dst, bytes);
    if ( !v )
        return op_write(e, &dst, dst.val);
    return op_write(e, &dst, reverse ? (uint64_t)(63 - __builtin_clzll(v))
                                     : (uint64_t)__builtin_ctzll(v));
}

int emul_bits(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    struct operand src;

    switch ( op )
    {
    case 0xa3: case 0xab: case 0xb3: case 0xbb:
        /* A3 BT, AB BTS, B3 BTR, BB BTC: the kind is bits 3-4 + 4. */
        op_modrm_reg(e, &src, insn->op_bytes);
        return bt_group(e, op == 0xa3 ? 4 : 4 + ((op >> 3) & 3), src.val,
                        true);
    case 0xba:
        return bt_group(e, insn->modrm_reg & 7, insn->imm & 0xff, false);
    case 0xb8:
        return emul_count(e);                           /* POPCNT */
    case 0xbc: case 0xbd:
        /* F3 makes these TZCNT/LZCNT on processors that have them. */
        if ( count_insn_present(e) )
            return emul_count(e);
        return bit_scan(e, op & 1);
    case 0xc8 ... 0xcf:
    {
        unsigned int reg = (op & 7) | ((insn->rex & 1) << 3);
        uint64_t v = e->regs->gpr[reg];

        /* BSWAP of a 16-bit register is undefined (SDM "BSWAP"). */
        if ( insn->op_bytes == 2 )
            return X86EMUL_UNHANDLEABLE;
        v = insn->op_bytes == 8 ? __builtin_bswap64(v)
                                : __builtin_bswap32((uint32_t)v);
        reg_write(e, reg, insn->op_bytes, v, false);
        return X86EMUL_OKAY;
    }
    }
    return X86EMUL_UNHANDLEABLE;
}
