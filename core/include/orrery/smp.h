/* SPDX-License-Identifier: MIT */
/* Which CPUs are online, bringing them up, and running code on them. */
#ifndef ORRERY_SMP_H
#define ORRERY_SMP_H

#include <orrery/platform.h>

bool cpu_online(unsigned int cpu);
unsigned int num_online_cpus(void);
/* CPUs the platform reported at boot (online or not). */
unsigned int num_present_cpus(void);

#define for_each_online_cpu(cpu) \
    for ( (cpu) = 0; (cpu) < NR_CPUS; (cpu)++ ) if ( cpu_online(cpu) )

/* A CPU announces itself online (start_secondary(), and tests). */
void smp_mark_online(unsigned int cpu);

/* Boot: start every present CPU, up to maxcpus=. */
void smp_boot_cpus(void);

/* Run @fn(@data) on online CPU @cpu in interrupt context and wait for it
 * to finish; runs directly when @cpu is the caller. Callers must have
 * interrupts enabled (the target may be calling us at the same time). */
void smp_call_function_single(unsigned int cpu, void (*fn)(void *),
                              void *data);

/* The per-CPU idle loop: run softirqs, otherwise wait for interrupts. */
__noreturn void idle_loop(void);

#endif /* ORRERY_SMP_H */
