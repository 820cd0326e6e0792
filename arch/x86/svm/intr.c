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
 *  - HVMOP_set_evtchn_upcall_vector (per vCPU): Xen raises that vector in
 *    the vLAPIC's IRR on each 0 -> 1 of the flag, i.e. edge-triggered.
 *    Until the vLAPIC exists here it is latched in the svm_vcpu and
 *    injected once per edge (no EOI to wait for).
 * Callback types GSI and PCI INTx need a virtual PIC/IOAPIC, which
 * Orrery does not emulate: such a setting delivers nothing (a guest that
 * wants upcalls there must use a vector).
 */
#include <orrery/event.h>
#include <orrery/vcpu_ops.h>

#include <public/hvm/params.h>

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
 * in interrupt context). Latch the per-vCPU vector's edge and make a
 * vCPU that is in its guest right now exit, so that the injection does
 * not wait for its next exit.
 */
static void upcall_hook(struct vcpu *v)
{
    struct svm_vcpu *sv = v->arch_priv;

    if ( !sv )
        return;
    if ( vcpu_upcall_vector(v) )
        __atomic_store_n(&sv->upcall_latched, true, __ATOMIC_SEQ_CST);
    svm_vcpu_kick(v);
}

void svm_intr_init(void)
{
    evtchn_set_upcall_hook(upcall_hook);
}

/* The vector to deliver now, -1 for none; *@edge for the per-vCPU one. */
static int pending_vector(struct svm_vcpu *sv, bool *edge)
{
    struct vcpu *v = sv->v;
    uint8_t vec = vcpu_upcall_vector(v);

    /*
     * A vector newly set while the flag is already up counts as an edge:
     * Xen's HVMOP_set_evtchn_upcall_vector asserts the upcall at once, so
     * a guest that sets it late still sees the event it is owed.
     */
    if ( vec != sv->upcall_vector_seen )
    {
        sv->upcall_vector_seen = vec;
        if ( vec && upcall_pending(v) )
            __atomic_store_n(&sv->upcall_latched, true, __ATOMIC_SEQ_CST);
    }
    *edge = false;
    if ( __atomic_load_n(&sv->upcall_latched, __ATOMIC_SEQ_CST) )
    {
        if ( vec >= FIRST_IRQ_VECTOR )
        {
            *edge = true;
            return vec;
        }
        __atomic_store_n(&sv->upcall_latched, false, __ATOMIC_SEQ_CST);
    }
    if ( upcall_pending(v) )
        return callback_vector(v->domain);
    return -1;
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
    bool edge;
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

    vector = pending_vector(sv, &edge);
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
    vmcb->eventinj = (unsigned int)vector | EVENTINJ_TYPE_INTR | EVENTINJ_V;
    if ( edge )
        __atomic_store_n(&sv->upcall_latched, false, __ATOMIC_SEQ_CST);
}
