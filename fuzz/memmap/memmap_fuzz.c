/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing memmap_sanitize() (core/lib/memmap.c) against a model.
 *
 * Input: a list of entries, each a type byte, a scale byte and two 16-bit
 * numbers (address and size in units of the scale), or with scale 0xff a
 * raw 64-bit address and size, so that small inputs build maps that nest,
 * touch, overlap and wrap at page granularity and beyond.
 *
 * The model is the memmap.h contract read directly: an address has the
 * type of the entries covering it (end clamped to the top of the address
 * space), any non-RAM type beating RAM and the higher non-RAM type
 * beating the lower. The result must be:
 *  - at most MEMMAP_MAX entries, the count returned and stored;
 *  - sorted, non-overlapping, no zero-length or wrapping entry;
 *  - merged: no two touching entries of one type;
 *  - RAM page-aligned, and RAM exactly where the model has whole pages
 *    of RAM: each maximal RAM run of the model, shrunk inwards to pages,
 *    is one RAM entry, and no other RAM exists;
 *  - every non-RAM entry has the model's type over its whole range, and
 *    every non-RAM address of the model keeps its type unless the
 *    sanitiser warned that it dropped non-RAM entries to fit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/console.h>
#include <orrery/memmap.h>
#include <sim/sim.h>

#define NO_TYPE UINT32_MAX      /* the model's "no entry covers this" */

static struct memmap in, map;
static paddr_t bounds[2 * MEMMAP_MAX];
static char ring[4096];

static void fail(const char *what, unsigned int i)
{
    fprintf(stderr, "memmap fuzz: invariant failed at entry %u: %s\n", i,
            what);
    for ( unsigned int k = 0; k < in.nr; k++ )
        fprintf(stderr, "  in  %016llx +%016llx type %u\n",
                (unsigned long long)in.e[k].addr,
                (unsigned long long)in.e[k].size, in.e[k].type);
    for ( unsigned int k = 0; k < map.nr && k < MEMMAP_MAX; k++ )
        fprintf(stderr, "  out %016llx +%016llx type %u\n",
                (unsigned long long)map.e[k].addr,
                (unsigned long long)map.e[k].size, map.e[k].type);
    abort();
}

static paddr_t end_of(const struct memmap_entry *e)
{
    return e->size > UINT64_MAX - e->addr ? UINT64_MAX : e->addr + e->size;
}

/* The model's type at @x (NO_TYPE when uncovered). */
static uint32_t model_type(paddr_t x)
{
    uint32_t t = NO_TYPE;

    for ( unsigned int i = 0; i < in.nr; i++ )
    {
        const struct memmap_entry *e = &in.e[i];
        uint32_t et = e->type;

        if ( x < e->addr || x >= end_of(e) )
            continue;
        if ( t == NO_TYPE ||
             (t == MEMMAP_RAM && et != MEMMAP_RAM) ||
             (t != MEMMAP_RAM && et != MEMMAP_RAM && et > t) )
            t = et;
    }
    return t;
}

/* The output's type at @x (NO_TYPE when no entry covers it). */
static uint32_t out_type(paddr_t x)
{
    for ( unsigned int i = 0; i < map.nr; i++ )
        if ( x >= map.e[i].addr && x - map.e[i].addr < map.e[i].size )
            return map.e[i].type;
    return NO_TYPE;
}

static int cmp_paddr(const void *a, const void *b)
{
    paddr_t x = *(const paddr_t *)a, y = *(const paddr_t *)b;

    return x < y ? -1 : x > y;
}

/* Sorted, distinct boundaries of the input: the model is constant
 * between two consecutive ones. Returns how many. */
static unsigned int model_bounds(void)
{
    unsigned int i, n = 0, k = 0;

    for ( i = 0; i < in.nr; i++ )
    {
        bounds[n++] = in.e[i].addr;
        bounds[n++] = end_of(&in.e[i]);
    }
    qsort(bounds, n, sizeof(bounds[0]), cmp_paddr);
    for ( i = 0; i < n; i++ )
        if ( k == 0 || bounds[k - 1] != bounds[i] )
            bounds[k++] = bounds[i];
    return k;
}

static void check_shape(unsigned int n)
{
    unsigned int i;

    if ( n != map.nr || n > MEMMAP_MAX )
        fail("count returned differs from the map's, or is too big", n);
    for ( i = 0; i < n; i++ )
    {
        const struct memmap_entry *e = &map.e[i];

        if ( e->size == 0 )
            fail("zero-length entry", i);
        if ( e->size > UINT64_MAX - e->addr )
            fail("entry wraps the address space", i);
        if ( e->type == MEMMAP_RAM &&
             (!IS_ALIGNED(e->addr, PAGE_SIZE) ||
              !IS_ALIGNED(e->size, PAGE_SIZE)) )
            fail("RAM entry not page-aligned", i);
        if ( i == 0 )
            continue;
        if ( map.e[i - 1].addr + map.e[i - 1].size > e->addr )
            fail("entries unsorted or overlapping", i);
        if ( map.e[i - 1].addr + map.e[i - 1].size == e->addr &&
             map.e[i - 1].type == e->type )
            fail("touching entries of one type not merged", i);
    }
}

/* Each output entry has the model's type all over: checked at its start
 * and at every input boundary inside it. */
static void check_types(unsigned int nb)
{
    for ( unsigned int i = 0; i < map.nr; i++ )
    {
        const struct memmap_entry *e = &map.e[i];

        if ( model_type(e->addr) != e->type )
            fail("entry's type is not the input's there", i);
        for ( unsigned int k = 0; k < nb; k++ )
            if ( bounds[k] > e->addr && bounds[k] - e->addr < e->size &&
                 model_type(bounds[k]) != e->type )
                fail("entry spans an address of another input type", i);
    }
}

/* RAM exactly where the model has whole pages of RAM; non-RAM kept. */
static void check_coverage(unsigned int nb, bool dropped)
{
    unsigned int k, ram_runs = 0, ram_out = 0;

    for ( k = 0; k + 1 < nb; )
    {
        uint32_t t = model_type(bounds[k]);
        paddr_t start = bounds[k], end, a_start, a_end;
        unsigned int j;

        if ( t != MEMMAP_RAM )
        {
            if ( t != NO_TYPE && out_type(start) != t &&
                 !(dropped && out_type(start) == NO_TYPE) )
                fail("non-RAM input range lost or retyped", k);
            k++;
            continue;
        }
        for ( j = k + 1; j + 1 < nb && model_type(bounds[j]) == MEMMAP_RAM;
              j++ )
            ;
        end = bounds[j];
        a_end = ROUNDDOWN(end, PAGE_SIZE);
        a_start = start > UINT64_MAX - (PAGE_SIZE - 1)
                  ? a_end : ROUNDUP(start, PAGE_SIZE);
        if ( a_start < a_end )
        {
            bool found = false;

            ram_runs++;
            for ( unsigned int i = 0; i < map.nr; i++ )
                if ( map.e[i].addr == a_start &&
                     map.e[i].size == a_end - a_start &&
                     map.e[i].type == MEMMAP_RAM )
                    found = true;
            if ( !found )
                fail("input RAM run (page-aligned) missing from the output",
                     k);
        }
        k = j;
    }
    for ( unsigned int i = 0; i < map.nr; i++ )
        ram_out += map.e[i].type == MEMMAP_RAM;
    if ( ram_out != ram_runs )
        fail("RAM in the output that is not a RAM run of the input", ram_out);
}

static const uint64_t scales[] = {
    1, 0x10, 0x100, PAGE_SIZE, 0x10000, 1ULL << 20, 1ULL << 30, 1ULL << 40,
};

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t x;

    memcpy(&x, p, sizeof(x));
    return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned int n, nb;
    bool dropped;

    in.nr = 0;
    while ( size >= 6 )
    {
        uint8_t tb = data[0], sb = data[1];
        uint32_t type = tb < 0xf0 ? (tb & 7) + 1 : tb - 0xf0;
        uint64_t addr, len;

        if ( sb == 0xff && size >= 18 )
        {
            addr = get_u64(data + 2);
            len = get_u64(data + 10);
            data += 18;
            size -= 18;
        }
        else
        {
            uint64_t unit = scales[sb % ARRAY_SIZE(scales)];

            addr = (uint64_t)(data[2] | (data[3] << 8)) * unit;
            len = (uint64_t)(data[4] | (data[5] << 8)) * unit;
            if ( sb & 0x80 )        /* near the top of the address space */
                addr = UINT64_MAX - addr;
            data += 6;
            size -= 6;
        }
        if ( memmap_add(&in, addr, len, type) < 0 )
        {
            if ( in.nr != MEMMAP_MAX )
                fail("memmap_add refused an entry with room left", in.nr);
            break;
        }
    }

    sim_init(1, 0);
    console_ring_clear();
    map = in;
    n = memmap_sanitize(&map);
    console_ring_read(ring, sizeof(ring));
    dropped = strstr(ring, "memmap:") != NULL;

    nb = model_bounds();
    check_shape(n);
    check_types(nb);
    check_coverage(nb, dropped);

    /* Sanitising a sanitised map changes nothing. */
    {
        struct memmap again = map;

        if ( memmap_sanitize(&again) != n )
            fail("sanitising twice changed the count", n);
        for ( unsigned int i = 0; i < n; i++ )
            if ( again.e[i].addr != map.e[i].addr ||
                 again.e[i].size != map.e[i].size ||
                 again.e[i].type != map.e[i].type )
                fail("sanitising twice changed an entry", i);
    }
    return 0;
}
