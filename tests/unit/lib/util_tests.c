/* SPDX-License-Identifier: MIT */
/* parse_u64, strlcpy, sort, ctype and errno values. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/ctype.h>
#include <orrery/lib.h>
#include <orr_test.h>
#include "errno_values.h"
#include "orr_names_decl.h"
#include "suites.h"

/* ---- parse_u64 ---------------------------------------------------------- */

static void ok(const char *s, bool suffix, uint64_t want)
{
    uint64_t v = 0xdead;

    CU_ASSERT_TRUE(parse_u64(s, NULL, suffix, &v));
    ORR_ASSERT_EQ_U64(v, want);
}

static void bad(const char *s, bool suffix)
{
    uint64_t v = 0xdead;

    if ( parse_u64(s, NULL, suffix, &v) )
        fprintf(stderr, "\nparse_u64(\"%s\") accepted\n", s);
    CU_ASSERT_FALSE(parse_u64(s, NULL, suffix, &v));
    ORR_ASSERT_EQ_U64(v, 0xdead);       /* untouched on failure */
}

static void test_parse_u64(void)
{
    const char *end;
    uint64_t v;

    ok("0", false, 0);
    ok("123", false, 123);
    ok("007", false, 7);                /* decimal, not octal */
    ok("0x1f", false, 0x1f);
    ok("0XAbC", false, 0xabc);
    ok("18446744073709551615", false, UINT64_MAX);
    ok("0xffffffffffffffff", false, UINT64_MAX);
    ok("4K", true, 4096);
    ok("4k", true, 4096);
    ok("2M", true, 2 << 20);
    ok("1G", true, 1 << 30);
    ok("0x10M", true, 16ULL << 20);
    ok("16G", true, 16ULL << 30);
    ok("17179869183G", true, 17179869183ULL << 30);
    ok("12", true, 12);                 /* the suffix is optional */

    bad("", false);
    bad("0x", false);
    bad("x10", false);
    bad("-1", false);
    bad("+1", false);
    bad(" 1", false);
    bad("1 ", false);
    bad("12abc", false);
    bad("0x1g", false);
    bad("4K", false);                   /* no suffix allowed */
    bad("4KB", true);
    bad("4T", true);
    bad("18446744073709551616", false);
    bad("99999999999999999999999", false);
    bad("0x10000000000000000", false);
    bad("17179869184G", true);          /* 2^34 GiB = 2^64 */
    bad("18014398509481984K", true);

    /* With @end, parsing stops and the caller judges the rest. */
    CU_ASSERT_TRUE(parse_u64("12abc", &end, false, &v));
    ORR_ASSERT_EQ_U64(v, 12);
    ORR_ASSERT_STREQ(end, "abc");
    CU_ASSERT_TRUE(parse_u64("64M,rest", &end, true, &v));
    ORR_ASSERT_EQ_U64(v, 64 << 20);
    ORR_ASSERT_STREQ(end, ",rest");
    CU_ASSERT_FALSE(parse_u64("abc", &end, false, &v));
}

/* ---- strlcpy ------------------------------------------------------------ */

static void test_strlcpy(void)
{
    char buf[8];

    memset(buf, 'x', sizeof(buf));
    CU_ASSERT_EQUAL(strlcpy(buf, "abc", 0), 3);
    CU_ASSERT_EQUAL(buf[0], 'x');       /* size 0: nothing written */

    CU_ASSERT_EQUAL(strlcpy(buf, "abc", 1), 3);
    ORR_ASSERT_STREQ(buf, "");

    CU_ASSERT_EQUAL(strlcpy(buf, "abc", sizeof(buf)), 3);
    ORR_ASSERT_STREQ(buf, "abc");

    CU_ASSERT_EQUAL(strlcpy(buf, "1234567", sizeof(buf)), 7);
    ORR_ASSERT_STREQ(buf, "1234567");   /* exactly fits */

    CU_ASSERT_EQUAL(strlcpy(buf, "123456789", sizeof(buf)), 9);
    ORR_ASSERT_STREQ(buf, "1234567");   /* truncated, terminated */

    CU_ASSERT_EQUAL(strlcpy(buf, "", sizeof(buf)), 0);
    ORR_ASSERT_STREQ(buf, "");
}

/* ---- sort --------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

struct rec {
    uint64_t key;
    char payload[13];       /* an odd element size */
};

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    return (x->key > y->key) - (x->key < y->key);
}

static void test_sort_ints(void)
{
    int a[300], b[300];
    unsigned int n, i, round;

    for ( round = 0; round < 400; round++ )
    {
        n = test_rand_below(ARRAY_SIZE(a) + 1);
        for ( i = 0; i < n; i++ )
        {
            switch ( round % 4 )
            {
            case 0: a[i] = (int)test_rand(); break;
            case 1: a[i] = test_rand_below(5); break;   /* many equal */
            case 2: a[i] = i; break;                    /* sorted */
            case 3: a[i] = n - i; break;                /* reversed */
            }
        }
        memcpy(b, a, n * sizeof(a[0]));
        sort(a, n, sizeof(a[0]), cmp_int);
        qsort(b, n, sizeof(b[0]), cmp_int);
        CU_ASSERT_FATAL(memcmp(a, b, n * sizeof(a[0])) == 0);
    }
}

static void test_sort_records(void)
{
    struct rec r[100];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(r); i++ )
    {
        r[i].key = test_rand() % 1000;
        snprintf(r[i].payload, sizeof(r[i].payload), "k%llu",
                 (unsigned long long)r[i].key);
    }
    sort(r, ARRAY_SIZE(r), sizeof(r[0]), cmp_rec);
    for ( i = 0; i < ARRAY_SIZE(r); i++ )
    {
        char want[13];

        /* Each record moved whole: the payload still matches its key. */
        snprintf(want, sizeof(want), "k%llu", (unsigned long long)r[i].key);
        ORR_ASSERT_STREQ(r[i].payload, want);
        if ( i )
            CU_ASSERT(r[i - 1].key <= r[i].key);
    }
    sort(r, 0, sizeof(r[0]), cmp_rec);  /* empty: no call, no crash */
}

/* ---- ctype and errno ---------------------------------------------------- */

static void test_ctype(void)
{
    int c;

    /* The C locale is the reference (this program never sets one). */
    for ( c = 0; c < 256; c++ )
    {
        CU_ASSERT_EQUAL(is_digit(c), !!isdigit(c));
        CU_ASSERT_EQUAL(is_xdigit(c), !!isxdigit(c));
        CU_ASSERT_EQUAL(is_space(c), !!isspace(c));
        CU_ASSERT_EQUAL(is_alpha(c), !!isalpha(c));
        CU_ASSERT_EQUAL(is_upper(c), !!isupper(c));
        CU_ASSERT_EQUAL(is_lower(c), !!islower(c));
        CU_ASSERT_EQUAL(to_lower(c), tolower(c));
        CU_ASSERT_EQUAL(to_upper(c), toupper(c));
        CU_ASSERT_EQUAL(hex_value(c),
                        isxdigit(c) ? (int)strtol((char[]){ c, 0 }, NULL, 16)
                                    : -1);
    }
}

/* Xen's public errno.h numbering: what guests see in hypercall returns. */
static void test_errno_values(void)
{
    static const struct errno_value xen[] = {
        { "EPERM", 1 }, { "ENOENT", 2 }, { "ESRCH", 3 }, { "EINTR", 4 },
        { "EIO", 5 }, { "ENXIO", 6 }, { "E2BIG", 7 }, { "ENOEXEC", 8 },
        { "EBADF", 9 }, { "ECHILD", 10 }, { "EAGAIN", 11 }, { "ENOMEM", 12 },
        { "EACCES", 13 }, { "EFAULT", 14 }, { "EBUSY", 16 },
        { "EEXIST", 17 }, { "EXDEV", 18 }, { "ENODEV", 19 },
        { "EINVAL", 22 }, { "ENFILE", 23 }, { "EMFILE", 24 },
        { "ENOSPC", 28 }, { "EROFS", 30 }, { "EMLINK", 31 }, { "EDOM", 33 },
        { "ERANGE", 34 }, { "EDEADLK", 35 }, { "ENAMETOOLONG", 36 },
        { "ENOLCK", 37 }, { "ENOSYS", 38 }, { "ENOTEMPTY", 39 },
        { "ENODATA", 61 }, { "ETIME", 62 }, { "EBADMSG", 74 },
        { "EOVERFLOW", 75 }, { "EILSEQ", 84 }, { "ERESTART", 85 },
        { "ENOTSOCK", 88 }, { "EOPNOTSUPP", 95 }, { "EADDRINUSE", 98 },
        { "EADDRNOTAVAIL", 99 }, { "ENOBUFS", 105 }, { "EISCONN", 106 },
        { "ENOTCONN", 107 }, { "ETIMEDOUT", 110 },
        { "ECONNREFUSED", 111 },
    };
    unsigned int i, n;

    for ( n = 0; orrery_errno_values[n].name; n++ )
        ;
    CU_ASSERT_EQUAL(n, ARRAY_SIZE(xen));
    for ( i = 0; i < ARRAY_SIZE(xen) && i < n; i++ )
    {
        ORR_ASSERT_STREQ(orrery_errno_values[i].name, xen[i].name);
        CU_ASSERT_EQUAL(orrery_errno_values[i].value, xen[i].value);
    }
}

CU_TestInfo util_tests[] = {
    ORR_CASE(test_parse_u64),
    ORR_CASE(test_strlcpy),
    ORR_CASE(test_sort_ints),
    ORR_CASE(test_sort_records),
    ORR_CASE(test_ctype),
    ORR_CASE(test_errno_values),
    CU_TEST_INFO_NULL,
};
