/* SPDX-License-Identifier: MIT */
/*
 * What core/sched and schedsim's engine need from below, for the
 * benchmark only: xmalloc on the host heap, printk to stderr, and no
 * simulated machine. The sim platform and core libraries are built with
 * sanitizers; this keeps the figures about the scheduler code instead.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/console.h>
#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/platform.h>
#include <sim/sim.h>

void *xzalloc_aligned(size_t size, size_t align)
{
    void *p = NULL;

    if ( posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align,
                        size) )
        return NULL;
    return memset(p, 0, size);
}

void xfree(void *p)
{
    free(p);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "PANIC: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if ( size )
    {
        size_t k = n < size - 1 ? n : size - 1;

        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

void arch_cpu_relax(void)
{
}

/* The engine sets up a simulated machine; the benchmark needs none. */
void sim_init(unsigned int nr_cpus, size_t mem_bytes)
{
    (void)nr_cpus, (void)mem_bytes;
}

void sim_memory_init(size_t bytes)
{
    (void)bytes;
}

void sim_memory_map(struct memmap *map)
{
    (void)map;
}

void bootmem_init(const struct memmap *map, const struct boot_range *r,
                  unsigned int n)
{
    (void)map, (void)r, (void)n;
}

void page_alloc_init(void)
{
}
