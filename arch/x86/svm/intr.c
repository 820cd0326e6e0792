/* SPDX-License-Identifier: MIT */
/*
 * Interrupts into SVM guests: event-channel upcalls (xen-abi-facts §1.5)
 * injected through EVENTINJ, with the virtual interrupt window for when
 * the guest cannot take one (AMD APM vol. 2 §15.20-15.21).
 *
 * Two ways a guest asks for upcalls, as in Xen:
 *  - HVM_PARAM_CALLBACK_IRQ of type vector ((2 << 56) | vector): the
 *    vector is injected directly, level-triggered on the vCPU's
 *    evtchn_upcall_pending -- as long as the flag is set and the guest can
 *    take an interrupt it gets one, with no EOI (Xen's
 *    hvm_vcpu_has_pending_irq checks the flag before any interrupt
 *    controller). A guest's handler clears the flag before it re-enables
 *    interrupts, so one 0 -> 1 gives one upcall, and a flag it leaves set
 *    (or sets itself) is delivered again, never lost.
 *  - HVMOP_set_evtchn_upcall_vector (per vCPU): as in Xen, each 0 -> 1
 *    of the flag raises that vector in the vCPU's vLAPIC IRR, i.e.
 *    edge-triggered; it is delivered by priority like any other vLAPIC
 *    interrupt and stays in service until the guest's EOI.
 * The callback vector comes before the vLAPIC's, as in Xen's
 * hvm_vcpu_has_pending_irq.
 * Callback type GSI works in type=hvm domains, whose PIC and IOAPIC
 * carry it (hvm_callback_gsi_sync, vdev.h); a PVH domain has neither, and
 * PCI INTx needs a PCI bus nobody emulates: such settings deliver
 * nothing (a guest that wants upcalls there must use a vector).
 */
#include <orrery/console.h>
#include <orrery/event.h>
#include <orrery/vcpu_ops.h>

#include <public/hvm/params.h>

#include "../hvm/vdev.h"
#include "svm.h"

#define RFLAGS_IF (1ull << 9)
/* Vectors 0-15 are reserved for exceptions: Xen refuses them for the
 * per-vCPU vector and its vLAPIC treats them as illegal, so a callback
 * vector there is ignored rather than injected as an interrupt. */
#define FIRST_IRQ_VECTOR 16

static bool upcall_pending(const struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                           __ATOMIC_SEQ_CST);
}

/* The domain-wide callback vector, or -1 when none is set. */
static int callback_vector(const struct domain *d)
{
    uint64_t via = hvm_param_read(d, HVM_PARAM_CALLBACK_IRQ);

    if ( (via >> HVM_PARAM_CALLBACK_TYPE_SHIFT) !=
         HVM_PARAM_CALLBACK_TYPE_VECTOR ||
         (via & 0xff) < FIRST_IRQ_VECTOR )
        return -1;
    return (int)(via & 0xff);
}

/*
 * The core's hook: @v's upcall flag just went 0 -> 1 (on any CPU, maybe
 * in interrupt context). The per-vCPU vector goes into the vLAPIC's IRR
 * (which kicks); otherwise make a vCPU that is in its guest right now
 * exit, so that the injection does not wait for its next exit.
 */
static void upcall_hook(struct vcpu *v)
{
    struct svm_vcpu *sv = v->arch_priv;
    uint8_t vec = vcpu_upcall_vector(v);

    if ( !sv )
        return;
    if ( vec )
        vlapic_set_irq(&sv->vlapic, vec);
    else
    {
        hvm_callback_gsi_sync(v);   /* vCPU 0 with a GSI callback */
        svm_vcpu_kick(v);
    }
}

struct vlapic *vcpu_vlapic(struct vcpu *v)
{
    struct svm_vcpu *sv = v->arch_priv;

    return sv ? &sv->vlapic : NULL;
}

void vlapic_kick(struct vcpu *v)
{
    svm_vcpu_kick(v);
}

void svm_intr_init(void)
{
    evtchn_set_upcall_hook(upcall_hook);
    vlapic_register_mmio();
    if ( hvm_vdev_init() )
        printk(LOG_ERR "HVM: cannot register the PIC/IOAPIC/PIT/RTC models\n");
}

/* The vector to deliver now, -1 for none; *@from_lapic when the vLAPIC
 * gave it (it then moves to the ISR when injected). */
static int pending_vector(struct svm_vcpu *sv, bool *from_lapic)
{
    struct vcpu *v = sv->v;
    uint8_t vec = vcpu_upcall_vector(v);
    int cb;

    /*
     * A vector newly set while the flag is already up counts as an edge:
     * Xen's HVMOP_set_evtchn_upcall_vector asserts the upcall at once, so
     * a guest that sets it late still sees the event it is owed.
     */
    if ( vec != sv->upcall_vector_seen )
    {
        sv->upcall_vector_seen = vec;
        if ( vec && upcall_pending(v) )
            vlapic_set_irq(&sv->vlapic, vec);
    }
    *from_lapic = false;
    if ( upcall_pending(v) && (cb = callback_vector(v->domain)) >= 0 )
        return cb;
    *from_lapic = true;
    return vlapic_pending_irq(&sv->vlapic);
}

bool svm_intr_pending(struct svm_vcpu *sv)
{
    bool from_lapic;

    hvm_callback_gsi_sync(sv->v);
    return pending_vector(sv, &from_lapic) >= 0 || hvm_extint_pending(sv->v);
}

/*
 * The guest's MOV CR8 reads and writes V_TPR (bits 3:0 of the virtual
 * interrupt field) without an exit when V_INTR_MASKING is set (APM vol.
 * 2 §15.21.1): a V_TPR that moved since the last entry is the guest's
 * new task priority; otherwise the vLAPIC's TPR (maybe written through
 * MMIO or MSR) is copied to V_TPR.
 */
static void sync_tpr(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    uint8_t vtpr = vmcb->vintr & 0xf;

    if ( vtpr != sv->vtpr_synced )
        VLAPIC_REG(&sv->vlapic, APIC_TPR) = (uint32_t)vtpr << 4;
    vtpr = (VLAPIC_REG(&sv->vlapic, APIC_TPR) >> 4) & 0xf;
    vmcb->vintr = (vmcb->vintr & ~0xfull) | vtpr;
    sv->vtpr_synced = vtpr;
}

static void window_off(struct vmcb *vmcb)
{
    vmcb->vintr &= ~(VINTR_IRQ | (0xfull << VINTR_PRIO_SHIFT) |
                     VINTR_IGN_TPR | (0xffull << VINTR_VECTOR_SHIFT));
    vmcb->intercepts1 &= ~INTERCEPT1_VINTR;
}

/*
 * Ask for a #VMEXIT(VINTR) once the guest can take an interrupt: V_IRQ
 * with the VINTR intercept makes the processor exit instead of taking
 * the virtual interrupt (§15.21.4), at the point where RFLAGS.IF is set,
 * no shadow is in force and no event is being injected. V_IGN_TPR: no
 * virtual TPR decides here (there is no vLAPIC yet).
 */
static void window_on(struct vmcb *vmcb, unsigned int vector)
{
    window_off(vmcb);
    vmcb->vintr |= VINTR_IRQ | (0xfull << VINTR_PRIO_SHIFT) | VINTR_IGN_TPR |
                   ((uint64_t)vector << VINTR_VECTOR_SHIFT);
    vmcb->intercepts1 |= INTERCEPT1_VINTR;
}

void svm_intr_window_open(struct svm_vcpu *sv)
{
    window_off(sv->vmcb);
}

void svm_intr_assist(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    bool from_lapic, extint;
    int vector;

    /*
     * An exit during an event's delivery (a host interrupt, a nested page
     * fault on the guest's stack or IDT) leaves it in EXITINTINFO, same
     * format as EVENTINJ: deliver it again (§15.7.2), unless an exit
     * handler queued something else (an exception it raised wins; the
     * interrupted event then happens again when its cause repeats).
     */
    if ( (vmcb->exitintinfo & EVENTINJ_V) && !(vmcb->eventinj & EVENTINJ_V) )
        vmcb->eventinj = vmcb->exitintinfo;
    vmcb->exitintinfo = 0;

    sync_tpr(sv);
    hvm_callback_gsi_sync(sv->v);   /* CALLBACK_IRQ via a GSI (vdev.h) */
    vector = pending_vector(sv, &from_lapic);
    /* A type=hvm domain's PIC comes after the callback vector and before
     * the vLAPIC, as in Xen's hvm_vcpu_has_pending_irq; its vector is
     * only known at the INTA below. */
    extint = (vector < 0 || from_lapic) && hvm_extint_pending(sv->v);
    if ( extint )
        vector = 0;
    if ( vector < 0 )
    {
        window_off(vmcb);
        return;
    }
    if ( (vmcb->eventinj & EVENTINJ_V) ||
         (vmcb->interrupt_shadow & INTERRUPT_SHADOW) ||
         !(vmcb->rflags & RFLAGS_IF) )
    {
        window_on(vmcb, (unsigned int)vector);
        return;
    }
    window_off(vmcb);
    if ( extint )
    {
        vector = (int)hvm_extint_ack(sv->v);
        from_lapic = false;
    }
    vmcb->eventinj = (unsigned int)vector | EVENTINJ_TYPE_INTR | EVENTINJ_V;
    if ( from_lapic )
        vlapic_ack_irq(&sv->vlapic, (unsigned int)vector);
}
