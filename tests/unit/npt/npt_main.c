/* SPDX-License-Identifier: MIT */
/* unit.npt: the p2m suites on the NPT format, then the hardware view. */
#include "npt.h"
#include "p2m_test.h"

extern CU_TestInfo npt_walk_tests[];

/* The generic suites, with and without 1 GiB nested pages. */
static int use_npt_1g(void)
{
    p2m_test_ops = &p2m_npt_ops;
    npt_has_1g = true;
    return 0;
}

static int use_npt_2m(void)
{
    p2m_test_ops = &p2m_npt_ops;
    npt_has_1g = false;
    return 0;
}

static CU_SuiteInfo suites[] = {
    { "p2m-npt", use_npt_1g, NULL, p2m_test_setup, p2m_test_teardown,
      p2m_tests },
    { "model-npt", use_npt_1g, NULL, p2m_test_setup, p2m_test_teardown,
      p2m_model_tests },
    { "model-npt-no1g", use_npt_2m, NULL, p2m_test_setup, p2m_test_teardown,
      p2m_model_tests },
    { "walk", use_npt_1g, NULL, p2m_test_setup, p2m_test_teardown,
      npt_walk_tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
