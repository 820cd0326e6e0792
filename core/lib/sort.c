/* SPDX-License-Identifier: MIT */
/*
 * Heapsort: O(n log n) worst case, no recursion and no allocation, which
 * is what an early-boot sort of the memory map needs. Not stable.
 */
#include <orrery/lib.h>

static void swap_bytes(char *a, char *b, size_t size)
{
    while ( size-- )
    {
        char t = *a;

        *a++ = *b;
        *b++ = t;
    }
}

/* Move element @root down until the max-heap of @n elements is valid. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for ( ;; )
    {
        size_t child = 2 * root + 1;

        if ( child >= n )
            return;
        if ( child + 1 < n &&
             cmp(base + child * size, base + (child + 1) * size) < 0 )
            child++;
        if ( cmp(base + root * size, base + child * size) >= 0 )
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void sort(void *base, size_t n, size_t size,
          int (*cmp)(const void *, const void *))
{
    char *b = base;
    size_t i;

    if ( n < 2 )
        return;

    for ( i = n / 2; i-- > 0; )
        sift_down(b, i, n, size, cmp);

    for ( i = n - 1; i > 0; i-- )
    {
        swap_bytes(b, b + i * size, size);
        sift_down(b, 0, i, size, cmp);
    }
}
