/* SPDX-License-Identifier: MIT */
/*
 * The MC146818A RTC: the calendar from the domain's wallclock in BCD and
 * binary, 24- and 12-hour form, with the day of the week; setting the
 * clock under SET; UIP before each update; register D; CMOS RAM; the
 * periodic interrupt at register A's rate (IRQ8 through IOAPIC pin 8)
 * that needs register C read to come again; update-ended and alarm
 * interrupts; PF for a guest that polls.
 */
#include "hvmdev_test.h"

#define REDIR(pin) (0x10 + 2 * (pin))

static uint8_t cmos(uint8_t i)
{
    port_out(0x70, i);
    return port_in(0x71);
}

static void cmos_write(uint8_t i, uint8_t v)
{
    port_out(0x70, i);
    port_out(0x71, v);
}

/* The wallclock is 2026-11-22 21:34:56, a Sunday, at time 0; the sim's
 * time starts at 0 for each test. */
static void test_calendar(void)
{
    CU_ASSERT_EQUAL(cmos(0x0b), 0x02);      /* 24-hour BCD */
    CU_ASSERT_EQUAL(cmos(0), 0x56);
    CU_ASSERT_EQUAL(cmos(2), 0x34);
    CU_ASSERT_EQUAL(cmos(4), 0x21);
    CU_ASSERT_EQUAL(cmos(6), 1);            /* Sunday */
    CU_ASSERT_EQUAL(cmos(7), 0x22);
    CU_ASSERT_EQUAL(cmos(8), 0x11);
    CU_ASSERT_EQUAL(cmos(9), 0x26);
    CU_ASSERT_EQUAL(cmos(0x32), 0x20);
    CU_ASSERT_EQUAL(cmos(0x0d), 0x80);      /* VRT */
    /* Binary. */
    cmos_write(0x0b, 0x06);
    CU_ASSERT_EQUAL(cmos(0), 56);
    CU_ASSERT_EQUAL(cmos(4), 21);
    CU_ASSERT_EQUAL(cmos(9), 26);
    /* 12-hour BCD: 9 PM. */
    cmos_write(0x0b, 0x00);
    CU_ASSERT_EQUAL(cmos(4), 0x89);
    /* Time moves with system time: 3 s later, then past midnight. */
    cmos_write(0x0b, 0x02);
    advance(SECONDS(3));
    CU_ASSERT_EQUAL(cmos(0), 0x59);
    advance(SECONDS(2));
    CU_ASSERT_EQUAL(cmos(0), 0x01);
    CU_ASSERT_EQUAL(cmos(2), 0x35);
    /* The index port is write-only; bit 7 (NMI) is not part of it. */
    CU_ASSERT_EQUAL(port_in(0x70), 0xff);
    cmos_write(0x80 | 0x40, 0xa5);
    CU_ASSERT_EQUAL(cmos(0x40), 0xa5);      /* plain CMOS RAM */
}

static void test_set_and_uip(void)
{
    /* SET freezes the registers; what is written there is the time when
     * SET falls: 1999-12-31 23:59:58, a Friday. */
    cmos_write(0x0b, 0x82);
    cmos_write(0, 0x58); cmos_write(2, 0x59); cmos_write(4, 0x23);
    cmos_write(7, 0x31); cmos_write(8, 0x12); cmos_write(9, 0x99);
    cmos_write(0x32, 0x19);
    advance(SECONDS(5));
    CU_ASSERT_EQUAL(cmos(0), 0x58);         /* frozen */
    cmos_write(0x0b, 0x02);
    CU_ASSERT_EQUAL(cmos(6), 6);            /* Friday */
    advance(SECONDS(3));
    CU_ASSERT_EQUAL(cmos(0), 0x01);
    CU_ASSERT_EQUAL(cmos(9), 0x00);
    CU_ASSERT_EQUAL(cmos(0x32), 0x20);
    CU_ASSERT_EQUAL(cmos(8), 0x01);
    CU_ASSERT_EQUAL(cmos(7), 0x01);
    /* UIP: high in the last 2228 us before a second ends. */
    CU_ASSERT(!(cmos(0x0a) & 0x80));
    advance(SECONDS(1) - MICROSECS(1000));
    CU_ASSERT(cmos(0x0a) & 0x80);
    advance(MICROSECS(1500));
    CU_ASSERT(!(cmos(0x0a) & 0x80));
    /* Writing one register with SET clear moves just that field. */
    cmos_write(4, 0x05);
    CU_ASSERT_EQUAL(cmos(4), 0x05);
    CU_ASSERT_EQUAL(cmos(7), 0x01);
}

static unsigned int count_irq8(s_time_t ns, bool read_c)
{
    unsigned int n = 0, got;

    for ( s_time_t done = 0; done < ns; done += MICROSECS(50) )
    {
        advance(MIN(MICROSECS(50), ns - done));
        got = drain(0, 0x38);
        if ( got && read_c )
            CU_ASSERT_EQUAL(cmos(0x0c) & 0xc0, 0xc0);   /* IRQF, PF */
        n += got;
    }
    return n;
}

static void test_periodic(void)
{
    ioapic_write(REDIR(8) + 1, 0);
    ioapic_write(REDIR(8), 0x38);
    (void)cmos(0x0c);
    cmos_write(0x0a, 0x26);                 /* 1024 Hz */
    cmos_write(0x0b, 0x42);                 /* PIE */
    CU_ASSERT(count_irq8(MILLISECS(100), true) >= 101 &&
              count_irq8(0, true) == 0);
    /* Without the register C read IRQ8 stays high: one interrupt. */
    CU_ASSERT_EQUAL(count_irq8(MILLISECS(20), false), 1);
    CU_ASSERT_EQUAL(cmos(0x0c), 0xc0);
    CU_ASSERT_EQUAL(cmos(0x0c), 0x00);      /* read clears */
    /* 8 Hz (rate 13): 4 in half a second. */
    cmos_write(0x0a, 0x2d);
    CU_ASSERT_EQUAL(count_irq8(MILLISECS(500), true), 4);
    /* Divider not running: no periodic interrupt. */
    cmos_write(0x0a, 0x66);
    CU_ASSERT_EQUAL(count_irq8(MILLISECS(50), true), 0);
    /* PIE off: no interrupt, but a polling guest still sees PF. */
    cmos_write(0x0a, 0x26);
    cmos_write(0x0b, 0x02);
    CU_ASSERT_EQUAL(count_irq8(MILLISECS(5), true), 0);
    CU_ASSERT_EQUAL(cmos(0x0c), 0x40);
}

static void test_update_and_alarm(void)
{
    ioapic_write(REDIR(8) + 1, 0);
    ioapic_write(REDIR(8), 0x38);
    (void)cmos(0x0c);
    /* Update-ended: once a second. */
    cmos_write(0x0b, 0x12);
    CU_ASSERT_EQUAL(count_irq8(SECONDS(3), true), 3);
    /* Alarm at hh:mm:(ss+2) with "don't care" hours. */
    cmos_write(0x0b, 0x02);
    (void)cmos(0x0c);
    cmos_write(1, (uint8_t)(((cmos(0) >> 4) * 10 + (cmos(0) & 0xf) + 2) %
                            60 / 10 << 4 |
                            ((cmos(0) >> 4) * 10 + (cmos(0) & 0xf) + 2) % 10));
    cmos_write(3, cmos(2));
    cmos_write(5, 0xc0);
    cmos_write(0x0b, 0x22);                 /* AIE */
    CU_ASSERT_EQUAL(count_irq8(SECONDS(1), false), 0);
    CU_ASSERT_EQUAL(count_irq8(SECONDS(2), false), 1);
    CU_ASSERT_EQUAL(cmos(0x0c) & 0xa0, 0xa0);   /* IRQF, AF */
}

CU_TestInfo vrtc_tests[] = {
    ORR_CASE(test_calendar),
    ORR_CASE(test_set_and_uip),
    ORR_CASE(test_periodic),
    ORR_CASE(test_update_and_alarm),
    CU_TEST_INFO_NULL,
};
