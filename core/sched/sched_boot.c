/* SPDX-License-Identifier: MIT */
/*
 * The scheduler at boot: pool 0 over every online CPU, running the
 * scheduler sched= names, and debug key 'r' (run queues), as in Xen.
 * Nothing is scheduled until domains give it vCPUs.
 */
#include <orrery/console.h>
#include <orrery/keyhandler.h>
#include <orrery/sched.h>
#include <orrery/smp.h>

static void key_runqueues(unsigned char key)
{
    (void)key;
    sched_dump();
}

void sched_subsys_init(void)
{
    cpumask_t cpus = CPUMASK_NONE;
    unsigned int cpu;
    int rc;

    for_each_online_cpu(cpu)
        cpus.bits |= cpumask_of(cpu).bits;
    rc = sched_init(NULL, cpus);
    if ( rc )
        panic("sched: cannot create pool 0 with %s on %u CPUs: %d",
              sched_default_name(), num_online_cpus(), rc);
    sched_softirq_init();       /* from now on the pCPUs are scheduled */
    register_keyhandler('r', key_runqueues, "dump run queues");
    printk("Sched: pool 0 runs %s on %u CPUs\n", sched_default_name(),
           num_online_cpus());
}
