/* SPDX-License-Identifier: MIT */
/* The harness's input, a byte at a time (fuzz_common.h). */
#include "fuzz_common.h"

static const uint8_t *in;
static size_t left;

void fuzz_input_start(const uint8_t *data, size_t size)
{
    in = data;
    left = size;
}

uint8_t fuzz_byte(void)
{
    if ( !left )
        return 0;
    left--;
    return *in++;
}

uint64_t fuzz_bytes(unsigned int n)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)fuzz_byte() << (8 * i);
    return v;
}

size_t fuzz_input_left(void)
{
    return left;
}
