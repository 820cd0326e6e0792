/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing the guest-kernel ELF reader (core/lib/elf.c).
 *
 * Invariants, beyond "no crash" (ASan sees any read past the input, which
 * is copied to a buffer of exactly its size):
 *  - a failure always comes with a message;
 *  - on success every loadable segment's file bytes lie inside the input,
 *    filesz <= memsz, no segment wraps, [lowest, highest) spans them all,
 *    and there is at least one;
 *  - elf_load() hands out exactly the segments' bytes: what is copied
 *    sums to the file sizes, what is zeroed to the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/elf.h>

static uint64_t copied, zeroed;
static volatile uint8_t sink;

static void fail(const char *what)
{
    fprintf(stderr, "elf fuzz: invariant failed: %s\n", what);
    abort();
}

static int count_copy(void *ctx, uint64_t pa, const void *src, size_t n)
{
    (void)ctx;
    (void)pa;
    for ( size_t i = 0; i < n; i++ )    /* touch every byte for ASan */
        sink ^= ((const uint8_t *)src)[i];
    copied += n;
    return 0;
}

static int count_zero(void *ctx, uint64_t pa, size_t n)
{
    (void)ctx;
    (void)pa;
    zeroed += n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    struct elf_image img;
    const char *why = NULL;
    uint64_t want_copy = 0, want_zero = 0;

    memcpy(copy, data, size);
    if ( elf_parse(copy, size, &img, &why) )
    {
        if ( !why )
            fail("error without a message");
        free(copy);
        return 0;
    }
    if ( img.nr_segments == 0 || img.nr_segments > ELF_MAX_SEGMENTS )
        fail("segment count");
    for ( unsigned int i = 0; i < img.nr_segments; i++ )
    {
        const struct elf_segment *s = &img.seg[i];

        if ( s->offset > size || s->filesz > size - s->offset )
            fail("segment outside the input");
        if ( s->filesz > s->memsz )
            fail("filesz > memsz");
        if ( s->paddr + s->memsz < s->paddr )
            fail("segment wraps");
        if ( s->paddr < img.lowest || s->paddr + s->memsz > img.highest )
            fail("lowest/highest do not span a segment");
        want_copy += s->filesz;
        want_zero += s->memsz - s->filesz;
    }
    copied = zeroed = 0;
    if ( elf_load(&img, count_copy, count_zero, NULL) != 0 )
        fail("load failed with callbacks that never fail");
    if ( copied != want_copy || zeroed != want_zero )
        fail("load did not cover exactly the segments");
    free(copy);
    return 0;
}
