/* SPDX-License-Identifier: MIT */
/*
 * Simulated CPUs: an index that tests switch, and per-CPU interrupt-enable
 * flags. One host thread runs every simulated CPU, so a spinlock that one
 * simulated CPU holds while another asks for it would spin forever;
 * arch_cpu_relax() therefore counts spins and reports a deadlock.
 */
#include <stdlib.h>
#include "internal.h"

/* A lock contended in a one-thread sim can never be released. */
#define SIM_MAX_SPINS 100000000UL

struct sim_cpu sim_cpus[NR_CPUS];
unsigned int sim_cur_cpu;
static unsigned int nr_cpus = 1;
static unsigned long spins;

unsigned int (*sim_ipi_flush)(void);

void sim_init(unsigned int n, size_t mem_bytes)
{
    unsigned int i;

    if ( n < 1 || n > NR_CPUS )
        sim_fault("sim_init: %u CPUs (must be 1..%u)", n, NR_CPUS);
    nr_cpus = n;
    sim_cur_cpu = 0;
    spins = 0;
    for ( i = 0; i < NR_CPUS; i++ )
        sim_cpus[i] = (struct sim_cpu){ .irqs_on = false };
    sim_time_reset();
    sim_console_reset();
    sim_halt_reset();
    if ( mem_bytes )
        sim_memory_init(mem_bytes);
}

unsigned int sim_nr_cpus(void)
{
    return nr_cpus;
}

void sim_set_cpu(unsigned int cpu)
{
    if ( cpu >= nr_cpus )
        sim_fault("sim_set_cpu(%u): the sim has %u CPUs", cpu, nr_cpus);
    sim_cur_cpu = cpu;
}

void sim_run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
    unsigned int prev = sim_cur_cpu;
    bool was_on = sim_cpus[cpu].irqs_on;

    sim_cur_cpu = cpu;
    sim_cpus[cpu].irqs_on = false;      /* interrupt context */
    fn(arg);
    sim_cpus[cpu].irqs_on = was_on;
    sim_cur_cpu = prev;
}

unsigned int arch_cpu_id(void)
{
    return sim_cur_cpu;
}

void (*sim_relax_hook)(void);

void arch_cpu_relax(void)
{
    if ( sim_relax_hook )
    {
        sim_relax_hook();
        return;
    }
    if ( ++spins > SIM_MAX_SPINS )
        sim_fault("CPU%u spun %lu times: a lock held by another simulated "
                  "CPU (or by this one) can never be released in the sim",
                  sim_cur_cpu, SIM_MAX_SPINS);
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = sim_cpus[sim_cur_cpu].irqs_on;

    sim_cpus[sim_cur_cpu].irqs_on = false;
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    sim_cpus[sim_cur_cpu].irqs_on = flags != 0;
}

void arch_irq_enable(void)
{
    sim_cpus[sim_cur_cpu].irqs_on = true;
}

void arch_irq_disable(void)
{
    sim_cpus[sim_cur_cpu].irqs_on = false;
}

bool arch_irqs_enabled(void)
{
    return sim_cpus[sim_cur_cpu].irqs_on;
}
