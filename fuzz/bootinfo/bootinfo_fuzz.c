/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing the x86 boot-information parsers, mb2_parse() (multiboot2.c)
 * and pvh_parse() (pvh.c), as a buggy or hostile loader would: the first
 * input byte picks the parser (even: multiboot2, odd: PVH), the rest is
 * the loader memory, at physical LOADER_BASE, with the info block at its
 * start. Nothing outside it is mapped (loader_mem.c).
 *
 * Invariants, beyond "no crash":
 *  - no read outside the loader memory (loader_mem.c aborts, ASan);
 *  - no panic, except PVH's for a start info that is missing or has the
 *    wrong magic (nothing can be booted from it);
 *  - boot_info is usable: loader and command line set, NUL-terminated
 *    and short, copies in hypervisor memory rather than pointers into
 *    the loader's; at most BOOT_MAX_MODULES modules, none wrapping, each
 *    with a command line; the memory map within MEMMAP_MAX;
 *  - every reserved range is ordered (loader_mem.c) and the multiboot2
 *    info reservation lies inside the loader memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/console.h>
#include <sim/sim.h>

#include "boot_x86.h"
#include "loader_mem.h"

static struct boot_info bi;

static void fail(const char *what)
{
    fprintf(stderr, "bootinfo fuzz: invariant failed: %s\n", what);
    abort();
}

static void check_string(const char *s, size_t max, const char *what)
{
    if ( !s )
        fail(what);
    if ( loader_mem_contains(s) )
        fail("a boot_info string points into loader memory");
    if ( strnlen(s, max) == max )
        fail("a boot_info string is longer than its buffer");
}

static void check_boot_info(size_t len, bool mb2)
{
    unsigned int i;

    check_string(bi.loader, 128, "no loader name");
    check_string(bi.cmdline, 1024, "no command line");
    if ( bi.nr_modules > BOOT_MAX_MODULES )
        fail("too many modules");
    for ( i = 0; i < bi.nr_modules; i++ )
    {
        check_string(bi.modules[i].cmdline, 256, "module without cmdline");
        if ( bi.modules[i].size > UINT64_MAX - bi.modules[i].start )
            fail("module wraps the address space");
    }
    if ( bi.map.nr > MEMMAP_MAX )
        fail("memory map overflows");
    for ( i = 0; mb2 && i < bi.nr_reserved; i++ )
        if ( !strcmp(bi.reserved[i].what, "multiboot2 info") &&
             (bi.reserved[i].start < ROUNDDOWN(LOADER_BASE, PAGE_SIZE) ||
              bi.reserved[i].end > ROUNDUP(LOADER_BASE + len, PAGE_SIZE)) )
            fail("multiboot2 info reserved outside the loader memory");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    volatile bool mb2;
    uint8_t *mem;
    size_t len;

    if ( size < 1 )
        return 0;
    mb2 = !(data[0] & 1);
    len = size - 1;

    /* Exactly @len bytes on the heap, aligned as a loader's would be:
     * ASan reports the first byte read past the end. */
    mem = malloc(len ? len : 1);
    if ( !mem )
        return 0;
    memcpy(mem, data + 1, len);
    loader_mem_set(mem, len);

    sim_init(1, 0);
    memset(&bi, 0, sizeof(bi));
    bi.cmdline = "";
    x86_rsdp_paddr = 0;

    if ( SIM_CATCH_HALT() == 0 )
    {
        if ( mb2 )
            mb2_parse(LOADER_BASE, &bi);
        else
            pvh_parse(LOADER_BASE, &bi);
        sim_halt_disarm();
        check_boot_info(len, mb2);
    }
    else
    {
        /* Only a PVH start info that cannot be read may stop the boot. */
        if ( mb2 || !strstr(sim_console_text(), "PANIC") ||
             !strstr(sim_console_text(), "PVH: start info") )
        {
            fprintf(stderr, "%s", sim_console_text());
            fail("unexpected panic");
        }
        console_force_unlock();
    }

    loader_mem_set(NULL, 0);
    free(mem);
    return 0;
}
