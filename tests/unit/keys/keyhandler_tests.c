/* SPDX-License-Identifier: MIT */
/*
 * Debug keys: a byte typed on the console reaches its handler through the
 * platform's receive upcall (console_rx_char) and KEYPRESS_SOFTIRQ, the
 * same path as on hardware.
 */
#include <orrery/console.h>
#include <orrery/keyhandler.h>
#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/smp.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

static void setup(void)
{
    static bool once;

    sim_init(2, 0);
    orr_sim_heap_init_once(16 << 20);
    if ( !once )
    {
        timer_init();
        keyhandler_init();
        once = true;
    }
    smp_mark_online(0);
    console_set_loglvl("all");
    sim_console_clear();
}

/* Type @keys on the console and let the softirq run them. */
static const char *type(const char *keys)
{
    sim_console_clear();
    sim_console_input(keys);
    do_softirq();
    return sim_console_text();
}

static void test_help_lists_every_key(void)
{
    const char *out = type("h");

    ORR_ASSERT_CONTAINS(out, "Debug keys:");
    ORR_ASSERT_CONTAINS(out, "'h' show this help");
    ORR_ASSERT_CONTAINS(out, "'d' dump registers");
    ORR_ASSERT_CONTAINS(out, "'m' dump the page allocator");
    ORR_ASSERT_CONTAINS(out, "'t' dump every CPU's timers");
    ORR_ASSERT_CONTAINS(out, "'w' print the console ring");
    ORR_ASSERT_CONTAINS(out, "'C' crash the hypervisor");
    ORR_ASSERT_CONTAINS(out, "'R' reboot the machine");
}

/* Handlers run in the softirq, not in the receive interrupt. */
static void test_key_waits_for_softirq(void)
{
    sim_console_clear();
    sim_console_input("h");
    CU_ASSERT_TRUE(softirq_pending(0));
    ORR_ASSERT_NOT_CONTAINS(sim_console_text(), "Debug keys:");
    do_softirq();
    ORR_ASSERT_CONTAINS(sim_console_text(), "Debug keys:");
}

static void test_unknown_key(void)
{
    ORR_ASSERT_CONTAINS(type("Z"), "'Z' pressed -> no handler");
    /* Control bytes (a stray newline) are ignored silently. */
    ORR_ASSERT_STREQ(type("\n"), "");
}

static unsigned int x_presses;
static void count_x(unsigned char key)
{
    (void)key;
    x_presses++;
}

/* The queue holds 256 bytes (a line pasted into a domain's console); a
 * burst beyond that drops the excess instead of overwriting bytes not
 * yet handled. */
static void test_queue_overflow_drops(void)
{
    char burst[301];

    memset(burst, 'x', 300);
    burst[300] = '\0';
    register_keyhandler('x', count_x, "count presses (test)");
    x_presses = 0;
    type(burst);
    CU_ASSERT_EQUAL(x_presses, 256);
    type("xx");
    CU_ASSERT_EQUAL(x_presses, 258);
}

/* Two subsystems must not silently fight over one key. */
static void test_duplicate_registration_panics(void)
{
    if ( SIM_CATCH_HALT() == 0 )
    {
        register_keyhandler('h', count_x, "a second 'h'");
        CU_FAIL("registering 'h' twice did not panic");
    }
    sim_halt_disarm();
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_CONTAINS(sim_console_text(), "key 'h' registered twice");
    console_force_unlock();
}

static void test_memory_key(void)
{
    const char *out = type("m");

    ORR_ASSERT_CONTAINS(out, "page_alloc:");
    ORR_ASSERT_CONTAINS(out, "xmalloc:");
}

static void nop(void *data)
{
    (void)data;
}

static void test_timers_key_shows_pending(void)
{
    struct timer t;

    init_timer(&t, nop, NULL, 1);
    set_timer(&t, NOW() + SECONDS(5));
    ORR_ASSERT_CONTAINS(type("t"), "CPU1: 1 pending");
    stop_timer(&t);
    ORR_ASSERT_NOT_CONTAINS(type("t"), "CPU1:");
}

/* 'w' replays the ring, so a line printed earlier appears again. */
static void test_ring_key(void)
{
    const char *out;

    printk("marker-for-the-ring-test\n");
    out = type("w");
    ORR_ASSERT_CONTAINS(out, "--- console ring ---");
    ORR_ASSERT_CONTAINS(out, "marker-for-the-ring-test");
}

static void test_loglvl_keys(void)
{
    console_set_loglvl("info");
    type("-");
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_WARNING);
    type("+");
    type("+");
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_DEBUG);
    type("+");                              /* stays at the top */
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_DEBUG);
}

/* 'd' on the one online CPU dumps its state through the platform. */
static void test_registers_key(void)
{
    ORR_ASSERT_CONTAINS(type("d"), "*** CPU0 state:");
}

/* 'R' stops the other CPUs and resets the machine. */
static void test_reboot_key(void)
{
    unsigned int stops = sim_stop_requests();

    if ( SIM_CATCH_HALT() == 0 )
    {
        type("R");
        CU_FAIL("'R' returned");
    }
    sim_halt_disarm();
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_REBOOTED);
    CU_ASSERT_EQUAL(sim_stop_requests(), stops + 1);
}

static CU_TestInfo key_tests[] = {
    ORR_CASE(test_help_lists_every_key),
    ORR_CASE(test_key_waits_for_softirq),
    ORR_CASE(test_unknown_key),
    ORR_CASE(test_queue_overflow_drops),
    ORR_CASE(test_duplicate_registration_panics),
    ORR_CASE(test_memory_key),
    ORR_CASE(test_timers_key_shows_pending),
    ORR_CASE(test_ring_key),
    ORR_CASE(test_loglvl_keys),
    ORR_CASE(test_registers_key),
    ORR_CASE(test_reboot_key),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("keyhandler", setup, NULL, key_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
