/* SPDX-License-Identifier: MIT */
/*
 * The 8254 PIT (Intel 8254 datasheet): counter 0 in modes 2 and 3 as
 * IRQ0 at the programmed rate (counted through IOAPIC pin 0 over virtual
 * time), mode 0's one edge at terminal count, the count read live, by the
 * counter latch and by read-back (with status), LSB/MSB access, BCD, and
 * counter 2 behind port 0x61's gate with its OUT.
 */
#include "hvmdev_test.h"

#define REDIR(pin) (0x10 + 2 * (pin))
#define TICK_NS(t) ((s_time_t)(t) * 1000000000LL / PIT_HZ)

static void route_pin0(void)
{
    ioapic_write(REDIR(0) + 1, 0);
    ioapic_write(REDIR(0), 0x30);
}

static unsigned int count_irq0(s_time_t ns)
{
    unsigned int n = 0;

    for ( s_time_t done = 0; done < ns; done += MICROSECS(50) )
    {
        advance(MIN(MICROSECS(50), ns - done));
        n += drain(0, 0x30);
    }
    return n;
}

static uint16_t read16(uint16_t port)
{
    uint8_t lo = port_in(port);

    return (uint16_t)(lo | port_in(port) << 8);
}

static void test_mode2_rate(void)
{
    route_pin0();
    port_out(0x43, 0x34);               /* counter 0, LSB/MSB, mode 2 */
    port_out(0x40, 1193 & 0xff);
    port_out(0x40, 1193 >> 8);          /* ~1 kHz */
    CU_ASSERT_EQUAL(count_irq0(MILLISECS(20)), 20);
    /* Mode 3 at 2 kHz: twice as many. */
    port_out(0x43, 0x36);
    port_out(0x40, 596 & 0xff);
    port_out(0x40, 596 >> 8);
    CU_ASSERT_EQUAL(count_irq0(MILLISECS(10)), 20);
    /* A new control word stops counter 0 until a count is written. */
    port_out(0x43, 0x34);
    CU_ASSERT_EQUAL(count_irq0(MILLISECS(5)), 0);
    /* A count that small is capped at 10 kHz of interrupts. */
    port_out(0x40, 2);
    port_out(0x40, 0);
    CU_ASSERT(count_irq0(MILLISECS(10)) <= 100);
}

static void test_counts_and_latch(void)
{
    uint16_t b;

    /* Virtual time stands still between advances: exact counts. */
    port_out(0x43, 0x34);
    port_out(0x40, 0x00);
    port_out(0x40, 0x10);               /* 4096 */
    CU_ASSERT_EQUAL(read16(0x40), 4096);
    advance(TICK_NS(1000));
    b = read16(0x40);
    CU_ASSERT(b >= 3096 && b <= 3097);
    /* A latched count holds while time moves; a second latch command
     * before it is read is ignored. */
    port_out(0x43, 0x00);
    advance(TICK_NS(500));
    port_out(0x43, 0x00);
    advance(TICK_NS(500));
    CU_ASSERT_EQUAL(read16(0x40), b);
    b = read16(0x40);               /* live again */
    CU_ASSERT(b >= 2096 && b <= 2098);
    /* LSB/MSB reads alternate. */
    CU_ASSERT_EQUAL(port_in(0x40), b & 0xff);
    CU_ASSERT_EQUAL(port_in(0x40), b >> 8);
}

static void test_mode0_and_access(void)
{
    uint8_t st;

    route_pin0();
    /* Mode 0, LSB only: IRQ0 once at terminal count. */
    port_out(0x43, 0x10);
    port_out(0x40, 100);
    port_out(0x43, 0xe2);               /* read-back status of counter 0 */
    st = port_in(0x40);
    CU_ASSERT_EQUAL(st, 0x10);      /* OUT low, LSB, mode 0 */
    CU_ASSERT_EQUAL(count_irq0(TICK_NS(90)), 0);
    CU_ASSERT_EQUAL(count_irq0(MILLISECS(2)), 1);
    port_out(0x43, 0xe2);
    CU_ASSERT_EQUAL(port_in(0x40), 0x90);   /* OUT high after TC */
    /* MSB only: 0x02 -> 512. */
    port_out(0x43, 0x20);
    port_out(0x40, 0x02);
    CU_ASSERT_EQUAL(port_in(0x40), 0x02);
    /* LSB/MSB mode 0: past terminal count the count wraps below 0. */
    port_out(0x43, 0x30);
    port_out(0x40, 10);
    port_out(0x40, 0);
    advance(TICK_NS(20));
    CU_ASSERT(read16(0x40) >= 0xfff0);
    /* BCD: 0x1000 is 1000 counts, read back in BCD. */
    port_out(0x43, 0x31);
    port_out(0x40, 0x00);
    port_out(0x40, 0x10);
    CU_ASSERT_EQUAL(read16(0x40), 0x1000);
    advance(TICK_NS(10));
    CU_ASSERT_EQUAL(read16(0x40), 0x0991);
    /* Read-back of count and status together: status first. */
    port_out(0x43, 0xc2);
    CU_ASSERT_EQUAL(port_in(0x40), 0x31);   /* OUT low, LSB/MSB, mode 0, BCD */
    CU_ASSERT_EQUAL(port_in(0x40), 0x91);
    CU_ASSERT_EQUAL(port_in(0x40), 0x09);
    /* The control port is write-only. */
    CU_ASSERT_EQUAL(port_in(0x43), 0xff);
    /* A count written before any control word is ignored, and counter
     * 1 then reads its idle count. */
    port_out(0x41, 0x12);
    CU_ASSERT_EQUAL(hv->pit.ch[1].armed, false);
    /* Read-back naming no counter latches nothing. */
    port_out(0x43, 0xc0);
    CU_ASSERT(!hv->pit.ch[0].status_latched && !hv->pit.ch[0].latched_bytes);
}

static void test_counter2_gate(void)
{
    uint8_t p;

    port_out(0x61, 0x00);
    port_out(0x43, 0xb0);               /* counter 2, LSB/MSB, mode 0 */
    port_out(0x42, 1000 & 0xff);
    port_out(0x42, 1000 >> 8);
    advance(TICK_NS(2000));
    CU_ASSERT_EQUAL(port_in(0x61) & 0x21, 0);   /* gate low: held, OUT low */
    CU_ASSERT_EQUAL(read16(0x42), 1000);
    port_out(0x61, 0x03);
    CU_ASSERT_EQUAL(port_in(0x61) & 0x23, 0x03);
    advance(TICK_NS(600));
    /* Gate low again half way: the count holds, then resumes. */
    port_out(0x61, 0x00);
    p = (uint8_t)read16(0x42);
    advance(TICK_NS(5000));
    CU_ASSERT_EQUAL((uint8_t)read16(0x42), p);
    port_out(0x61, 0x01);
    advance(TICK_NS(500));
    CU_ASSERT(port_in(0x61) & 0x20);            /* OUT high: 1000 counted */
    /* The refresh bit toggles every ~15 us. */
    p = port_in(0x61) & 0x10;
    advance(15085);
    CU_ASSERT_NOT_EQUAL(port_in(0x61) & 0x10, p);
    /* Mode 2 with a rising gate restarts the count. */
    port_out(0x43, 0xb4);
    port_out(0x42, 0x00);
    port_out(0x42, 0x01);               /* 256 */
    advance(TICK_NS(100));
    port_out(0x61, 0x00);
    port_out(0x61, 0x01);
    CU_ASSERT(read16(0x42) >= 255);
}

CU_TestInfo vpit_tests[] = {
    ORR_CASE(test_mode2_rate),
    ORR_CASE(test_counts_and_latch),
    ORR_CASE(test_mode0_and_access),
    ORR_CASE(test_counter2_gate),
    CU_TEST_INFO_NULL,
};
