/* SPDX-License-Identifier: MIT */
/*
 * The 8259A pair (Intel 8259A datasheet): initialisation, masks, IRR/ISR
 * reads, edge and level (ELCR) requests, priorities and rotation,
 * specific and non-specific EOI, automatic EOI, the cascade, poll mode,
 * spurious IR7/IR15, and the ExtINT path to vCPU 0 only.
 */
#include "hvmdev_test.h"

static uint8_t irr(uint16_t cmd)
{
    port_out(cmd, 0x0a);
    return port_in(cmd);
}

static uint8_t isr(uint16_t cmd)
{
    port_out(cmd, 0x0b);
    return port_in(cmd);
}

/* vCPU 0 takes ExtINT through LVT0. */
static void extint_on(void)
{
    vlapic_write(&vl[0], APIC_LVT_LINT0, 0x700);
}

static void test_init_masks_elcr(void)
{
    pic_init();
    CU_ASSERT_EQUAL(port_in(0x21), 0xff);
    CU_ASSERT_EQUAL(port_in(0xa1), 0xff);
    port_out(0x21, 0x5a);
    CU_ASSERT_EQUAL(port_in(0x21), 0x5a);
    /* ELCR: IRQ0-2, 8 and 13 can only be edge-triggered. */
    port_out(0x4d0, 0xff);
    port_out(0x4d1, 0xff);
    CU_ASSERT_EQUAL(port_in(0x4d0), 0xf8);
    CU_ASSERT_EQUAL(port_in(0x4d1), 0xde);
    /* ICW1 clears the mask again. */
    port_out(0x20, 0x11);
    port_out(0x21, 0x20); port_out(0x21, 0x04); port_out(0x21, 0x01);
    CU_ASSERT_EQUAL(port_in(0x21), 0x00);
}

static void test_edge_extint(void)
{
    pic_init();
    port_out(0x21, 0xfe);
    /* LVT0 masked at reset: the PIC's INT does not reach the vCPU. */
    isa_irq(0, true);
    isa_irq(0, false);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    extint_on();
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[1]));   /* vCPU 0 only */
    CU_ASSERT_EQUAL(irr(0x20), 0x01);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x20);
    CU_ASSERT_EQUAL(irr(0x20), 0x00);
    CU_ASSERT_EQUAL(isr(0x20), 0x01);
    /* A new edge while IR0 is in service waits for the EOI. */
    isa_irq(0, true);
    isa_irq(0, false);
    CU_ASSERT_EQUAL(irr(0x20), 0x01);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    port_out(0x20, 0x20);               /* non-specific EOI */
    CU_ASSERT_EQUAL(isr(0x20), 0x00);
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x20);
    port_out(0x20, 0x60);               /* specific EOI, IR0 */
    /* A line held high gives one edge only. */
    isa_irq(0, true);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x20);
    port_out(0x20, 0x20);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    isa_irq(0, false);
    /* A hardware-disabled vLAPIC passes INT straight through. */
    vlapic_write(&vl[0], APIC_LVT_LINT0, APIC_LVT_MASKED | 0x700);
    isa_irq(0, true);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    vl[0].apic_base &= ~APIC_BASE_EN;
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    isa_irq(0, false);
}

static void test_priority_rotation(void)
{
    pic_init();
    extint_on();
    port_out(0x21, 0x00 | 0x04);        /* all but the (idle) cascade */
    isa_irq(5, true); isa_irq(5, false);
    isa_irq(3, true); isa_irq(3, false);
    /* IR0 highest ... IR7 lowest. */
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x23);
    /* IR3 in service holds IR5 back; an IR1 edge preempts. */
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    isa_irq(1, true); isa_irq(1, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x21);
    CU_ASSERT_EQUAL(isr(0x20), 0x0a);
    port_out(0x20, 0x20);               /* EOI the highest: IR1 */
    CU_ASSERT_EQUAL(isr(0x20), 0x08);
    port_out(0x20, 0x63);               /* specific EOI IR3 */
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x25);
    /* Rotate on non-specific EOI: IR5 becomes the lowest, so IR6 now
     * beats IR4. */
    port_out(0x20, 0xa0);
    isa_irq(4, true); isa_irq(4, false);
    isa_irq(6, true); isa_irq(6, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x26);
    port_out(0x20, 0x20);
    /* Set priority: IR7 lowest again (bottom priority 7). */
    port_out(0x20, 0xc7);
    isa_irq(6, true); isa_irq(6, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x24);
    port_out(0x20, 0x20);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x26);
    port_out(0x20, 0x20);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    /* Special mask mode: a masked in-service level stops blocking. */
    isa_irq(6, true); isa_irq(6, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x26);
    isa_irq(7, true); isa_irq(7, false);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
    port_out(0x21, 0x44);
    port_out(0x20, 0x68);               /* OCW3: set special mask */
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x27);
}

static void test_level_and_spurious(void)
{
    pic_init();
    extint_on();
    port_out(0x4d0, 0x08);              /* IRQ3 level-triggered */
    port_out(0x21, 0xf7);
    isa_irq(3, true);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x23);
    CU_ASSERT_EQUAL(irr(0x20), 0x08);   /* the line is still high */
    port_out(0x20, 0x20);
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));    /* so again */
    /* The line drops before the acknowledge: a spurious IR7 (vector
     * base + 7) with nothing in service. */
    isa_irq(3, false);
    CU_ASSERT_EQUAL(irr(0x20), 0x00);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x27);
    CU_ASSERT_EQUAL(isr(0x20), 0x00);
}

static void test_cascade_aeoi_poll(void)
{
    pic_init();
    extint_on();
    port_out(0x21, 0xfb);               /* master: only the cascade */
    port_out(0xa1, 0xfe);               /* slave: IRQ8 */
    isa_irq(8, true); isa_irq(8, false);
    CU_ASSERT_EQUAL(irr(0xa0), 0x01);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x28);
    CU_ASSERT_EQUAL(isr(0xa0), 0x01);
    CU_ASSERT_EQUAL(isr(0x20), 0x04);
    port_out(0xa0, 0x20);
    port_out(0x20, 0x20);
    CU_ASSERT_EQUAL(isr(0xa0) | isr(0x20), 0);
    /* The slave's request vanishes after the master's INT: IR15. */
    port_out(0x4d1, 0x02);              /* IRQ9 level */
    port_out(0xa1, 0xfd);
    isa_irq(9, true);
    CU_ASSERT(hvm_extint_pending(dom->vcpu[0]));
    isa_irq(9, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x2f);
    port_out(0x20, 0x20);               /* the master did put IR2 in service */
    /* Automatic EOI (ICW4 bit 1): nothing stays in service. */
    port_out(0x20, 0x11); port_out(0x21, 0x20); port_out(0x21, 0x04); port_out(0x21, 0x03);
    port_out(0x21, 0xfe);
    isa_irq(0, true); isa_irq(0, false);
    CU_ASSERT_EQUAL(hvm_extint_ack(dom->vcpu[0]), 0x20);
    CU_ASSERT_EQUAL(isr(0x20), 0x00);
    /* Poll: the read acknowledges, bit 7 says an interrupt was there. */
    port_out(0x20, 0x0c);
    CU_ASSERT_EQUAL(port_in(0x20), 0x00);
    isa_irq(0, true); isa_irq(0, false);
    port_out(0x20, 0x0c);
    CU_ASSERT_EQUAL(port_in(0x20), 0x80);
    CU_ASSERT(!hvm_extint_pending(dom->vcpu[0]));
}

CU_TestInfo vpic_tests[] = {
    ORR_CASE(test_init_masks_elcr),
    ORR_CASE(test_edge_extint),
    ORR_CASE(test_priority_rotation),
    ORR_CASE(test_level_and_spurious),
    ORR_CASE(test_cascade_aeoi_poll),
    CU_TEST_INFO_NULL,
};
