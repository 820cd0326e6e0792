/* SPDX-License-Identifier: MIT */
/* unit.p2m: the p2m on the software radix backend. */
#include "p2m_test.h"

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("p2m", p2m_test_setup, p2m_test_teardown, p2m_tests),
    ORR_SUITE_EACH("model", p2m_test_setup, p2m_test_teardown,
                   p2m_model_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
