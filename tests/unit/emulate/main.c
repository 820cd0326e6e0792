/* SPDX-License-Identifier: MIT */
#include "suites.h"

static CU_SuiteInfo suites[] = {
    ORR_SUITE("lengths", lengths_tests),
    ORR_SUITE("decode", decode_tests),
    ORR_SUITE("exec", exec_tests),
    ORR_SUITE("unicorn-quirks", quirks_tests),
    ORR_SUITE("extensions", ext_tests),
    ORR_SUITE("system", system_tests),
    ORR_SUITE("segments", segment_tests),
    ORR_SUITE("address-checks", checks_tests),
    ORR_SUITE("io-strings", io_string_tests),
    ORR_SUITE("rep-bulk", rep_bulk_tests),
    ORR_SUITE("sse-avx", sse_tests),
    ORR_SUITE("descriptors", descriptor_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
