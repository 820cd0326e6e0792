/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer of a type=hvm domain (Intel 8254
 * datasheet, order no. 231164): counters at ports 0x40-0x42, the control
 * word register at 0x43 (counter latch and read-back commands included),
 * modes 0-5, LSB/MSB/LSB-then-MSB access, binary or BCD counting, and the
 * PC's wiring: 1.193182 MHz input, gates 0 and 1 high, counter 0's OUT
 * on ISA IRQ0, counter 2's GATE and OUT in port 0x61 (NMI Status and
 * Control, Intel 82371AB PIIX4 datasheet, port 61h: bit 0 timer 2 gate,
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
#include "vpit.h"

#define NS_PER_S          1000000000ULL
#define PIT_MIN_PERIOD_NS 100000        /* IRQ0 at most at 10 kHz */

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
void vpit_state_at(const struct vpit_channel *c, s_time_t now,
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

uint16_t vpit_read_value(const struct vpit_channel *c, uint32_t count)
{
    return c->bcd ? to_bcd16(count) : (uint16_t)count;
}

/* ---- Counter 0 -> IRQ0 --------------------------------------------------- */

void vpit_irq0_set(struct hvm_vdev *h, bool level)
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
void vpit_ch0_schedule(struct hvm_vdev *h)
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
            vpit_irq0_set(h, true);      /* stays high until reprogrammed */
        else
            irq0_pulse(h);
        if ( c->mode == 2 || c->mode == 3 )
            vpit_ch0_schedule(h);
        else
            h->pit.next = 0;
    }
    spin_unlock_irqrestore(&h->lock, flags);
}

/* ---- Gates ----------------------------------------------------------------- */

void vpit_set_gate(struct vpit_channel *c, bool gate, s_time_t now)
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
            vpit_state_at(c, now, &c->frozen, &c->out_frozen);
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

/* ---- Loading a count (vpit_port.c decodes the ports) ---------------------- */

void vpit_load(struct hvm_vdev *h, unsigned int i, uint16_t val)
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
            vpit_irq0_set(h, false);     /* mode 0: OUT low while counting */
        vpit_ch0_schedule(h);
    }
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
    kill_timer(&h->pit.timer);
}
