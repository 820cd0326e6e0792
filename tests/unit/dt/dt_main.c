/* SPDX-License-Identifier: MIT */
/* unit.dt: core/lib's device tree reader against libfdt and bad input. */
#include <orr_test.h>
#include "dt_tests.h"

static CU_SuiteInfo suites[] = {
    { "fixtures", load_fixtures, free_fixtures, NULL, NULL, fixture_tests },
    ORR_SUITE("edge", edge_tests),
    ORR_SUITE("bad", bad_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
