/* SPDX-License-Identifier: MIT */
/* Bitmap search and counting; see <orrery/bitmap.h> for the layout. */
#include <orrery/bitmap.h>

/*
 * Population count without __builtin_popcountl: without -mpopcnt that
 * becomes a call into libgcc, which the image does not link.
 */
static unsigned int popcount(unsigned long w)
{
    unsigned int n = 0;

    for ( ; w; w &= w - 1 )
        n++;
    return n;
}

/* Mask of the valid bits in the word holding bit @nbits - 1. */
static unsigned long last_word_mask(unsigned int nbits)
{
    unsigned int rem = nbits % BITS_PER_LONG;

    return rem ? (1UL << rem) - 1 : ~0UL;
}

void bitmap_zero(unsigned long *map, unsigned int nbits)
{
    unsigned int i;

    for ( i = 0; i < nbits / BITS_PER_LONG; i++ )
        map[i] = 0;
    if ( nbits % BITS_PER_LONG )
        map[i] &= ~last_word_mask(nbits);
}

void bitmap_fill(unsigned long *map, unsigned int nbits)
{
    unsigned int i;

    for ( i = 0; i < nbits / BITS_PER_LONG; i++ )
        map[i] = ~0UL;
    if ( nbits % BITS_PER_LONG )
        map[i] |= last_word_mask(nbits);
}

/*
 * Scan from @start for a set bit in (word ^ @invert): one function serves
 * both the set and the clear searches.
 */
static unsigned int find_next(const unsigned long *map, unsigned int nbits,
                              unsigned int start, unsigned long invert)
{
    unsigned int i;
    unsigned long w;

    if ( start >= nbits )
        return nbits;

    i = BIT_WORD(start);
    /* Drop the bits below @start in the first word. */
    w = (map[i] ^ invert) & (~0UL << (start % BITS_PER_LONG));
    for ( ;; )
    {
        if ( w )
        {
            unsigned int bit = i * BITS_PER_LONG + __builtin_ctzl(w);

            return bit < nbits ? bit : nbits;
        }
        if ( ++i >= BITS_TO_LONGS(nbits) )
            return nbits;
        w = map[i] ^ invert;
    }
}

unsigned int bitmap_find_first_set(const unsigned long *map,
                                   unsigned int nbits)
{
    return find_next(map, nbits, 0, 0);
}

unsigned int bitmap_find_next_set(const unsigned long *map,
                                  unsigned int nbits, unsigned int start)
{
    return find_next(map, nbits, start, 0);
}

unsigned int bitmap_find_first_zero(const unsigned long *map,
                                    unsigned int nbits)
{
    return find_next(map, nbits, 0, ~0UL);
}

unsigned int bitmap_find_next_zero(const unsigned long *map,
                                   unsigned int nbits, unsigned int start)
{
    return find_next(map, nbits, start, ~0UL);
}

unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits)
{
    unsigned int i, n = 0;

    for ( i = 0; i < nbits / BITS_PER_LONG; i++ )
        n += popcount(map[i]);
    if ( nbits % BITS_PER_LONG )
        n += popcount(map[i] & last_word_mask(nbits));
    return n;
}
