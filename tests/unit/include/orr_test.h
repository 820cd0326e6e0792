/* SPDX-License-Identifier: MIT */
/*
 * A common main() and a few assertions for Orrery's CUnit tests, so that
 * a test file is only its suites:
 *
 *     static void test_something(void) { CU_ASSERT(1 + 1 == 2); }
 *
 *     static CU_TestInfo foo_tests[] = {
 *         ORR_CASE(test_something),
 *         CU_TEST_INFO_NULL,
 *     };
 *     static CU_SuiteInfo suites[] = {
 *         ORR_SUITE("foo", foo_tests),
 *         CU_SUITE_INFO_NULL,
 *     };
 *     ORR_TEST_MAIN(suites)
 *
 * The program runs every suite in CUnit's basic mode and exits non-zero
 * if any assertion, test or suite set-up failed, which is what ctest
 * checks. `test-foo SUITE [TEST]` runs one suite or one test (handy in
 * GDB).
 */
#ifndef ORR_TEST_H
#define ORR_TEST_H

#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>

#define ORR_CASE(fn) { #fn, fn }
#define ORR_SUITE(name, tests) { name, NULL, NULL, NULL, NULL, tests }
/* @setup/@teardown run around every test of the suite. */
#define ORR_SUITE_EACH(name, setup, teardown, tests) \
    { name, NULL, NULL, setup, teardown, tests }

/* Assertions that print both sides when they fail. */
#define ORR_ASSERT_STREQ(actual, expected) \
    orr_assert_str(!strcmp((actual), (expected)), (actual), (expected), \
                   "==", #actual, __LINE__, __FILE__)
#define ORR_ASSERT_CONTAINS(hay, needle) \
    orr_assert_str(strstr((hay), (needle)) != NULL, (hay), (needle), \
                   "contains", #hay, __LINE__, __FILE__)
#define ORR_ASSERT_NOT_CONTAINS(hay, needle) \
    orr_assert_str(strstr((hay), (needle)) == NULL, (hay), (needle), \
                   "lacks", #hay, __LINE__, __FILE__)
#define ORR_ASSERT_EQ_U64(actual, expected) \
    orr_assert_u64((unsigned long long)(actual), \
                   (unsigned long long)(expected), #actual, __LINE__, \
                   __FILE__)

static inline void orr_assert_str(int ok, const char *a, const char *b,
                                  const char *rel, const char *expr,
                                  unsigned int line, const char *file)
{
    if ( !ok )
        fprintf(stderr, "\n%s:%u: %s %s failed:\n  got:  \"%s\"\n"
                "  want: \"%s\"\n", file, line, expr, rel, a, b);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, expr, file, "",
                            CU_FALSE);
}

static inline void orr_assert_u64(unsigned long long a, unsigned long long b,
                                  const char *expr, unsigned int line,
                                  const char *file)
{
    if ( a != b )
        fprintf(stderr, "\n%s:%u: %s: got %#llx (%llu), want %#llx (%llu)\n",
                file, line, expr, a, a, b, b);
    CU_assertImplementation(a == b ? CU_TRUE : CU_FALSE, line, expr, file,
                            "", CU_FALSE);
}

static inline int orr_test_main(CU_SuiteInfo *suites, int argc, char **argv)
{
    unsigned int failed;
    CU_ErrorCode rc;

    if ( CU_initialize_registry() != CUE_SUCCESS )
    {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    if ( CU_register_suites(suites) != CUE_SUCCESS )
    {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);

    if ( argc > 1 )
    {
        CU_pSuite s = CU_get_suite(argv[1]);
        CU_pTest t = (s && argc > 2) ? CU_get_test(s, argv[2]) : NULL;

        if ( !s || (argc > 2 && !t) )
        {
            fprintf(stderr, "no such suite/test: %s %s\n", argv[1],
                    argc > 2 ? argv[2] : "");
            CU_cleanup_registry();
            return 2;
        }
        rc = t ? CU_basic_run_test(s, t) : CU_basic_run_suite(s);
    }
    else
        rc = CU_basic_run_tests();

    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
             CU_get_number_of_suites_failed();
    if ( rc != CUE_SUCCESS )
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
    CU_cleanup_registry();
    return (failed || rc != CUE_SUCCESS) ? 1 : 0;
}

#define ORR_TEST_MAIN(suites) \
    int main(int argc, char **argv) \
    { \
        return orr_test_main((suites), argc, argv); \
    }

#endif /* ORR_TEST_H */
