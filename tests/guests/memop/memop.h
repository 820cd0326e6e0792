/* SPDX-License-Identifier: MIT */
/* memop: what the files share. The domain has 32 MiB: gfns 0-0x1fff are
 * RAM (the kernel at 1 MiB uses little of it); gfns from 0x10000 up are
 * holes, which the guest's 4 GiB identity map reaches: there a read
 * gives all ones and a write is dropped (unclaimed MMIO, as Xen treats a
 * p2m hole in an HVM guest). */
#ifndef MEMOP_H
#define MEMOP_H

#include <orrery/errno.h>
#include <public/memory.h>
#include <public/xen.h>

#include "guest.h"

#define BAD_PTR   0x7fff00000000ULL     /* past the guest's 4 GiB map */
#define NO_DOMAIN 999
#define RAM_PAGES 0x2000ULL             /* mem=32M */
#define ALL_ONES  0xffffffffffffffffULL

static inline long memory_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline volatile uint64_t *page(uint64_t gfn)
{
    return (volatile uint64_t *)(uintptr_t)(gfn << 12);
}

/* A page of words that name their gfn and a seed. */
static inline void fill(uint64_t gfn, uint64_t seed)
{
    for ( unsigned int i = 0; i < 512; i += 64 )
        page(gfn)[i] = (gfn << 20) ^ seed ^ i;
}

static inline bool filled(uint64_t at, uint64_t gfn, uint64_t seed)
{
    for ( unsigned int i = 0; i < 512; i += 64 )
        if ( page(at)[i] != ((gfn << 20) ^ seed ^ i) )
            return false;
    return true;
}

/* Nothing behind @gfn: reads all ones, and a write does not stick. */
static inline bool is_hole(uint64_t gfn)
{
    page(gfn)[1] = 0;
    return page(gfn)[0] == ALL_ONES && page(gfn)[1] == ALL_ONES &&
           page(gfn)[511] == ALL_ONES;
}

static inline bool is_zero(uint64_t gfn)
{
    for ( unsigned int i = 0; i < 512; i++ )
        if ( page(gfn)[i] )
            return false;
    return true;
}

long reservation(unsigned int cmd, domid_t domid);    /* current/maximum */
long move(unsigned int space, uint64_t idx, uint64_t gpfn, uint16_t size);

/* physmap.c, reservation.c */
void test_gmfn(void);
void test_remove(void);
void test_reservation(void);

#endif /* MEMOP_H */
