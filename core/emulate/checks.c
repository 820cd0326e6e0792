/* SPDX-License-Identifier: MIT */
/*
 * Address checks: canonical addresses in 64-bit mode (done by the
 * emulator for segments with a zero base), and the segment and alignment
 * checks that callbacks apply once they know the segment and CR0.
 */
#include "private.h"

/* Descriptor attribute bits as packed in segment_register.attr. */
#define ATTR_TYPE_A     0x001   /* accessed */
#define ATTR_TYPE_W     0x002   /* data: writable; code: readable */
#define ATTR_TYPE_E     0x004   /* data: expand-down */
#define ATTR_TYPE_CODE  0x008
#define ATTR_S          0x010   /* code or data, not system */
#define ATTR_P          0x080
#define ATTR_DB         0x400

int mem_check_slow(struct emul *e, enum x86_segment seg, uint64_t off,
                   unsigned int bytes)
{
    if ( seg == x86_seg_fs || seg == x86_seg_gs || seg >= x86_seg_none ||
         (canonical(off) && canonical(off + bytes - 1)) )
        return X86EMUL_OKAY;
    return emul_raise(e, seg == x86_seg_ss ? X86_EXC_SS : X86_EXC_GP, 0);
}

static int seg_fault(enum x86_segment seg, struct x86_emulate_ctxt *ctxt)
{
    return x86_emul_hw_exception(seg == x86_seg_ss ? X86_EXC_SS : X86_EXC_GP,
                                 0, ctxt);
}

int x86_seg_check(enum x86_segment seg, const struct segment_register *reg,
                  uint64_t offset, unsigned int bytes, enum x86_access acc,
                  struct x86_emulate_ctxt *ctxt)
{
    unsigned int type = reg->attr & 0xf;
    uint64_t last = offset + bytes - 1, upper;

    if ( ctxt->mode == X86_MODE_64 )
    {
        uint64_t lin = offset;

        if ( seg == x86_seg_fs || seg == x86_seg_gs )
            lin += reg->base;
        return canonical(lin) && canonical(lin + bytes - 1)
               ? X86EMUL_OKAY : seg_fault(seg, ctxt);
    }
    if ( seg >= x86_seg_none || !bytes )
        return X86EMUL_OKAY;
    /* A null or not-present selector, or a system segment. */
    if ( !(reg->attr & ATTR_P) || !(reg->attr & ATTR_S) )
        return seg_fault(seg, ctxt);
    if ( type & ATTR_TYPE_CODE )
    {
        /* Code: never writable, readable only with R. */
        if ( acc == X86_ACCESS_WRITE ||
             (acc == X86_ACCESS_READ && !(type & ATTR_TYPE_W)) )
            return seg_fault(seg, ctxt);
    }
    else if ( acc == X86_ACCESS_WRITE && !(type & ATTR_TYPE_W) )
        return seg_fault(seg, ctxt);
    if ( !(type & ATTR_TYPE_CODE) && (type & ATTR_TYPE_E) )
    {
        /* Expand-down: offsets above the limit, up to 64K or 4G. */
        upper = reg->attr & ATTR_DB ? 0xffffffffULL : 0xffffULL;
        if ( offset <= reg->limit || last > upper || last < offset )
            return seg_fault(seg, ctxt);
        return X86EMUL_OKAY;
    }
    if ( last > reg->limit || last < offset )
        return seg_fault(seg, ctxt);
    return X86EMUL_OKAY;
}

int x86_alignment_check(uint64_t cr0, uint64_t lin, unsigned int bytes,
                        struct x86_emulate_ctxt *ctxt)
{
    if ( !(cr0 & X86_CR0_AM) || !(ctxt->regs.rflags & X86_EFLAGS_AC) ||
         ctxt->cpl != 3 || !bytes || (bytes & (bytes - 1)) )
        return X86EMUL_OKAY;
    if ( lin & (bytes - 1) )
        return x86_emul_hw_exception(X86_EXC_AC, 0, ctxt);
    return X86EMUL_OKAY;
}
