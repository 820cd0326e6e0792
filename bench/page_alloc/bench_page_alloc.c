/* SPDX-License-Identifier: MIT */
/*
 * bench-page-alloc: alloc+free throughput of the buddy (orders 0, 4, 9)
 * and of xmalloc (16 .. 2048 bytes), each beside the host C library's
 * malloc/free of the same size, in one run.
 *
 * Each case repeats rounds of "allocate a batch, then free it in
 * allocation order" for at least MIN_NS of wall time, so that both
 * allocators see splits and merges (or pool page turnover) rather than
 * one block bouncing. Memory is not touched beyond what each allocator
 * itself writes. Printed per case: nanoseconds per alloc+free pair and
 * millions of pairs per second for each, and the throughput ratio
 * Orrery / libc (above 1: Orrery is faster).
 *
 * glibc's defaults give freed page-sized memory back to the kernel (heap
 * trimming above 128 KiB, mmap for large blocks), so its page-sized cases
 * include page faults. To compare with a glibc that keeps its memory:
 *     GLIBC_TUNABLES=glibc.malloc.trim_threshold=4000000000:\
 *     glibc.malloc.mmap_threshold=33554432 bench-page-alloc
 *
 * Usage: bench-page-alloc [min-milliseconds-per-case]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include <orrery/mm.h>

#include "shim.h"

#define ARENA_BASE  0x100000UL          /* 1 MiB: RAM as on a PC */
#define ARENA_SIZE  (512UL << 20)
#define MAX_BATCH   1024

static uint64_t min_ns = 300 * 1000000ULL;
static void *ptrs[MAX_BATCH];
static mfn_t mfns[MAX_BATCH];

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

typedef void (*round_fn)(unsigned int batch, size_t arg);

/* Nanoseconds per alloc+free pair. */
static double measure(round_fn fn, unsigned int batch, size_t arg)
{
    uint64_t start, elapsed, pairs = 0;

    fn(batch, arg);                     /* warm up */
    start = now_ns();
    do {
        fn(batch, arg);
        pairs += batch;
        elapsed = now_ns() - start;
    } while ( elapsed < min_ns );
    return (double)elapsed / (double)pairs;
}

static void buddy_round(unsigned int batch, size_t order)
{
    unsigned int i;

    for ( i = 0; i < batch; i++ )
    {
        mfns[i] = alloc_pages((unsigned int)order, 0);
        if ( mfn_x(mfns[i]) == mfn_x(INVALID_MFN) )
        {
            fprintf(stderr, "bench: buddy exhausted at order %zu\n", order);
            exit(1);
        }
    }
    for ( i = 0; i < batch; i++ )
        free_pages(mfns[i], (unsigned int)order);
}

static void xmalloc_round(unsigned int batch, size_t size)
{
    unsigned int i;

    for ( i = 0; i < batch; i++ )
        if ( !(ptrs[i] = xmalloc_bytes(size)) )
        {
            fprintf(stderr, "bench: xmalloc exhausted at %zu bytes\n", size);
            exit(1);
        }
    for ( i = 0; i < batch; i++ )
        xfree(ptrs[i]);
}

static void libc_round(unsigned int batch, size_t size)
{
    unsigned int i;

    for ( i = 0; i < batch; i++ )
        if ( !(ptrs[i] = malloc(size)) )
        {
            fprintf(stderr, "bench: malloc failed at %zu bytes\n", size);
            exit(1);
        }
    for ( i = 0; i < batch; i++ )
        free(ptrs[i]);
}

static void row(const char *what, double orrery_ns, double libc_ns)
{
    printf("%-22s %9.1f %9.1f %9.2f %9.2f %8.2f\n", what, orrery_ns,
           libc_ns, 1e3 / orrery_ns, 1e3 / libc_ns, libc_ns / orrery_ns);
}

int main(int argc, char **argv)
{
    struct memmap map = { 0 };
    struct page_alloc_stats st;
    static const unsigned int orders[] = { 0, 4, 9 };
    unsigned int i;
    size_t size;
    void *arena;

    if ( argc > 1 )
    {
        long ms = strtol(argv[1], NULL, 10);

        if ( ms <= 0 )
        {
            fprintf(stderr, "usage: %s [min-milliseconds-per-case]\n",
                    argv[0]);
            return 2;
        }
        min_ns = (uint64_t)ms * 1000000ULL;
    }

    arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ( arena == MAP_FAILED )
    {
        perror("bench: mmap");
        return 1;
    }
    shim_set_memory(arena, ARENA_BASE, ARENA_SIZE);
    map.nr = 1;
    map.e[0].addr = ARENA_BASE;
    map.e[0].size = ARENA_SIZE;
    map.e[0].type = MEMMAP_RAM;
    bootmem_init(&map, NULL, 0);
    page_alloc_init();
    page_alloc_stats(&st);

    printf("bench-page-alloc: %lu MiB heap, %lu ms per case, one CPU\n\n",
           st.free_pages >> 8, (unsigned long)(min_ns / 1000000));
    printf("%-22s %9s %9s %9s %9s %8s\n", "", "ns/pair", "ns/pair",
           "Mpair/s", "Mpair/s", "orrery");
    printf("%-22s %9s %9s %9s %9s %8s\n", "case", "orrery", "libc",
           "orrery", "libc", "/ libc");

    for ( i = 0; i < ARRAY_SIZE(orders); i++ )
    {
        unsigned int o = orders[i];
        /* At most a quarter of the heap in flight. */
        unsigned int batch = MIN(MAX_BATCH, (st.free_pages >> o) / 4);
        char what[32];

        snprintf(what, sizeof(what), "alloc_pages order %u", o);
        row(what, measure(buddy_round, batch, o),
            measure(libc_round, batch, PAGE_SIZE << o));
    }
    for ( size = 16; size <= 2048; size *= 2 )
    {
        char what[32];

        snprintf(what, sizeof(what), "xmalloc %zu B", size);
        row(what, measure(xmalloc_round, MAX_BATCH, size),
            measure(libc_round, MAX_BATCH, size));
    }

    page_alloc_stats(&st);
    printf("\nafter the run: %lu pages free of %lu (no leak: %s)\n",
           st.free_pages, st.total_pages,
           st.free_pages + st.reserved_pages == st.total_pages ? "yes" : "NO");
    munmap(arena, ARENA_SIZE);
    return st.free_pages + st.reserved_pages == st.total_pages ? 0 : 1;
}
