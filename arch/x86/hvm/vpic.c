/* SPDX-License-Identifier: MIT */
/*
 * The cascaded 8259A pair of a type=hvm domain (Intel 8259A datasheet,
 * order no. 231468: "Initialization Command Words", "Operation Command
 * Words", "Priority modes", "Poll command") plus the PIIX4/ICH Edge/Level
 * Control Registers at 0x4D0/0x4D1 (Intel 82371AB PIIX4 datasheet,
 * ELCR1/ELCR2: IRQ0, 1, 2, 8 and 13 are always edge).
 *
 * Master at 0x20/0x21, slave at 0xA0/0xA1; the slave's INT is the
 * master's IR2 input. Every state change ends in update(), which works
 * out both INT pins and tells vdev.c when the master's changes.
 */
#include <orrery/lib.h>

#include "vdev.h"

#define ELCR_MASK_MASTER 0xf8u      /* IRQ0-2 edge only */
#define ELCR_MASK_SLAVE  0xdeu      /* IRQ8 and IRQ13 edge only */

void vpic_reset(struct vpic *p, bool slave)
{
    memset(p, 0, sizeof(*p));
    p->slave = slave;
    p->elcr_mask = slave ? ELCR_MASK_SLAVE : ELCR_MASK_MASTER;
    p->lowest = 7;                  /* IR0 highest ... IR7 lowest */
}

/* The IR in @mask with the highest priority (rotation starts after
 * lowest), or -1; *@prio its rank, 0 = highest. */
static int highest(const struct vpic *p, uint8_t mask, unsigned int *prio)
{
    for ( unsigned int i = 0; i < 8; i++ )
    {
        unsigned int ir = (p->lowest + 1 + i) & 7;

        if ( mask & (1u << ir) )
        {
            if ( prio )
                *prio = i;
            return (int)ir;
        }
    }
    return -1;
}

/*
 * The IR this chip would present at INTA now, or -1: the highest unmasked
 * request whose priority beats everything in service. Special mask mode
 * lets masked in-service levels stop blocking; special fully nested mode
 * (master only) lets the slave interrupt again while IR2 is in service.
 */
static int candidate(const struct vpic *p)
{
    uint8_t isr = p->isr;
    unsigned int req_prio, isr_prio;
    int ir = highest(p, p->irr & ~p->imr, &req_prio);

    if ( ir < 0 )
        return -1;
    if ( p->special_mask )
        isr &= ~p->imr;
    if ( !p->slave && p->sfnm )
        isr &= ~(1u << 2);
    if ( highest(p, isr, &isr_prio) >= 0 && isr_prio <= req_prio )
        return -1;
    return ir;
}

static void set_pin(struct vpic *p, unsigned int ir, bool level)
{
    uint8_t bit = 1u << ir;

    if ( p->elcr & bit )
    {
        /* Level: the request follows the line. */
        if ( level )
            p->irr |= bit;
        else
            p->irr &= ~bit;
    }
    else if ( level && !(p->lines & bit) )
        p->irr |= bit;              /* edge: a rising edge latches */
    if ( level )
        p->lines |= bit;
    else
        p->lines &= ~bit;
}

static void update(struct hvm_vdev *h)
{
    struct vpic *m = &h->pic[0], *s = &h->pic[1];
    bool old = m->output;

    s->output = candidate(s) >= 0;
    set_pin(m, 2, s->output);
    m->output = candidate(m) >= 0;
    if ( m->output != old || m->output )
        hvm_pic_output_changed(h);
}

void vpic_set_line(struct hvm_vdev *h, unsigned int irq, bool level)
{
    if ( irq >= 16 || irq == 2 )
        return;                     /* IR2 is the cascade, not an ISA IRQ */
    set_pin(&h->pic[irq >> 3], irq & 7, level);
    update(h);
}

/* One chip's part of INTA: the IR it gives (7 when nothing is pending: a
 * spurious IR7, which sets no ISR bit), with IRR -> ISR. */
static unsigned int ack(struct vpic *p)
{
    int ir = candidate(p);

    if ( ir < 0 )
        return 7;
    if ( !(p->elcr & (1u << ir)) )
        p->irr &= ~(1u << ir);      /* edge: consumed; level: the line */
    if ( p->aeoi )
    {
        if ( p->rotate_aeoi )
            p->lowest = (uint8_t)ir;
    }
    else
        p->isr |= 1u << ir;
    return (unsigned int)ir;
}

unsigned int vpic_intack(struct hvm_vdev *h)
{
    struct vpic *m = &h->pic[0], *s = &h->pic[1];
    unsigned int ir = ack(m), vec;

    if ( ir == 2 && !m->single )
        vec = s->base + ack(s);
    else
        vec = m->base + ir;
    update(h);
    return vec;
}

/* ---- Command words ------------------------------------------------------- */

static void icw1(struct vpic *p, uint8_t val)
{
    /* Initialization clears the IMR and ISR, makes IR7 the lowest, leaves
     * special mask mode, selects IRR for reads, and resets the edge
     * sense: an edge input needs a new rising edge. */
    p->imr = p->isr = 0;
    p->irr &= p->elcr & p->lines;
    p->lowest = 7;
    p->special_mask = p->read_isr = p->poll = false;
    p->rotate_aeoi = false;
    p->icw4_needed = val & 1;
    p->single = val & 2;
    if ( !p->icw4_needed )
        p->aeoi = p->sfnm = false;
    p->init_step = 2;
}

static void eoi_ir(struct vpic *p, int ir, bool rotate)
{
    if ( ir < 0 )
        return;
    p->isr &= ~(1u << ir);
    if ( rotate )
        p->lowest = (uint8_t)ir;
}

static void ocw2(struct vpic *p, uint8_t val)
{
    unsigned int level = val & 7;

    switch ( val >> 5 )
    {
    case 1:                         /* non-specific EOI */
        eoi_ir(p, highest(p, p->isr, NULL), false);
        break;
    case 3:                         /* specific EOI */
        eoi_ir(p, (int)level, false);
        break;
    case 5:                         /* rotate on non-specific EOI */
        eoi_ir(p, highest(p, p->isr, NULL), true);
        break;
    case 7:                         /* rotate on specific EOI */
        eoi_ir(p, (int)level, true);
        break;
    case 4:                         /* rotate in automatic EOI mode: set */
        p->rotate_aeoi = true;
        break;
    case 0:                         /* ... clear */
        p->rotate_aeoi = false;
        break;
    case 6:                         /* set priority: L is the lowest */
        p->lowest = (uint8_t)level;
        break;
    default:                        /* 2: no operation */
        break;
    }
}

static void ocw3(struct vpic *p, uint8_t val)
{
    if ( val & 0x40 )               /* ESMM: SMM sets or resets */
        p->special_mask = val & 0x20;
    if ( val & 0x02 )               /* RR: RIS picks the register */
        p->read_isr = val & 0x01;
    p->poll = val & 0x04;
}

static void write_data(struct vpic *p, uint8_t val)
{
    switch ( p->init_step )
    {
    case 2:                         /* ICW2: T7-T3 of the vectors */
        p->base = val & 0xf8;
        p->init_step = p->single ? (p->icw4_needed ? 4 : 0) : 3;
        break;
    case 3:                         /* ICW3: cascade wiring */
        p->icw3 = val;
        p->init_step = p->icw4_needed ? 4 : 0;
        break;
    case 4:                         /* ICW4: AEOI bit 1, SFNM bit 4 */
        p->aeoi = val & 0x02;
        p->sfnm = val & 0x10;
        p->init_step = 0;
        break;
    default:                        /* OCW1: the mask */
        p->imr = val;
        break;
    }
}

/* ---- Ports --------------------------------------------------------------- */

uint8_t vpic_port_read(struct hvm_vdev *h, uint16_t port)
{
    struct vpic *p;
    uint8_t val;

    if ( port == 0x4d0 || port == 0x4d1 )
        return h->pic[port & 1].elcr;
    p = &h->pic[port >> 7 & 1];
    if ( port & 1 )
        return p->imr;
    if ( p->poll )
    {
        /* Poll: this read is the INTA; bit 7 says whether there was an
         * interrupt, bits 2:0 which. */
        int ir = candidate(p);

        p->poll = false;
        if ( ir < 0 )
            return 0;
        ack(p);
        update(h);
        return (uint8_t)(0x80 | ir);
    }
    val = p->read_isr ? p->isr : p->irr;
    return val;
}

void vpic_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val)
{
    struct vpic *p;

    if ( port == 0x4d0 || port == 0x4d1 )
    {
        p = &h->pic[port & 1];
        p->elcr = val & p->elcr_mask;
        /* A pin that became level-triggered requests while high. */
        p->irr = (uint8_t)((p->irr & ~p->elcr) | (p->lines & p->elcr));
    }
    else
    {
        p = &h->pic[port >> 7 & 1];
        if ( port & 1 )
            write_data(p, val);
        else if ( val & 0x10 )
            icw1(p, val);
        else if ( val & 0x08 )
            ocw3(p, val);
        else
            ocw2(p, val);
    }
    update(h);
}
