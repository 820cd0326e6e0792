/* SPDX-License-Identifier: MIT */
/*
 * The IOAPIC of a type=hvm domain, after the Intel 82093AA datasheet
 * (order no. 290566): IOREGSEL at base+0x00 and IOWIN at base+0x10
 * (§3.1), registers IOAPICID 0x00, IOAPICVER 0x01 (version 0x11, maximum
 * redirection entry 23), IOAPICARB 0x02 and the 24 64-bit redirection
 * entries at 0x10-0x3F (§3.2). At 0xFEC00000, the address the PC/AT
 * platform (and Xen's HVM) uses.
 *
 * Delivery: fixed and lowest priority, physical (8-bit APIC ID) or
 * logical destinations, to the vLAPICs (hvm_ioapic_deliver). An edge pin
 * sends a message on each rising edge; a level pin sends one while it is
 * high and sets Remote IRR until a vLAPIC's EOI of that vector clears it,
 * and then sends again if the pin is still high (§3.2.4). The polarity
 * bit is kept but not applied: ISA lines are modelled as asserted when
 * high, as Xen's vIOAPIC does. SMI, NMI, INIT and ExtINT delivery modes
 * are not emulated: such an entry sends nothing.
 */
#include <orrery/lib.h>

#include "vdev.h"

#define IOAPIC_REG_ID    0x00
#define IOAPIC_REG_VER   0x01
#define IOAPIC_REG_ARB   0x02
#define IOAPIC_REG_REDIR 0x10

#define IOREGSEL_OFF 0x00
#define IOWIN_OFF    0x10

void vioapic_reset(struct vioapic *io)
{
    memset(io, 0, sizeof(*io));
    /* Reset: every entry masked (§3.2.4, bit 16). */
    for ( unsigned int i = 0; i < VIOAPIC_PINS; i++ )
        io->redir[i] = IOREDTBL_MASKED;
}

static void service(struct hvm_vdev *h, unsigned int pin, bool edge)
{
    uint64_t *e = &h->ioapic.redir[pin];

    if ( *e & IOREDTBL_MASKED )
        return;
    if ( *e & IOREDTBL_LEVEL )
    {
        if ( !(h->ioapic.lines & (1u << pin)) || (*e & IOREDTBL_REMOTE_IRR) )
            return;
        *e |= IOREDTBL_REMOTE_IRR;
    }
    else if ( !edge )
        return;
    hvm_ioapic_deliver(h, *e);
}

void vioapic_set_line(struct hvm_vdev *h, unsigned int pin, bool level)
{
    struct vioapic *io = &h->ioapic;
    bool rising;

    if ( pin >= VIOAPIC_PINS )
        return;
    rising = level && !(io->lines & (1u << pin));
    if ( level )
        io->lines |= 1u << pin;
    else
        io->lines &= ~(1u << pin);
    if ( level )
        service(h, pin, rising);
}

void vioapic_eoi(struct hvm_vdev *h, unsigned int vector)
{
    for ( unsigned int pin = 0; pin < VIOAPIC_PINS; pin++ )
    {
        uint64_t *e = &h->ioapic.redir[pin];

        if ( (*e & IOREDTBL_VECTOR) != vector ||
             !(*e & IOREDTBL_REMOTE_IRR) )
            continue;
        *e &= ~IOREDTBL_REMOTE_IRR;
        service(h, pin, false);     /* still high: again */
    }
}

static uint32_t read_reg(struct vioapic *io)
{
    unsigned int r = io->regsel;

    switch ( r )
    {
    case IOAPIC_REG_ID:
    case IOAPIC_REG_ARB:            /* the arbitration ID follows the ID */
        return io->id;
    case IOAPIC_REG_VER:
        return ((VIOAPIC_PINS - 1u) << 16) | VIOAPIC_VERSION;
    default:
        if ( r >= IOAPIC_REG_REDIR && r < IOAPIC_REG_REDIR + 2 * VIOAPIC_PINS )
        {
            uint64_t e = io->redir[(r - IOAPIC_REG_REDIR) / 2];

            return (uint32_t)(r & 1 ? e >> 32 : e);
        }
        return 0xffffffffu;         /* no register there */
    }
}

static void write_reg(struct hvm_vdev *h, uint32_t val)
{
    struct vioapic *io = &h->ioapic;
    unsigned int r = io->regsel, pin;
    uint64_t *e, keep;

    if ( r == IOAPIC_REG_ID )
    {
        io->id = val & (0xfu << 24);
        return;
    }
    if ( r < IOAPIC_REG_REDIR || r >= IOAPIC_REG_REDIR + 2 * VIOAPIC_PINS )
        return;                     /* VER and ARB are read-only */
    pin = (r - IOAPIC_REG_REDIR) / 2;
    e = &io->redir[pin];
    keep = *e & ~IOREDTBL_RW_MASK;
    if ( r & 1 )
        *e = (*e & 0xffffffffULL) | ((uint64_t)val << 32);
    else
        *e = (*e & ~0xffffffffULL) | val;
    *e = (*e & IOREDTBL_RW_MASK) | keep;
    /* An edge entry has no Remote IRR to keep. */
    if ( !(*e & IOREDTBL_LEVEL) )
        *e &= ~IOREDTBL_REMOTE_IRR;
    /* Unmasking a level pin that is high delivers it. */
    service(h, pin, false);
}

/* 32-bit registers at IOREGSEL (any width: the low byte selects) and
 * IOWIN; anything else in the page reads as zero and ignores writes. */
uint32_t vioapic_mmio_read(struct hvm_vdev *h, unsigned int off)
{
    if ( off == IOREGSEL_OFF )
        return h->ioapic.regsel;
    if ( off == IOWIN_OFF )
        return read_reg(&h->ioapic);
    return 0;
}

void vioapic_mmio_write(struct hvm_vdev *h, unsigned int off, uint32_t val)
{
    if ( off == IOREGSEL_OFF )
        h->ioapic.regsel = (uint8_t)val;
    else if ( off == IOWIN_OFF )
        write_reg(h, val);
}
