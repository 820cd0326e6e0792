/* SPDX-License-Identifier: MIT */
/* unit.bootinfo: the multiboot2 and PVH suites. */
#include <orr_test.h>

extern CU_TestInfo mb2_tests[], pvh_tests[];
void bootinfo_setup(void);
void bootinfo_teardown(void);

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("multiboot2", bootinfo_setup, bootinfo_teardown,
                   mb2_tests),
    ORR_SUITE_EACH("pvh", bootinfo_setup, bootinfo_teardown, pvh_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
