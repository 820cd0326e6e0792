/* SPDX-License-Identifier: MIT */
/*
 * memmap_sanitize(): the documented rules one at a time, then a random
 * property test against a brute-force model that decides every page (and,
 * for unaligned maps, every byte) of a small address space on its own.
 */
#include <string.h>
#include <orrery/memmap.h>
#include <orr_test.h>

#define KB(x) ((uint64_t)(x) << 10)
#define MB(x) ((uint64_t)(x) << 20)

static struct memmap map;

static int reset(void)
{
    memset(&map, 0, sizeof(map));
    return 0;
}

static void add(paddr_t addr, uint64_t size, uint32_t type)
{
    CU_ASSERT_FATAL(memmap_add(&map, addr, size, type) == 0);
}

/* The map must be exactly these (addr, size, type) triples. */
static void expect(unsigned int n, const struct memmap_entry *want)
{
    unsigned int i;

    CU_ASSERT_EQUAL(map.nr, n);
    for ( i = 0; i < n && i < map.nr; i++ )
    {
        ORR_ASSERT_EQ_U64(map.e[i].addr, want[i].addr);
        ORR_ASSERT_EQ_U64(map.e[i].size, want[i].size);
        CU_ASSERT_EQUAL(map.e[i].type, want[i].type);
    }
}

#define EXPECT(...) \
    do { \
        const struct memmap_entry w_[] = { __VA_ARGS__ }; \
        expect(ARRAY_SIZE(w_), w_); \
    } while ( 0 )
#define E(a, s, t) { .addr = (a), .size = (s), .type = (t) }

static void test_clean_map_unchanged(void)
{
    add(0, KB(636), MEMMAP_RAM);
    add(KB(636), KB(388), MEMMAP_RESERVED);
    add(MB(1), MB(511), MEMMAP_RAM);
    add(MB(512), KB(64), MEMMAP_ACPI);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 4);
    EXPECT(E(0, KB(636), MEMMAP_RAM), E(KB(636), KB(388), MEMMAP_RESERVED),
           E(MB(1), MB(511), MEMMAP_RAM), E(MB(512), KB(64), MEMMAP_ACPI));
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map), KB(636) + MB(511));
}

static void test_unsorted(void)
{
    add(MB(8), MB(8), MEMMAP_RAM);
    add(MB(4), MB(1), MEMMAP_NVS);
    add(0, MB(1), MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 3);
    EXPECT(E(0, MB(1), MEMMAP_RAM), E(MB(4), MB(1), MEMMAP_NVS),
           E(MB(8), MB(8), MEMMAP_RAM));
}

static void test_zero_length_dropped(void)
{
    add(MB(1), 0, MEMMAP_RESERVED);
    add(MB(1), MB(1), MEMMAP_RAM);
    add(MB(3), 0, MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(MB(1), MB(1), MEMMAP_RAM));
}

/* A reserved range inside RAM splits it; non-RAM always wins. */
static void test_nested(void)
{
    add(0, MB(16), MEMMAP_RAM);
    add(MB(4), KB(8), MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 3);
    EXPECT(E(0, MB(4), MEMMAP_RAM), E(MB(4), KB(8), MEMMAP_RESERVED),
           E(MB(4) + KB(8), MB(12) - KB(8), MEMMAP_RAM));

    /* RAM reported inside a reserved range stays reserved. */
    reset();
    add(MB(1), MB(4), MEMMAP_RESERVED);
    add(MB(2), MB(1), MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(MB(1), MB(4), MEMMAP_RESERVED));
}

static void test_overlapping(void)
{
    /* RAM [0,8M) overlaps ACPI [6M,10M) overlaps NVS [9M,12M). */
    add(0, MB(8), MEMMAP_RAM);
    add(MB(6), MB(4), MEMMAP_ACPI);
    add(MB(9), MB(3), MEMMAP_NVS);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 3);
    /* Among non-RAM types the higher number wins: NVS (4) > ACPI (3). */
    EXPECT(E(0, MB(6), MEMMAP_RAM), E(MB(6), MB(3), MEMMAP_ACPI),
           E(MB(9), MB(3), MEMMAP_NVS));
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map), MB(6));
}

static void test_duplicate_and_overlapping_ram(void)
{
    add(0, MB(4), MEMMAP_RAM);
    add(0, MB(4), MEMMAP_RAM);
    add(MB(2), MB(4), MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(0, MB(6), MEMMAP_RAM));
}

static void test_adjacent_merge(void)
{
    add(0, MB(1), MEMMAP_RAM);
    add(MB(1), MB(1), MEMMAP_RAM);
    add(MB(2), KB(4), MEMMAP_RESERVED);
    add(MB(2) + KB(4), KB(4), MEMMAP_RESERVED);
    add(MB(2) + KB(8), KB(4), MEMMAP_ACPI);     /* other type: kept apart */
    add(MB(3), MB(1), MEMMAP_RAM);              /* gap before: kept apart */
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 4);
    EXPECT(E(0, MB(2), MEMMAP_RAM), E(MB(2), KB(8), MEMMAP_RESERVED),
           E(MB(2) + KB(8), KB(4), MEMMAP_ACPI), E(MB(3), MB(1), MEMMAP_RAM));
}

/* Unaligned RAM shrinks inwards; non-RAM keeps its exact bounds. */
static void test_unaligned(void)
{
    add(0x1234, 0x5000, MEMMAP_RAM);        /* -> [0x2000, 0x6000) */
    add(0x10000, 0xfff, MEMMAP_RAM);        /* under a page: dropped */
    add(0x20800, 0x1000, MEMMAP_RAM);       /* straddles: dropped */
    add(0x30001, 0x10, MEMMAP_RESERVED);    /* kept as is */
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 2);
    EXPECT(E(0x2000, 0x4000, MEMMAP_RAM), E(0x30001, 0x10, MEMMAP_RESERVED));

    /* Two unaligned halves of one page merge first, then align. */
    reset();
    add(0x5000, 0x800, MEMMAP_RAM);
    add(0x5800, 0x800, MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(0x5000, 0x1000, MEMMAP_RAM));

    /* RAM cut by a reserved byte loses the whole page around it. */
    reset();
    add(0, 0x4000, MEMMAP_RAM);
    add(0x2010, 1, MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 3);
    EXPECT(E(0, 0x2000, MEMMAP_RAM), E(0x2010, 1, MEMMAP_RESERVED),
           E(0x3000, 0x1000, MEMMAP_RAM));
}

static void test_wrapping(void)
{
    /* Ends past 2^64: clamped to the top (the last byte is never RAM). */
    add(0xfffffffffff00000ULL, MB(2), MEMMAP_RESERVED);
    add(0xffffffff00000000ULL, 0x200000000ULL, MEMMAP_RAM);
    add(MB(1), UINT64_MAX, MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(MB(1), UINT64_MAX - MB(1), MEMMAP_RESERVED));

    reset();
    add(0xffffffff00000000ULL, 0x200000000ULL, MEMMAP_RAM);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), 1);
    EXPECT(E(0xffffffff00000000ULL, 0xfffff000ULL, MEMMAP_RAM));
}

static void test_full_map(void)
{
    unsigned int i;

    /* MEMMAP_MAX entries fit; one more is refused. */
    for ( i = 0; i < MEMMAP_MAX; i++ )
        add(MB(2 * i), MB(1), (i % 2) ? MEMMAP_RAM : MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(memmap_add(&map, MB(1000), MB(1), MEMMAP_RAM), -1);
    CU_ASSERT_EQUAL(map.nr, MEMMAP_MAX);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), MEMMAP_MAX);
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map), MB(MEMMAP_MAX / 2));
}

/*
 * One RAM entry with 127 reserved holes resolves to 255 pieces, more than
 * a map holds. Holes are not RAM either way, so non-RAM entries go first
 * and no RAM may be lost.
 */
static void test_overflow_keeps_ram(void)
{
    unsigned int i;

    add(0, MB(256), MEMMAP_RAM);
    for ( i = 0; i < MEMMAP_MAX - 1; i++ )
        add(MB(1) + MB(2 * i), KB(4), MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(memmap_sanitize(&map), MEMMAP_MAX);
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map),
                      MB(256) - KB(4) * (MEMMAP_MAX - 1));
    for ( i = 0; i + 1 < map.nr; i++ )
        CU_ASSERT(map.e[i].addr + map.e[i].size <= map.e[i + 1].addr);
}

static void test_type_names(void)
{
    ORR_ASSERT_STREQ(memmap_type_name(MEMMAP_RAM), "RAM");
    ORR_ASSERT_STREQ(memmap_type_name(MEMMAP_RESERVED), "reserved");
    ORR_ASSERT_STREQ(memmap_type_name(MEMMAP_ACPI), "ACPI data");
    ORR_ASSERT_STREQ(memmap_type_name(MEMMAP_NVS), "ACPI NVS");
    ORR_ASSERT_STREQ(memmap_type_name(MEMMAP_PMEM), "persistent memory");
    ORR_ASSERT_STREQ(memmap_type_name(99), "unknown");
}

/* ---- property test ------------------------------------------------------ */

/*
 * The model: SPACE bytes in GRAIN-byte cells (every entry bound is a
 * multiple of GRAIN, so a cell is uniform). Each cell's type is decided on
 * its own by the overlap rule; then RAM shrinking inwards to pages is the
 * same as "a page stays RAM only if every cell in it is RAM". 0 = hole.
 */
#define SPACE (64 * 1024)   /* 16 pages */
#define GRAIN 256           /* entry bounds are multiples of this */

static uint32_t model[SPACE / GRAIN];

static bool beats(uint32_t a, uint32_t b)
{
    if ( (a == MEMMAP_RAM) != (b == MEMMAP_RAM) )
        return b == MEMMAP_RAM;
    return a > b;
}

static uint64_t rnd(void)
{
    static uint64_t s = 0x243f6a8885a308d3ULL;

    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static void build_model(const struct memmap *in)
{
    unsigned int g, i;
    const unsigned int per_page = PAGE_SIZE / GRAIN;

    memset(model, 0, sizeof(model));
    for ( g = 0; g < ARRAY_SIZE(model); g++ )
        for ( i = 0; i < in->nr; i++ )
        {
            const struct memmap_entry *e = &in->e[i];
            uint64_t a = (uint64_t)g * GRAIN;

            if ( a >= e->addr && a < e->addr + e->size &&
                 (model[g] == 0 || beats(e->type, model[g])) )
                model[g] = e->type;
        }

    /* RAM shrinks inwards: a page is RAM only if all of it is RAM. */
    for ( g = 0; g < ARRAY_SIZE(model); g += per_page )
    {
        bool all = true;

        for ( i = 0; i < per_page; i++ )
            all = all && model[g + i] == MEMMAP_RAM;
        if ( !all )
            for ( i = 0; i < per_page; i++ )
                if ( model[g + i] == MEMMAP_RAM )
                    model[g + i] = 0;
    }
}

static void check_against_model(const struct memmap *in, unsigned int round)
{
    unsigned int g, i;
    uint64_t ram = 0;
    bool bad = false;

    for ( g = 0; g < ARRAY_SIZE(model); g++ )
    {
        uint64_t a = (uint64_t)g * GRAIN;
        uint32_t t = 0;

        for ( i = 0; i < map.nr; i++ )
            if ( a >= map.e[i].addr && a < map.e[i].addr + map.e[i].size )
                t = map.e[i].type;
        if ( t != model[g] )
            bad = true;
        if ( model[g] == MEMMAP_RAM )
            ram += GRAIN;
    }
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map), ram);

    /* Sorted, disjoint, non-empty, merged, RAM page-aligned. */
    for ( i = 0; i < map.nr; i++ )
    {
        const struct memmap_entry *e = &map.e[i];

        if ( e->size == 0 )
            bad = true;
        if ( e->type == MEMMAP_RAM &&
             ((e->addr | e->size) & (PAGE_SIZE - 1)) )
            bad = true;
        if ( i && map.e[i - 1].addr + map.e[i - 1].size > e->addr )
            bad = true;
        if ( i && map.e[i - 1].addr + map.e[i - 1].size == e->addr &&
             map.e[i - 1].type == e->type )
            bad = true;
    }

    if ( bad )
    {
        fprintf(stderr, "\nround %u: input", round);
        for ( i = 0; i < in->nr; i++ )
            fprintf(stderr, " [%#llx+%#llx t%u]",
                    (unsigned long long)in->e[i].addr,
                    (unsigned long long)in->e[i].size, in->e[i].type);
        fprintf(stderr, "\n  output");
        for ( i = 0; i < map.nr; i++ )
            fprintf(stderr, " [%#llx+%#llx t%u]",
                    (unsigned long long)map.e[i].addr,
                    (unsigned long long)map.e[i].size, map.e[i].type);
        fprintf(stderr, "\n");
    }
    CU_ASSERT_FALSE(bad);
}

static void test_random_against_model(void)
{
    static struct memmap in;
    unsigned int round, i;

    for ( round = 0; round < 3000; round++ )
    {
        unsigned int n = 1 + rnd() % 12;

        reset();
        for ( i = 0; i < n; i++ )
        {
            uint64_t a = (rnd() % (SPACE / GRAIN)) * GRAIN;
            uint64_t s = (rnd() % 4 == 0) ? 0
                         : (1 + rnd() % (SPACE / GRAIN / 2)) * GRAIN;
            /* RAM most often, so that overlaps with it are common. */
            uint32_t t = (rnd() % 2) ? MEMMAP_RAM : 2 + rnd() % 6;

            if ( a + s > SPACE )
                s = SPACE - a;
            add(a, s, t);
        }
        in = map;
        build_model(&in);
        memmap_sanitize(&map);
        check_against_model(&in, round);
    }
}

static CU_TestInfo memmap_tests[] = {
    ORR_CASE(test_clean_map_unchanged),
    ORR_CASE(test_unsorted),
    ORR_CASE(test_zero_length_dropped),
    ORR_CASE(test_nested),
    ORR_CASE(test_overlapping),
    ORR_CASE(test_duplicate_and_overlapping_ram),
    ORR_CASE(test_adjacent_merge),
    ORR_CASE(test_unaligned),
    ORR_CASE(test_wrapping),
    ORR_CASE(test_full_map),
    ORR_CASE(test_overflow_keeps_ram),
    ORR_CASE(test_type_names),
    ORR_CASE(test_random_against_model),
    CU_TEST_INFO_NULL,
};

static void setup(void)
{
    reset();
}

static void teardown(void)
{
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("memmap", setup, teardown, memmap_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
