/* SPDX-License-Identifier: MIT */
/*
 * Where each pCPU sits (thread, core, socket, NUMA node). Schedulers that
 * group CPUs read it: credit2 builds one runqueue per core/socket/node.
 * The platform (or schedsim, from its scenario) fills it in before the
 * CPU joins a pool; a CPU nobody described is its own core on socket 0.
 */
#include <orrery/sched.h>

static struct cpu_topology topo[NR_CPUS];
static bool topo_set[NR_CPUS];

void sched_set_cpu_topology(unsigned int cpu, const struct cpu_topology *t)
{
    if ( cpu >= NR_CPUS )
        return;
    topo[cpu] = *t;
    topo_set[cpu] = true;
}

struct cpu_topology sched_cpu_topology(unsigned int cpu)
{
    if ( cpu < NR_CPUS && topo_set[cpu] )
        return topo[cpu];
    return (struct cpu_topology){ .core = (uint16_t)cpu };
}
