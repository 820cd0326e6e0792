/* SPDX-License-Identifier: MIT */
/*
 * The IO-APIC: indirect registers through IOREGSEL/IOWIN; redirection
 * entry n is registers 0x10+2n (low) and 0x11+2n (high). 82093AA
 * datasheet §3.2. ISA IRQs are edge-triggered, active-high unless the
 * MADT overrides them (MPS INTI flags: polarity bits 1:0, trigger 3:2).
 */
#include <orrery/console.h>
#include <orrery/spinlock.h>

#include "apic.h"

#define IOREGSEL 0x00
#define IOWIN    0x10
#define IOAPIC_VER 0x01
#define REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED     (1u << 16)
#define RTE_LEVEL      (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

static volatile uint32_t *ioapic;
static unsigned int nr_pins;
static DEFINE_SPINLOCK(ioapic_lock);

static uint32_t ioapic_read(unsigned int reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void ioapic_write(unsigned int reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

void ioapic_init(void)
{
    ioapic = (volatile uint32_t *)(DIRECTMAP_BASE + x86_topo.ioapic_base);
    nr_pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
    for ( unsigned int pin = 0; pin < nr_pins; pin++ )
    {
        ioapic_write(REDTBL(pin), RTE_MASKED);
        ioapic_write(REDTBL(pin) + 1, 0);
    }
    printk("IO-APIC: %u pins, GSI base %u\n", nr_pins,
           x86_topo.ioapic_gsi_base);
}

void ioapic_route_isa_irq(unsigned int irq, uint8_t vector)
{
    uint32_t gsi = x86_topo.isa_gsi[irq];
    uint16_t flags = x86_topo.isa_flags[irq];
    uint32_t pin = gsi - x86_topo.ioapic_gsi_base;
    uint32_t low = vector;
    unsigned long f;

    if ( gsi < x86_topo.ioapic_gsi_base || pin >= nr_pins )
    {
        printk(LOG_ERR "IO-APIC: ISA IRQ %u (GSI %u) is not on this "
               "IO-APIC\n", irq, gsi);
        return;
    }
    if ( (flags & 3) == 3 )
        low |= RTE_ACTIVE_LOW;
    if ( ((flags >> 2) & 3) == 3 )
        low |= RTE_LEVEL;

    spin_lock_irqsave(&ioapic_lock, f);
    ioapic_write(REDTBL(pin) + 1, lapic_id() << 24);  /* physical dest */
    ioapic_write(REDTBL(pin), low);
    spin_unlock_irqrestore(&ioapic_lock, f);
}
