/* SPDX-License-Identifier: MIT */
/*
 * The IOAPIC (Intel 82093AA datasheet §3): version and ID registers,
 * IRQ0 from the PIT on pin 0 (Orrery's identity ISA routing) as an edge
 * to the vLAPIC with the PIC masked, counted over a pvclock interval,
 * and masking through the redirection entry.
 */
#include "hvm.h"

#define MS 1000000ULL
#define PIT_PERIOD_NS (1000000000ULL * 1193 / 1193182)
#define REDIR(pin) (0x10 + 2 * (pin))

void test_ioapic(void)
{
    uint32_t ver = ioapic_read(1);

    check((ver & 0xff) == 0x11 && ((ver >> 16) & 0xff) == 23,
          "IOAPIC: version %#x (want 0x11, 24 entries)", ver);
    ioapic_write(0, 5u << 24);
    check(ioapic_read(0) == 5u << 24 && ioapic_read(2) == 5u << 24,
          "IOAPIC: ID and arbitration ID %#x %#x", ioapic_read(0),
          ioapic_read(2));
    check(ioapic_read(REDIR(3)) & (1u << 16), "IOAPIC: entries start masked");
    /* Delivery Status and Remote IRR are read-only. */
    ioapic_write(REDIR(3), 0x15000 | 0x33);
    check(ioapic_read(REDIR(3)) == 0x10033,
          "IOAPIC: redirection entry reads back %#x (want 0x10033)",
          ioapic_read(REDIR(3)));

    /* The PIT (still at 1 kHz, mode 2) through pin 0 to vector 0x40. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    ioapic_write(REDIR(0) + 1, 0);          /* physical APIC ID 0 */
    ioapic_write(REDIR(0), V_IOAPIC);       /* fixed, edge, unmasked */
    check_rate("PIT at 1 kHz via IOAPIC pin 0", V_IOAPIC, PIT_PERIOD_NS);
    check(count_for(V_PIC_MASTER, 1 * MS) == 0,
          "IOAPIC: the masked PIC stays quiet");
    ioapic_write(REDIR(0), (1u << 16) | V_IOAPIC);
    (void)count_for(V_IOAPIC, 2 * MS);      /* one may be in flight */
    check(count_for(V_IOAPIC, 20 * MS) == 0,
          "IOAPIC: a masked pin delivers nothing");
    /* Logical destination (flat model): LDR bit 0 for this vCPU. */
    APIC_R(0x0d0) = 1u << 24;
    ioapic_write(REDIR(0) + 1, 1u << 24);
    ioapic_write(REDIR(0), (1u << 11) | (1u << 8) | V_IOAPIC);
    check_rate("PIT via IOAPIC pin 0, lowest priority, logical", V_IOAPIC,
               PIT_PERIOD_NS);
    ioapic_write(REDIR(0), (1u << 16) | V_IOAPIC);
    outb(0x43, 0x30);                       /* counter 0: mode 0, stopped */
}
