/* SPDX-License-Identifier: MIT */
/*
 * core/lib/vsnprintf.c against glibc's: fixed cases for each feature, then
 * random specifications with a fixed seed. Every case is also run into
 * short buffers, to check truncation and the C99 would-be length.
 * Cases are limited to what C defines (no '#' with %d, no '0' with %s),
 * since there glibc's choice is not a reference.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <orr_test.h>
#include "orr_names_decl.h"
#include "suites.h"

static unsigned int checked;

static void compare(int line, const char *fmt, size_t size, va_list ap)
{
    char want[600], got[600];
    va_list aq;
    int wn, gn;

    memset(want, '#', sizeof(want));
    memset(got, '#', sizeof(got));
    va_copy(aq, ap);
    wn = vsnprintf(want, size, fmt, ap);
    gn = orr_vsnprintf(got, size, fmt, aq);
    va_end(aq);
    checked++;

    if ( wn != gn || memcmp(want, got, sizeof(want)) != 0 )
    {
        want[sizeof(want) - 1] = got[sizeof(got) - 1] = '\0';
        fprintf(stderr, "\nline %d: format \"%s\" size %zu: libc %d \"%.*s\", "
                "orrery %d \"%.*s\"\n", line, fmt, size, wn,
                (int)(size ? size : 1) - 1, want, gn,
                (int)(size ? size : 1) - 1, got);
        CU_FAIL("vsnprintf differs from libc");
    }
}

/* Full buffer, then sizes 0, 1, 2, half, exact, and one short. */
static void __attribute__((format(printf, 2, 3)))
check_fmt(int line, const char *fmt, ...)
{
    char probe[600];
    size_t sizes[7];
    unsigned int i;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(probe, sizeof(probe), fmt, ap);
    va_end(ap);
    CU_ASSERT_FATAL(n >= 0 && n < (int)sizeof(probe));

    sizes[0] = sizeof(probe);
    sizes[1] = 0;
    sizes[2] = 1;
    sizes[3] = 2;
    sizes[4] = n / 2 + 1;
    sizes[5] = n + 1;
    sizes[6] = n;
    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        va_start(ap, fmt);
        compare(line, fmt, sizes[i], ap);
        va_end(ap);
    }
}

#define CHECK(...) check_fmt(__LINE__, __VA_ARGS__)

/*
 * For flag combinations that C defines but GCC's -Wformat flags as
 * pointless ('0' with '-', '+' with %u): a non-literal format is not
 * checked at compile time.
 */
#define CHECK_NL(fmt, ...) \
    do { \
        const char *nl_ = (fmt); \
        check_fmt(__LINE__, nl_, __VA_ARGS__); \
    } while ( 0 )

static void test_integers(void)
{
    CHECK("plain text, no conversions");
    CHECK("%d %d %d %d", 0, 1, -1, 42);
    CHECK("%d %d", INT32_MAX, INT32_MIN);
    CHECK("%i|%u|%x|%X|%o", -17, 17u, 0xbeefu, 0xbeefu, 0777u);
    CHECK("%u %x %o", 0u, 0u, 0u);
    CHECK("%u %x", UINT32_MAX, UINT32_MAX);
    CHECK("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]", 42, 42, 42, 42,
          42, 42, 42);
    CHECK_NL("[% 05d] [%+05d] [%-05d] [% -5d]", -42, 42, 42, 42);
    CHECK_NL("[%.3d] [%.0d] [%.0d] [%5.3d] [%-8.3d] [%08.3d]", 7, 0, 1, -7,
             7, 7);
    CHECK("[%.0u] [%.0x] [%#.0x] [%#.0o] [%.0o]", 0u, 0u, 0u, 0u, 0u);
    CHECK("[%#x] [%#X] [%#o] [%#x] [%#o]", 255u, 255u, 8u, 0u, 0u);
    CHECK("[%#10x] [%#-10x] [%#010x] [%#.5x] [%#10.5o] [%#.3o]", 255u, 255u,
          255u, 255u, 8u, 8u);
    CHECK_NL("[%+u] [% u]", 5u, 5u);
    CHECK("[%+.0d] [% .0d] [%+5.0d]", 0, 0, 0);
    CHECK("%ld %lu %lx", -1234567890123L, 1234567890123UL, 0xdeadbeefcafeUL);
    CHECK("%lld %llu %llx %llo", (-0x7fffffffffffffffLL - 1), ~0ULL, ~0ULL,
          ~0ULL);
    CHECK("%hhd %hhu %hhx %hd %hu %hx", 300, 300, 511, 70000, 70000, 70000);
    CHECK("%hhd %hd", -129, -32769);
    CHECK("%zu %zx %zd %td %tu %jd %ju %jx", (size_t)-1, (size_t)12345,
          (ptrdiff_t)-5, (ptrdiff_t)-99, (ptrdiff_t)99, (intmax_t)INT64_MIN,
          (uintmax_t)UINT64_MAX, (uintmax_t)0x123);
}

static void test_width_precision_star(void)
{
    CHECK("[%*d] [%-*d] [%*d]", 6, 42, 6, 42, -6, 42);
    CHECK("[%.*d] [%.*d] [%*.*d]", 4, 42, -1, 42, 8, 3, 42);
    CHECK("[%.*s] [%*s] [%-*s|]", 3, "abcdef", 8, "ab", 8, "ab");
    CHECK("[%*.*s] [%.*s]", -10, 2, "xyz", -3, "negative precision");
    CHECK("[%0*d] [%0*d]", 5, -3, -5, -3);
}

static void test_chars_strings_pointers(void)
{
    int x;

    CHECK("%c%c%c", 'a', 'b', 'c');
    CHECK("[%3c] [%-3c] [%c]", 'x', 'y', 300);
    CHECK("[%s] [%10s] [%-10s] [%.2s] [%10.2s] [%-10.2s] [%.0s] [%s]",
          "hello", "hello", "hello", "hello", "hello", "hello", "hello", "");
    CHECK("[%.10s]", "short");
    CHECK("[%p] [%20p] [%-20p]", (void *)&x, (void *)&x, (void *)&x);
    CHECK("[%p] [%10p] [%-10p]", (void *)0, (void *)0, (void *)0);
    CHECK("[%p]", (void *)(uintptr_t)0xffff800000001000ULL);
    CHECK("100%% [%%%c]", '!');
}

/* Not comparable with glibc (or glibc differs on purpose): exact text. */
static void expect(const char *want, int want_n, const char *fmt, ...)
{
    char got[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = orr_vsnprintf(got, sizeof(got), fmt, ap);
    va_end(ap);
    ORR_ASSERT_STREQ(got, want);
    CU_ASSERT_EQUAL(n, want_n);
}

static void test_orrery_specific(void)
{
    /* NULL %s prints "(null)", cut by a precision like any string. */
    expect("(null)", 6, "%s", (char *)NULL);
    expect("[  (null)]", 10, "[%8s]", (char *)NULL);
    expect("(nu", 3, "%.3s", (char *)NULL);
    /* No %n: it is copied out, and its argument is not written. */
    expect("a%nb", 4, "a%nb", (int *)NULL);
    /* Unknown conversions and a trailing '%' come out as written. */
    expect("%y %5k", 6, "%y %5k");
    expect("tail%", 5, "tail%");
    /* A zero-size buffer may be NULL: only the length is computed. */
    CU_ASSERT_EQUAL(orr_snprintf(NULL, 0, "%d-%s", 1234, "abc"), 8);
}

static void test_huge_width(void)
{
    char buf[16];

    /* The would-be length counts padding that never fits. */
    CU_ASSERT_EQUAL(orr_snprintf(buf, sizeof(buf), "%1000d", 1), 1000);
    ORR_ASSERT_STREQ(buf, "               ");
    CU_ASSERT_EQUAL(orr_snprintf(buf, sizeof(buf), "%.500d", 1), 500);
    ORR_ASSERT_STREQ(buf, "000000000000000");
}

/* ---- random specifications ---------------------------------------------- */

enum arg_kind { A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SIZE,
                A_PTRDIFF, A_INTMAX, A_UINTMAX, A_CHAR, A_STR, A_PTR };

union arg {
    int i;
    unsigned int u;
    long l;
    unsigned long ul;
    long long ll;
    unsigned long long ull;
    size_t z;
    ptrdiff_t t;
    intmax_t j;
    uintmax_t uj;
    const char *s;
    const void *p;
};

static const char *const pool[] = {
    "", "a", "hello", "with space", "0123456789abcdefghij", "%d not a spec",
    "\x7f\x80\xff",
};

/* A value spread over magnitudes: small numbers and boundaries matter. */
static unsigned long long random_bits(void)
{
    unsigned long long v = test_rand();
    unsigned int bits = test_rand_below(65);

    if ( test_rand_below(8) == 0 )
        return test_rand_below(3) == 0 ? 0 : ~0ULL;
    return bits == 64 ? v : v & ((1ULL << bits) - 1);
}

static int star_value(void)
{
    return (int)test_rand_below(30) - 8;    /* negatives too */
}

typedef int (*snprintf_fn)(char *, size_t, const char *, ...);

/*
 * Call @fn with @nstar ints first, then the argument of @kind. Written out
 * because a variadic call's argument types must be known at compile time.
 */
static int call_kind(snprintf_fn fn, char *buf, size_t size, const char *fmt,
                     int nstar, int s1, int s2, enum arg_kind kind,
                     const union arg *a)
{
#define STARS(v) (nstar == 0 ? fn(buf, size, fmt, v) : \
                  nstar == 1 ? fn(buf, size, fmt, s1, v) : \
                  fn(buf, size, fmt, s1, s2, v))
    switch ( kind )
    {
    case A_INT:     return STARS(a->i);
    case A_UINT:    return STARS(a->u);
    case A_LONG:    return STARS(a->l);
    case A_ULONG:   return STARS(a->ul);
    case A_LLONG:   return STARS(a->ll);
    case A_ULLONG:  return STARS(a->ull);
    case A_SIZE:    return STARS(a->z);
    case A_PTRDIFF: return STARS(a->t);
    case A_INTMAX:  return STARS(a->j);
    case A_UINTMAX: return STARS(a->uj);
    case A_CHAR:    return STARS(a->i);
    case A_STR:     return STARS(a->s);
    case A_PTR:     return STARS(a->p);
    }
#undef STARS
    return -1;
}

/* Build one random conversion and its argument. */
static enum arg_kind random_spec(char *fmt, union arg *a, int *nstar,
                                 int *s1, int *s2)
{
    static const char ints[] = "diuxXo";
    char conv, *f = fmt;
    const char *len = "";
    enum arg_kind kind;
    unsigned long long v = random_bits();
    bool is_signed;
    int which = test_rand_below(10);

    conv = which < 6 ? ints[which] : which == 6 ? 'c' : which < 9 ? 's' : 'p';
    is_signed = conv == 'd' || conv == 'i';

    if ( test_rand_below(4) == 0 )
        *f++ = 'A' + test_rand_below(26);   /* literal text before */
    *f++ = '%';

    if ( test_rand_below(3) == 0 )
        *f++ = '-';
    if ( strchr("diuxXo", conv) && test_rand_below(3) == 0 )
        *f++ = '0';
    if ( is_signed && test_rand_below(3) == 0 )
        *f++ = '+';
    if ( is_signed && test_rand_below(3) == 0 )
        *f++ = ' ';
    if ( strchr("xXo", conv) && test_rand_below(3) == 0 )
        *f++ = '#';

    *nstar = 0;
    switch ( test_rand_below(3) )
    {
    case 1:
        f += sprintf(f, "%u", test_rand_below(25));
        break;
    case 2:
        *f++ = '*';
        *s1 = star_value();
        (*nstar)++;
        break;
    }
    if ( conv != 'c' && conv != 'p' )
    {
        switch ( test_rand_below(4) )
        {
        case 1:
            f += sprintf(f, ".%u", test_rand_below(25));
            break;
        case 2:
            *f++ = '.';
            *f++ = '*';
            if ( *nstar )
                *s2 = star_value();
            else
                *s1 = star_value();
            (*nstar)++;
            break;
        }
    }

    kind = A_INT;
    if ( strchr(ints, conv) )
    {
        switch ( test_rand_below(8) )
        {
        case 0: len = "";   kind = is_signed ? A_INT : A_UINT; break;
        case 1: len = "hh"; kind = is_signed ? A_INT : A_UINT; break;
        case 2: len = "h";  kind = is_signed ? A_INT : A_UINT; break;
        case 3: len = "l";  kind = is_signed ? A_LONG : A_ULONG; break;
        case 4: len = "ll"; kind = is_signed ? A_LLONG : A_ULLONG; break;
        case 5: len = "z";  kind = is_signed ? A_PTRDIFF : A_SIZE; break;
        case 6: len = "t";  kind = A_PTRDIFF; break;
        case 7: len = "j";  kind = is_signed ? A_INTMAX : A_UINTMAX; break;
        }
    }
    else if ( conv == 'c' )
        kind = A_CHAR;
    else if ( conv == 's' )
        kind = A_STR;
    else
        kind = A_PTR;

    switch ( kind )
    {
    case A_INT:     a->i = (int)v; break;
    case A_UINT:    a->u = (unsigned int)v; break;
    case A_LONG:    a->l = (long)v; break;
    case A_ULONG:   a->ul = (unsigned long)v; break;
    case A_LLONG:   a->ll = (long long)v; break;
    case A_ULLONG:  a->ull = v; break;
    case A_SIZE:    a->z = (size_t)v; break;
    case A_PTRDIFF: a->t = (ptrdiff_t)v; break;
    case A_INTMAX:  a->j = (intmax_t)v; break;
    case A_UINTMAX: a->uj = (uintmax_t)v; break;
    case A_CHAR:    a->i = 1 + test_rand_below(255); break;
    case A_STR:     a->s = pool[test_rand_below(ARRAY_SIZE(pool))]; break;
    case A_PTR:     a->p = (const void *)(uintptr_t)v; break;
    }

    f += sprintf(f, "%s%c", len, conv);
    if ( test_rand_below(4) == 0 )
        *f++ = 'z';                         /* literal text after */
    *f = '\0';
    return kind;
}

static void test_random(void)
{
    unsigned int i, failures = 0;

    for ( i = 0; i < 20000 && failures < 10; i++ )
    {
        char fmt[64], want[256], got[256];
        union arg a;
        int nstar, s1 = 0, s2 = 0, wn, gn;
        enum arg_kind kind = random_spec(fmt, &a, &nstar, &s1, &s2);
        size_t size = test_rand_below(4) ? sizeof(want)
                                         : test_rand_below(40);

        memset(want, '#', sizeof(want));
        memset(got, '#', sizeof(got));
        wn = call_kind(snprintf, want, size, fmt, nstar, s1, s2, kind, &a);
        gn = call_kind(orr_snprintf, got, size, fmt, nstar, s1, s2, kind,
                       &a);
        checked++;
        if ( wn != gn || memcmp(want, got, sizeof(want)) != 0 )
        {
            want[sizeof(want) - 1] = got[sizeof(got) - 1] = '\0';
            fprintf(stderr, "\ncase %u: \"%s\" (stars %d: %d %d) size %zu: "
                    "libc %d \"%s\" orrery %d \"%s\"\n", i, fmt, nstar, s1,
                    s2, size, wn, want, gn, got);
            failures++;
        }
    }
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT(checked > 20000);
}

CU_TestInfo format_tests[] = {
    ORR_CASE(test_integers),
    ORR_CASE(test_width_precision_star),
    ORR_CASE(test_chars_strings_pointers),
    ORR_CASE(test_orrery_specific),
    ORR_CASE(test_huge_width),
    ORR_CASE(test_random),
    CU_TEST_INFO_NULL,
};
