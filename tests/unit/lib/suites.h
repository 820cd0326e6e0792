/* SPDX-License-Identifier: MIT */
#ifndef LIB_SUITES_H
#define LIB_SUITES_H

#include <CUnit/CUnit.h>

extern CU_TestInfo string_tests[];
extern CU_TestInfo format_tests[];
extern CU_TestInfo util_tests[];
extern CU_TestInfo bitmap_tests[];

#endif
