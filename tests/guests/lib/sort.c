/* SPDX-License-Identifier: MIT */
/* Sorting the samples a kernel measures, for their median. */
#include "guest.h"

/* Insertion sort: the arrays are a few hundred samples at most. */
void sort_u64(uint64_t *t, unsigned int n)
{
    for ( unsigned int i = 1; i < n; i++ )
    {
        uint64_t x = t[i];
        unsigned int j = i;

        for ( ; j && t[j - 1] > x; j-- )
            t[j] = t[j - 1];
        t[j] = x;
    }
}
