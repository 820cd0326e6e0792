/* SPDX-License-Identifier: MIT */
/* boot_reserve(): the ranges the allocators must never hand out. */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <sim/sim.h>

#include "orr_test.h"

static struct boot_info bi;

static void setup(void)
{
    sim_init(1, 0);
    memset(&bi, 0, sizeof(bi));
}

/* Partial pages are reserved whole: a byte of loader data on a page keeps
 * the page. */
static void test_rounds_outwards(void)
{
    boot_reserve(&bi, 0x1234, 0x5001, "x");
    CU_ASSERT_EQUAL_FATAL(bi.nr_reserved, 1);
    ORR_ASSERT_EQ_U64(bi.reserved[0].start, 0x1000);
    ORR_ASSERT_EQ_U64(bi.reserved[0].end, 0x6000);
    ORR_ASSERT_STREQ(bi.reserved[0].what, "x");
}

/* Regression: an end within a page of 2^64 used to round up to 0, making
 * the range end before it starts. */
static void test_end_near_top_does_not_wrap(void)
{
    boot_reserve(&bi, 0xfffffffffffff000ull, 0xffffffffffffff00ull, "top");
    CU_ASSERT_EQUAL_FATAL(bi.nr_reserved, 1);
    CU_ASSERT(bi.reserved[0].end >= bi.reserved[0].start);
    ORR_ASSERT_EQ_U64(bi.reserved[0].end, 0xfffffffffffff000ull);
}

static void test_reversed_range_panics(void)
{
    if ( SIM_CATCH_HALT() == 0 )
    {
        boot_reserve(&bi, 0x5000, 0x4000, "backwards");
        CU_FAIL("a reversed range was accepted");
    }
    sim_halt_disarm();
    ORR_ASSERT_CONTAINS(sim_console_text(), "backwards ends (0x4000) before");
    console_force_unlock();
}

static void test_too_many_panics(void)
{
    for ( unsigned int i = 0; i < BOOT_MAX_RESERVED; i++ )
        boot_reserve(&bi, i * 0x1000ull, i * 0x1000ull + 1, "r");
    if ( SIM_CATCH_HALT() == 0 )
    {
        boot_reserve(&bi, 0, 1, "one too many");
        CU_FAIL("the table overflowed silently");
    }
    sim_halt_disarm();
    ORR_ASSERT_CONTAINS(sim_console_text(), "adding one too many");
    CU_ASSERT_EQUAL(bi.nr_reserved, BOOT_MAX_RESERVED);
    console_force_unlock();
}

static CU_TestInfo tests[] = {
    ORR_CASE(test_rounds_outwards),
    ORR_CASE(test_end_near_top_does_not_wrap),
    ORR_CASE(test_reversed_range_panics),
    ORR_CASE(test_too_many_panics),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("boot_reserve", setup, NULL, tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
