/* SPDX-License-Identifier: MIT */
/*
 * Bitmaps on arrays of unsigned long: bit n lives in word n / BITS_PER_LONG
 * at position n % BITS_PER_LONG (the layout Xen's cpumasks and guest-facing
 * bitmaps use on little-endian machines).
 *
 * These are NOT atomic: the caller serialises access to one bitmap (a lock,
 * or a single owner). The find functions return @nbits when nothing is
 * found, so a loop reads:
 *     for ( i = bitmap_find_first_set(m, n); i < n;
 *           i = bitmap_find_next_set(m, n, i + 1) )
 * Bits at and above @nbits in the last word are ignored by find and weight.
 */
#ifndef ORRERY_BITMAP_H
#define ORRERY_BITMAP_H

#include <orrery/types.h>

#define BITS_PER_LONG (sizeof(unsigned long) * 8)
#define BITS_TO_LONGS(bits) (((bits) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#define BIT_WORD(bit) ((bit) / BITS_PER_LONG)
#define BIT_MASK(bit) (1UL << ((bit) % BITS_PER_LONG))

static inline void bitmap_set(unsigned long *map, unsigned int bit)
{
    map[BIT_WORD(bit)] |= BIT_MASK(bit);
}

static inline void bitmap_clear(unsigned long *map, unsigned int bit)
{
    map[BIT_WORD(bit)] &= ~BIT_MASK(bit);
}

static inline bool bitmap_test(const unsigned long *map, unsigned int bit)
{
    return map[BIT_WORD(bit)] & BIT_MASK(bit);
}

/* Set @bit and return its previous value. */
static inline bool bitmap_test_and_set(unsigned long *map, unsigned int bit)
{
    bool old = bitmap_test(map, bit);

    bitmap_set(map, bit);
    return old;
}

/* Clear @bit and return its previous value. */
static inline bool bitmap_test_and_clear(unsigned long *map, unsigned int bit)
{
    bool old = bitmap_test(map, bit);

    bitmap_clear(map, bit);
    return old;
}

/* Clear (zero) or set (fill) bits 0 .. @nbits-1. */
void bitmap_zero(unsigned long *map, unsigned int nbits);
void bitmap_fill(unsigned long *map, unsigned int nbits);

unsigned int bitmap_find_first_set(const unsigned long *map,
                                   unsigned int nbits);
/* First set bit at or after @start. */
unsigned int bitmap_find_next_set(const unsigned long *map,
                                  unsigned int nbits, unsigned int start);
unsigned int bitmap_find_first_zero(const unsigned long *map,
                                    unsigned int nbits);
/* First clear bit at or after @start. */
unsigned int bitmap_find_next_zero(const unsigned long *map,
                                   unsigned int nbits, unsigned int start);

/* Number of set bits among 0 .. @nbits-1. */
unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits);

#endif /* ORRERY_BITMAP_H */
