/* SPDX-License-Identifier: MIT */
/* xmalloc: sizes, alignment, overlap, leaks, misuse and a random mix. */
#include <stdlib.h>

#include "mm_test.h"

static uint64_t baseline;

static void boot_heap(size_t bytes)
{
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, bytes);
    mm_boot_heap();
    baseline = mm_free_pages();
}

/* Everything xmalloc took is back in the buddy. */
static void check_no_leak(void)
{
    struct xmalloc_stats xs;

    xmalloc_stats(&xs);
    ORR_ASSERT_EQ_U64(xs.objects, 0);
    ORR_ASSERT_EQ_U64(xs.bytes_in_use, 0);
    ORR_ASSERT_EQ_U64(xs.pool_pages, 0);
    ORR_ASSERT_EQ_U64(xs.large_pages, 0);
    ORR_ASSERT_EQ_U64(mm_free_pages(), baseline);
}

static uint8_t pattern(uintptr_t id)
{
    return (uint8_t)(id * 0x9d + 0x11);
}

static bool has_pattern(const void *p, size_t size, uint8_t byte)
{
    const uint8_t *b = p;
    size_t i;

    for ( i = 0; i < size; i++ )
        if ( b[i] != byte )
            return false;
    return true;
}

/* The alignment xmalloc_bytes() promises for @size: its size class (at
 * least 16), or a page for the whole-page sizes. */
static size_t natural_align(size_t size)
{
    size_t a = 16;

    while ( a < size && a < PAGE_SIZE )
        a <<= 1;
    return a;
}

struct span { uintptr_t start, end; };

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

#define WINDOW 256

/*
 * Every size from 1 to two pages, WINDOW sizes live at a time, each
 * filled with its own byte: after a window is allocated every object
 * must still hold its byte (no two overlap) and the address ranges
 * sorted must not intersect.
 */
static void test_xmalloc_every_size_to_two_pages_aligned_and_disjoint(void)
{
    static void *p[WINDOW];
    static struct span sp[WINDOW];
    size_t first, size, i;

    boot_heap(64 * MiB);
    for ( first = 1; first <= 2 * PAGE_SIZE; first += WINDOW )
    {
        size_t n = MIN((size_t)WINDOW, 2 * PAGE_SIZE + 1 - first);

        for ( i = 0; i < n; i++ )
        {
            size = first + i;
            p[i] = xmalloc_bytes(size);
            CU_ASSERT_FATAL(p[i] != NULL);
            CU_ASSERT(IS_ALIGNED((uintptr_t)p[i], natural_align(size)));
            memset(p[i], pattern(size), size);
            sp[i].start = (uintptr_t)p[i];
            sp[i].end = (uintptr_t)p[i] + size;
        }
        for ( i = 0; i < n; i++ )
            CU_ASSERT(has_pattern(p[i], first + i, pattern(first + i)));
        qsort(sp, n, sizeof(sp[0]), span_cmp);
        for ( i = 1; i < n; i++ )
            CU_ASSERT(sp[i - 1].end <= sp[i].start);
        for ( i = 0; i < n; i++ )
            xfree(p[i]);
    }
    check_no_leak();
}

static void test_xmalloc_aligned_honours_every_alignment(void)
{
    size_t align;
    unsigned int i;

    boot_heap(32 * MiB);
    mm_srand(0xa119);
    for ( align = 1; align <= PAGE_SIZE; align <<= 1 )
        for ( i = 0; i < 50; i++ )
        {
            size_t size = mm_rand_range(1, 3 * PAGE_SIZE);
            void *p = (i & 1) ? xzalloc_aligned(size, align)
                              : xmalloc_aligned(size, align);

            CU_ASSERT_FATAL(p != NULL);
            CU_ASSERT(IS_ALIGNED((uintptr_t)p, align));
            if ( i & 1 )
                CU_ASSERT(has_pattern(p, size, 0));
            memset(p, 0x77, size);
            xfree(p);
        }
    check_no_leak();

    MM_EXPECT_PANIC(xmalloc_aligned(8, 0), "alignment 0 is not a power");
    MM_EXPECT_PANIC(xmalloc_aligned(8, 24), "alignment 24 is not a power");
    MM_EXPECT_PANIC(xmalloc_aligned(8, 2 * PAGE_SIZE), "alignment 8192");
}

static void test_xmalloc_macros_use_the_type_alignment(void)
{
    struct wide { uint8_t b[40]; } __aligned(256);
    struct wide *w;
    uint64_t *q;

    boot_heap(8 * MiB);
    w = xmalloc(struct wide);
    CU_ASSERT_FATAL(w != NULL);
    CU_ASSERT(IS_ALIGNED((uintptr_t)w, 256));
    q = xzalloc_array(uint64_t, 1000);
    CU_ASSERT_FATAL(q != NULL);
    CU_ASSERT(has_pattern(q, 1000 * sizeof(*q), 0));
    xfree(w);
    xfree(q);
    check_no_leak();
}

static void test_xmalloc_array_overflow_returns_null(void)
{
    struct xmalloc_stats xs;
    uint32_t *ok;

    boot_heap(8 * MiB);
    CU_ASSERT(xmalloc_array(uint64_t, SIZE_MAX / 8 + 1) == NULL);
    CU_ASSERT(xzalloc_array(uint64_t, SIZE_MAX / 4) == NULL);
    CU_ASSERT(xmalloc_array(uint8_t, SIZE_MAX) == NULL);
    /* No overflow, but far more than any heap: NULL too. */
    CU_ASSERT(xmalloc_array(uint8_t, (size_t)4 << 30) == NULL);
    CU_ASSERT(xmalloc_bytes((size_t)2 << 30) == NULL);
    xmalloc_stats(&xs);
    ORR_ASSERT_EQ_U64(xs.objects, 0);

    ok = xmalloc_array(uint32_t, 100);
    CU_ASSERT_FATAL(ok != NULL);
    memset(ok, 0xff, 100 * sizeof(*ok));
    xfree(ok);
    check_no_leak();
}

static void test_xzalloc_zeroes_reused_memory(void)
{
    static void *p[500];
    unsigned int i;
    uint8_t *q;

    boot_heap(8 * MiB);
    for ( i = 0; i < ARRAY_SIZE(p); i++ )
    {
        p[i] = xmalloc_bytes(64);
        memset(p[i], 0xee, 64);
    }
    /* Keep one alive so the pool pages stay dirty. */
    for ( i = 1; i < ARRAY_SIZE(p); i++ )
        xfree(p[i]);

    /* Plain xmalloc shows the dirt (so the xzalloc check can fail). */
    q = xmalloc_bytes(64);
    CU_ASSERT(q[63] == 0xee);
    xfree(q);

    q = xzalloc_bytes(64);
    CU_ASSERT(has_pattern(q, 64, 0));
    xfree(q);
    xfree(p[0]);
    check_no_leak();
}

static void test_xfree_returns_empty_pool_pages_to_the_buddy(void)
{
    static void *p[6000];
    struct xmalloc_stats xs;
    unsigned int i;

    boot_heap(32 * MiB);
    mm_srand(0x1eaf);
    for ( i = 0; i < ARRAY_SIZE(p); i++ )
    {
        p[i] = xmalloc_bytes(mm_rand_range(1, PAGE_SIZE / 2));
        CU_ASSERT_FATAL(p[i] != NULL);
    }
    xmalloc_stats(&xs);
    ORR_ASSERT_EQ_U64(xs.objects, ARRAY_SIZE(p));
    CU_ASSERT(xs.pool_pages > 100);
    ORR_ASSERT_EQ_U64(xs.large_pages, 0);
    ORR_ASSERT_EQ_U64(mm_free_pages(), baseline - xs.pool_pages);

    mm_shuffle(p, ARRAY_SIZE(p), sizeof(p[0]));
    for ( i = 0; i < ARRAY_SIZE(p); i++ )
        xfree(p[i]);
    xfree(NULL);
    check_no_leak();
}

static void test_xfree_double_free_panics(void)
{
    struct xmalloc_stats before, after;
    void *a, *b, *big, *lone;

    boot_heap(8 * MiB);
    a = xmalloc_bytes(100);
    b = xmalloc_bytes(100);         /* keeps a's pool page alive */
    big = xmalloc_bytes(PAGE_SIZE + 1);
    lone = xmalloc_bytes(1000);     /* alone in its pool page */
    xfree(a);
    xfree(big);
    xfree(lone);
    xmalloc_stats(&before);

    MM_EXPECT_PANIC(xfree(a), "double free of");
    MM_EXPECT_PANIC(xfree(big), "double free of");
    MM_EXPECT_PANIC(xfree(lone), "double free of");
    xmalloc_stats(&after);
    CU_ASSERT(!memcmp(&before, &after, sizeof(after)));

    /* Live data that happens to look like a freed object is not a double
     * free: copy freed a's link and magic into live b, then free b. */
    memcpy(b, a, 16);
    xfree(b);
    check_no_leak();
}

static void test_xfree_foreign_and_interior_pointers_panic(void)
{
    uint8_t *obj, *big, *page;
    void *frame_table_va;

    boot_heap(8 * MiB);
    obj = xmalloc_bytes(64);        /* first of a fresh 64-byte pool */
    big = xmalloc_bytes(2 * PAGE_SIZE);
    page = alloc_page_virt(0, 0);
    frame_table_va = mfn_to_page(_mfn(SIM_MEMORY_DEFAULT_BASE >> PAGE_SHIFT));

    MM_EXPECT_PANIC(xfree(page), "belongs to heap");
    MM_EXPECT_PANIC(xfree(frame_table_va), "belongs to reserved");
    MM_EXPECT_PANIC(xfree(obj + 8), "is not the start of a 64-byte object");
    MM_EXPECT_PANIC(xfree(obj + 64 * 5), "was never allocated");
    MM_EXPECT_PANIC(xfree(big + 16), "points inside a large allocation");
    MM_EXPECT_PANIC(xfree(big + PAGE_SIZE), "points inside a large");

    xfree(obj);
    xfree(big);
    free_page_virt(page, 0);
    check_no_leak();
}

static void test_xmalloc_exhaustion_returns_null(void)
{
    static void *p[4096];
    unsigned int n = 0, i;
    void *q;

    boot_heap(4 * MiB);
    while ( (q = xmalloc_bytes(2048)) != NULL )
    {
        CU_ASSERT_FATAL(n < ARRAY_SIZE(p));
        p[n++] = q;
    }
    ORR_ASSERT_EQ_U64(n, baseline * 2);
    CU_ASSERT(xmalloc_bytes(16) == NULL);
    CU_ASSERT(xmalloc_bytes(3 * PAGE_SIZE) == NULL);
    for ( i = 0; i < n; i++ )
        xfree(p[i]);
    check_no_leak();
}

/*
 * A long random mix of allocations and frees, small and large, each
 * object filled with a byte of its own and checked when freed: catches
 * overlap, lost objects and corrupted pool free lists.
 */
#define SLOTS 1500
static void test_xmalloc_random_stress_mix_keeps_data_and_leaks_nothing(void)
{
    static struct { uint8_t *p; size_t size; uint8_t byte; } s[SLOTS];
    struct xmalloc_stats xs;
    uint64_t live = 0;
    unsigned int i, k;

    boot_heap(64 * MiB);
    memset(s, 0, sizeof(s));
    mm_srand(0x57e55);
    for ( i = 0; i < 60000; i++ )
    {
        k = (unsigned int)(mm_rand() % SLOTS);
        if ( s[k].p )
        {
            CU_ASSERT_FATAL(has_pattern(s[k].p, s[k].size, s[k].byte));
            xfree(s[k].p);
            s[k].p = NULL;
            live--;
            continue;
        }
        switch ( mm_rand() % 8 )
        {
        case 0:
            s[k].size = mm_rand_range(PAGE_SIZE / 2 + 1, 5 * PAGE_SIZE);
            break;
        case 1: case 2:
            s[k].size = mm_rand_range(1, 32);
            break;
        default:
            s[k].size = mm_rand_range(1, PAGE_SIZE / 2);
        }
        s[k].p = (mm_rand() & 1) ? xmalloc_bytes(s[k].size)
                                 : xmalloc_aligned(s[k].size,
                                                   1UL << mm_rand_range(0, 8));
        CU_ASSERT_FATAL(s[k].p != NULL);
        s[k].byte = pattern(i);
        memset(s[k].p, s[k].byte, s[k].size);
        live++;
    }
    xmalloc_stats(&xs);
    ORR_ASSERT_EQ_U64(xs.objects, live);
    ORR_ASSERT_EQ_U64(mm_free_pages(),
                      baseline - xs.pool_pages - xs.large_pages);

    for ( k = 0; k < SLOTS; k++ )
        if ( s[k].p )
        {
            CU_ASSERT(has_pattern(s[k].p, s[k].size, s[k].byte));
            xfree(s[k].p);
        }
    check_no_leak();
}

static void test_xmalloc_dump_shows_pools_and_large_pages(void)
{
    void *a, *b, *c;

    boot_heap(8 * MiB);
    a = xmalloc_bytes(20);
    b = xmalloc_bytes(30);
    c = xmalloc_bytes(3 * PAGE_SIZE);
    CU_ASSERT(console_set_loglvl("all"));
    sim_console_clear();
    xmalloc_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "xmalloc: 3 object(s), 16448 "
                        "bytes in use, 1 pool page(s), 4 large page(s)");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "  32-byte pool: 1 page(s), 2 object(s) of 128");
    xfree(a);
    xfree(b);
    xfree(c);
    check_no_leak();
}

CU_TestInfo xmalloc_tests[] = {
    ORR_CASE(test_xmalloc_every_size_to_two_pages_aligned_and_disjoint),
    ORR_CASE(test_xmalloc_aligned_honours_every_alignment),
    ORR_CASE(test_xmalloc_macros_use_the_type_alignment),
    ORR_CASE(test_xmalloc_array_overflow_returns_null),
    ORR_CASE(test_xzalloc_zeroes_reused_memory),
    ORR_CASE(test_xfree_returns_empty_pool_pages_to_the_buddy),
    ORR_CASE(test_xfree_double_free_panics),
    ORR_CASE(test_xfree_foreign_and_interior_pointers_panic),
    ORR_CASE(test_xmalloc_exhaustion_returns_null),
    ORR_CASE(test_xmalloc_random_stress_mix_keeps_data_and_leaks_nothing),
    ORR_CASE(test_xmalloc_dump_shows_pools_and_large_pages),
    CU_TEST_INFO_NULL,
};
