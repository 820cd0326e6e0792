/* SPDX-License-Identifier: MIT */
/*
 * Inter-processor interrupts: queued per target CPU as a pending bit per
 * kind (two IPIs of one kind coalesce, like a pending APIC vector), and
 * delivered by sim_deliver_ipis() or the next movement of time. This file
 * calls core's ipi_interrupt(); it is linked only into programs that send
 * or deliver IPIs.
 */
#include "internal.h"

/* IPIs that keep sending IPIs would never settle. */
#define SIM_MAX_IPI_ROUNDS 100000

static void fire_ipi(void *arg)
{
    ipi_interrupt(*(enum ipi_kind *)arg);
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
    if ( cpu >= sim_nr_cpus() )
        sim_fault("CPU%u sent an IPI to CPU%u: the sim has %u CPUs",
                  sim_cur_cpu, cpu, sim_nr_cpus());
    if ( (unsigned int)kind >= NR_IPI_KINDS )
        sim_fault("CPU%u sent IPI kind %u (max %u)", sim_cur_cpu, kind,
                  NR_IPI_KINDS - 1);
    sim_cpus[cpu].ipi_pending |= 1u << kind;
    sim_ipi_flush = sim_deliver_ipis;
}

unsigned int sim_deliver_ipis(void)
{
    unsigned int rounds, delivered = 0;
    bool any;

    for ( rounds = 0; ; rounds++ )
    {
        unsigned int cpu;
        enum ipi_kind k;

        if ( rounds > SIM_MAX_IPI_ROUNDS )
            sim_fault("IPIs still pending after %u rounds: handlers keep "
                      "sending IPIs", rounds);
        any = false;
        for ( cpu = 0; cpu < sim_nr_cpus(); cpu++ )
        {
            for ( k = 0; k < NR_IPI_KINDS; k++ )
            {
                if ( !(sim_cpus[cpu].ipi_pending & (1u << k)) )
                    continue;
                sim_cpus[cpu].ipi_pending &= ~(1u << k);
                sim_run_on_cpu(cpu, fire_ipi, &k);
                delivered++;
                any = true;
            }
        }
        if ( !any )
            return delivered;
    }
}
