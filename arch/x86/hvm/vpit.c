/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer of a type=hvm domain (Intel 8254
 * datasheet, order no. 231164): counters at ports 0x40-0x42, the control
 * word register at 0x43 (counter latch and read-back commands included),
 * modes 0-5, LSB/MSB/LSB-then-MSB access, binary or BCD counting, and the
 * PC's wiring: 1.193182 MHz input, gates 0 and 1 high, counter 0's OUT
 * on ISA IRQ0, counter 2's GATE and OUT in port 0x61 (NMI Status and
 * Control, Intel 82371AB PIIX4 datasheet §4.2.2.2: bit 0 timer 2 gate,
 * bit 1 speaker data enable, bit 4 refresh toggle, bit 5 timer 2 OUT).
 *
 * No clock ticks here: a counter keeps the time it was (re)loaded, and
 * its count and OUT are worked out from the elapsed time when read.
 * Counter 0 alone needs a core timer (on the CPU that built the domain),
 * for its OUT edges: IRQ0 pulses at the start of each period in modes 2
 * and 3, goes high at terminal count in mode 0 (until reprogrammed) and
 * pulses after the strobe in mode 4. A late timer delivers one edge and
 * skips the periods it missed, as the PIC's edge latch would merge them.
 * IRQ0 is limited to PIT_MIN_PERIOD_NS: a smaller count still counts at
 * the full rate, but its interrupts come at most that often.
 */
#include <orrery/lib.h>

#include "vdev.h"

#define NS_PER_S          1000000000ULL
#define PIT_MIN_PERIOD_NS 100000        /* IRQ0 at most at 10 kHz */
#define REFRESH_NS        15085         /* port 0x61 bit 4 toggles (~15 us) */

static uint64_t ns_to_ticks(s_time_t ns)
{
    uint64_t u = ns > 0 ? (uint64_t)ns : 0;

    return (u / NS_PER_S) * PIT_HZ + (u % NS_PER_S) * PIT_HZ / NS_PER_S;
}

/* Rounded up, so that ns_to_ticks(ticks_to_ns(t)) >= t. */
static s_time_t ticks_to_ns(uint64_t t)
{
    return (s_time_t)((t / PIT_HZ) * NS_PER_S +
                      ((t % PIT_HZ) * NS_PER_S + PIT_HZ - 1) / PIT_HZ);
}

static uint32_t from_bcd16(uint32_t v)
{
    return (v >> 12 & 0xf) * 1000 + (v >> 8 & 0xf) * 100 +
           (v >> 4 & 0xf) * 10 + (v & 0xf);
}

static uint16_t to_bcd16(uint32_t v)
{
    return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
                      (v / 10 % 10) << 4 | v % 10);
}

/* The count range: a count register of 0 means the maximum. */
static uint32_t wrap(const struct vpit_channel *c)
{
    return c->bcd ? 10000 : 0x10000;
}

static uint32_t span(const struct vpit_channel *c)
{
    uint32_t n = c->bcd ? from_bcd16(c->reload) : c->reload;

    return n ? n : wrap(c);
}

static bool gated_mode(const struct vpit_channel *c)
{
    return c->mode != 1 && c->mode != 5;    /* gate low holds counting */
}

/* The counting element and OUT of @c at @now (datasheet "Mode
 * Definitions"); counts are binary here, BCD-coded when read. */
static void state_at(const struct vpit_channel *c, s_time_t now,
                     uint32_t *count, bool *out)
{
    uint32_t n = span(c), w = wrap(c);
    uint64_t t, d, half;

    if ( !c->armed || ((c->mode == 1 || c->mode == 5) && !c->triggered) )
    {
        *count = n % w;
        *out = c->mode != 0;    /* mode 0 starts low, the others high */
        return;
    }
    if ( c->held )
    {
        *count = c->frozen;
        *out = c->out_frozen;
        return;
    }
    t = ns_to_ticks(now - c->start);
    switch ( c->mode )
    {
    case 0:                         /* interrupt on terminal count */
    case 1:                         /* hardware one-shot */
        *out = t >= n;
        *count = (uint32_t)(((uint64_t)n + w - t % w) % w);
        break;
    case 4:                         /* software strobe */
    case 5:                         /* hardware strobe */
        *out = t != n;
        *count = (uint32_t)(((uint64_t)n + w - t % w) % w);
        break;
    case 2:                         /* rate generator: N..1, low at 1 */
        d = t % n;
        *count = (uint32_t)(n - d);
        *out = d != n - 1 || n == 1;
        break;
    default:                        /* 3, square wave: by twos */
        d = t % n;
        half = (n + 1) / 2;
        *out = d < half;
        *count = (uint32_t)(d < half ? n - 2 * d : n - 2 * (d - half)) & ~1u;
        break;
    }
}

static uint16_t read_value(const struct vpit_channel *c, uint32_t count)
{
    return c->bcd ? to_bcd16(count) : (uint16_t)count;
}

/* ---- Counter 0 -> IRQ0 --------------------------------------------------- */

static void irq0_set(struct hvm_vdev *h, bool level)
{
    h->pit.irq_high = level;
    hvm_isa_irq_set(h, 0, level);
}

static void irq0_pulse(struct hvm_vdev *h)
{
    hvm_isa_irq_set(h, 0, true);
    hvm_isa_irq_set(h, 0, false);
    h->pit.irq_high = false;
}

/* Arm the timer for counter 0's next OUT edge after now, if any. */
static void ch0_schedule(struct hvm_vdev *h)
{
    struct vpit *pit = &h->pit;
    struct vpit_channel *c = &pit->ch[0];
    uint64_t n = span(c), t, k;
    s_time_t now = NOW(), due;

    stop_timer(&pit->timer);
    pit->next = 0;
    if ( !c->armed || c->held )
        return;
    switch ( c->mode )
    {
    case 0:
        due = c->start + ticks_to_ns(n);
        break;
    case 4:
        due = c->start + ticks_to_ns(n + 1);
        break;
    case 2:
    case 3:
        t = ns_to_ticks(now - c->start);
        k = t / n + 1;
        if ( ticks_to_ns(n) < PIT_MIN_PERIOD_NS )
            k = (t + ns_to_ticks(PIT_MIN_PERIOD_NS)) / n + 1;
        due = c->start + ticks_to_ns(k * n);
        break;
    default:
        return;                     /* modes 1, 5: gate 0 never rises */
    }
    pit->next = due;
    set_timer(&pit->timer, due);
}

static void ch0_timer_fn(void *data)
{
    struct hvm_vdev *h = data;
    struct vpit_channel *c = &h->pit.ch[0];
    unsigned long flags;

    spin_lock_irqsave(&h->lock, flags);
    /* A port write that reprogrammed counter 0 while this callback waited
     * for the lock moved next (or cleared it): nothing is due yet. */
    if ( h->pit.next && NOW() >= h->pit.next && c->armed && !c->held )
    {
        if ( c->mode == 0 )
            irq0_set(h, true);      /* stays high until reprogrammed */
        else
            irq0_pulse(h);
        if ( c->mode == 2 || c->mode == 3 )
            ch0_schedule(h);
        else
            h->pit.next = 0;
    }
    spin_unlock_irqrestore(&h->lock, flags);
}

/* ---- Gates ----------------------------------------------------------------- */

static void set_gate(struct vpit_channel *c, bool gate, s_time_t now)
{
    uint32_t n = span(c), w = wrap(c);

    if ( gate == c->gate )
        return;
    c->gate = gate;
    if ( !c->armed )
        return;
    if ( !gate )
    {
        if ( gated_mode(c) && !c->held )
        {
            state_at(c, now, &c->frozen, &c->out_frozen);
            if ( c->mode == 2 || c->mode == 3 )
                c->out_frozen = true;   /* a low gate forces OUT high */
            c->held = true;
        }
        return;
    }
    if ( c->held )
    {
        uint64_t elapsed = ((uint64_t)n + w - c->frozen) % w;

        c->held = false;
        /* Modes 2 and 3 reload on the rising gate; 0 and 4 resume. */
        if ( c->mode == 2 || c->mode == 3 )
            elapsed = 0;
        else if ( c->mode == 0 && c->out_frozen )
            elapsed = n + ((uint64_t)w - c->frozen) % w;
        c->start = now - ticks_to_ns(elapsed);
    }
    else if ( c->mode == 1 || c->mode == 5 )
    {
        c->triggered = true;        /* a rising gate (re)triggers */
        c->start = now;
    }
}

/* ---- Ports --------------------------------------------------------------- */

static void load(struct hvm_vdev *h, unsigned int i, uint16_t val)
{
    struct vpit_channel *c = &h->pit.ch[i];

    c->reload = val;
    c->armed = true;
    c->null_count = false;
    c->triggered = false;
    c->held = false;
    c->start = NOW();
    if ( !c->gate && gated_mode(c) )
    {
        c->held = true;             /* counting waits for the gate */
        c->frozen = span(c) % wrap(c);
        c->out_frozen = c->mode != 0;
    }
    if ( i == 0 )
    {
        if ( h->pit.irq_high )
            irq0_set(h, false);     /* mode 0: OUT low while counting */
        ch0_schedule(h);
    }
}

static void latch_count(struct vpit_channel *c)
{
    uint32_t count;
    bool out;

    if ( c->latched_bytes )
        return;                     /* a latched count waits to be read */
    state_at(c, NOW(), &count, &out);
    c->latch = read_value(c, count);
    c->latched_bytes = c->rw == 3 ? 2 : 1;
}

static void latch_status(struct vpit_channel *c)
{
    uint32_t count;
    bool out;

    if ( c->status_latched )
        return;
    state_at(c, NOW(), &count, &out);
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
        ch0_schedule(h);
        if ( h->pit.irq_high )
            irq0_set(h, false);
    }
}

static void write_count(struct hvm_vdev *h, unsigned int i, uint8_t val)
{
    struct vpit_channel *c = &h->pit.ch[i];

    switch ( c->rw )
    {
    case 1:
        load(h, i, val);
        break;
    case 2:
        load(h, i, (uint16_t)(val << 8));
        break;
    case 3:
        if ( !c->write_msb_next )
        {
            c->write_lsb = val;
            c->write_msb_next = true;
            /* Mode 0: writing the first byte stops the count. */
            if ( c->mode == 0 && c->armed )
            {
                state_at(c, NOW(), &c->frozen, &c->out_frozen);
                c->out_frozen = false;
                c->held = true;
                if ( i == 0 )
                    ch0_schedule(h);
            }
            break;
        }
        c->write_msb_next = false;
        load(h, i, (uint16_t)(c->write_lsb | val << 8));
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
    state_at(c, NOW(), &count, &out);
    v = read_value(c, count);
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
        state_at(c2, NOW(), &count, &out);
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
        set_gate(&h->pit.ch[2], val & 1, NOW());
    }
    else if ( port == 0x43 )
        control_word(h, val);
    else
        write_count(h, port - 0x40, val);
}

void vpit_init(struct hvm_vdev *h)
{
    memset(&h->pit, 0, sizeof(h->pit));
    /* Gates 0 and 1 are tied high on the PC; 2 comes from port 0x61. */
    h->pit.ch[0].gate = h->pit.ch[1].gate = true;
    init_timer(&h->pit.timer, ch0_timer_fn, h, arch_cpu_id());
}

void vpit_destroy(struct hvm_vdev *h)
{
    stop_timer(&h->pit.timer);
}
