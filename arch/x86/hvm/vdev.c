/* SPDX-License-Identifier: MIT */
/*
 * A type=hvm domain's device set (vdev.h): creation and teardown, the
 * port and MMIO handlers that put the devices at their PC addresses
 * under the domain's lock, ISA IRQ routing to the PIC and the IOAPIC,
 * and the two ways out to the vCPUs -- the PIC's INT as ExtINT to vCPU 0,
 * IOAPIC messages to the vLAPICs -- with the vLAPIC's EOI coming back.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/vcpu_ops.h>
#include <orrery/vcpu_sched.h>

#include <public/hvm/params.h>

#include "mmio.h"
#include "portio.h"
#include "vdev.h"
#include "vlapic.h"

/* LVT0 delivery mode ExtINT (SDM figure 11-8: 111b in bits 10:8). */
#define APIC_LVT_DM_MASK   (7u << 8)
#define APIC_LVT_DM_EXTINT (7u << 8)

int hvm_vdev_create(struct domain *d)
{
    struct hvm_vdev *h;

    BUILD_BUG_ON(sizeof(*h) > PAGE_SIZE);
    h = alloc_page_virt(0, MEMF_ZERO);
    if ( !h )
        return -ENOMEM;
    ledger_charge(d, LEDGER_XEN_PAGES, 1);
    h->d = d;
    spin_lock_init(&h->lock);
    vpic_reset(&h->pic[0], false);
    vpic_reset(&h->pic[1], true);
    vioapic_reset(&h->ioapic);
    vpit_init(h);
    vrtc_init(h);
    d->arch_priv = h;
    return 0;
}

void hvm_vdev_destroy(struct domain *d)
{
    struct hvm_vdev *h = hvm_vdev(d);

    if ( !h )
        return;
    vpit_destroy(h);
    vrtc_destroy(h);
    d->arch_priv = NULL;
    free_page_virt(h, 0);
    ledger_charge(d, LEDGER_XEN_PAGES, -1);
}

/* ---- Routing ------------------------------------------------------------- */

void hvm_isa_irq_set(struct hvm_vdev *h, unsigned int irq, bool level)
{
    if ( irq >= 16 )
        return;
    vpic_set_line(h, irq, level);
    vioapic_set_line(h, irq, level);    /* identity: pin n = IRQ n */
}

void hvm_pic_output_changed(struct hvm_vdev *h)
{
    struct vcpu *v0 = h->d->vcpu[0];

    if ( h->pic[0].output && v0 )
    {
        vcpu_unblock(v0);
        vlapic_kick(v0);
    }
}

/*
 * An IOAPIC message (82093AA §3.2.4): fixed to every vLAPIC the
 * destination names; lowest priority to one of them -- the first, with
 * the lowest task priority among them. Other delivery modes are not
 * emulated.
 */
void hvm_ioapic_deliver(struct hvm_vdev *h, uint64_t entry)
{
    struct domain *d = h->d;
    unsigned int vec = entry & IOREDTBL_VECTOR;
    unsigned int mode = IOREDTBL_DELMODE(entry);
    bool logical = entry & IOREDTBL_LOGICAL, level = entry & IOREDTBL_LEVEL;
    struct vlapic *pick = NULL;

    if ( mode > 1 )
        return;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vlapic *t = d->vcpu[i] ? vcpu_vlapic(d->vcpu[i]) : NULL;

        if ( !t || !(t->apic_base & APIC_BASE_EN) ||
             !vlapic_match_dest(t, IOREDTBL_DEST(entry), logical) )
            continue;
        if ( mode == 0 )
            vlapic_deliver(t, vec, level);
        else if ( !pick || (VLAPIC_REG(t, APIC_TPR) & 0xff) <
                           (VLAPIC_REG(pick, APIC_TPR) & 0xff) )
            pick = t;
    }
    if ( pick )
        vlapic_deliver(pick, vec, level);
}

/* ---- HVM_PARAM_CALLBACK_IRQ via a GSI ------------------------------------ */

static unsigned int callback_gsi(const struct domain *d)
{
    uint64_t via = hvm_param_read(d, HVM_PARAM_CALLBACK_IRQ);
    uint64_t gsi = via & ((1ULL << HVM_PARAM_CALLBACK_TYPE_SHIFT) - 1);

    if ( (via >> HVM_PARAM_CALLBACK_TYPE_SHIFT) !=
         HVM_PARAM_CALLBACK_TYPE_GSI || gsi >= VIOAPIC_PINS )
        return 0;               /* 0 is "no callback", as in Xen */
    return (unsigned int)gsi;
}

static void gsi_set(struct hvm_vdev *h, unsigned int gsi, bool level)
{
    if ( gsi < 16 )
        hvm_isa_irq_set(h, gsi, level);
    else
        vioapic_set_line(h, gsi, level);
}

/* Lock held. */
static void callback_sync(struct hvm_vdev *h)
{
    struct vcpu *v0 = h->d->vcpu[0];
    unsigned int gsi = callback_gsi(h->d);
    bool level = gsi && v0 && v0->vcpu_info &&
                 __atomic_load_n(&v0->vcpu_info->evtchn_upcall_pending,
                                 __ATOMIC_SEQ_CST);

    if ( gsi == h->cb_gsi && level == h->cb_level )
        return;
    if ( h->cb_gsi && h->cb_level )
        gsi_set(h, h->cb_gsi, false);
    h->cb_gsi = gsi;
    h->cb_level = level;
    if ( level )
        gsi_set(h, gsi, true);
}

void hvm_callback_gsi_sync(struct vcpu *v)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    unsigned long flags;

    if ( !h || (!h->cb_gsi && !callback_gsi(v->domain)) )
        return;
    spin_lock_irqsave(&h->lock, flags);
    callback_sync(h);
    spin_unlock_irqrestore(&h->lock, flags);
}

static void level_eoi(struct vcpu *v, unsigned int vector)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    unsigned long flags;

    if ( !h )
        return;
    spin_lock_irqsave(&h->lock, flags);
    callback_sync(h);           /* a cleared upcall flag lowers its GSI */
    vioapic_eoi(h, vector);
    spin_unlock_irqrestore(&h->lock, flags);
}

/*
 * The PIC reaches vCPU 0 only (its INT is wired to the BSP's LINT0):
 * through LVT0 programmed unmasked as ExtINT, or straight to the core
 * while the vLAPIC is hardware-disabled (APIC_BASE bit 11 clear; SDM
 * §11.4.3: the processor then behaves as if it had no local APIC).
 */
bool hvm_extint_pending(struct vcpu *v)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    struct vlapic *vl;
    uint32_t lvt0;

    if ( !h || v->vcpu_id != 0 ||
         !__atomic_load_n(&h->pic[0].output, __ATOMIC_RELAXED) )
        return false;
    vl = vcpu_vlapic(v);
    if ( !vl || !(vl->apic_base & APIC_BASE_EN) )
        return true;
    lvt0 = VLAPIC_REG(vl, APIC_LVT_LINT0);
    return (lvt0 & (APIC_LVT_MASKED | APIC_LVT_DM_MASK)) == APIC_LVT_DM_EXTINT;
}

unsigned int hvm_extint_ack(struct vcpu *v)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    unsigned long flags;
    unsigned int vec;

    spin_lock_irqsave(&h->lock, flags);
    vec = vpic_intack(h);
    spin_unlock_irqrestore(&h->lock, flags);
    return vec;
}

/* ---- Where the devices sit ---------------------------------------------- */

static bool pic_claims(struct vcpu *v, uint16_t port)
{
    return hvm_vdev(v->domain) &&
           ((port & ~0x81u) == 0x20 || port == 0x4d0 || port == 0x4d1);
}

static bool pit_claims(struct vcpu *v, uint16_t port)
{
    return hvm_vdev(v->domain) &&
           ((port >= 0x40 && port <= 0x43) || port == 0x61);
}

static bool rtc_claims(struct vcpu *v, uint16_t port)
{
    return hvm_vdev(v->domain) && (port == 0x70 || port == 0x71);
}

#define LOCKED_PORT_OPS(dev)                                                 \
static uint8_t dev##_read(struct vcpu *v, uint16_t port)                     \
{                                                                            \
    struct hvm_vdev *h = hvm_vdev(v->domain);                                \
    unsigned long flags;                                                     \
    uint8_t val;                                                             \
                                                                             \
    spin_lock_irqsave(&h->lock, flags);                                      \
    val = v##dev##_port_read(h, port);                                       \
    spin_unlock_irqrestore(&h->lock, flags);                                 \
    return val;                                                              \
}                                                                            \
static void dev##_write(struct vcpu *v, uint16_t port, uint8_t val)          \
{                                                                            \
    struct hvm_vdev *h = hvm_vdev(v->domain);                                \
    unsigned long flags;                                                     \
                                                                             \
    spin_lock_irqsave(&h->lock, flags);                                      \
    v##dev##_port_write(h, port, val);                                       \
    spin_unlock_irqrestore(&h->lock, flags);                                 \
}                                                                            \
static const struct hvm_portio_ops dev##_ops = {                             \
    .claims = dev##_claims, .read = dev##_read, .write = dev##_write,        \
};

LOCKED_PORT_OPS(pic)
LOCKED_PORT_OPS(pit)
LOCKED_PORT_OPS(rtc)

static bool ioapic_claims(struct vcpu *v, uint64_t gpa)
{
    return hvm_vdev(v->domain) && (gpa & ~0xfffULL) == VIOAPIC_BASE;
}

/* Registers are dwords at 16-byte strides; a narrower read sees its part
 * of the dword, and only IOREGSEL takes a narrower write (its low byte
 * is the register). */
static void ioapic_read(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                        uint64_t *val)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    unsigned int off = gpa & 0xfff;
    unsigned long flags;
    uint32_t r;

    spin_lock_irqsave(&h->lock, flags);
    r = vioapic_mmio_read(h, off & ~3u);
    spin_unlock_irqrestore(&h->lock, flags);
    r >>= (off & 3) * 8;
    *val = bytes >= 4 ? r : r & ((1u << (8 * bytes)) - 1);
}

static void ioapic_write(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                         uint64_t val)
{
    struct hvm_vdev *h = hvm_vdev(v->domain);
    unsigned int off = gpa & 0xfff;
    unsigned long flags;

    if ( off & 3 || (bytes < 4 && off != 0) )
        return;
    spin_lock_irqsave(&h->lock, flags);
    vioapic_mmio_write(h, off, (uint32_t)val);
    spin_unlock_irqrestore(&h->lock, flags);
}

static const struct hvm_mmio_ops ioapic_ops = {
    .claims = ioapic_claims, .read = ioapic_read, .write = ioapic_write,
};

static void vdev_teardown(struct domain *d)
{
    hvm_vdev_destroy(d);
}

static const struct domain_hooks vdev_hooks = {
    .name = "hvm-devices",
    .domain_teardown = vdev_teardown,
};

int hvm_vdev_init(void)
{
    int rc = domain_register_hooks(&vdev_hooks);

    if ( rc )
        return rc;
    if ( !hvm_portio_register(&pic_ops) || !hvm_portio_register(&pit_ops) ||
         !hvm_portio_register(&rtc_ops) || !hvm_mmio_register(&ioapic_ops) )
        return -ENOSPC;
    vlapic_set_eoi_hook(level_eoi);
    hvm_vdev_register_key();
    return 0;
}
