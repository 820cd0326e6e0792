/* SPDX-License-Identifier: MIT */
/* Bringing the other CPUs online at boot. */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/param.h>
#include <orrery/smp.h>

#include "boot_private.h"

/* maxcpus=N: bring up at most N CPUs (the boot CPU counts). */
static unsigned int max_cpus = NR_CPUS;
integer_param("maxcpus", max_cpus);

void smp_boot_cpus(void)
{
    unsigned int want;

    smp_mark_online(0);
    if ( max_cpus == 0 )
    {
        printk(LOG_WARNING "maxcpus=0 makes no sense: using 1\n");
        max_cpus = 1;
    }
    smp_nr_present = arch_smp_prepare(MIN(max_cpus, (unsigned int)NR_CPUS));
    want = MIN(smp_nr_present, max_cpus);
    if ( want < smp_nr_present )
        printk("SMP: %u CPUs present, maxcpus=%u: starting %u\n",
               smp_nr_present, max_cpus, want);

    for ( unsigned int cpu = 1; cpu < want; cpu++ )
        if ( !arch_cpu_up(cpu) )
            printk(LOG_ERR "SMP: CPU%u did not come up\n", cpu);
    printk("SMP: %u of %u CPUs online\n", num_online_cpus(), smp_nr_present);
}

