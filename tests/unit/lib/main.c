/* SPDX-License-Identifier: MIT */
#include <orr_test.h>
#include "suites.h"

static CU_SuiteInfo suites[] = {
    ORR_SUITE("string", string_tests),
    ORR_SUITE("format", format_tests),
    ORR_SUITE("util", util_tests),
    ORR_SUITE("bitmap", bitmap_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
