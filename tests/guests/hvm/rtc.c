/* SPDX-License-Identifier: MIT */
/*
 * The RTC (MC146818A datasheet): the time in BCD and binary and in 12-
 * and 24-hour form against the shared_info wallclock (±2 s), register D's
 * VRT (also by REP INSB: string I/O reaches the models), the periodic
 * interrupt at 1024 Hz through IOAPIC pin 8 with
 * register C reads (counted over a pvclock interval), the same through
 * the slave PIC (IRQ8 via the cascade), and pin 8 level-triggered: an EOI
 * without the C read that lowers IRQ8 brings the interrupt straight
 * back, Remote IRR set while it is in service.
 */
#include <public/xen.h>

#include "hvm.h"

#define MS 1000000ULL
#define RTC_PERIOD_NS 976562        /* 1024 Hz, rounded down */
#define REDIR(pin) (0x10 + 2 * (pin))

static uint8_t cmos(uint8_t i)
{
    outb(0x70, i);
    return inb(0x71);
}

static void cmos_write(uint8_t i, uint8_t v)
{
    outb(0x70, i);
    outb(0x71, v);
}

static unsigned int dec(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
    int64_t era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The RTC's time in seconds since 1970, read between updates. */
static int64_t rtc_seconds(void)
{
    uint8_t b = cmos(0x0b), sec, min, hour, day, mon, year, cent;
    bool bin = b & 0x04;
    unsigned int h;

    do {
        while ( cmos(0x0a) & 0x80 )     /* UIP: an update is coming */
            ;
        sec = cmos(0); min = cmos(2); hour = cmos(4);
        day = cmos(7); mon = cmos(8); year = cmos(9); cent = cmos(0x32);
    } while ( cmos(0) != sec );
    h = dec(hour & 0x7f, bin);
    if ( !(b & 0x02) )                  /* 12-hour: 12 AM is 0 */
        h = h % 12 + (hour & 0x80 ? 12 : 0);
    return days_from_civil(dec(cent, bin) * 100 + dec(year, bin),
                           dec(mon, bin), dec(day, bin)) * 86400 +
           h * 3600 + dec(min, bin) * 60 + dec(sec, bin);
}

static int64_t wallclock(void)
{
    volatile struct shared_info *si = shared_info();
    uint32_t ver;
    int64_t s, ns;

    do {
        ver = si->wc_version;
        s = (int64_t)((uint64_t)si->wc_sec_hi << 32 | si->wc_sec);
        ns = si->wc_nsec;
    } while ( (ver & 1) || ver != si->wc_version );
    return s + (int64_t)((ns + (int64_t)now_ns()) / 1000000000);
}

static void check_time(const char *what)
{
    int64_t r = rtc_seconds(), w = wallclock();

    check(r - w >= -2 && r - w <= 2,
          "RTC %s: %lld s, wallclock %lld s (differ by more than 2 s)", what,
          (long long)r, (long long)w);
}

static volatile unsigned int c_reads, c_bad, level_phase;
static volatile uint32_t remote_irr_seen;

static void rtc_hook(unsigned int vector)
{
    uint8_t c;

    if ( vector != V_IOAPIC + 8 && vector != V_PIC_SLAVE )
        return;
    /* Level test: the first time EOI without reading C. */
    if ( level_phase == 1 )
    {
        remote_irr_seen = ioapic_read(REDIR(8)) & (1u << 14);
        level_phase = 2;
        return;
    }
    c = cmos(0x0c);
    c_reads++;
    if ( (c & 0xc0) != 0xc0 )           /* IRQF and PF */
        c_bad++;
}

void test_rtc(void)
{
    unsigned int n;
    uint8_t b = cmos(0x0b);
    uint64_t t0;

    check(cmos(0x0d) == 0x80, "RTC: register D VRT (%#x)", cmos(0x0d));
    /* String I/O reaches the device models too: REP INSB of register D. */
    {
        uint8_t buf[8] = { 0 };
        bool all = true;

        outb(0x70, 0x0d);
        insb(0x71, buf, sizeof(buf));
        for ( unsigned int i = 0; i < sizeof(buf); i++ )
            all = all && buf[i] == 0x80;
        check(all, "RTC: REP INSB of register D gives %#x %#x ...", buf[0],
              buf[7]);
    }
    check((cmos(0x0a) & 0x70) == 0x20, "RTC: register A divider %#x",
          cmos(0x0a));
    check_time("BCD 24h");
    cmos_write(0x0b, (b | 0x04) & ~0x40);   /* binary */
    check_time("binary 24h");
    cmos_write(0x0b, b & ~0x06 & ~0x40);    /* BCD 12h */
    check_time("BCD 12h");
    cmos_write(0x0b, (b | 0x02) & ~0x44);

    /* Setting the clock: SET, write 2001-02-03 04:05:06, clear SET. */
    cmos_write(0x0b, 0x82);
    cmos_write(0, 0x06); cmos_write(2, 0x05); cmos_write(4, 0x04);
    cmos_write(7, 0x03); cmos_write(8, 0x02); cmos_write(9, 0x01);
    cmos_write(0x32, 0x20);
    cmos_write(0x0b, 0x02);
    n = (unsigned int)(rtc_seconds() - days_from_civil(2001, 2, 3) * 86400 -
                       4 * 3600 - 5 * 60 - 6);
    check(n <= 2, "RTC: set to 2001-02-03 04:05:06, reads %u s later", n);

    /* Periodic interrupt, 1024 Hz, through IOAPIC pin 8 (edge). */
    (void)cmos(0x0c);
    irq_hook = rtc_hook;
    ioapic_write(REDIR(8) + 1, 0);
    ioapic_write(REDIR(8), V_IOAPIC + 8);
    cmos_write(0x0a, 0x26);
    cmos_write(0x0b, 0x42);                 /* PIE, 24h, BCD */
    check_rate("RTC periodic 1024 Hz via IOAPIC pin 8", V_IOAPIC + 8,
               RTC_PERIOD_NS);
    check(c_bad == 0 && c_reads >= RATE_WANT, "RTC: register C had IRQF|PF "
          "each time (%u bad of %u)", c_bad, c_reads);

    /* Level-triggered: no C read, EOI; the line is still high. First
     * mask the pin and take what the edge entry left in the IRR. */
    ioapic_write(REDIR(8), (1u << 16) | (V_IOAPIC + 8));
    (void)count_for(V_IOAPIC + 8, 1 * MS);
    (void)cmos(0x0c);                       /* drop IRQ8 ... */
    ioapic_write(REDIR(8), (1u << 15) | (V_IOAPIC + 8));
    level_phase = 1;
    n = hits[V_IOAPIC + 8];
    t0 = now_ns();                          /* ... until PF raises it */
    while ( !(APIC_R(0x220) & (1u << 8)) && now_ns() - t0 < 1000 * MS )
        ;
    asm volatile ( "sti; nop; nop; nop; nop; cli" ::: "memory" );
    check(level_phase == 2 && remote_irr_seen,
          "IOAPIC level: Remote IRR set while in service");
    check(hits[V_IOAPIC + 8] - n >= 2,
          "IOAPIC level: EOI with IRQ8 still high delivers again (%u)",
          hits[V_IOAPIC + 8] - n);
    level_phase = 0;
    ioapic_write(REDIR(8), (1u << 16) | (V_IOAPIC + 8));
    (void)count_for(V_IOAPIC + 8, 1000000);  /* one may be in the IRR */
    (void)cmos(0x0c);

    /* The same periodic interrupt through the slave PIC (IRQ8 on IR0 of
     * the slave, the slave on master IR2). */
    pic_init();
    outb(0x21, 0xfb);
    outb(0xa1, 0xfe);
    (void)cmos(0x0c);
    check_rate("RTC periodic 1024 Hz via the slave PIC", V_PIC_SLAVE,
               RTC_PERIOD_NS);
    cmos_write(0x0b, 0x02);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    (void)cmos(0x0c);
    irq_hook = NULL;
}
