/* SPDX-License-Identifier: MIT */
/*
 * String instructions MOVS, CMPS, STOS, LODS, SCAS (A4-AF) and INS, OUTS
 * (6C-6F, port DX) with REP, REPE and REPNE. rSI, rDI and rCX are used at
 * the address size and step by the element size, backwards when DF is
 * set; the source segment may be overridden, ES:rDI may not (SDM Vol. 1
 * §7.3.9). INS/OUTS check the I/O permission as IN/OUT do (system.c).
 *
 * A REP instruction commits its registers after each iteration: if one
 * faults part way, ctxt->regs holds rCX/rSI/rDI after the completed
 * iterations and RIP still points at the instruction, so executing it
 * again resumes where it stopped (SDM Vol. 2B "REP").
 *
 * REP MOVS and REP STOS go in bulk through rep_movs/rep_stos when the
 * caller provides them (plain RAM), with the same per-iteration commit.
 *
 * A guest controls rCX: one call runs at most X86_REP_BATCH iterations,
 * then returns OKAY with RIP still at the instruction, as hardware does
 * when it takes an interrupt between iterations; the caller re-enters
 * the guest (or the emulator) and the instruction goes on.
 */
#include "private.h"

enum str_kind {
    STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS,
};

static void step(struct emul *e, unsigned int reg, int64_t delta)
{
    unsigned int ab = e->insn->ad_bytes;

    reg_write(e, reg, ab, reg_read(e, reg, ab, false) + delta, false);
}

/* One iteration; *@stop is set by CMPS/SCAS when the REPE/REPNE
 * condition ends the loop. */
static int iteration(struct emul *e, enum str_kind kind, unsigned int bytes,
                     int64_t delta)
{
    unsigned int ab = e->insn->ad_bytes;
    uint64_t si = reg_read(e, X86_RSI, ab, false);
    uint64_t di = reg_read(e, X86_RDI, ab, false);
    unsigned int port = e->regs->gpr[X86_RDX] & 0xffff;
    uint64_t a = 0, b = 0;
    uint32_t io = 0;
    int rc = X86EMUL_OKAY;

    switch ( kind )
    {
    case STR_MOVS:
        rc = mem_read(e, e->insn->seg, si, &a, bytes);
        if ( rc == X86EMUL_OKAY )
            rc = mem_write(e, x86_seg_es, di, &a, bytes);
        break;
    case STR_CMPS:
        rc = mem_read(e, e->insn->seg, si, &a, bytes);
        if ( rc == X86EMUL_OKAY )
            rc = mem_read(e, x86_seg_es, di, &b, bytes);
        if ( rc == X86EMUL_OKAY )
            flags_set(e, X86_EFLAGS_ARITH, flags_sub(a, b, 0, bytes));
        break;
    case STR_STOS:
        a = e->regs->gpr[X86_RAX];
        rc = mem_write(e, x86_seg_es, di, &a, bytes);
        break;
    case STR_LODS:
        rc = mem_read(e, e->insn->seg, si, &a, bytes);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, X86_RAX, bytes, a, false);
        break;
    case STR_INS:
        /* The port is read before the store: if the store faults, the
         * value is lost, as on hardware (SDM Vol. 2A "INS"). */
        if ( !e->ops->read_io )
            return X86EMUL_UNHANDLEABLE;
        rc = e->ops->read_io(port, bytes, &io, e->ctxt);
        a = io;
        if ( rc == X86EMUL_OKAY )
            rc = mem_write(e, x86_seg_es, di, &a, bytes);
        break;
    case STR_OUTS:
        if ( !e->ops->write_io )
            return X86EMUL_UNHANDLEABLE;
        rc = mem_read(e, e->insn->seg, si, &a, bytes);
        if ( rc == X86EMUL_OKAY )
            rc = e->ops->write_io(port, bytes, a, e->ctxt);
        break;
    case STR_SCAS:
        rc = mem_read(e, x86_seg_es, di, &b, bytes);
        if ( rc == X86EMUL_OKAY )
            flags_set(e, X86_EFLAGS_ARITH,
                      flags_sub(e->regs->gpr[X86_RAX], b, 0, bytes));
        break;
    }
    if ( rc != X86EMUL_OKAY )
        return rc;

    if ( kind == STR_MOVS || kind == STR_CMPS || kind == STR_LODS ||
         kind == STR_OUTS )
        step(e, X86_RSI, delta);
    if ( kind != STR_LODS && kind != STR_OUTS )
        step(e, X86_RDI, delta);
    return X86EMUL_OKAY;
}

/*
 * How many of @n elements of @bytes from @off stay inside the address
 * size and, in 64-bit mode through a segment the emulator checks, in the
 * canonical half @off is in (checks.c does the rest element by element).
 */
static unsigned long bulk_room(const struct emul *e, enum x86_segment seg,
                               uint64_t off, unsigned int bytes,
                               unsigned long n)
{
    uint64_t m = size_mask(e->insn->ad_bytes), r, end;

    if ( !n )
        return 0;
    r = (m - off) / bytes;              /* elements after the first */
    if ( r < n - 1 )
        n = r + 1;
    end = off + (uint64_t)n * bytes - 1;
    if ( e->ctxt->mode == X86_MODE_64 && seg != x86_seg_fs &&
         seg != x86_seg_gs && e->insn->ad_bytes == 8 &&
         (!canonical(off) || !canonical(end) || (off ^ end) >> 63) )
        return 0;
    return n;
}

/*
 * REP MOVS/STOS forward through the bulk callbacks: as many elements as
 * they do (up to the batch), committed like as many iterations. OKAY
 * (done or UNHANDLEABLE: the loop does the rest), or the code of the
 * element that could not be done.
 */
static int rep_bulk(struct emul *e, enum str_kind kind, unsigned int bytes,
                    unsigned int *done)
{
    unsigned int ab = e->insn->ad_bytes;
    uint64_t si = reg_read(e, X86_RSI, ab, false);
    uint64_t di = reg_read(e, X86_RDI, ab, false);
    unsigned long n = MIN(reg_read(e, X86_RCX, ab, false),
                          (uint64_t)(X86_REP_BATCH - *done)), reps;
    int rc;

    if ( !n )
        return X86EMUL_OKAY;            /* rCX == 0: no access at all */
    n = bulk_room(e, x86_seg_es, di, bytes, n);
    if ( kind == STR_MOVS )
        n = bulk_room(e, e->insn->seg, si, bytes, n);
    if ( !n )
        return X86EMUL_OKAY;
    reps = n;
    if ( kind == STR_MOVS )
        rc = e->ops->rep_movs(e->insn->seg, si, di, bytes, &reps, e->ctxt);
    else
        rc = e->ops->rep_stos(di, reg_read(e, X86_RAX, bytes, false), bytes,
                              &reps, e->ctxt);
    reps = MIN(reps, n);
    /* Registers are written only by iterations that happened: with a
     * 32-bit address size a write would clear bits 63:32. */
    if ( reps )
    {
        if ( kind == STR_MOVS )
            step(e, X86_RSI, (int64_t)(reps * bytes));
        step(e, X86_RDI, (int64_t)(reps * bytes));
        step(e, X86_RCX, -(int64_t)reps);
    }
    *done += reps;
    return rc == X86EMUL_UNHANDLEABLE ? X86EMUL_OKAY : rc;
}

/*
 * REP MOVS/STOS element by element (MMIO), up to the batch. rSI, rDI
 * and rCX live in locals and are written back when the loop stops, on a
 * fault too: the same state as committing each iteration, as nothing
 * reads them in between.
 */
static int rep_loop(struct emul *e, enum str_kind kind, unsigned int bytes,
                    int64_t delta, unsigned int *done)
{
    unsigned int ab = e->insn->ad_bytes;
    uint64_t m = size_mask(ab);
    uint64_t si = e->regs->gpr[X86_RSI] & m, di = e->regs->gpr[X86_RDI] & m;
    uint64_t cx = e->regs->gpr[X86_RCX] & m, a = e->regs->gpr[X86_RAX];
    enum x86_segment seg = e->insn->seg;
    unsigned int start = *done;
    int rc = X86EMUL_OKAY;

    for ( ; cx && *done < X86_REP_BATCH; ++*done )
    {
        if ( kind == STR_MOVS )
        {
            a = 0;
            rc = mem_read(e, seg, si, &a, bytes);
            if ( rc != X86EMUL_OKAY )
                break;
            si = (si + delta) & m;
        }
        rc = mem_write(e, x86_seg_es, di, &a, bytes);
        if ( rc != X86EMUL_OKAY )
        {
            si = (si - (kind == STR_MOVS ? delta : 0)) & m;
            break;
        }
        di = (di + delta) & m;
        cx--;
    }
    /* No iteration, no register write (it would clear bits 63:32 of a
     * 32-bit address size's registers). */
    if ( *done == start )
        return rc;
    if ( kind == STR_MOVS )
        reg_write(e, X86_RSI, ab, si, false);
    reg_write(e, X86_RDI, ab, di, false);
    reg_write(e, X86_RCX, ab, cx, false);
    return rc;
}

int emul_string(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    static const uint8_t kinds[6] = {
        STR_MOVS, STR_CMPS, 0xff, STR_STOS, STR_LODS, STR_SCAS,
    };
    enum str_kind kind = insn->opcode < 0x70
                         ? (insn->opcode & 2 ? STR_OUTS : STR_INS)
                         : kinds[(insn->opcode - 0xa4) >> 1];
    /* Ports take 1, 2 or 4 bytes: INS/OUTS ignore REX.W. */
    unsigned int bytes = !(insn->opcode & 1) ? 1 :
                         kind >= STR_INS ? MIN(insn->op_bytes, 4)
                                         : insn->op_bytes;
    unsigned int ab = insn->ad_bytes;
    int64_t delta = e->regs->rflags & X86_EFLAGS_DF ? -(int64_t)bytes : bytes;
    bool rep = insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE);
    bool cond = kind == STR_CMPS || kind == STR_SCAS;
    unsigned int done = 0;
    int rc;

    if ( kind >= STR_INS && (!rep || reg_read(e, X86_RCX, ab, false)) )
    {
        rc = io_permission(e, e->regs->gpr[X86_RDX] & 0xffff, bytes);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    if ( !rep )
        return iteration(e, kind, bytes, delta);

    if ( delta > 0 && ((kind == STR_MOVS && e->ops->rep_movs) ||
                       (kind == STR_STOS && e->ops->rep_stos)) )
    {
        rc = rep_bulk(e, kind, bytes, &done);
        if ( rc != X86EMUL_OKAY )
        {
            e->keep_partial = true;
            return rc;
        }
    }

    /* With REP, rCX == 0 does nothing at all: no access, no flags. */
    if ( kind == STR_MOVS || kind == STR_STOS )
    {
        rc = rep_loop(e, kind, bytes, delta, &done);
        if ( rc != X86EMUL_OKAY )
        {
            e->keep_partial = true;
            return rc;
        }
        if ( reg_read(e, X86_RCX, ab, false) != 0 )
            e->next_rip = e->regs->rip;     /* the batch is done */
        return X86EMUL_OKAY;
    }
    for ( ; reg_read(e, X86_RCX, ab, false) != 0; done++ )
    {
        if ( done == X86_REP_BATCH )
        {
            e->next_rip = e->regs->rip;     /* come back for the rest */
            break;
        }
        rc = iteration(e, kind, bytes, delta);
        if ( rc != X86EMUL_OKAY )
        {
            /* Keep the completed iterations; RIP stays here. */
            e->keep_partial = true;
            return rc;
        }
        step(e, X86_RCX, -1);
        /* REPE stops when ZF is clear, REPNE when it is set; F2/F3 have
         * no such meaning for MOVS, STOS and LODS. */
        if ( cond && !!(e->regs->rflags & X86_EFLAGS_ZF) !=
                     !!(insn->prefixes & X86_PFX_REP) )
            break;
    }
    return X86EMUL_OKAY;
}
