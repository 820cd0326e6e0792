/* SPDX-License-Identifier: MIT */
/*
 * The MC146818A real-time clock and CMOS RAM of a type=hvm domain
 * (Motorola MC146818A datasheet: "Address Map", "Time, Calendar and
 * Alarm Locations", registers A-D), at the PC's index port 0x70 (bit 7:
 * the NMI mask, kept but without effect) and data port 0x71, with the
 * IBM PC century byte at 0x32; IRQF drives ISA IRQ8.
 *
 * The time is the domain's wallclock (shared_info wc_sec/wc_sec_hi/
 * wc_nsec at system time 0, plus system time: xen-abi-facts §1.5) plus an
 * offset the guest sets by writing the time registers. Registers are
 * computed when read, in BCD or binary (register B DM) and 12- or 24-hour
 * form (register B 24/12). SET freezes them for the guest to write; its
 * fall starts the clock from what was written. UIP is high for the last
 * 2228 us of each second (244 us set-up + the 1984 us update cycle).
 * Register C's flags are caught up when read (so polling guests see PF,
 * UF and AF too) and by one core timer, which runs only while an enabled
 * flag can still raise IRQF. Reading C clears the flags and IRQ8.
 * The divider (register A DV) is not emulated beyond "periodic events
 * need DV = 010"; the clock itself always runs.
 */
#include <orrery/lib.h>

#include <public/xen.h>

#include "vdev.h"

#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define REG_CENTURY 0x32

#define A_UIP   0x80
#define A_DV    0x70
#define A_DV_NORMAL 0x20            /* 32.768 kHz time base, running */
#define A_RS    0x0f
#define B_SET   0x80
#define B_PIE   0x40
#define B_AIE   0x20
#define B_UIE   0x10
#define B_DM    0x04                /* 1: binary */
#define B_24H   0x02
#define C_IRQF  0x80
#define C_PF    0x40
#define C_AF    0x20
#define C_UF    0x10
#define D_VRT   0x80

#define NS_PER_S  1000000000LL
#define UIP_NS    2228000LL
#define RTC_HZ    32768u

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

/* The RTC's time at system time @now: whole seconds, *@frac ns. */
static int64_t rtc_time(const struct hvm_vdev *h, s_time_t now,
                        int64_t *frac)
{
    const struct shared_info *si = h->d->shared_info;
    int64_t wc = 0, ns = now;

    if ( si )
    {
        wc = (int64_t)((uint64_t)si->wc_sec_hi << 32 | si->wc_sec);
        ns += si->wc_nsec;
    }
    if ( frac )
        *frac = ns - floor_div(ns, NS_PER_S) * NS_PER_S;
    return wc + floor_div(ns, NS_PER_S) + h->rtc.offset;
}

/* ---- Calendar (proleptic Gregorian, days since 1970-01-01) ------------- */

static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
    int64_t era, yoe, doy;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned int *m,
                            unsigned int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- Register formats (B's DM and 24/12) -------------------------------- */

static uint8_t enc(const struct vrtc *r, unsigned int v)
{
    return r->cmos[REG_B] & B_DM ? (uint8_t)v
                                 : (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

static unsigned int dec(const struct vrtc *r, uint8_t v)
{
    return r->cmos[REG_B] & B_DM ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint8_t enc_hour(const struct vrtc *r, unsigned int hour)
{
    unsigned int h12 = hour % 12 ? hour % 12 : 12;

    if ( r->cmos[REG_B] & B_24H )
        return enc(r, hour);
    return (uint8_t)(enc(r, h12) | (hour >= 12 ? 0x80 : 0));
}

static unsigned int dec_hour(const struct vrtc *r, uint8_t v)
{
    if ( r->cmos[REG_B] & B_24H )
        return dec(r, v) % 24;
    return dec(r, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* Write the calendar registers for second @t. */
static void fill_time(struct vrtc *r, int64_t t)
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400, y;
    unsigned int m, d;

    civil_from_days(days, &y, &m, &d);
    r->cmos[0] = enc(r, (unsigned int)(secs % 60));
    r->cmos[2] = enc(r, (unsigned int)(secs / 60 % 60));
    r->cmos[4] = enc_hour(r, (unsigned int)(secs / 3600));
    r->cmos[6] = enc(r, (unsigned int)((days % 7 + 11) % 7) + 1); /* Sun 1 */
    r->cmos[7] = enc(r, d);
    r->cmos[8] = enc(r, m);
    r->cmos[9] = enc(r, (unsigned int)(y % 100));
    r->cmos[REG_CENTURY] = enc(r, (unsigned int)(y / 100 % 100));
}

/* The second the calendar registers hold. */
static int64_t parse_time(const struct vrtc *r)
{
    unsigned int m = dec(r, r->cmos[8]), d = dec(r, r->cmos[7]);
    int64_t y = dec(r, r->cmos[REG_CENTURY]) * 100 + dec(r, r->cmos[9]);

    m = m >= 1 && m <= 12 ? m : 1;
    d = d >= 1 && d <= 31 ? d : 1;
    return days_from_civil(y, m, d) * 86400 +
           dec_hour(r, r->cmos[4]) * 3600 + (dec(r, r->cmos[2]) % 60) * 60 +
           dec(r, r->cmos[0]) % 60;
}

static bool is_time_reg(unsigned int i)
{
    return i == 0 || i == 2 || i == 4 || (i >= 6 && i <= 9) ||
           i == REG_CENTURY;
}

/* ---- Flags, IRQ8 and the timer ------------------------------------------ */

static s_time_t period_ns(const struct vrtc *r, uint64_t ticks)
{
    unsigned int rs = r->cmos[REG_A] & A_RS;
    uint64_t per = rs < 3 ? 1u << (rs + 6) : 1u << (rs - 1);

    return (s_time_t)(ticks * per * NS_PER_S / RTC_HZ);
}

static bool periodic_on(const struct vrtc *r)
{
    return (r->cmos[REG_A] & A_RS) &&
           (r->cmos[REG_A] & A_DV) == A_DV_NORMAL;
}

static s_time_t next_periodic(const struct vrtc *r)
{
    return r->pbase + period_ns(r, r->pticks);
}

static void restart_periodic(struct vrtc *r, s_time_t now)
{
    r->pbase = now;
    r->pticks = 1;
}

static bool alarm_matches(const struct vrtc *r)
{
    static const unsigned int pairs[3][2] = { { 1, 0 }, { 3, 2 }, { 5, 4 } };

    for ( unsigned int i = 0; i < 3; i++ )
    {
        uint8_t alarm = r->cmos[pairs[i][0]];

        if ( (alarm & 0xc0) != 0xc0 && alarm != r->cmos[pairs[i][1]] )
            return false;           /* 0xC0-0xFF: "don't care" */
    }
    return true;
}

/* Bring C's flags up to @now and IRQ8 with them. */
static void catch_up(struct hvm_vdev *h, s_time_t now)
{
    struct vrtc *r = &h->rtc;
    uint8_t c = r->cmos[REG_C], b = r->cmos[REG_B];
    int64_t sec;

    if ( periodic_on(r) && now >= next_periodic(r) )
    {
        s_time_t p1 = period_ns(r, 1);
        uint64_t k = (uint64_t)((now - r->pbase) / p1);

        c |= C_PF;
        /* Skip the periods already gone; rebase (losing under 1 ns a
         * period) before the tick count could overflow period_ns(). */
        if ( k + 1 > RTC_HZ )
        {
            r->pbase += (s_time_t)k * p1;
            r->pticks = 1;
        }
        else
            r->pticks = k + 1;
    }
    if ( !(b & B_SET) )
    {
        sec = rtc_time(h, now, NULL);
        if ( sec != r->last_second )
        {
            r->last_second = sec;
            c |= C_UF;
            fill_time(r, sec);
            if ( alarm_matches(r) )
                c |= C_AF;
        }
    }
    if ( ((c & C_PF) && (b & B_PIE)) || ((c & C_AF) && (b & B_AIE)) ||
         ((c & C_UF) && (b & B_UIE)) )
    {
        if ( !(c & C_IRQF) )
            hvm_isa_irq_set(h, 8, true);
        c |= C_IRQF;
    }
    r->cmos[REG_C] = c;
}

/* The timer: only while IRQF is clear and an enabled event is due. */
static void schedule(struct hvm_vdev *h, s_time_t now)
{
    struct vrtc *r = &h->rtc;
    uint8_t b = r->cmos[REG_B];
    s_time_t due = 0;
    int64_t frac;

    stop_timer(&r->timer);
    if ( r->cmos[REG_C] & C_IRQF )
        return;
    if ( (b & B_PIE) && periodic_on(r) )
        due = next_periodic(r);
    if ( (b & (B_UIE | B_AIE)) && !(b & B_SET) )
    {
        rtc_time(h, now, &frac);
        if ( !due || now + (NS_PER_S - frac) < due )
            due = now + (NS_PER_S - frac);
    }
    if ( due )
        set_timer(&r->timer, due);
}

static void rtc_timer_fn(void *data)
{
    struct hvm_vdev *h = data;
    unsigned long flags;
    s_time_t now;

    spin_lock_irqsave(&h->lock, flags);
    now = NOW();
    catch_up(h, now);
    schedule(h, now);
    spin_unlock_irqrestore(&h->lock, flags);
}

/* ---- Ports --------------------------------------------------------------- */

static uint8_t read_reg(struct hvm_vdev *h, unsigned int i)
{
    struct vrtc *r = &h->rtc;
    s_time_t now = NOW();
    int64_t frac;
    uint8_t val;

    switch ( i )
    {
    case REG_A:
        rtc_time(h, now, &frac);
        val = r->cmos[REG_A] & ~A_UIP;
        if ( !(r->cmos[REG_B] & B_SET) &&
             (val & A_DV) == A_DV_NORMAL && frac >= NS_PER_S - UIP_NS )
            val |= A_UIP;
        return val;
    case REG_C:
        catch_up(h, now);
        val = r->cmos[REG_C];
        r->cmos[REG_C] = 0;
        if ( val & C_IRQF )
            hvm_isa_irq_set(h, 8, false);
        schedule(h, now);
        return val;
    case REG_D:
        return D_VRT;               /* the battery is always good */
    default:
        if ( is_time_reg(i) && !(r->cmos[REG_B] & B_SET) )
            fill_time(r, rtc_time(h, now, NULL));
        return r->cmos[i];
    }
}

static void write_reg(struct hvm_vdev *h, unsigned int i, uint8_t val)
{
    struct vrtc *r = &h->rtc;
    s_time_t now = NOW();
    uint8_t old;

    switch ( i )
    {
    case REG_A:
        old = r->cmos[REG_A];
        r->cmos[REG_A] = val & ~A_UIP;
        if ( (old ^ val) & (A_RS | A_DV) )
            restart_periodic(r, now);
        break;
    case REG_B:
        catch_up(h, now);
        old = r->cmos[REG_B];
        if ( (val & B_SET) && !(old & B_SET) )
            fill_time(r, rtc_time(h, now, NULL));   /* freeze */
        if ( val & B_SET )
            val &= ~B_UIE;          /* SET clears UIE */
        r->cmos[REG_B] = val;
        if ( !(val & B_SET) && (old & B_SET) )
        {
            r->offset += parse_time(r) - rtc_time(h, now, NULL);
            r->last_second = rtc_time(h, now, NULL);
        }
        catch_up(h, now);           /* a newly enabled flag raises IRQF */
        break;
    case REG_C:
    case REG_D:
        return;                     /* read-only */
    default:
        if ( is_time_reg(i) && !(r->cmos[REG_B] & B_SET) )
        {
            fill_time(r, rtc_time(h, now, NULL));
            r->cmos[i] = val;
            r->offset += parse_time(r) - rtc_time(h, now, NULL);
            r->last_second = rtc_time(h, now, NULL);
            break;
        }
        r->cmos[i] = val;
        break;
    }
    schedule(h, now);
}

uint8_t vrtc_port_read(struct hvm_vdev *h, uint16_t port)
{
    if ( port == 0x70 )
        return 0xff;                /* the index register is write-only */
    return read_reg(h, h->rtc.index);
}

void vrtc_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val)
{
    if ( port == 0x70 )
        h->rtc.index = val & 0x7f;
    else
        write_reg(h, h->rtc.index, val);
}

void vrtc_init(struct hvm_vdev *h)
{
    struct vrtc *r = &h->rtc;
    s_time_t now = NOW();

    memset(r, 0, sizeof(*r));
    /* What a PC BIOS leaves: 32.768 kHz base, 1024 Hz rate, 24-hour BCD
     * (register A 0x26, B 0x02), valid RAM and time. */
    r->cmos[REG_A] = A_DV_NORMAL | 6;
    r->cmos[REG_B] = B_24H;
    r->last_second = rtc_time(h, now, NULL);
    fill_time(r, r->last_second);
    restart_periodic(r, now);
    init_timer(&r->timer, rtc_timer_fn, h, arch_cpu_id());
}

void vrtc_destroy(struct hvm_vdev *h)
{
    kill_timer(&h->rtc.timer);
}
