/* SPDX-License-Identifier: MIT */
/*
 * Loading a data or stack segment register (MOV Sreg, POP Sreg, LDS,
 * LES, LSS, LFS, LGS). In real mode (CR0.PE = 0) the base is the
 * selector times 16 and the cached limit and attributes stay (SDM Vol.
 * 3A §20.1.1). In protected mode the descriptor is read from the GDT or
 * LDT through the read callback (linear addresses, x86_seg_none) and
 * checked as SDM Vol. 2B "MOV" and "POP" and Vol. 3A §5.4-5.6 say:
 *  - a null selector unloads DS, ES, FS or GS; for SS it is #GP(0),
 *    except in 64-bit mode at CPL 0-2 with RPL = CPL;
 *  - outside the table's limit, a system descriptor, an execute-only
 *    code segment, or a data/non-conforming code segment with DPL below
 *    CPL or RPL: #GP(selector);
 *  - SS needs a writable data segment with DPL = RPL = CPL, else
 *    #GP(selector);
 *  - not present: #NP(selector), #SS(selector) for SS.
 * The descriptor's accessed bit is set as the processor does. Null FS
 * and GS in 64-bit mode are UNHANDLEABLE: whether the base is cleared
 * differs between vendors (AMD APM Vol. 2 §4.5.3).
 */
#include "private.h"

#define DESC_S          0x10        /* attr: code or data, not system */
#define DESC_P          0x80        /* attr: present */
#define TYPE_ACCESSED   0x1
#define TYPE_WRITABLE   0x2         /* data */
#define TYPE_READABLE   0x2         /* code */
#define TYPE_CONFORMING 0x4         /* code */
#define TYPE_CODE       0x8

static int sel_fault(struct emul *e, unsigned int vector, uint16_t sel)
{
    return emul_raise(e, vector, sel & 0xfffc);
}

/* The descriptor table @sel points into: base and limit, or a fault. */
static int table_of(struct emul *e, uint16_t sel, uint64_t *base,
                    uint32_t *limit)
{
    struct segment_register t;
    int rc = e->ops->read_segment(sel & 4 ? x86_seg_ldtr : x86_seg_gdtr, &t,
                                  e->ctxt);

    if ( rc != X86EMUL_OKAY )
        return rc;
    /* An LDT selector needs a usable LDT (SDM Vol. 3A §5.4). */
    if ( (sel & 4) && (!(t.sel & 0xfffc) || !(t.attr & DESC_P)) )
        return sel_fault(e, X86_EXC_GP, sel);
    *base = t.base;
    *limit = t.limit;
    return X86EMUL_OKAY;
}

/* Unpack a legacy descriptor into a segment_register. */
static void unpack(uint64_t d, uint16_t sel, struct segment_register *r)
{
    uint32_t limit = (d & 0xffff) | ((d >> 32) & 0xf0000);

    r->sel = sel;
    r->attr = ((d >> 40) & 0xff) | ((d >> 44) & 0xf00);
    r->limit = (r->attr & 0x800) ? (limit << 12) | 0xfff : limit;
    r->base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000);
}

static int protected_load(struct emul *e, enum x86_segment seg,
                          uint16_t sel)
{
    unsigned int cpl = e->ctxt->cpl, rpl = sel & 3, dpl, type;
    struct segment_register r = { .sel = sel };
    uint64_t base = 0, d = 0;
    uint32_t limit = 0;
    uint8_t acc;
    int rc;

    if ( !(sel & 0xfffc) )
    {
        if ( seg == x86_seg_ss &&
             (e->ctxt->mode != X86_MODE_64 || cpl == 3 || rpl != cpl) )
            return emul_raise(e, X86_EXC_GP, 0);
        if ( e->ctxt->mode == X86_MODE_64 &&
             (seg == x86_seg_fs || seg == x86_seg_gs) )
            return X86EMUL_UNHANDLEABLE;
        /* Unusable: not present, nothing else cached. */
        return e->ops->write_segment(seg, &r, e->ctxt);
    }

    rc = table_of(e, sel, &base, &limit);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( (sel | 7) > limit )
        return sel_fault(e, X86_EXC_GP, sel);
    rc = e->ops->read(x86_seg_none, base + (sel & 0xfff8), &d, 8, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    unpack(d, sel, &r);
    type = r.attr & 0xf;
    dpl = (r.attr >> 5) & 3;

    if ( !(r.attr & DESC_S) )
        return sel_fault(e, X86_EXC_GP, sel);
    if ( seg == x86_seg_ss )
    {
        if ( rpl != cpl || dpl != cpl || (type & TYPE_CODE) ||
             !(type & TYPE_WRITABLE) )
            return sel_fault(e, X86_EXC_GP, sel);
        if ( !(r.attr & DESC_P) )
            return sel_fault(e, X86_EXC_SS, sel);
    }
    else
    {
        if ( (type & TYPE_CODE) && !(type & TYPE_READABLE) )
            return sel_fault(e, X86_EXC_GP, sel);
        if ( (!(type & TYPE_CODE) || !(type & TYPE_CONFORMING)) &&
             (rpl > dpl || cpl > dpl) )
            return sel_fault(e, X86_EXC_GP, sel);
        if ( !(r.attr & DESC_P) )
            return sel_fault(e, X86_EXC_NP, sel);
    }

    if ( !(type & TYPE_ACCESSED) )
    {
        /* Set the accessed bit in the table (descriptor byte 5). */
        acc = (d >> 40) | TYPE_ACCESSED;
        rc = e->ops->write(x86_seg_none, base + (sel & 0xfff8) + 5, &acc, 1,
                           e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        r.attr |= TYPE_ACCESSED;
    }
    return e->ops->write_segment(seg, &r, e->ctxt);
}

int seg_load(struct emul *e, enum x86_segment seg, uint16_t sel)
{
    struct segment_register r;
    uint64_t cr0;
    int rc;

    if ( !e->ops->read_segment || !e->ops->write_segment ||
         !e->ops->read_cr )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_cr(0, &cr0, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( cr0 & X86_CR0_PE )
    {
        if ( !e->ops->read || !e->ops->write )
            return X86EMUL_UNHANDLEABLE;
        rc = protected_load(e, seg, sel);
    }
    else
    {
        rc = e->ops->read_segment(seg, &r, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        r.sel = sel;
        r.base = (uint64_t)sel << 4;
        rc = e->ops->write_segment(seg, &r, e->ctxt);
    }
    return rc;
}
