/* SPDX-License-Identifier: MIT */
/* Virtual time: a counter that only sim_advance()/arch_cpu_idle() move. */
#include "internal.h"

s_time_t sim_time;

void sim_time_reset(void)
{
    sim_time = 0;
}

s_time_t sim_now(void)
{
    return sim_time;
}

s_time_t arch_time_now(void)
{
    return sim_time;
}

/* Only records the deadline; time_events.c fires it. */
void arch_timer_program(s_time_t deadline)
{
    if ( deadline < 0 )
        sim_fault("CPU%u programmed a negative deadline %lld",
                  sim_cur_cpu, (long long)deadline);
    sim_cpus[sim_cur_cpu].deadline = deadline;
}

s_time_t sim_timer_deadline(unsigned int cpu)
{
    if ( cpu >= sim_nr_cpus() )
        sim_fault("sim_timer_deadline(%u): the sim has %u CPUs", cpu,
                  sim_nr_cpus());
    return sim_cpus[cpu].deadline;
}
