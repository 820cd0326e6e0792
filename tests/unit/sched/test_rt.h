/* SPDX-License-Identifier: MIT */
/* The real-time policies' suites (test-sched_rt): RTDS and ARINC653. */
#ifndef TEST_RT_H
#define TEST_RT_H

#include "sched_test.h"

extern CU_TestInfo rtds_tests[];
extern CU_TestInfo rtds_param_tests[];
extern CU_TestInfo rtds_stress_tests[];
extern CU_TestInfo arinc653_tests[];
extern CU_TestInfo arinc653_param_tests[];

#endif
