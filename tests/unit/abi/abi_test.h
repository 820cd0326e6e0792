/* SPDX-License-Identifier: MIT */
#ifndef ABI_TEST_H
#define ABI_TEST_H

#include "orr_test.h"

extern CU_TestInfo abi_layout_tests[];
extern CU_TestInfo abi_number_tests[];

/* One expectation: what the header gives, and what the reference says. */
struct abi_fact {
    const char *what;
    unsigned long long got;
    unsigned long long want;
};

/* Check every fact, naming each that differs; returns the mismatches. */
static inline unsigned int abi_check(const struct abi_fact *f, size_t n)
{
    unsigned int bad = 0;
    size_t i;

    for ( i = 0; i < n; i++ )
        if ( f[i].got != f[i].want )
        {
            fprintf(stderr, "\nABI: %s is %llu, the reference says %llu\n",
                    f[i].what, f[i].got, f[i].want);
            bad++;
        }
    return bad;
}

#define ABI_CHECK_ALL(facts) \
    CU_ASSERT_EQUAL(abi_check((facts), sizeof(facts) / sizeof((facts)[0])), 0)

#define SZ(t, n) { "sizeof(" #t ")", sizeof(t), (n) }
#define OFF(t, m, n) { #t "." #m, __builtin_offsetof(t, m), (n) }
#define NUM(c, n) { #c, (unsigned long long)(c), (unsigned long long)(n) }

#endif
