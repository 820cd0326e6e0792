/* SPDX-License-Identifier: MIT */
/*
 * The IOAPIC (Intel 82093AA datasheet §3): registers through IOREGSEL/
 * IOWIN, edge delivery to the vLAPICs by physical and logical
 * destination, masking, lowest priority to one vCPU, and level-triggered
 * pins with Remote IRR cleared by the vLAPIC's EOI (TMR), re-delivered
 * while the line stays high.
 */
#include "hvmdev_test.h"

#include "mmio.h"

#define REDIR(pin) (0x10 + 2 * (pin))

static bool irr(unsigned int i, unsigned int vec)
{
    return (vlapic_read(&vl[i], APIC_IRR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

static void test_registers(void)
{
    uint32_t v = 0;
    uint8_t b;

    CU_ASSERT_EQUAL(ioapic_read(1), 0x00170011u);
    ioapic_write(0, 0xffffffffu);
    CU_ASSERT_EQUAL(ioapic_read(0), 0x0f000000u);
    CU_ASSERT_EQUAL(ioapic_read(2), 0x0f000000u);
    ioapic_write(1, 0);                         /* read-only */
    CU_ASSERT_EQUAL(ioapic_read(1), 0x00170011u);
    for ( unsigned int pin = 0; pin < 24; pin++ )
        CU_ASSERT_EQUAL(ioapic_read(REDIR(pin)), 1u << 16);
    /* Delivery Status (12) and Remote IRR (14) are not writable. */
    ioapic_write(REDIR(23), 0xffffffffu);
    CU_ASSERT_EQUAL(ioapic_read(REDIR(23)), 0x1afffu);
    ioapic_write(REDIR(23) + 1, 0xffffffffu);
    CU_ASSERT_EQUAL(ioapic_read(REDIR(23) + 1), 0xff000000u);
    CU_ASSERT_EQUAL(ioapic_read(0x40), 0xffffffffu);   /* no register */
    /* IOREGSEL reads back; a byte write selects; other offsets are 0. */
    b = 0x12;
    CU_ASSERT(hvm_mmio_write(dom->vcpu[0], VIOAPIC_BASE, &b, 1));
    CU_ASSERT(hvm_mmio_read(dom->vcpu[0], VIOAPIC_BASE, &v, 4));
    CU_ASSERT_EQUAL(v, 0x12);
    CU_ASSERT(hvm_mmio_read(dom->vcpu[0], VIOAPIC_BASE + 0x20, &v, 4));
    CU_ASSERT_EQUAL(v, 0);
    /* A byte of IOWIN: its part of the dword. */
    v = 0;
    CU_ASSERT(hvm_mmio_read(dom->vcpu[0], VIOAPIC_BASE + 0x12, &v, 1));
    CU_ASSERT_EQUAL(v, 0x01);       /* entry 1, bits 23:16: the mask */
}

static void test_edge_delivery(void)
{
    ioapic_write(REDIR(4) + 1, 1u << 24);       /* APIC ID 1 */
    ioapic_write(REDIR(4), 0x44);
    isa_irq(4, true);
    CU_ASSERT(irr(1, 0x44) && !irr(0, 0x44));
    /* Held high: no second message; a new edge: one. */
    CU_ASSERT_EQUAL(drain(1, 0x44), 1);
    isa_irq(4, true);
    CU_ASSERT_EQUAL(drain(1, 0x44), 0);
    isa_irq(4, false);
    isa_irq(4, true);
    CU_ASSERT_EQUAL(drain(1, 0x44), 1);
    isa_irq(4, false);
    /* Edge-triggered vectors leave the TMR clear. */
    CU_ASSERT_EQUAL(vlapic_read(&vl[1], APIC_TMR + 0x20), 0);
    /* Masked: nothing. */
    ioapic_write(REDIR(4), (1u << 16) | 0x44);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT_EQUAL(drain(1, 0x44) + drain(0, 0x44), 0);
    /* Physical broadcast 0xFF: both vCPUs. */
    ioapic_write(REDIR(4) + 1, 0xffu << 24);
    ioapic_write(REDIR(4), 0x45);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT_EQUAL(drain(0, 0x45), 1);
    CU_ASSERT_EQUAL(drain(1, 0x45), 1);
    /* Logical, flat model: LDR bits select. */
    vlapic_write(&vl[0], APIC_LDR, 0x01000000u);
    vlapic_write(&vl[1], APIC_LDR, 0x02000000u);
    ioapic_write(REDIR(4) + 1, 0x02u << 24);
    ioapic_write(REDIR(4), (1u << 11) | 0x46);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT_EQUAL(drain(0, 0x46), 0);
    CU_ASSERT_EQUAL(drain(1, 0x46), 1);
    /* Lowest priority to both: one of them only. */
    ioapic_write(REDIR(4) + 1, 0x03u << 24);
    ioapic_write(REDIR(4), (1u << 11) | (1u << 8) | 0x47);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT_EQUAL(drain(0, 0x47) + drain(1, 0x47), 1);
    /* NMI, INIT, ExtINT modes are not emulated: nothing arrives. */
    ioapic_write(REDIR(4), (4u << 8) | 0x48);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT_EQUAL(drain(0, 0x48) + drain(1, 0x48), 0);
    /* A vLAPIC that is hardware-disabled takes nothing. */
    vl[1].apic_base &= ~APIC_BASE_EN;
    ioapic_write(REDIR(4) + 1, 0x01u << 24);
    ioapic_write(REDIR(4), 0x49);
    isa_irq(4, true); isa_irq(4, false);
    CU_ASSERT(!irr(1, 0x49));
    vl[1].apic_base |= APIC_BASE_EN;
}

static void test_level_remote_irr(void)
{
    int vec;

    ioapic_write(REDIR(9) + 1, 0);
    ioapic_write(REDIR(9), (1u << 15) | 0x59);
    isa_irq(9, true);
    CU_ASSERT(irr(0, 0x59));
    CU_ASSERT(ioapic_read(REDIR(9)) & (1u << 14));          /* Remote IRR */
    CU_ASSERT(vlapic_read(&vl[0], APIC_TMR + 0x20) & (1u << 25));
    vec = vlapic_pending_irq(&vl[0]);
    CU_ASSERT_EQUAL(vec, 0x59);
    vlapic_ack_irq(&vl[0], 0x59);
    /* Still high, Remote IRR set: nothing more until the EOI ... */
    isa_irq(9, true);
    CU_ASSERT(!irr(0, 0x59));
    vlapic_write(&vl[0], APIC_EOI, 0);
    /* ... which clears Remote IRR and, the line being high, delivers. */
    CU_ASSERT(irr(0, 0x59));
    CU_ASSERT(ioapic_read(REDIR(9)) & (1u << 14));
    vlapic_ack_irq(&vl[0], 0x59);
    isa_irq(9, false);
    vlapic_write(&vl[0], APIC_EOI, 0);
    CU_ASSERT(!irr(0, 0x59));
    CU_ASSERT(!(ioapic_read(REDIR(9)) & (1u << 14)));
    CU_ASSERT_EQUAL(vlapic_read(&vl[0], APIC_TMR + 0x20), 0);
    /* Unmasking a level pin that is high delivers at once. */
    ioapic_write(REDIR(9), (1u << 16) | (1u << 15) | 0x59);
    isa_irq(9, true);
    CU_ASSERT(!irr(0, 0x59));
    ioapic_write(REDIR(9), (1u << 15) | 0x59);
    CU_ASSERT_EQUAL(vlapic_pending_irq(&vl[0]), 0x59);
    vlapic_ack_irq(&vl[0], 0x59);
    isa_irq(9, false);
    vlapic_write(&vl[0], APIC_EOI, 0);
    CU_ASSERT_EQUAL(drain(0, 0x59), 0);
}

CU_TestInfo vioapic_tests[] = {
    ORR_CASE(test_registers),
    ORR_CASE(test_edge_delivery),
    ORR_CASE(test_level_remote_irr),
    CU_TEST_INFO_NULL,
};
