/* SPDX-License-Identifier: MIT */
/*
 * Simulated machine memory: one page-aligned host allocation standing for
 * machine addresses [base, base + size). The default base is 1 MiB so
 * that mfn 0 -- what a forgotten initialisation usually produces -- is not
 * memory, and translating it is a sim fault instead of a quiet success.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static unsigned char *mem;
static size_t mem_size;
static paddr_t mem_base = SIM_MEMORY_DEFAULT_BASE;
static paddr_t next_base = SIM_MEMORY_DEFAULT_BASE;

void sim_memory_set_base(paddr_t base)
{
    if ( base & (PAGE_SIZE - 1) )
        sim_fault("sim_memory_set_base(%#llx): not page aligned",
                  (unsigned long long)base);
    next_base = base;
}

void sim_memory_init(size_t bytes)
{
    size_t size = ROUNDUP(bytes, PAGE_SIZE);

    free(mem);
    mem = NULL;
    mem_size = 0;
    mem_base = next_base;
    if ( !size )
        return;
    if ( size > UINT64_MAX - mem_base )
        sim_fault("sim_memory_init(%zu) at %#llx wraps the address space",
                  bytes, (unsigned long long)mem_base);
    mem = aligned_alloc(PAGE_SIZE, size);
    if ( !mem )
        sim_fault("sim_memory_init(%zu): host allocation failed", bytes);
    memset(mem, 0, size);
    mem_size = size;
}

paddr_t sim_memory_base(void)
{
    return mem_base;
}

size_t sim_memory_size(void)
{
    return mem_size;
}

void sim_memory_map(struct memmap *map)
{
    map->nr = 0;
    if ( !mem_size )
        return;
    map->e[0].addr = mem_base;
    map->e[0].size = mem_size;
    map->e[0].type = MEMMAP_RAM;
    map->nr = 1;
}

void *arch_mfn_to_virt(mfn_t mfn)
{
    uint64_t first = mem_base >> PAGE_SHIFT;
    uint64_t m = mfn_x(mfn);

    if ( m < first || m - first >= mem_size >> PAGE_SHIFT )
        sim_fault("arch_mfn_to_virt(%#llx): frame outside simulated memory "
                  "(mfns %#llx..%#llx)", (unsigned long long)m,
                  (unsigned long long)first,
                  (unsigned long long)(first + (mem_size >> PAGE_SHIFT)) - 1);
    return mem + ((m - first) << PAGE_SHIFT);
}

mfn_t arch_virt_to_mfn(const void *va)
{
    const unsigned char *p = va;

    if ( !mem || p < mem || p >= mem + mem_size )
        sim_fault("arch_virt_to_mfn(%p): not in simulated memory "
                  "(%p..%p)", va, (void *)mem, (void *)(mem + mem_size));
    return _mfn((mem_base >> PAGE_SHIFT) +
                ((size_t)(p - mem) >> PAGE_SHIFT));
}
