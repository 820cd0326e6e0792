/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <orrery/console.h>
#include <sim/sim.h>
#include "block.h"

struct boot_info bi;
static uint8_t blk[16384];
static size_t blen;
static char ring_buf[8192];
/* The mapped copy; freed at the next reset, as a caught panic never
 * returns to run(). */
static uint8_t *mapped;

void block_reset(void)
{
    loader_mem_set(NULL, 0);
    free(mapped);
    mapped = NULL;
    blen = 0;
    memset(blk, 0, sizeof(blk));
    memset(&bi, 0, sizeof(bi));
    bi.cmdline = "";
    x86_rsdp_paddr = 0;
    console_ring_clear();
    sim_console_clear();
}

size_t block_len(void)
{
    return blen;
}

size_t put_bytes(const void *p, size_t n)
{
    size_t at = blen;

    memcpy(blk + blen, p, n);
    blen += n;
    return at;
}

size_t put32(uint32_t v)
{
    return put_bytes(&v, sizeof(v));
}

size_t put64(uint64_t v)
{
    return put_bytes(&v, sizeof(v));
}

void pad8(void)
{
    while ( blen % 8 )
        blk[blen++] = 0;
}

void set32(size_t off, uint32_t v)
{
    memcpy(blk + off, &v, sizeof(v));
}

void block_patch(size_t off, const void *p, size_t n)
{
    memcpy(blk + off, p, n);
}

static void run(size_t len, bool mb2)
{
    size_t n = MIN(len, blen);

    free(mapped);
    mapped = malloc(n ? n : 1);
    memcpy(mapped, blk, n);
    loader_mem_set(mapped, n);
    if ( mb2 )
        mb2_parse(LOADER_BASE, &bi);
    else
        pvh_parse(LOADER_BASE, &bi);
}

void run_mb2(size_t len)
{
    run(len, true);
}

void run_pvh(size_t len)
{
    run(len, false);
}

const char *ring(void)
{
    console_ring_read(ring_buf, sizeof(ring_buf));
    return ring_buf;
}

void bootinfo_setup(void);
void bootinfo_setup(void)
{
    sim_init(1, 0);
    block_reset();
}

void bootinfo_teardown(void);
void bootinfo_teardown(void)
{
    sim_halt_disarm();
    block_reset();
}
