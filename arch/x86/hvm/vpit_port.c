/* SPDX-License-Identifier: MIT */
/*
 * The 8254's ports (Intel 8254 datasheet: "Control Word Format", "Read
 * Operations" -- simple read, counter latch command, read-back command --
 * and "Write Operations") and port 0x61, on the counting model in
 * vpit.c.
 */
#include "vdev.h"
#include "vpit.h"

#define REFRESH_NS 15085            /* port 0x61 bit 4 toggles (~15 us) */

static void latch_count(struct vpit_channel *c)
{
    uint32_t count;
    bool out;

    if ( c->latched_bytes )
        return;                     /* a latched count waits to be read */
    vpit_state_at(c, NOW(), &count, &out);
    c->latch = vpit_read_value(c, count);
    c->latched_bytes = c->rw == 3 ? 2 : 1;
}

static void latch_status(struct vpit_channel *c)
{
    uint32_t count;
    bool out;

    if ( c->status_latched )
        return;
    vpit_state_at(c, NOW(), &count, &out);
    c->status = (uint8_t)((out ? 0x80 : 0) | (c->null_count ? 0x40 : 0) |
                          c->rw << 4 | c->mode << 1 | (c->bcd ? 1 : 0));
    c->status_latched = true;
}

static void control_word(struct hvm_vdev *h, uint8_t val)
{
    unsigned int sc = val >> 6, rw = (val >> 4) & 3;
    struct vpit_channel *c;

    if ( sc == 3 )
    {
        /* Read-back: bit 5 low latches counts, bit 4 low statuses, of
         * the counters bits 1-3 select. */
        for ( unsigned int i = 0; i < 3; i++ )
        {
            if ( !(val & (2u << i)) )
                continue;
            if ( !(val & 0x10) )
                latch_status(&h->pit.ch[i]);
            if ( !(val & 0x20) )
                latch_count(&h->pit.ch[i]);
        }
        return;
    }
    c = &h->pit.ch[sc];
    if ( rw == 0 )
    {
        latch_count(c);
        return;
    }
    /* A control word resets the counter's logic: new mode, OUT to its
     * initial state, no count until one is written. */
    c->rw = (uint8_t)rw;
    c->mode = (val >> 1) & 7;
    if ( c->mode > 5 )
        c->mode -= 4;               /* x10 = 2, x11 = 3 */
    c->bcd = val & 1;
    c->armed = c->held = c->triggered = false;
    c->null_count = true;
    c->write_msb_next = c->read_msb_next = false;
    c->latched_bytes = 0;
    c->status_latched = false;
    if ( sc == 0 )
    {
        vpit_ch0_schedule(h);
        if ( h->pit.irq_high )
            vpit_irq0_set(h, false);
    }
}

static void write_count(struct hvm_vdev *h, unsigned int i, uint8_t val)
{
    struct vpit_channel *c = &h->pit.ch[i];

    switch ( c->rw )
    {
    case 1:
        vpit_load(h, i, val);
        break;
    case 2:
        vpit_load(h, i, (uint16_t)(val << 8));
        break;
    case 3:
        if ( !c->write_msb_next )
        {
            c->write_lsb = val;
            c->write_msb_next = true;
            /* Mode 0: writing the first byte stops the count. */
            if ( c->mode == 0 && c->armed )
            {
                vpit_state_at(c, NOW(), &c->frozen, &c->out_frozen);
                c->out_frozen = false;
                c->held = true;
                if ( i == 0 )
                    vpit_ch0_schedule(h);
            }
            break;
        }
        c->write_msb_next = false;
        vpit_load(h, i, (uint16_t)(c->write_lsb | val << 8));
        break;
    default:
        break;                      /* no control word yet */
    }
}

static uint8_t read_count(struct vpit_channel *c)
{
    uint32_t count;
    uint16_t v;
    bool out, msb;

    if ( c->status_latched )
    {
        c->status_latched = false;
        return c->status;
    }
    if ( c->latched_bytes )
    {
        msb = c->rw == 2 || (c->rw == 3 && c->latched_bytes == 1);
        c->latched_bytes--;
        return (uint8_t)(msb ? c->latch >> 8 : c->latch);
    }
    vpit_state_at(c, NOW(), &count, &out);
    v = vpit_read_value(c, count);
    msb = c->rw == 2 || (c->rw == 3 && c->read_msb_next);
    if ( c->rw == 3 )
        c->read_msb_next = !c->read_msb_next;
    return (uint8_t)(msb ? v >> 8 : v);
}

uint8_t vpit_port_read(struct hvm_vdev *h, uint16_t port)
{
    struct vpit_channel *c2 = &h->pit.ch[2];
    uint32_t count;
    bool out;

    if ( port == 0x61 )
    {
        vpit_state_at(c2, NOW(), &count, &out);
        return (uint8_t)((c2->gate ? 1 : 0) | (h->pit.speaker_data ? 2 : 0) |
                         ((NOW() / REFRESH_NS) & 1 ? 0x10 : 0) |
                         (out ? 0x20 : 0));
    }
    if ( port == 0x43 )
        return 0xff;                /* the control word is write-only */
    return read_count(&h->pit.ch[port - 0x40]);
}

void vpit_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val)
{
    if ( port == 0x61 )
    {
        h->pit.speaker_data = val & 2;
        vpit_set_gate(&h->pit.ch[2], val & 1, NOW());
    }
    else if ( port == 0x43 )
        control_word(h, val);
    else
        write_count(h, port - 0x40, val);
}
