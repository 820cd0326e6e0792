/* SPDX-License-Identifier: MIT */
/*
 * Operand plumbing every opcode group goes through: the memory operand's
 * offset, registers and memory as struct operand, reads and writes
 * through the callbacks. Inline because each MMIO instruction calls
 * most of them once, and call overhead was a third of a MOV's cost
 * (bench-emulate). Included by private.h only.
 */
#ifndef ORRERY_EMULATE_OPERAND_H
#define ORRERY_EMULATE_OPERAND_H

static inline uint64_t addr_trunc(const struct emul *e, uint64_t addr)
{
    return addr & size_mask(e->insn->ad_bytes);
}

/*
 * The memory operand's offset: base + index * scale + displacement,
 * wrapped to the address size; RIP-relative is from the next instruction
 * (SDM Vol. 2A §2.2.1.6).
 */
static inline void ea_compute(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint64_t ea = insn->disp;

    if ( insn->rip_rel )
        ea += e->next_rip;
    if ( insn->ea_base != X86_NO_REG )
        ea += e->regs->gpr[insn->ea_base];
    if ( insn->ea_index != X86_NO_REG )
        ea += e->regs->gpr[insn->ea_index] << insn->ea_scale;
    insn->ea = addr_trunc(e, ea);
}

static inline void op_gpr(struct emul *e, struct operand *op,
                          unsigned int reg, unsigned int bytes)
{
    op->kind = OP_REG;
    op->bytes = bytes;
    op->reg = reg;
    op->high8 = is_high8(e, reg, bytes);
    op->val = reg_read(e, reg, bytes, true);
}

static inline void op_mem(struct emul *e, struct operand *op,
                          enum x86_segment seg, uint64_t off,
                          unsigned int bytes)
{
    (void)e;
    op->kind = OP_MEM;
    op->bytes = bytes;
    op->seg = seg;
    op->off = off;
    op->val = 0;
}

static inline void op_modrm_rm(struct emul *e, struct operand *op,
                               unsigned int bytes)
{
    if ( e->insn->mem )
        op_mem(e, op, e->insn->seg, e->insn->ea, bytes);
    else
        op_gpr(e, op, e->insn->modrm_rm, bytes);
}

static inline void op_modrm_reg(struct emul *e, struct operand *op,
                                unsigned int bytes)
{
    op_gpr(e, op, e->insn->modrm_reg, bytes);
}

static inline int mem_read(struct emul *e, enum x86_segment seg,
                           uint64_t off, void *buf, unsigned int bytes)
{
    int rc = mem_check(e, seg, off, bytes);

    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( !e->ops->read )
        return X86EMUL_UNHANDLEABLE;
    return e->ops->read(seg, off, buf, bytes, e->ctxt);
}

static inline int mem_write(struct emul *e, enum x86_segment seg,
                            uint64_t off, const void *buf,
                            unsigned int bytes)
{
    int rc = mem_check(e, seg, off, bytes);

    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( !e->ops->write )
        return X86EMUL_UNHANDLEABLE;
    return e->ops->write(seg, off, buf, bytes, e->ctxt);
}

/*
 * The value of the @bytes (1, 2, 4 or 8) a read callback stored at @buf.
 * Both platforms are little-endian: an operand's bytes are its value.
 * Loaded at exactly the width the callback wrote: an 8-byte load of a
 * buffer whose low half was just stored cannot be store-forwarded and
 * stalls the load for longer than the rest of a MOV takes.
 */
static inline uint64_t le_value(const void *buf, unsigned int bytes)
{
    uint32_t v32;
    uint16_t v16;
    uint64_t v64;

    switch ( bytes )
    {
    case 1:
        return *(const uint8_t *)buf;
    case 2:
        memcpy(&v16, buf, 2);
        return v16;
    case 4:
        memcpy(&v32, buf, 4);
        return v32;
    }
    memcpy(&v64, buf, 8);
    return v64 & size_mask(bytes);
}

static inline int op_read(struct emul *e, struct operand *op)
{
    uint64_t v = 0;
    int rc;

    if ( op->kind != OP_MEM )
        return X86EMUL_OKAY;
    rc = mem_read(e, op->seg, op->off, &v, op->bytes);
    op->val = le_value(&v, op->bytes);
    return rc;
}

static inline int op_write(struct emul *e, const struct operand *op,
                           uint64_t val)
{
    if ( op->kind == OP_REG )
    {
        reg_write(e, op->reg, op->bytes, val, true);
        return X86EMUL_OKAY;
    }
    return mem_write(e, op->seg, op->off, &val, op->bytes);
}

/*
 * Write back a read-modify-write result. With LOCK the update must be
 * atomic: it goes through the cmpxchg callback against the value read,
 * and if memory changed meanwhile the instruction is retried from the
 * start (nothing has been committed yet).
 */
static EMUL_INLINE int op_rmw_commit(struct emul *e,
                                     const struct operand *op,
                                     uint64_t old, uint64_t val)
{
    int rc;

    if ( op->kind != OP_MEM || !(e->insn->prefixes & X86_PFX_LOCK) )
        return op_write(e, op, val);
    if ( !e->ops->cmpxchg )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->cmpxchg(op->seg, op->off, &old, &val, op->bytes, true,
                         e->ctxt);
    return rc == X86EMUL_CMPXCHG_FAILED ? X86EMUL_RETRY : rc;
}

#endif /* ORRERY_EMULATE_OPERAND_H */
