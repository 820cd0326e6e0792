/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing cmdline_parse_table() (core/lib/cmdline.c).
 *
 * Input: two bytes of mask and one of rotation choose which options of a
 * pool (every param type, names with '-' and '_', a "no"-prefixed name)
 * form the table and in which order; the rest, up to the first NUL, is
 * the command line. printk goes to the sim platform's console (the sim
 * sources are linked, see ORRERY_FUZZ_PRINTK_SOURCES).
 *
 * Invariants, beyond "no crash":
 *  - only the table's variables change: every option variable lives in
 *    one struct with canaries between them, and the variables of options
 *    left out of the table keep their bytes;
 *  - every string variable is NUL-terminated within its buffer;
 *  - a custom handler gets a NUL-terminated value shorter than CMDLINE_MAX;
 *  - at most one warning per blank-separated byte, plus one (each token
 *    gives at most two: unterminated quote + bad option);
 *  - parsing is idempotent: the same line again leaves the same values
 *    and gives the same number of warnings;
 *  - cmdline_parse() keeps a NUL-terminated prefix of the line, cut at
 *    CMDLINE_MAX - 1 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/param.h>
#include <sim/sim.h>

#define CANARY 0x5a

/* No padding (checked below), so the struct compares with memcmp. */
struct vars {
    uint8_t c0[16];
    uint64_t sz[2];
    uint8_t c1[16];
    unsigned int u[2];
    uint8_t c2[8];
    bool b[2];
    uint8_t c3[6];
    char s1[1];
    uint8_t c4[7];
    char s8[8];
    uint8_t c5[8];
    char s64[64];
    uint8_t c6[16];
};
_Static_assert(sizeof(struct vars) == 16 + 16 + 16 + 8 + 8 + 2 + 6 + 1 + 7 +
               8 + 8 + 64 + 16, "struct vars has padding");

static struct vars v;
static unsigned int custom_calls;

static void fail(const char *what)
{
    fprintf(stderr, "cmdline fuzz: invariant failed: %s\n", what);
    abort();
}

static void check_value(const char *val)
{
    /* A value past the end of its token would show here (ASan). */
    if ( strlen(val) >= CMDLINE_MAX )
        fail("custom handler value longer than a token can be");
    custom_calls++;
}

static int custom_ok(const char *val)
{
    check_value(val);
    return 0;
}

static int custom_picky(const char *val)
{
    check_value(val);
    return val[0] == 'x' ? -22 : 0;
}

/* What each pool entry may write: [off, off + len) of struct vars. */
struct pool_entry {
    struct kernel_param p;
    size_t off, len;
};

#define VAR(m) offsetof(struct vars, m), sizeof(v.m)
#define VAR0(m) offsetof(struct vars, m), sizeof(v.m[0])
#define VAR1(m) offsetof(struct vars, m) + sizeof(v.m[0]), sizeof(v.m[0])

static const struct pool_entry pool[] = {
    { { .name = "flag", .type = PARAM_BOOL, .var.b = &v.b[0] }, VAR0(b) },
    { { .name = "sync-console", .type = PARAM_BOOL, .var.b = &v.b[1] },
      VAR1(b) },
    { { .name = "count", .type = PARAM_UINT, .var.u = &v.u[0] }, VAR0(u) },
    { { .name = "max_cpus", .type = PARAM_UINT, .var.u = &v.u[1] },
      VAR1(u) },
    { { .name = "mem", .type = PARAM_SIZE, .var.sz = &v.sz[0] }, VAR0(sz) },
    { { .name = "heap", .type = PARAM_SIZE, .var.sz = &v.sz[1] }, VAR1(sz) },
    { { .name = "s", .type = PARAM_STRING, .len = sizeof(v.s1),
        .var.str = v.s1 }, VAR(s1) },
    { { .name = "sched", .type = PARAM_STRING, .len = sizeof(v.s8),
        .var.str = v.s8 }, VAR(s8) },
    { { .name = "path", .type = PARAM_STRING, .len = sizeof(v.s64),
        .var.str = v.s64 }, VAR(s64) },
    { { .name = "console", .type = PARAM_CUSTOM, .var.fn = custom_ok },
      0, 0 },
    { { .name = "nocheck", .type = PARAM_CUSTOM, .var.fn = custom_picky },
      0, 0 },
};
#define POOL_SIZE ARRAY_SIZE(pool)

static void vars_init(void)
{
    memset(&v, CANARY, sizeof(v));
    v.sz[0] = 0;
    v.sz[1] = 1ULL << 40;
    v.u[0] = 7;
    v.u[1] = 0xffffffffU;
    v.b[0] = false;
    v.b[1] = true;
    v.s1[0] = '\0';
    strcpy(v.s8, "credit");
    strcpy(v.s64, "/boot/x");
}

static void check_strings(void)
{
    if ( !memchr(v.s1, 0, sizeof(v.s1)) || !memchr(v.s8, 0, sizeof(v.s8)) ||
         !memchr(v.s64, 0, sizeof(v.s64)) )
        fail("string variable not NUL-terminated within its buffer");
}

/* Bytes of struct vars outside every chosen variable must not change. */
static void check_untouched(const struct vars *before, const bool *chosen)
{
    const uint8_t *a = (const uint8_t *)before, *b = (const uint8_t *)&v;
    bool writable[sizeof(struct vars)] = { false };
    size_t i, k;

    for ( i = 0; i < POOL_SIZE; i++ )
        if ( chosen[i] )
            for ( k = 0; k < pool[i].len; k++ )
                writable[pool[i].off + k] = true;
    for ( i = 0; i < sizeof(struct vars); i++ )
        if ( !writable[i] && a[i] != b[i] )
            fail("a byte outside the table's variables changed");
    for ( i = 0; i < 2; i++ )
        if ( (uint8_t)v.b[i] > 1 )
            fail("bool variable holds neither 0 nor 1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kernel_param table[POOL_SIZE];
    bool chosen[POOL_SIZE] = { false };
    unsigned int mask = 0xffff, rot = 0, n = 0, i, calls1;
    struct vars before, after1;
    char *line;
    int w1, w2;
    size_t len;

    if ( size >= 3 )
    {
        mask = data[0] | (data[1] << 8);
        rot = data[2];
        data += 3;
        size -= 3;
    }
    for ( i = 0; i < POOL_SIZE; i++ )
    {
        unsigned int k = (i + rot) % POOL_SIZE;

        if ( mask & (1u << k) )
        {
            table[n++] = pool[k].p;
            chosen[k] = true;
        }
    }

    line = malloc(size + 1);
    if ( !line )
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    len = strlen(line);

    sim_init(1, 0);
    vars_init();
    before = v;
    custom_calls = 0;

    w1 = cmdline_parse_table(line, table, table + n);
    check_strings();
    check_untouched(&before, chosen);
    if ( w1 < 0 || (size_t)w1 > len + 1 )
        fail("more warnings than the line has tokens to warn about");

    after1 = v;
    calls1 = custom_calls;
    custom_calls = 0;
    w2 = cmdline_parse_table(line, table, table + n);
    if ( w2 != w1 || custom_calls != calls1 ||
         memcmp(&after1, &v, sizeof(v)) )
        fail("parsing the same line twice gave different results");

    /* The registered-option path: no options here, but the saved copy. */
    cmdline_parse(line);
    if ( strlen(cmdline_get()) != MIN(len, (size_t)CMDLINE_MAX - 1) ||
         strncmp(cmdline_get(), line, CMDLINE_MAX - 1) )
        fail("cmdline_get() is not the line's prefix");

    free(line);
    return 0;
}
