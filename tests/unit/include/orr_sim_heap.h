/* SPDX-License-Identifier: MIT */
/*
 * For tests of subsystems that allocate (timers, debug keys, ...): give
 * the sim platform machine memory and bring up the boot allocator and the
 * buddy on it, once per test program, as start_orrery() does at boot.
 */
#ifndef ORR_SIM_HEAP_H
#define ORR_SIM_HEAP_H

#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <sim/sim.h>

static inline void orr_sim_heap_init_once(size_t bytes)
{
    static bool done;
    struct memmap map = { 0 };

    if ( done )
        return;
    sim_memory_init(bytes);
    sim_memory_map(&map);
    bootmem_init(&map, NULL, 0);
    page_alloc_init();
    done = true;
}

#endif
