/* SPDX-License-Identifier: MIT */
#ifndef EMUL_TEST_SUITES_H
#define EMUL_TEST_SUITES_H

#include "orr_test.h"

extern CU_TestInfo lengths_tests[];
extern CU_TestInfo decode_tests[];
extern CU_TestInfo exec_tests[];
extern CU_TestInfo quirks_tests[];
extern CU_TestInfo ext_tests[];
extern CU_TestInfo system_tests[];
extern CU_TestInfo segment_tests[];
extern CU_TestInfo checks_tests[];
extern CU_TestInfo io_string_tests[];
extern CU_TestInfo rep_bulk_tests[];
extern CU_TestInfo sse_tests[];
extern CU_TestInfo descriptor_tests[];

#endif
