/* SPDX-License-Identifier: MIT */
/*
 * core/console on the sim: what reaches the console (sim capture) and what
 * reaches the ring, at each level; timestamps from virtual time; loglvl;
 * panic, including a panic while the console lock is held.
 */
#include <string.h>
#include <orrery/console.h>
#include <sim/sim.h>
#include <orr_test.h>

/* sim_advance() fires timers through this upcall; no timers here. */
void timer_interrupt(void)
{
}

static char ring[CONSOLE_RING_SIZE + 1];

static const char *ring_text(void)
{
    console_ring_read(ring, sizeof(ring));
    return ring;
}

static void setup(void)
{
    sim_init(2, 0);
    console_force_unlock();
    CU_ASSERT_TRUE(console_set_loglvl("info"));
    console_ring_clear();
}

static void teardown(void)
{
    sim_console_set_hook(NULL);
    sim_halt_disarm();
}

/* ---- levels ------------------------------------------------------------- */

static void test_levels_and_filtering(void)
{
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_INFO);   /* the default */
    printk(LOG_ERR "e-msg\n");
    printk(LOG_WARNING "w-msg\n");
    printk(LOG_INFO "i-msg\n");
    printk(LOG_DEBUG "d-msg\n");
    printk("plain-msg\n");                              /* INFO */

    ORR_ASSERT_CONTAINS(sim_console_text(), "e-msg");
    ORR_ASSERT_CONTAINS(sim_console_text(), "w-msg");
    ORR_ASSERT_CONTAINS(sim_console_text(), "i-msg");
    ORR_ASSERT_CONTAINS(sim_console_text(), "plain-msg");
    ORR_ASSERT_NOT_CONTAINS(sim_console_text(), "d-msg");
    /* The ring keeps everything, and the prefix is never printed. */
    ORR_ASSERT_CONTAINS(ring_text(), "d-msg");
    ORR_ASSERT_NOT_CONTAINS(ring_text(), "<3>");
    ORR_ASSERT_NOT_CONTAINS(sim_console_text(), "<0>");

    sim_console_clear();
    CU_ASSERT_TRUE(console_set_loglvl("warning"));
    printk(LOG_WARNING "w2\n");
    printk("p2\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "w2");
    ORR_ASSERT_NOT_CONTAINS(sim_console_text(), "p2");

    sim_console_clear();
    CU_ASSERT_TRUE(console_set_loglvl("none"));
    printk(LOG_ERR "e3\n");
    ORR_ASSERT_STREQ(sim_console_text(), "");
    ORR_ASSERT_CONTAINS(ring_text(), "e3");

    /* Only <0>..<3> are levels; anything else is text. */
    CU_ASSERT_TRUE(console_set_loglvl("all"));
    printk("<7>seven\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "<7>seven");
}

/* A message continuing a line keeps that line's level. */
static void test_line_continuation(void)
{
    printk(LOG_DEBUG "dbg-start ");
    printk("dbg-more ");
    printk("dbg-end\n");
    printk("info-line\n");                  /* new line: INFO again */
    ORR_ASSERT_NOT_CONTAINS(sim_console_text(), "dbg-");
    ORR_ASSERT_CONTAINS(sim_console_text(), "info-line");
    ORR_ASSERT_CONTAINS(ring_text(), "dbg-start dbg-more dbg-end\n");

    sim_console_clear();
    printk(LOG_WARNING "warn-start ");
    printk("%s", "warn-end\n");
    /* One line, one timestamp. */
    ORR_ASSERT_STREQ(sim_console_text(),
                     "(ORR) [    0.000000] warn-start warn-end\n");
}

static void test_multi_line_message(void)
{
    sim_advance(MICROSECS(5));
    printk("one\ntwo\n");
    ORR_ASSERT_STREQ(sim_console_text(),
                     "(ORR) [    0.000005] one\n(ORR) [    0.000005] two\n");
}

static void test_timestamps(void)
{
    sim_advance(SECONDS(12) + 345678912);
    printk("tick\n");
    ORR_ASSERT_STREQ(sim_console_text(), "(ORR) [   12.345678] tick\n");

    sim_console_clear();
    sim_advance(SECONDS(100000));
    printk("later\n");
    ORR_ASSERT_STREQ(sim_console_text(),
                     "(ORR) [100012.345678] later\n");
    /* The ring holds the same text as the console. */
    ORR_ASSERT_CONTAINS(ring_text(), "(ORR) [   12.345678] tick\n");
}

/* ---- the ring ----------------------------------------------------------- */

static void test_ring_wrap_and_truncation(void)
{
    char line[80], small[32];
    unsigned int i;
    size_t n;

    CU_ASSERT_TRUE(console_set_loglvl("none"));     /* ring only */
    CU_ASSERT_EQUAL(console_ring_read(small, sizeof(small)), 0);
    ORR_ASSERT_STREQ(small, "");

    /* 4000 lines of 40+ bytes: wraps the 64 KiB ring a few times. */
    for ( i = 0; i < 4000; i++ )
        printk(LOG_DEBUG "line %06u ..........\n", i);

    n = console_ring_read(ring, sizeof(ring));
    CU_ASSERT_EQUAL(n, CONSOLE_RING_SIZE);
    CU_ASSERT_EQUAL(strlen(ring), CONSOLE_RING_SIZE);
    /* Newest at the end, oldest lost. */
    snprintf(line, sizeof(line), "line %06u ..........\n", 3999);
    CU_ASSERT(n >= strlen(line) &&
              !strcmp(ring + n - strlen(line), line));
    ORR_ASSERT_NOT_CONTAINS(ring, "line 000000");

    /* A short buffer gets the newest bytes, NUL-terminated. */
    memset(small, 'X', sizeof(small));
    CU_ASSERT_EQUAL(console_ring_read(small, sizeof(small)),
                    sizeof(small) - 1);
    snprintf(line, sizeof(line), "(ORR) [    0.000000] line %06u "
             "..........\n", 3999);
    ORR_ASSERT_STREQ(small, line + strlen(line) - (sizeof(small) - 1));
    CU_ASSERT_EQUAL(console_ring_read(small, 1), 0);
    CU_ASSERT_EQUAL(console_ring_read(small, 0), 0);

    console_ring_clear();
    CU_ASSERT_EQUAL(console_ring_read(small, sizeof(small)), 0);
}

/* ---- loglvl ------------------------------------------------------------- */

static void test_loglvl_values(void)
{
    static const struct {
        const char *s;
        enum log_level want;
    } good[] = {
        { "none", LOGL_NONE }, { "error", LOGL_ERR },
        { "warning", LOGL_WARNING }, { "info", LOGL_INFO },
        { "debug", LOGL_DEBUG }, { "all", LOGL_DEBUG },
        { "0", LOGL_ERR }, { "1", LOGL_WARNING }, { "2", LOGL_INFO },
        { "3", LOGL_DEBUG },
    };
    static const char *const bad[] = {
        "", "4", "-1", "01", "INFO", "verbose", "info ", "err", "9",
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(good); i++ )
    {
        CU_ASSERT_TRUE(console_set_loglvl("info"));
        CU_ASSERT_TRUE(console_set_loglvl(good[i].s));
        CU_ASSERT_EQUAL(console_get_loglvl(), good[i].want);
    }
    CU_ASSERT_TRUE(console_set_loglvl("warning"));
    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        CU_ASSERT_FALSE(console_set_loglvl(bad[i]));
        CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_WARNING);
    }
}

/* ---- panic -------------------------------------------------------------- */

static void test_panic(void)
{
    sim_advance(MILLISECS(1500));
    printk("half a line, then ");
    if ( SIM_CATCH_HALT() == 0 )
    {
        panic("disk on fire: %d", 42);
        CU_FAIL("panic returned");
    }
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "half a line, then \n(ORR) [    1.500000] ****");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "(ORR) [    1.500000] PANIC on CPU 0: "
                        "disk on fire: 42\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "(sim) CPU0 state:");
    CU_ASSERT_EQUAL(sim_stop_requests(), 1);
    CU_ASSERT_FALSE(arch_irqs_enabled());
    ORR_ASSERT_CONTAINS(ring_text(), "PANIC on CPU 0: disk on fire: 42");

    /* Panics print even when the console shows nothing else. */
    console_force_unlock();
    CU_ASSERT_TRUE(console_set_loglvl("none"));
    sim_console_clear();
    sim_set_cpu(1);
    if ( SIM_CATCH_HALT() == 0 )
        panic("quiet");
    ORR_ASSERT_CONTAINS(sim_console_text(), "PANIC on CPU 1: quiet");
}

static void test_bug_on(void)
{
    volatile int x = 3;

    if ( SIM_CATCH_HALT() == 0 )
    {
        BUG_ON(x == 3);
        CU_FAIL("BUG_ON did not panic");
    }
    ORR_ASSERT_CONTAINS(sim_console_text(), "BUG_ON(x == 3) at ");
}

/* The hook runs inside printk, with the console lock held. */
static int hook_mode;

static void hook(const char *s, size_t n)
{
    (void)s;
    (void)n;
    if ( !hook_mode )
        return;
    switch ( hook_mode )
    {
    case 1:                     /* panic on the CPU holding the lock */
        hook_mode = 0;
        panic("inside printk");
        break;
    case 2:                     /* panic on another CPU meanwhile */
        hook_mode = 0;
        sim_set_cpu(1);
        panic("while CPU0 prints");
        break;
    case 3:                     /* printk from inside printk */
        hook_mode = 0;
        printk("nested %d\n", 7);
        break;
    }
}

static void test_panic_holding_console_lock(void)
{
    sim_console_set_hook(hook);
    hook_mode = 1;
    if ( SIM_CATCH_HALT() == 0 )
    {
        printk("about to fail\n");
        CU_FAIL("no panic");
    }
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_CONTAINS(sim_console_text(), "PANIC on CPU 0: inside printk");
}

/* The holder never runs again: the bounded spin gives up on it. */
static void test_panic_lock_held_elsewhere(void)
{
    sim_console_set_hook(hook);
    hook_mode = 2;
    if ( SIM_CATCH_HALT() == 0 )
    {
        printk("CPU0 printing\n");
        CU_FAIL("no panic");
    }
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "PANIC on CPU 1: while CPU0 prints");
}

static void test_recursive_printk(void)
{
    sim_console_set_hook(hook);
    hook_mode = 3;
    printk("outer\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "(ORR) [recursive] nested 7");
    /* The outer printk finished normally and the lock is free again. */
    printk("after\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "] after\n");
}

static void test_nested_panic(void)
{
    if ( SIM_CATCH_HALT() == 0 )
        panic("first");
    /* panic_cpu is still CPU0 (no force_unlock): a second panic there is
     * a panic during a panic, reported raw. */
    sim_console_clear();
    if ( SIM_CATCH_HALT() == 0 )
        panic("second");
    ORR_ASSERT_STREQ(sim_console_text(), "\n(ORR) nested PANIC: second\n");
    /* And on another CPU: it halts silently, the first one reports. */
    sim_console_clear();
    sim_set_cpu(1);
    if ( SIM_CATCH_HALT() == 0 )
        panic("third");
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);
    ORR_ASSERT_STREQ(sim_console_text(), "");
}

static CU_TestInfo printk_tests[] = {
    ORR_CASE(test_levels_and_filtering),
    ORR_CASE(test_line_continuation),
    ORR_CASE(test_multi_line_message),
    ORR_CASE(test_timestamps),
    ORR_CASE(test_ring_wrap_and_truncation),
    ORR_CASE(test_loglvl_values),
    CU_TEST_INFO_NULL,
};

static CU_TestInfo panic_tests[] = {
    ORR_CASE(test_panic),
    ORR_CASE(test_bug_on),
    ORR_CASE(test_panic_holding_console_lock),
    ORR_CASE(test_panic_lock_held_elsewhere),
    ORR_CASE(test_recursive_printk),
    ORR_CASE(test_nested_panic),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("printk", setup, teardown, printk_tests),
    ORR_SUITE_EACH("panic", setup, teardown, panic_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
