/* SPDX-License-Identifier: MIT */
/*
 * The few platform and console functions core/mm calls, for the benchmark
 * only: one CPU, no interrupts, and machine memory as one flat host
 * mapping. The real sim platform is built with sanitizers and carries a
 * simulated machine the benchmark does not need; this keeps the hot path
 * what it would be on hardware (a direct map and a cheap irq save).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <orrery/console.h>
#include <orrery/platform.h>

#include "shim.h"

static char *arena;
static paddr_t arena_base;
static uint64_t arena_size;

void shim_set_memory(void *host, paddr_t base, uint64_t size)
{
    arena = host;
    arena_base = base;
    arena_size = size;
}

void *arch_mfn_to_virt(mfn_t mfn)
{
    paddr_t pa = mfn_to_paddr(mfn);

    if ( pa < arena_base || pa - arena_base >= arena_size )
    {
        fprintf(stderr, "shim: frame 0x%lx outside the arena\n", mfn_x(mfn));
        abort();
    }
    return arena + (pa - arena_base);
}

mfn_t arch_virt_to_mfn(const void *va)
{
    const char *p = va;

    if ( p < arena || (uint64_t)(p - arena) >= arena_size )
        return INVALID_MFN;
    return paddr_to_mfn(arena_base + (uint64_t)(p - arena));
}

unsigned long arch_irq_save(void)
{
    return 0;
}

void arch_irq_restore(unsigned long flags)
{
    (void)flags;
}

void arch_cpu_relax(void)
{
}

void printk(const char *fmt, ...)
{
    va_list ap;

    /* Skip the "<n>" level prefix. */
    if ( fmt[0] == '<' && fmt[1] && fmt[2] == '>' )
        fmt += 3;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    fputs("PANIC: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}
