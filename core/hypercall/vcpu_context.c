/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise's argument for HVM/PVH vCPUs (vcpu_context.h): the
 * checks Xen makes on a struct vcpu_hvm_context (its
 * arch_set_info_hvm_guest: padding, segment types and privilege levels,
 * EIP inside CS, 64-bit mode needing paging, PAE and LME), plus the ones
 * VMRUN would otherwise fail the vCPU on (AMD APM vol. 2 §15.5.1: CR0
 * high half, NW without CD, long mode without PAE, reserved CR3/CR4/EFER
 * bits, CS.L with CS.D). Anything else is -EINVAL, never a VMEXIT_INVALID
 * that would crash the domain later.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/vcpu_context.h>

#include <public/hvm/hvm_vcpu.h>

/* Flags software may set (CF PF AF ZF SF TF IF DF OF IOPL NT RF VM AC
 * VIF VIP ID); bit 1 reads as one. */
#define RFLAGS_ALL 0x3f7fd5ull
#define RFLAGS_MBS 0x2ull
/* CR4 bits a vCPU may start with: VME .. OSXMMEXCPT, the ones every
 * x86-64 CPU the guest CPUID describes has (Xen checks the domain's
 * CPUID; the rest are refused here rather than by VMRUN). */
#define CR4_VALID 0x7ffull
/* EFER bits: no SVME for guests (no nested virtualisation). */
#define EFER_VALID (HVM_EFER_SCE | HVM_EFER_LME | HVM_EFER_LMA | HVM_EFER_NXE)
/* Long-mode start segments, as Xen gives a 64-bit vCPU: code
 * (L, P, DPL 0, execute/read, accessed), data (G, D/B, P, read/write,
 * accessed) and a busy 64-bit TSS of 0x68 bytes. */
#define AR_CODE64 0xa9bu
#define AR_DATA   0xc93u
#define AR_TSS64  0x08bu
#define TSS_BUSY  0xbu

enum seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

static int bad(const char *why)
{
    printk(LOG_DEBUG "VCPUOP_initialise: %s\n", why);
    return -EINVAL;
}

/* One segment of a 32-bit start; sets the accessed (busy for TR) bit of
 * a present segment, as loading it would. */
static int check_seg(enum seg which, uint32_t base, uint32_t limit,
                     uint16_t ar, struct hvm_seg *out)
{
    unsigned int type = HVM_SEG_TYPE(ar);

    if ( ar & 0xf000 )
        return bad("segment attribute bits 15:12 set");
    /* Limit in bytes: with G, in 4 KiB units (Xen's arithmetic, in 32
     * bits). */
    out->base = base;
    out->limit = (ar & HVM_SEG_G) ? (limit << 12) | 0xfff : limit;
    out->attr = ar;
    if ( ar == 0 )
        return (which == SEG_DS || which == SEG_ES)
               ? 0 : bad("null CS, SS or TR");
    if ( which == SEG_TR )
    {
        if ( (ar & HVM_SEG_S) || (type | 2) != TSS_BUSY )
            return bad("TR is not a 32-bit TSS");
        out->attr |= 2;
    }
    else
    {
        if ( !(ar & HVM_SEG_S) )
            return bad("system segment for CS, DS, SS or ES");
        out->attr |= 1;
    }
    if ( !(ar & HVM_SEG_P) )
        return bad("segment not present");
    switch ( which )
    {
    case SEG_CS:
        if ( !(type & 8) )
            return bad("CS is not a code segment");
        break;
    case SEG_SS:
        if ( (type & 8) || !(type & 2) )
            return bad("SS is not a writable data segment");
        break;
    case SEG_DS:
    case SEG_ES:
        if ( (type & 8) && !(type & 2) )
            return bad("DS or ES is an execute-only code segment");
        break;
    case SEG_TR:
        break;
    }
    return 0;
}

/* The registers both layouts of vcpu_hvm_context (public/hvm/hvm_vcpu.h)
 * carry, named alike but for the e/r prefix of the general ones. */
#define LOAD_REGS(s, r, p) do {                                         \
    (s)->rax = (r)->p##ax; (s)->rcx = (r)->p##cx;                       \
    (s)->rdx = (r)->p##dx; (s)->rbx = (r)->p##bx;                       \
    (s)->rsp = (r)->p##sp; (s)->rbp = (r)->p##bp;                       \
    (s)->rsi = (r)->p##si; (s)->rdi = (r)->p##di;                       \
    (s)->rip = (r)->p##ip; (s)->rflags = (r)->p##flags;                 \
    (s)->cr0 = (r)->cr0; (s)->cr3 = (r)->cr3; (s)->cr4 = (r)->cr4;      \
    (s)->efer = (r)->efer;                                              \
} while ( 0 )

static int load_32(const struct vcpu_hvm_x86_32 *r, struct hvm_vcpu_state *s)
{
    int rc;

    if ( r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2] )
        return bad("x86_32 padding not zero");
    if ( (rc = check_seg(SEG_CS, r->cs_base, r->cs_limit, r->cs_ar,
                         &s->cs)) ||
         (rc = check_seg(SEG_DS, r->ds_base, r->ds_limit, r->ds_ar,
                         &s->ds)) ||
         (rc = check_seg(SEG_SS, r->ss_base, r->ss_limit, r->ss_ar,
                         &s->ss)) ||
         (rc = check_seg(SEG_ES, r->es_base, r->es_limit, r->es_ar,
                         &s->es)) ||
         (rc = check_seg(SEG_TR, r->tr_base, r->tr_limit, r->tr_ar,
                         &s->tr)) )
        return rc;
    if ( r->eip > s->cs.limit )
        return bad("EIP outside CS");
    if ( HVM_SEG_DPL(s->ss.attr) != HVM_SEG_DPL(s->cs.attr) )
        return bad("SS.DPL differs from CS.DPL");
    if ( ((s->ds.attr & HVM_SEG_P) &&
          HVM_SEG_DPL(s->ds.attr) > HVM_SEG_DPL(s->cs.attr)) ||
         ((s->es.attr & HVM_SEG_P) &&
          HVM_SEG_DPL(s->es.attr) > HVM_SEG_DPL(s->cs.attr)) )
        return bad("DS.DPL or ES.DPL above CS.DPL");
    if ( (r->efer & HVM_EFER_LMA) && !(r->efer & HVM_EFER_LME) )
        return bad("EFER.LMA without EFER.LME");
    LOAD_REGS(s, r, e);
    return 0;
}

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static int load_64(const struct vcpu_hvm_x86_64 *r, struct hvm_vcpu_state *s)
{
    if ( !canonical(r->rip) )
        return bad("RIP not canonical");
    if ( !(r->cr0 & HVM_CR0_PG) )
        return bad("64-bit mode without CR0.PG");
    if ( !(r->cr4 & HVM_CR4_PAE) )
        return bad("64-bit mode without CR4.PAE");
    if ( !(r->efer & HVM_EFER_LME) )
        return bad("64-bit mode without EFER.LME");
    LOAD_REGS(s, r, r);
    s->cs = (struct hvm_seg){ .limit = ~0u, .attr = AR_CODE64 };
    s->ds = s->ss = s->es = (struct hvm_seg){ .limit = ~0u,
                                              .attr = AR_DATA };
    s->tr = (struct hvm_seg){ .limit = 0x67, .attr = AR_TSS64 };
    return 0;
}

/* What both modes share: the control registers VMRUN checks. */
static int check_control(struct hvm_vcpu_state *s)
{
    bool paging = s->cr0 & HVM_CR0_PG;

    if ( s->cr0 >> 32 )
        return bad("CR0 bits 63:32 set");
    if ( (s->cr0 & HVM_CR0_NW) && !(s->cr0 & HVM_CR0_CD) )
        return bad("CR0.NW without CR0.CD");
    if ( paging && !(s->cr0 & HVM_CR0_PE) )
        return bad("CR0.PG without CR0.PE");
    if ( s->cr4 & ~CR4_VALID )
        return bad("reserved or unoffered CR4 bits");
    if ( s->cr3 >> 52 )
        return bad("CR3 bits 63:52 set");
    if ( s->efer & ~EFER_VALID )
        return bad("reserved or unoffered EFER bits");
    /* LMA is the processor's: LME with paging on (APM vol. 2 §14.6). */
    s->efer &= ~HVM_EFER_LMA;
    if ( (s->efer & HVM_EFER_LME) && paging )
    {
        if ( !(s->cr4 & HVM_CR4_PAE) )
            return bad("long mode without CR4.PAE");
        if ( (s->cs.attr & HVM_SEG_L) && (s->cs.attr & HVM_SEG_DB) )
            return bad("CS.L and CS.D both set");
        s->efer |= HVM_EFER_LMA;
    }
    s->rflags = (s->rflags & RFLAGS_ALL) | RFLAGS_MBS;
    return 0;
}

int hvm_vcpu_context_check(const struct vcpu_hvm_context *ctx,
                           struct hvm_vcpu_state *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if ( ctx->pad )
        return bad("padding not zero");
    switch ( ctx->mode )
    {
    case VCPU_HVM_MODE_32B:
        rc = load_32(&ctx->cpu_regs.x86_32, out);
        break;
    case VCPU_HVM_MODE_64B:
        rc = load_64(&ctx->cpu_regs.x86_64, out);
        break;
    default:
        return bad("unknown mode");
    }
    return rc ? rc : check_control(out);
}

/* Real mode at vector << 8 : 0, flat 64 KiB data segments, paging and
 * protection off: where a STARTUP IPI starts a processor (SDM vol. 3
 * §10.4.4.1; Xen's hvm_vcpu_reset_state). */
void hvm_vcpu_state_sipi(struct hvm_vcpu_state *s, uint8_t vector)
{
    const struct hvm_seg data = { .limit = 0xffff, .attr = 0x093 };

    memset(s, 0, sizeof(*s));
    s->cs = (struct hvm_seg){ .sel = (uint16_t)(vector << 8),
                              .base = (uint64_t)vector << 12,
                              .limit = 0xffff, .attr = 0x09b };
    s->ds = s->es = s->ss = data;
    s->tr = (struct hvm_seg){ .limit = 0xffff, .attr = 0x083 };
    s->cr0 = 0x10;                      /* ET */
    s->rflags = RFLAGS_MBS;
}
