/* SPDX-License-Identifier: MIT */
/*
 * core/lib/string.c against the host C library. Comparison functions are
 * compared by sign only: C fixes the sign, not the magnitude.
 */
#include <string.h>
#include <orr_test.h>
#include "orr_names_decl.h"
#include "suites.h"

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
    while ( n-- )
        *p++ = (unsigned char)test_rand();
}

static void test_memcpy_memset(void)
{
    unsigned char src[300], a[300], b[300];
    unsigned int i;

    for ( i = 0; i < 2000; i++ )
    {
        size_t off = test_rand_below(32), n = test_rand_below(256);
        int c = (int)test_rand();

        fill_random(src, sizeof(src));
        memset(a, 0x5a, sizeof(a));
        memset(b, 0x5a, sizeof(b));
        CU_ASSERT_PTR_EQUAL(orr_memcpy(a + off, src, n), a + off);
        memcpy(b + off, src, n);
        CU_ASSERT(memcmp(a, b, sizeof(a)) == 0);

        /* memset stores (unsigned char)c: any int is valid. */
        CU_ASSERT_PTR_EQUAL(orr_memset(a + off, c, n), a + off);
        memset(b + off, c, n);
        CU_ASSERT(memcmp(a, b, sizeof(a)) == 0);
    }
    CU_ASSERT_PTR_EQUAL(orr_memcpy(a, src, 0), a);
}

/* Overlap in both directions is memmove's reason to exist. */
static void test_memmove_overlap(void)
{
    unsigned char a[256], b[256];
    unsigned int i;

    for ( i = 0; i < 5000; i++ )
    {
        size_t dst = test_rand_below(128), src = test_rand_below(128);
        size_t n = test_rand_below(128);

        fill_random(a, sizeof(a));
        memcpy(b, a, sizeof(a));
        CU_ASSERT_PTR_EQUAL(orr_memmove(a + dst, a + src, n), a + dst);
        memmove(b + dst, b + src, n);
        CU_ASSERT_FATAL(memcmp(a, b, sizeof(a)) == 0);
    }
}

static void test_memcmp(void)
{
    unsigned char a[64], b[64];
    unsigned int i;

    for ( i = 0; i < 5000; i++ )
    {
        size_t n = test_rand_below(64), k;

        fill_random(a, sizeof(a));
        memcpy(b, a, sizeof(a));
        if ( n && test_rand_below(2) )
        {
            k = test_rand_below(n);
            b[k] = (unsigned char)test_rand();
        }
        CU_ASSERT_EQUAL(sign(orr_memcmp(a, b, n)), sign(memcmp(a, b, n)));
    }
    /* Bytes compare unsigned: 0x80 > 0x7f. */
    CU_ASSERT(orr_memcmp("\x80", "\x7f", 1) > 0);
    CU_ASSERT(orr_memcmp("abc", "abd", 2) == 0);
}

static const char *const strs[] = {
    "", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "\xff\x01",
    "hello world", "hello", "hello\x90", "Hello",
};

static void test_strlen_strnlen(void)
{
    unsigned int i;
    size_t m;

    for ( i = 0; i < ARRAY_SIZE(strs); i++ )
    {
        CU_ASSERT_EQUAL(orr_strlen(strs[i]), strlen(strs[i]));
        for ( m = 0; m < 14; m++ )
            CU_ASSERT_EQUAL(orr_strnlen(strs[i], m), strnlen(strs[i], m));
    }
    /* strnlen must not read past @max: no terminator in this array. */
    {
        char nt[4] = { 'w', 'x', 'y', 'z' };

        CU_ASSERT_EQUAL(orr_strnlen(nt, sizeof(nt)), 4);
    }
}

static void test_strcmp_strncmp(void)
{
    unsigned int i, j;
    size_t n;

    for ( i = 0; i < ARRAY_SIZE(strs); i++ )
        for ( j = 0; j < ARRAY_SIZE(strs); j++ )
        {
            CU_ASSERT_EQUAL(sign(orr_strcmp(strs[i], strs[j])),
                            sign(strcmp(strs[i], strs[j])));
            for ( n = 0; n < 14; n++ )
                CU_ASSERT_EQUAL(sign(orr_strncmp(strs[i], strs[j], n)),
                                sign(strncmp(strs[i], strs[j], n)));
        }
}

static void test_strchr(void)
{
    const char *s = "hello, world";
    unsigned int c;

    for ( c = 0; c < 256; c++ )
        CU_ASSERT_PTR_EQUAL(orr_strchr(s, c), strchr(s, c));
    /* The terminator is part of the string for strchr. */
    CU_ASSERT_PTR_EQUAL(orr_strchr(s, '\0'), s + strlen(s));
    /* c is converted to char: 'h' + 256 finds 'h'. */
    CU_ASSERT_PTR_EQUAL(orr_strchr(s, 'h' + 256), s);
    CU_ASSERT_PTR_NULL(orr_strchr("", 'a'));
}

CU_TestInfo string_tests[] = {
    ORR_CASE(test_memcpy_memset),
    ORR_CASE(test_memmove_overlap),
    ORR_CASE(test_memcmp),
    ORR_CASE(test_strlen_strnlen),
    ORR_CASE(test_strcmp_strncmp),
    ORR_CASE(test_strchr),
    CU_TEST_INFO_NULL,
};
