/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC's registers, IRR/ISR and IPIs (vlapic.h; Intel
 * SDM vol. 3 §11.4-11.8). Registers live in reg[] by offset / 16; the
 * IRR is the one part other CPUs write (timers, IPIs, event upcalls), so
 * its words change atomically; everything else belongs to the vCPU.
 */
#include <orrery/lib.h>
#include <orrery/vcpu_context.h>
#include <orrery/vcpu_sched.h>

#include "mmio.h"
#include "vlapic.h"

#define REG VLAPIC_REG
/* Version 0x14 (integrated APIC), 6 LVT entries (max LVT index 5). */
#define VLAPIC_VERSION 0x00050014u
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_SEND_ILLEGAL (1u << 5)

#define x2apic vlapic_x2apic
static bool sw_enabled(const struct vlapic *vl)
{
    return REG(vl, APIC_SVR) & APIC_SVR_ENABLED;
}

void vlapic_init(struct vlapic *vl, struct vcpu *v)
{
    static const unsigned int lvts[] = {
        APIC_LVT_CMCI, APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PMC,
        APIC_LVT_LINT0, APIC_LVT_LINT1, APIC_LVT_ERROR,
    };

    memset(vl, 0, sizeof(*vl));
    vl->v = v;
    /* Power-on state (SDM §11.4.7.1 and table 11-1 notes). */
    vl->apic_base = VLAPIC_BASE_DEFAULT | APIC_BASE_EN |
                    (v->vcpu_id ? 0 : APIC_BASE_BSP);
    REG(vl, APIC_ID) = v->vcpu_id << 24;
    REG(vl, APIC_VER) = VLAPIC_VERSION;
    REG(vl, APIC_DFR) = 0xffffffffu;
    REG(vl, APIC_SVR) = 0xff;
    for ( unsigned int i = 0; i < ARRAY_SIZE(lvts); i++ )
        REG(vl, lvts[i]) = APIC_LVT_MASKED;
    init_timer(&vl->timer, vlapic_timer_fn, vl, arch_cpu_id());
}

void vlapic_destroy(struct vlapic *vl)
{
    kill_timer(&vl->timer);
}

void vlapic_reset(struct vlapic *vl)
{
    struct vcpu *v = vl->v;

    /* Out of the heap before init_timer() forgets its place there. */
    stop_timer(&vl->timer);
    vlapic_init(vl, v);
}

/* ---- IRR / ISR ----------------------------------------------------------- */

static void set_vec(struct vlapic *vl, unsigned int base, unsigned int vec)
{
    __atomic_fetch_or(&vl->reg[(base >> 4) + vec / 32], 1u << (vec % 32),
                      __ATOMIC_SEQ_CST);
}

static void clear_vec(struct vlapic *vl, unsigned int base, unsigned int vec)
{
    __atomic_fetch_and(&vl->reg[(base >> 4) + vec / 32], ~(1u << (vec % 32)),
                       __ATOMIC_SEQ_CST);
}

/* Highest set vector of the 256-bit register at @base, or -1. */
static int highest(const struct vlapic *vl, unsigned int base)
{
    for ( int w = 7; w >= 0; w-- )
    {
        uint32_t bits = __atomic_load_n(&vl->reg[(base >> 4) + w],
                                         __ATOMIC_SEQ_CST);

        if ( bits )
            return w * 32 + 31 - __builtin_clz(bits);
    }
    return -1;
}

/* PPR (SDM §11.8.3.1): TPR if its class is at least the highest in-
 * service class, else that class. */
static uint32_t ppr(const struct vlapic *vl)
{
    uint32_t tpr = REG(vl, APIC_TPR) & 0xff;
    int isrv = highest(vl, APIC_ISR);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

    return (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

void vlapic_set_irq(struct vlapic *vl, unsigned int vector)
{
    /* Vectors 0-15 are illegal: the receiver logs it and drops it
     * (SDM §11.5.3). */
    if ( vector < 16 )
    {
        __atomic_fetch_or(&REG(vl, APIC_ESR), ESR_RECV_ILLEGAL,
                          __ATOMIC_SEQ_CST);
        return;
    }
    set_vec(vl, APIC_IRR, vector);
    vcpu_unblock(vl->v);
    vlapic_kick(vl->v);
}

int vlapic_pending_irq(const struct vlapic *vl)
{
    int vec;

    if ( !(vl->apic_base & APIC_BASE_EN) )
        return -1;
    vec = highest(vl, APIC_IRR);
    /* Only a class above the processor priority is delivered. */
    if ( vec < 0 || ((unsigned int)vec & 0xf0) <= (ppr(vl) & 0xf0) )
        return -1;
    return vec;
}

void vlapic_ack_irq(struct vlapic *vl, unsigned int vector)
{
    clear_vec(vl, APIC_IRR, vector);
    set_vec(vl, APIC_ISR, vector);
}

static void (*level_eoi_hook)(struct vcpu *v, unsigned int vector);

void vlapic_set_eoi_hook(void (*fn)(struct vcpu *v, unsigned int vector))
{
    level_eoi_hook = fn;
}

void vlapic_deliver(struct vlapic *vl, unsigned int vector, bool level)
{
    if ( vector >= 16 && level )
        set_vec(vl, APIC_TMR, vector);
    else if ( vector >= 16 )
        clear_vec(vl, APIC_TMR, vector);
    vlapic_set_irq(vl, vector);
}

static void eoi(struct vlapic *vl)
{
    int vec = highest(vl, APIC_ISR);

    if ( vec < 0 )
        return;
    clear_vec(vl, APIC_ISR, (unsigned int)vec);
    /* A level-triggered vector's EOI goes on to the IOAPIC. */
    if ( VLAPIC_REG(vl, APIC_TMR + (vec / 32) * 16) & (1u << (vec % 32)) )
    {
        clear_vec(vl, APIC_TMR, (unsigned int)vec);
        if ( level_eoi_hook )
            level_eoi_hook(vl->v, (unsigned int)vec);
    }
}

/* ---- IPIs (SDM §11.6) ---------------------------------------------------- */

static bool dest_matches(struct vlapic *t, uint32_t dest, bool logical,
                         bool x2)
{
    if ( !logical )
        return x2 ? (dest == 0xffffffffu || dest == t->v->vcpu_id)
                  : (dest == 0xff || dest == REG(t, APIC_ID) >> 24);
    if ( x2 )
    {
        uint32_t ldr = vlapic_x2apic_ldr(t->v->vcpu_id);

        return dest == 0xffffffffu ||
               ((dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff));
    }
    /* xAPIC flat model (DFR 0xF...): LDR bits 31:24 as a bit mask; the
     * cluster model (DFR 0x0...): high nibble cluster, low nibble mask. */
    {
        uint32_t ldr = REG(t, APIC_LDR) >> 24;

        if ( dest == 0xff )
            return true;
        if ( (REG(t, APIC_DFR) >> 28) == 0xf )
            return (dest & ldr) != 0;
        return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
    }
}

bool vlapic_match_dest(struct vlapic *vl, uint32_t dest, bool logical)
{
    return dest_matches(vl, dest, logical, x2apic(vl));
}

static void send_ipi(struct vlapic *vl, uint32_t lo, uint32_t dest)
{
    struct domain *d = vl->v->domain;
    unsigned int vec = lo & 0xff, mode = (lo >> 8) & 7;
    unsigned int shorthand = (lo >> 18) & 3;
    bool logical = lo & (1u << 11);

    struct vlapic *lowest = NULL;

    /*
     * Fixed, lowest priority, INIT and STARTUP. INIT takes an initialised
     * target down and forgets its state; STARTUP starts one that has
     * none in real mode at vector << 8 (SDM §10.4.4; Xen's
     * vlapic_init_sipi_one: Linux HVM and PVH guests boot their APs
     * so, others use VCPUOP_initialise + up). An INIT level de-assert
     * does nothing (SDM §10.6.1). NMI, SMI and the rest are dropped.
     */
    if ( mode == 5 || mode == 6 )
    {
        bool deassert = (lo & (1u << 15)) && !(lo & (1u << 14));

        if ( mode == 5 && deassert )
            return;
        for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        {
            struct vcpu *tv = d->vcpu[i];
            struct vlapic *t = tv ? vcpu_vlapic(tv) : NULL;

            if ( !t || (shorthand == 1 && t != vl) ||
                 (shorthand == 3 && t == vl) ||
                 (shorthand == 0 &&
                  !dest_matches(t, dest, logical, x2apic(vl))) )
                continue;
            if ( mode == 6 )
                vcpu_startup_ipi(tv, vec);
            else if ( vcpu_init_ipi(tv) )
                __atomic_store_n(&t->init_pending, true, __ATOMIC_RELEASE);
        }
        return;
    }
    if ( mode != 0 && mode != 1 )
        return;
    if ( vec < 16 )
    {
        REG(vl, APIC_ESR) |= ESR_SEND_ILLEGAL;
        return;
    }
    if ( shorthand == 1 )
    {
        vlapic_set_irq(vl, vec);
        return;
    }
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *tv = d->vcpu[i];
        struct vlapic *t = tv ? vcpu_vlapic(tv) : NULL;

        if ( !t || (shorthand == 3 && t == vl) )
            continue;
        if ( shorthand == 0 && !dest_matches(t, dest, logical, x2apic(vl)) )
            continue;
        /* Lowest priority goes to one of the targets: the one with the
         * lowest processor priority, the first in vCPU order on a tie
         * (SDM §11.6.2.4 leaves the arbitration to the model; Xen also
         * picks a single target). Another vCPU's PPR is only a hint. */
        if ( mode == 1 )
        {
            if ( !lowest || (ppr(t) & 0xf0) < (ppr(lowest) & 0xf0) )
                lowest = t;
            continue;
        }
        vlapic_set_irq(t, vec);
    }
    if ( lowest )
        vlapic_set_irq(lowest, vec);
}

/* ---- Register access ----------------------------------------------------- */

uint32_t vlapic_read(struct vlapic *vl, unsigned int off)
{
    switch ( off )
    {
    case APIC_PPR:
        return ppr(vl);
    case APIC_ICR:
        return REG(vl, APIC_ICR) & ~(1u << 12);   /* delivery: idle */
    case APIC_TMCCT:
        return vlapic_timer_count(vl);
    case APIC_EOI:
    case APIC_SELF_IPI:
        return 0;                                 /* write-only */
    default:
        if ( off >= 0x400 || (off & 0xf) )
            return 0;
        return __atomic_load_n(&vl->reg[off >> 4], __ATOMIC_SEQ_CST);
    }
}

/* The LVT bits software may set (SDM figure 11-8). */
static uint32_t lvt_mask(unsigned int off)
{
    switch ( off )
    {
    case APIC_LVT_TIMER: return 0x700ff;    /* vector, mask, mode */
    case APIC_LVT_LINT0:
    case APIC_LVT_LINT1: return 0x1a7ff;    /* + delivery, pol, trigger */
    case APIC_LVT_ERROR: return 0x100ff;
    default:             return 0x107ff;    /* CMCI, thermal, PMC */
    }
}

void vlapic_write(struct vlapic *vl, unsigned int off, uint32_t val)
{
    switch ( off )
    {
    case APIC_TPR:
        REG(vl, APIC_TPR) = val & 0xff;
        break;
    case APIC_EOI:
        eoi(vl);
        break;
    case APIC_LDR:
        if ( !x2apic(vl) )
            REG(vl, APIC_LDR) = val & 0xff000000u;
        break;
    case APIC_DFR:
        if ( !x2apic(vl) )
            REG(vl, APIC_DFR) = val | 0x0fffffffu;
        break;
    case APIC_SVR:
        REG(vl, APIC_SVR) = val & 0x11ff;
        /* Software disable masks every LVT entry (SDM §11.4.7.2). */
        if ( !(val & APIC_SVR_ENABLED) )
            for ( unsigned int o = APIC_LVT_TIMER; o <= APIC_LVT_ERROR;
                  o += 0x10 )
                REG(vl, o) |= APIC_LVT_MASKED;
        break;
    case APIC_ESR:
        REG(vl, APIC_ESR) = 0;
        break;
    case APIC_ICR:
        REG(vl, APIC_ICR) = val & ~(1u << 12);
        send_ipi(vl, val, x2apic(vl) ? REG(vl, APIC_ICR2)
                                     : REG(vl, APIC_ICR2) >> 24);
        break;
    case APIC_ICR2:
        REG(vl, APIC_ICR2) = x2apic(vl) ? val : (val & 0xff000000u);
        break;
    case APIC_LVT_TIMER:
    case APIC_TMICT:
    case APIC_TDCR:
        if ( off == APIC_LVT_TIMER && !sw_enabled(vl) )
            val |= APIC_LVT_MASKED;
        if ( off == APIC_LVT_TIMER )
            val &= lvt_mask(off);
        vlapic_timer_write(vl, off, val);
        break;
    case APIC_LVT_CMCI:
    case APIC_LVT_THERMAL:
    case APIC_LVT_PMC:
    case APIC_LVT_LINT0:
    case APIC_LVT_LINT1:
    case APIC_LVT_ERROR:
        val &= lvt_mask(off);
        if ( !sw_enabled(vl) )
            val |= APIC_LVT_MASKED;
        REG(vl, off) = val;
        break;
    case APIC_SELF_IPI:
        if ( x2apic(vl) )
            vlapic_set_irq(vl, val & 0xff);
        break;
    default:
        break;      /* read-only or reserved: ignored */
    }
}

/* ---- xAPIC MMIO ---------------------------------------------------------- */

static bool mmio_claims(struct vcpu *v, uint64_t gpa)
{
    struct vlapic *vl = vcpu_vlapic(v);

    return vl && (vl->apic_base & APIC_BASE_EN) && !x2apic(vl) &&
           (gpa & ~0xfffULL) == (vl->apic_base & ~0xfffULL);
}

/* Registers are 32 bits at 16-byte strides; narrower or misaligned
 * accesses see (and change) the part of the aligned dword they cover. */
static void mmio_read_fn(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                         uint64_t *val)
{
    unsigned int off = gpa & 0xfff, shift = (off & 3) * 8;
    uint64_t r = vlapic_read(vcpu_vlapic(v), off & ~3u);

    if ( (off & 0xf) >= 4 )
        r = 0;
    *val = (r >> shift) & (bytes >= 4 ? 0xffffffffULL
                                      : (1ULL << (8 * bytes)) - 1);
}

static void mmio_write_fn(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                          uint64_t val)
{
    unsigned int off = gpa & 0xfff;

    /* Only whole aligned dwords reach a register (SDM §11.4.1: other
     * accesses are undefined); the rest are dropped. */
    if ( bytes < 4 || (off & 0xf) )
        return;
    vlapic_write(vcpu_vlapic(v), off, (uint32_t)val);
}

static const struct hvm_mmio_ops vlapic_mmio = {
    .claims = mmio_claims,
    .read = mmio_read_fn,
    .write = mmio_write_fn,
};

void vlapic_register_mmio(void)
{
    hvm_mmio_register(&vlapic_mmio);
}
