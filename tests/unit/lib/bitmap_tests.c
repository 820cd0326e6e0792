/* SPDX-License-Identifier: MIT */
/* core/lib bitmaps against a bool-per-bit model. */
#include <string.h>
#include <orrery/bitmap.h>
#include <orr_test.h>
#include "orr_names_decl.h"
#include "suites.h"

#define NBITS_MAX 200

static unsigned int model_next(const bool *m, unsigned int n,
                               unsigned int start, bool want)
{
    for ( ; start < n; start++ )
        if ( m[start] == want )
            return start;
    return n;
}

static void test_set_clear_test(void)
{
    DECLARE_BITMAP(map, 130);

    memset(map, 0, sizeof(map));
    bitmap_set(map, 0);
    bitmap_set(map, 63);
    bitmap_set(map, 64);
    bitmap_set(map, 129);
    CU_ASSERT_EQUAL(map[0], 0x8000000000000001UL);
    CU_ASSERT_EQUAL(map[1], 1UL);
    CU_ASSERT_EQUAL(map[2], 2UL);
    CU_ASSERT_TRUE(bitmap_test(map, 63));
    CU_ASSERT_FALSE(bitmap_test(map, 62));
    CU_ASSERT_TRUE(bitmap_test_and_clear(map, 63));
    CU_ASSERT_FALSE(bitmap_test_and_clear(map, 63));
    CU_ASSERT_FALSE(bitmap_test_and_set(map, 100));
    CU_ASSERT_TRUE(bitmap_test_and_set(map, 100));
    bitmap_clear(map, 100);
    CU_ASSERT_EQUAL(bitmap_weight(map, 130), 3);
}

/* Bits past @nbits in the last word must not leak into any answer. */
static void test_tail_bits_ignored(void)
{
    unsigned long map[2] = { 0, ~0UL };

    CU_ASSERT_EQUAL(bitmap_find_first_set(map, 64), 64);
    CU_ASSERT_EQUAL(bitmap_weight(map, 64), 0);
    map[0] = ~0UL;
    map[1] = 0;
    CU_ASSERT_EQUAL(bitmap_find_first_zero(map, 64), 64);
    map[1] = 0xf0;          /* bits 68..71, beyond nbits = 68 */
    CU_ASSERT_EQUAL(bitmap_find_next_set(map, 68, 64), 68);
    CU_ASSERT_EQUAL(bitmap_weight(map, 68), 64);
    CU_ASSERT_EQUAL(bitmap_find_first_zero(map, 68), 64);

    /* bitmap_zero/fill leave bits past @nbits alone. */
    map[1] = 0xff00;
    bitmap_fill(map, 68);
    CU_ASSERT_EQUAL(map[1], 0xff0fUL);
    bitmap_zero(map, 68);
    CU_ASSERT_EQUAL(map[0], 0UL);
    CU_ASSERT_EQUAL(map[1], 0xff00UL);
    CU_ASSERT_EQUAL(bitmap_find_first_set(map, 0), 0);
}

static void test_random_against_model(void)
{
    unsigned long map[BITS_TO_LONGS(NBITS_MAX)];
    bool model[NBITS_MAX];
    unsigned int round;

    for ( round = 0; round < 500; round++ )
    {
        unsigned int n = 1 + test_rand_below(NBITS_MAX), i, w = 0, start;
        unsigned int density = test_rand_below(100);

        memset(map, 0xa5, sizeof(map));     /* junk beyond n */
        bitmap_zero(map, n);
        for ( i = 0; i < n; i++ )
        {
            model[i] = test_rand_below(100) < density;
            if ( model[i] )
            {
                bitmap_set(map, i);
                w++;
            }
        }
        for ( i = 0; i < n; i++ )
            CU_ASSERT_FATAL(bitmap_test(map, i) == model[i]);
        CU_ASSERT_EQUAL(bitmap_weight(map, n), w);
        CU_ASSERT_EQUAL(bitmap_find_first_set(map, n),
                        model_next(model, n, 0, true));
        CU_ASSERT_EQUAL(bitmap_find_first_zero(map, n),
                        model_next(model, n, 0, false));
        for ( start = 0; start <= n + 2; start++ )
        {
            CU_ASSERT_EQUAL(bitmap_find_next_set(map, n, start),
                            model_next(model, n, start, true));
            CU_ASSERT_EQUAL(bitmap_find_next_zero(map, n, start),
                            model_next(model, n, start, false));
        }
    }
}

CU_TestInfo bitmap_tests[] = {
    ORR_CASE(test_set_clear_test),
    ORR_CASE(test_tail_bits_ignored),
    ORR_CASE(test_random_against_model),
    CU_TEST_INFO_NULL,
};
