/* SPDX-License-Identifier: MIT */
/* What the unit.dt source files share. */
#ifndef DT_TESTS_H
#define DT_TESTS_H

#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>

/* The fixtures in tests/unit/dt/dtbs, loaded once, each in a buffer of
 * exactly its size. */
struct fixture {
    char name[64];
    uint8_t *blob;
    size_t size;
};
extern struct fixture fixtures[];
extern unsigned int nr_fixtures;
int load_fixtures(void);
int free_fixtures(void);

/* Walk @blob with libfdt and with dt_ side by side and assert that they
 * agree on every node, property, offset, cell count and "reg" entry. */
void compare_with_libfdt(const uint8_t *blob, size_t size);

extern CU_TestInfo fixture_tests[];
extern CU_TestInfo edge_tests[];
extern CU_TestInfo bad_tests[];

#endif /* DT_TESTS_H */
