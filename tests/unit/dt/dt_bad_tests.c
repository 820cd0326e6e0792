/* SPDX-License-Identifier: MIT */
/*
 * Malformed blobs: each must be refused by dt_check() with the reason
 * that names its fault, and never read past its end (every buffer here
 * is malloc'd at exactly the size passed, so ASan would report it).
 */
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <orrery/dt.h>
#include <orr_test.h>
#include "dt_build.h"
#include "dt_errno.h"
#include "dt_exercise.h"
#include "dt_tests.h"

static struct dtb d;

/* dt_check() on a copy of @blob, @avail bytes long, must fail with a
 * reason containing @want. */
static void expect_bad(const uint8_t *blob, size_t avail, const char *want)
{
    uint8_t *copy = malloc(avail ? avail : 1);
    const char *why = NULL;
    int rc;

    CU_ASSERT_FATAL(copy != NULL);
    memcpy(copy, blob, avail);
    rc = dt_check(copy, avail, &why);
    CU_ASSERT(rc == ORR_EBADMSG);
    CU_ASSERT_FATAL(why != NULL);
    ORR_ASSERT_CONTAINS(why, want);
    free(copy);
}

/* Build what the test wrote into d, then expect it refused. */
static void built_bad(int no_end, const char *want)
{
    size_t size;
    uint8_t *blob = b_finish(&d, &size, no_end);

    expect_bad(blob, size, want);
    free(blob);
}

static void test_every_truncation(void)
{
    unsigned int i;
    size_t n;
    uint32_t k, st_size;
    uint8_t *copy;
    const char *why;

    CU_ASSERT_FATAL(load_fixtures() == 0 && nr_fixtures > 0);
    for ( i = 0; i < nr_fixtures; i++ )
    {
        const struct fixture *f = &fixtures[i];

        /* Cut anywhere: fewer bytes than the header claims. */
        for ( n = 0; n < f->size; n++ )
        {
            copy = malloc(n ? n : 1);
            memcpy(copy, f->blob, n);
            why = NULL;
            CU_ASSERT(dt_check(copy, n, &why) == ORR_EBADMSG);
            CU_ASSERT(why && *why);
            free(copy);
        }
        /* Cut anywhere with a header that agrees (totalsize = n): some
         * block now runs past the end. */
        copy = malloc(f->size);
        memcpy(copy, f->blob, f->size);
        for ( n = 40; n < f->size; n++ )
        {
            put_be32(copy + 4, n);
            CU_ASSERT(dt_check(copy, f->size, NULL) == ORR_EBADMSG);
        }
        put_be32(copy + 4, f->size);
        CU_ASSERT(dt_check(copy, f->size, NULL) == 0);
        /* The structure block cut at every token boundary: FDT_END is
         * its last token, so each cut loses it. */
        st_size = get_be32(copy + 36);
        for ( k = 0; k < st_size; k += 4 )
        {
            put_be32(copy + 36, k);
            CU_ASSERT(dt_check(copy, f->size, &why) == ORR_EBADMSG);
        }
        put_be32(copy + 36, st_size);
        /* Extra bytes after totalsize are not the tree's business. */
        CU_ASSERT(dt_check(copy, f->size - 1, NULL) == ORR_EBADMSG);
        free(copy);
    }
    free_fixtures();
}

static void test_header_fields(void)
{
    static const struct {
        unsigned int field;
        uint32_t value;
        const char *why;
    } cases[] = {
        { 0, 0xedfe0dd0, "bad magic" }, /* little-endian magic */
        { 20, 15, "version older than 16" },
        { 24, 18, "last_comp_version newer" },
        { 4, 39, "totalsize smaller than the header" },
        { 4, 0x7fffffff, "totalsize beyond the end" },
        { 8, 0x3a, "structure block misaligned" },
        { 8, 0x20, "structure block outside" },
        { 8, 0x7ffffff0, "structure block outside" },
        { 36, 0x7ffffff0, "structure block outside" },
        { 12, 0x10, "strings block outside" },
        { 12, 0xfffffff0, "strings block outside" },
        { 32, 0xfffffff0, "strings block outside" },
        { 16, 0x2c, "memory reservation block misaligned" },
        { 16, 0x20, "memory reservation block outside" },
        { 16, 0xfffffff8, "memory reservation block outside" },
    };
    uint8_t *copy;
    unsigned int i;
    const struct fixture *f;

    CU_ASSERT_FATAL(load_fixtures() == 0 && nr_fixtures > 0);
    f = &fixtures[0];
    copy = malloc(f->size);
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        memcpy(copy, f->blob, f->size);
        put_be32(copy + cases[i].field, cases[i].value);
        expect_bad(copy, f->size, cases[i].why);
    }

    /* Blocks on top of each other. */
    memcpy(copy, f->blob, f->size);
    put_be32(copy + 12, get_be32(copy + 8) + 8);
    expect_bad(copy, f->size, "structure and strings blocks overlap");
    memcpy(copy, f->blob, f->size);
    put_be32(copy + 8, get_be32(copy + 16));
    expect_bad(copy, f->size, "memory reservation and structure blocks");
    /* A reservation block without its all-zero entry. */
    memcpy(copy, f->blob, f->size);
    put_be32(copy + 16, (f->size - 8) & ~7U);
    expect_bad(copy, f->size, "no terminating entry");
    /* Too short for any header. */
    expect_bad(f->blob, 35, "shorter than a device tree header");
    free(copy);
    free_fixtures();

    CU_ASSERT(dt_check(NULL, 100, NULL) == ORR_EINVAL);
}

static void test_bad_structure(void)
{
    int i;

    b_init(&d); /* unterminated node name at the end */
    b_begin(&d, "");
    b_u32(&d, 1);
    b_u32(&d, 0x61626364);
    built_bad(1, "node name not NUL-terminated");

    b_init(&d); /* a property longer than the block */
    b_begin(&d, "");
    b_prop_str(&d, "a", "x");
    b_u32(&d, 3);
    b_u32(&d, 1000);
    b_u32(&d, 0);
    b_end(&d);
    built_bad(0, "property value runs past");

    b_init(&d); /* a property header cut by the end */
    b_begin(&d, "");
    b_u32(&d, 3);
    b_u32(&d, 0);
    built_bad(1, "property header runs past");

    b_init(&d); /* one END_NODE too many */
    b_begin(&d, "");
    b_end(&d);
    b_end(&d);
    built_bad(0, "END_NODE without a matching BEGIN_NODE");

    b_init(&d); /* one END_NODE too few */
    b_begin(&d, "");
    b_begin(&d, "child");
    b_end(&d);
    built_bad(0, "FDT_END inside an unclosed node");

    b_init(&d); /* no FDT_END */
    b_begin(&d, "");
    b_end(&d);
    b_nop(&d);
    built_bad(1, "ends without FDT_END");

    b_init(&d); /* DT_MAX_DEPTH + 1 levels */
    b_begin(&d, "");
    for ( i = 0; i < DT_MAX_DEPTH; i++ )
        b_begin(&d, "n");
    for ( i = 0; i <= DT_MAX_DEPTH; i++ )
        b_end(&d);
    built_bad(0, "nested deeper than DT_MAX_DEPTH");

    b_init(&d);
    b_begin(&d, "");
    b_u32(&d, 5); /* no such token */
    b_end(&d);
    built_bad(0, "unknown token");

    b_init(&d);
    b_prop_str(&d, "a", "x"); /* before the root */
    b_begin(&d, "");
    b_end(&d);
    built_bad(0, "property outside any node");

    b_init(&d);
    b_begin(&d, "");
    b_begin(&d, "child");
    b_end(&d);
    b_prop_str(&d, "late", "x");
    b_end(&d);
    built_bad(0, "property after a subnode");

    b_init(&d);
    b_begin(&d, "");
    b_end(&d);
    b_begin(&d, "");
    b_end(&d);
    built_bad(0, "a second root node");

    b_init(&d);
    built_bad(0, "no root node");

    b_init(&d); /* the root is "/", its name is empty */
    b_begin(&d, "root");
    b_end(&d);
    built_bad(0, "root node name not empty");

    b_init(&d);
    b_begin(&d, "");
    b_u32(&d, 3);
    b_u32(&d, 4);
    b_u32(&d, 9999); /* name offset outside the strings */
    b_u32(&d, 0);
    b_end(&d);
    built_bad(0, "property name outside the strings block");
}

/* The last property name loses its NUL when the strings block shrinks. */
static void test_unterminated_prop_name(void)
{
    size_t size;
    uint8_t *blob;

    b_init(&d);
    b_begin(&d, "");
    b_prop_str(&d, "name", "x");
    b_end(&d);
    blob = b_finish(&d, &size, 0);
    CU_ASSERT(dt_check(blob, size, NULL) == 0);
    put_be32(blob + 32, get_be32(blob + 32) - 1);
    expect_bad(blob, size, "not NUL-terminated");
    free(blob);
}

/* Exactly DT_MAX_DEPTH levels are fine, and libfdt agrees on them. */
static void test_max_depth_accepted(void)
{
    size_t size;
    uint8_t *blob;
    int i;

    b_init(&d);
    b_begin(&d, "");
    for ( i = 1; i < DT_MAX_DEPTH; i++ )
        b_begin(&d, "n");
    for ( i = 0; i < DT_MAX_DEPTH; i++ )
        b_end(&d);
    blob = b_finish(&d, &size, 0);
    compare_with_libfdt(blob, size);
    free(blob);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64: reproducible from the seed above. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/*
 * Random damage to real trees: whatever dt_check() accepts, every
 * accessor must then handle at every offset without a stray read.
 */
static void test_random_corruption(void)
{
    unsigned int iter, flips, accepted = 0, j;
    uint8_t *copy;
    size_t pos;

    CU_ASSERT_FATAL(load_fixtures() == 0 && nr_fixtures > 0);
    for ( iter = 0; iter < 2000; iter++ )
    {
        const struct fixture *f = &fixtures[rng() % nr_fixtures];

        copy = malloc(f->size);
        memcpy(copy, f->blob, f->size);
        flips = 1 + rng() % 4;
        for ( j = 0; j < flips; j++ )
        {
            pos = rng() % f->size;
            copy[pos] ^= 1u << (rng() % 8);
        }
        if ( dt_check(copy, f->size, NULL) == 0 )
        {
            /* Never laxer than libfdt's full check (the converse does
             * not hold: dt_check also wants the reservation block's
             * terminator and disjoint blocks). */
            CU_ASSERT(fdt_check_full(copy, f->size) == 0);
            accepted++;
            dt_exercise(copy);
        }
        free(copy);
    }
    /* Most single-bit damage hits values or strings and stays valid. */
    CU_ASSERT(accepted > 200);
    free_fixtures();
}

CU_TestInfo bad_tests[] = {
    ORR_CASE(test_every_truncation),
    ORR_CASE(test_header_fields),
    ORR_CASE(test_bad_structure),
    ORR_CASE(test_unterminated_prop_name),
    ORR_CASE(test_max_depth_accepted),
    ORR_CASE(test_random_corruption),
    CU_TEST_INFO_NULL,
};
