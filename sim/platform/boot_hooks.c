/* SPDX-License-Identifier: MIT */
/*
 * The boot hooks of core/include/orrery/boot.h for the sim platform, so
 * that start_orrery() runs unchanged in a host process (sim/hvsim). Most
 * have nothing to do here, and say why: the host process already has its
 * exception handling, its memory is directly addressable, and virtual time
 * needs no calibration.
 */
#include <orrery/boot.h>
#include <orrery/boot_domains.h>
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/smp.h>

#include "internal.h"

const char *arch_name(void)
{
    return "sim";
}

/* A fault in core is a host signal, reported by ASan/UBSan with a stack
 * trace: better than any handler the sim could install. */
void arch_traps_init(void)
{
}

/* Simulated machine memory is host memory: arch_mfn_to_virt() is an offset
 * into it, so there are no page tables to build. Check that the map core
 * sanitised still describes that memory. */
void arch_paging_init(const struct memmap *map)
{
    paddr_t lo = sim_memory_base(), hi = lo + sim_memory_size();

    for ( unsigned int i = 0; i < map->nr; i++ )
        if ( map->e[i].type == MEMMAP_RAM &&
             (map->e[i].addr < lo || map->e[i].addr + map->e[i].size > hi) )
            sim_fault("memory map RAM %#llx+%#llx lies outside the "
                      "simulated memory %#llx-%#llx",
                      (unsigned long long)map->e[i].addr,
                      (unsigned long long)map->e[i].size,
                      (unsigned long long)lo, (unsigned long long)hi);
}

/* Interrupts are upcalls the sim makes; there is no controller to set up. */
void arch_irq_init(void)
{
}

void arch_time_init(void)
{
    printk("Time: virtual, 1 ns resolution (sim platform)\n");
}

/* Console input arrives through sim_machine_input(). */
void arch_console_init_irq(void)
{
}

unsigned int arch_smp_prepare(unsigned int max_cpus)
{
    (void)max_cpus;
    return sim_nr_cpus();
}

/* Start the CPU's coroutine at start_secondary() and wait, yielding, until
 * it reports itself online. */
bool arch_cpu_up(unsigned int cpu)
{
    sim_machine_start_cpu(cpu, start_secondary);
    while ( !cpu_online(cpu) )
        arch_cpu_relax();
    return true;
}

void arch_secondary_init(unsigned int cpu)
{
    printk(LOG_DEBUG "CPU%u: simulated CPU online\n", cpu);
}

void arch_virt_init(void)
{
    /* Simulated guests need no processor extensions. */
}

int arch_build_domain(const struct boot_domain_spec *spec, const void *image,
                      size_t size, domid_t *domid, const char **why)
{
    (void)spec;
    (void)image;
    (void)size;
    (void)domid;
    *why = "the sim platform runs no guest code (schedsim and hvsim's "
           "testdoms= model guests)";
    return -EOPNOTSUPP;
}
