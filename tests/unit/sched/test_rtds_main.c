/* SPDX-License-Identifier: MIT */
/* test-sched_rt: the RTDS and ARINC653 suites. */
#include "test_rt.h"

static CU_SuiteInfo suites[] = {
    ORR_SUITE("rtds", rtds_tests),
    ORR_SUITE("rtds-params", rtds_param_tests),
    ORR_SUITE("rtds-stress", rtds_stress_tests),
    ORR_SUITE("arinc653", arinc653_tests),
    ORR_SUITE("arinc653-params", arinc653_param_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
