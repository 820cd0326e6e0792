/* SPDX-License-Identifier: MIT */
/* Loader memory for the boot-information parsers on the host: see
 * loader_mem.h. */
#include <stdio.h>
#include <stdlib.h>
#include <orrery/lib.h>

#include "boot_x86.h"
#include "loader_mem.h"

paddr_t x86_rsdp_paddr;

static const uint8_t *loader_mem;
static size_t loader_len;

void loader_mem_set(const void *mem, size_t len)
{
    loader_mem = mem;
    loader_len = mem ? len : 0;
}

bool loader_mem_contains(const void *p)
{
    const uint8_t *b = p;

    return loader_len && b >= loader_mem && b < loader_mem + loader_len;
}

uint64_t boot_mapped_bytes(paddr_t pa, uint64_t len)
{
    if ( pa < LOADER_BASE || pa - LOADER_BASE >= loader_len )
        return 0;
    return MIN(len, loader_len - (pa - LOADER_BASE));
}

void *boot_phys_to_virt(paddr_t pa)
{
    if ( !boot_mapped_bytes(pa, 1) )
    {
        fprintf(stderr, "loader_mem: out-of-bounds read: physical address "
                "%#llx is outside the loader memory [%#llx, %#llx)\n",
                (unsigned long long)pa, LOADER_BASE,
                LOADER_BASE + (unsigned long long)loader_len);
        abort();
    }
    return (void *)(loader_mem + (pa - LOADER_BASE));
}

/* As core/boot/memory.c's, plus the check that a parser never reserves
 * a reversed (wrapped) range. */
void boot_reserve(struct boot_info *bi, paddr_t start, paddr_t end,
                  const char *what)
{
    if ( start > end )
    {
        fprintf(stderr, "loader_mem: boot_reserve(%#llx, %#llx, %s): the "
                "range ends before it starts\n", (unsigned long long)start,
                (unsigned long long)end, what);
        abort();
    }
    if ( bi->nr_reserved == BOOT_MAX_RESERVED )
    {
        fprintf(stderr, "loader_mem: more than %u reserved ranges\n",
                BOOT_MAX_RESERVED);
        abort();
    }
    bi->reserved[bi->nr_reserved++] = (struct boot_range){
        .start = ROUNDDOWN(start, PAGE_SIZE),
        .end = ROUNDUP(end, PAGE_SIZE),
        .what = what,
    };
}
