/* SPDX-License-Identifier: MIT */
#include "abi_test.h"

static CU_SuiteInfo suites[] = {
    ORR_SUITE("layout", abi_layout_tests),
    ORR_SUITE("numbers", abi_number_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
