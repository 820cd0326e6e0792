/* SPDX-License-Identifier: MIT */
/*
 * HVM_PARAM_CALLBACK_IRQ of type GSI in a type=hvm domain: the GSI is
 * asserted while vCPU 0's evtchn_upcall_pending is set (Xen's
 * HVMIRQ_callback_gsi), through the IOAPIC (and the PIC for ISA GSIs);
 * the vLAPIC's EOI sees a cleared flag and does not bring the interrupt
 * back; a set flag does. Nothing for GSI 0, PCI INTx, or a PVH domain.
 */
#include <orrery/vcpu_ops.h>

#include <public/hvm/params.h>
#include <public/xen.h>

#include "hvmdev_test.h"

#define REDIR(pin) (0x10 + 2 * (pin))

static void set_flag(struct domain *d, bool on)
{
    d->vcpu[0]->vcpu_info->evtchn_upcall_pending = on;
}

static void test_gsi_callback(void)
{
    ioapic_write(REDIR(5) + 1, 1u << 24);           /* to vCPU 1 */
    ioapic_write(REDIR(5), (1u << 15) | 0x55);      /* level */
    CU_ASSERT(!hvm_param_write(dom, HVM_PARAM_CALLBACK_IRQ, 5));
    set_flag(dom, true);
    hvm_callback_gsi_sync(dom->vcpu[1]);            /* any vCPU's entry */
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[1]), 0x55);
    vlapic_ack_irq(&vl[1], 0x55);
    /* The handler clears the flag, then EOIs: no second interrupt. */
    set_flag(dom, false);
    vlapic_write(&vl[1], APIC_EOI, 0);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[1]), -1);
    CU_ASSERT(!(ioapic_read(REDIR(5)) & (1u << 14)));
    /* A flag still set at the EOI: delivered again. */
    set_flag(dom, true);
    hvm_callback_gsi_sync(dom->vcpu[0]);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[1]), 0x55);
    vlapic_ack_irq(&vl[1], 0x55);
    vlapic_write(&vl[1], APIC_EOI, 0);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[1]), 0x55);
    set_flag(dom, false);
    CU_ASSERT_EQUAL(drain(1, 0x55), 1);     /* once more, then quiet */
    /* ISA GSI 5 reaches the PIC too (edge there). */
    port_out(0x21, 0xdf);
    set_flag(dom, true);
    hvm_callback_gsi_sync(dom->vcpu[0]);
    vlapic_write(&vl[0], APIC_LVT_LINT0, 0x700);
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    /* Moving the callback to GSI 20 lowers GSI 5. */
    CU_ASSERT(!hvm_param_write(dom, HVM_PARAM_CALLBACK_IRQ, 20));
    ioapic_write(REDIR(20), 0x60);                  /* edge, vCPU 0 */
    hvm_callback_gsi_sync(dom->vcpu[0]);
    CU_ASSERT_EQUAL(drain(0, 0x60), 1);
    CU_ASSERT_EQUAL(hv->ioapic.lines & (1u << 5), 0);
    CU_ASSERT(hv->ioapic.lines & (1u << 20));
    /* A vector callback, GSI 0 or PCI INTx: the line goes down. */
    CU_ASSERT(!hvm_param_write(dom, HVM_PARAM_CALLBACK_IRQ,
                               (1ULL << HVM_PARAM_CALLBACK_TYPE_SHIFT) | 3));
    hvm_callback_gsi_sync(dom->vcpu[0]);
    CU_ASSERT_EQUAL(hv->ioapic.lines, 0);
    CU_ASSERT(!hvm_param_write(dom, HVM_PARAM_CALLBACK_IRQ, 0));
    hvm_callback_gsi_sync(dom->vcpu[0]);
    CU_ASSERT_EQUAL(hv->ioapic.lines, 0);
    set_flag(dom, false);
    /* PVH: nothing to drive. */
    CU_ASSERT(!hvm_param_write(pvh, HVM_PARAM_CALLBACK_IRQ, 5));
    set_flag(pvh, true);
    hvm_callback_gsi_sync(pvh->vcpu[0]);
    CU_ASSERT_EQUAL(hv->ioapic.lines, 0);
}

CU_TestInfo callback_tests[] = {
    ORR_CASE(test_gsi_callback),
    CU_TEST_INFO_NULL,
};
