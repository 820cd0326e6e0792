/* SPDX-License-Identifier: MIT */
/*
 * The emulator's callbacks for a guest (emulate.h). A memory access is
 * split at page boundaries; each piece is translated through the guest's
 * page tables (guest_walk.c), then goes to RAM (copy_*_guest, which only
 * touches the domain's own readable/writable frames) or, where the p2m
 * has nothing readable, to MMIO. A write that straddles RAM and MMIO is
 * checked whole before any byte is written, so a fault leaves nothing
 * half done.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>

#include "emulate.h"
#include "mmio.h"

static struct hvm_emul *of(struct x86_emulate_ctxt *c)
{
    return container_of(c, struct hvm_emul, ctxt);
}

static bool is_ram(struct vcpu *v, uint64_t gpa, bool write)
{
    struct p2m_entry e;

    p2m_get_entry(v->domain, _gfn(gpa >> PAGE_SHIFT), &e);
    return write ? p2m_is_writable(e.type) : p2m_is_readable(e.type);
}

/* Unclaimed MMIO: reads float high, writes go nowhere. */
static void mmio_read(struct hvm_emul *e, void *buf, unsigned int bytes)
{
    memset(buf, 0xff, bytes);
    e->mmio_reads++;
}

static int linear(struct hvm_emul *e, enum x86_segment seg, uint64_t off,
                  unsigned int bytes, enum x86_access acc, uint64_t *lin)
{
    int rc;

    if ( seg == x86_seg_none )
    {
        *lin = off;
        return X86EMUL_OKAY;
    }
    if ( seg > x86_seg_gs )
        return X86EMUL_UNHANDLEABLE;
    rc = x86_seg_check(seg, &e->seg[seg], off, bytes, acc, &e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    *lin = e->seg[seg].base + off;
    if ( e->ctxt.mode != X86_MODE_64 )
        *lin &= 0xffffffffULL;
    return X86EMUL_OKAY;
}

/* The guest-physical address of each page piece of [lin, lin + bytes). */
static int translate(struct hvm_emul *e, uint64_t lin, unsigned int bytes,
                     enum hvm_access acc, uint64_t gpa[2], unsigned int n[2])
{
    unsigned int first = (unsigned int)MIN((uint64_t)bytes,
                                           PAGE_SIZE - (lin & (PAGE_SIZE - 1)));

    n[0] = first;
    n[1] = bytes - first;
    for ( unsigned int i = 0; i < 2 && n[i]; i++ )
    {
        uint64_t l = i ? lin + first : lin;
        uint32_t pfec = 0;
        int rc = hvm_linear_to_phys(e->v, &e->pg, l, acc, &gpa[i], &pfec);

        if ( rc == -EFAULT )
            return x86_emul_pagefault(pfec, l, &e->ctxt);
        if ( rc )
            return X86EMUL_UNHANDLEABLE;    /* tables outside RAM */
    }
    return X86EMUL_OKAY;
}

static int do_read(struct hvm_emul *e, enum x86_segment seg, uint64_t off,
                   void *buf, unsigned int bytes, enum x86_access acc)
{
    uint64_t lin, gpa[2];
    unsigned int n[2];
    uint8_t *p = buf;
    int rc = linear(e, seg, off, bytes, acc, &lin);

    if ( rc == X86EMUL_OKAY )
        rc = translate(e, lin, bytes,
                       acc == X86_ACCESS_FETCH ? HVM_FETCH : HVM_READ, gpa, n);
    for ( unsigned int i = 0; rc == X86EMUL_OKAY && i < 2 && n[i]; i++ )
    {
        if ( !is_ram(e->v, gpa[i], false) )
        {
            if ( !hvm_mmio_read(e->v, gpa[i], p, n[i]) )
                mmio_read(e, p, n[i]);
        }
        else if ( copy_from_guest_phys(e->v, p, gpa[i], n[i]) )
            rc = X86EMUL_UNHANDLEABLE;
        p += n[i];
    }
    return rc;
}

static int hvm_read(enum x86_segment seg, uint64_t off, void *buf,
                    unsigned int bytes, struct x86_emulate_ctxt *c)
{
    return do_read(of(c), seg, off, buf, bytes, X86_ACCESS_READ);
}

static int hvm_fetch(enum x86_segment seg, uint64_t off, void *buf,
                     unsigned int bytes, struct x86_emulate_ctxt *c)
{
    return do_read(of(c), seg, off, buf, bytes, X86_ACCESS_FETCH);
}

static int hvm_write(enum x86_segment seg, uint64_t off, const void *buf,
                     unsigned int bytes, struct x86_emulate_ctxt *c)
{
    struct hvm_emul *e = of(c);
    uint64_t lin, gpa[2];
    unsigned int n[2];
    const uint8_t *p = buf;
    int rc = linear(e, seg, off, bytes, X86_ACCESS_WRITE, &lin);

    if ( rc == X86EMUL_OKAY )
        rc = translate(e, lin, bytes, HVM_WRITE, gpa, n);
    if ( rc != X86EMUL_OKAY )
        return rc;
    /* RAM the guest may not write (read-only types) refuses the whole
     * access before anything is written. */
    for ( unsigned int i = 0; i < 2 && n[i]; i++ )
        if ( is_ram(e->v, gpa[i], false) && !is_ram(e->v, gpa[i], true) )
            return X86EMUL_UNHANDLEABLE;
    for ( unsigned int i = 0; i < 2 && n[i]; i++ )
    {
        if ( !is_ram(e->v, gpa[i], false) )
        {
            if ( !hvm_mmio_write(e->v, gpa[i], p, n[i]) )
                e->mmio_writes++;           /* unclaimed: dropped */
        }
        else if ( copy_to_guest_phys(e->v, gpa[i], p, n[i]) )
            return X86EMUL_UNHANDLEABLE;
        p += n[i];
    }
    return X86EMUL_OKAY;
}

/* Not atomic against other vCPUs: RAM targets of LOCKed instructions are
 * not emulated here (they do not fault to the hypervisor); MMIO is. */
static int hvm_cmpxchg(enum x86_segment seg, uint64_t off, void *old,
                       const void *new, unsigned int bytes, bool lock,
                       struct x86_emulate_ctxt *c)
{
    uint8_t cur[16];
    int rc;

    (void)lock;
    if ( bytes > sizeof(cur) )
        return X86EMUL_UNHANDLEABLE;
    rc = hvm_read(seg, off, cur, bytes, c);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( memcmp(cur, old, bytes) )
    {
        memcpy(old, cur, bytes);
        return X86EMUL_CMPXCHG_FAILED;
    }
    return hvm_write(seg, off, new, bytes, c);
}

static int hvm_read_segment(enum x86_segment seg, struct segment_register *r,
                            struct x86_emulate_ctxt *c)
{
    struct hvm_emul *e = of(c);

    switch ( seg )
    {
    case x86_seg_gdtr: *r = e->gdtr; break;
    case x86_seg_idtr: *r = e->idtr; break;
    case x86_seg_ldtr: *r = e->ldtr; break;
    case x86_seg_tr: *r = e->tr; break;
    default:
        if ( seg > x86_seg_gs )
            return X86EMUL_UNHANDLEABLE;
        *r = e->seg[seg];
    }
    return X86EMUL_OKAY;
}

static int hvm_read_cr(unsigned int reg, uint64_t *val,
                       struct x86_emulate_ctxt *c)
{
    struct hvm_emul *e = of(c);

    switch ( reg )
    {
    case 0: *val = e->pg.cr0; return X86EMUL_OKAY;
    case 3: *val = e->pg.cr3; return X86EMUL_OKAY;
    case 4: *val = e->pg.cr4; return X86EMUL_OKAY;
    }
    return X86EMUL_UNHANDLEABLE;
}

static int hvm_read_io(unsigned int port, unsigned int bytes, uint32_t *val,
                       struct x86_emulate_ctxt *c)
{
    struct hvm_emul *e = of(c);

    if ( !e->port_io )
        return X86EMUL_UNHANDLEABLE;
    e->port_io(e, true, port, bytes, val);
    return X86EMUL_OKAY;
}

static int hvm_write_io(unsigned int port, unsigned int bytes, uint32_t val,
                        struct x86_emulate_ctxt *c)
{
    struct hvm_emul *e = of(c);

    if ( !e->port_io )
        return X86EMUL_UNHANDLEABLE;
    e->port_io(e, false, port, bytes, &val);
    return X86EMUL_OKAY;
}

/* Everything else (control-register writes, MSRs ...) is left to its own
 * intercept: the emulator returns UNHANDLEABLE for it here; so is port
 * I/O unless the caller gives port_io. */
static const struct x86_emulate_ops hvm_ops = {
    .read = hvm_read,
    .insn_fetch = hvm_fetch,
    .write = hvm_write,
    .cmpxchg = hvm_cmpxchg,
    .read_segment = hvm_read_segment,
    .read_cr = hvm_read_cr,
    .read_io = hvm_read_io,
    .write_io = hvm_write_io,
};

int hvm_emulate_one(struct hvm_emul *e)
{
    e->ctxt.data = e;
    return x86_emulate(&e->ctxt, &hvm_ops);
}
