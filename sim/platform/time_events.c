/* SPDX-License-Identifier: MIT */
/*
 * Firing timers as virtual time moves. Kept apart from time.c because this
 * is the code that calls core's timer_interrupt(): a test that never moves
 * time does not need to link core/time.
 */
#include "internal.h"

/* A handler that keeps re-arming a deadline in the past would loop. */
#define SIM_MAX_FIRES_PER_INSTANT 100000

static void fire_timer(void *unused)
{
    (void)unused;
    timer_interrupt();
}

/* The CPU with the earliest deadline <= @limit (ties: lowest), or -1. */
static int next_due(s_time_t limit)
{
    unsigned int cpu;
    int best = -1;

    for ( cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        s_time_t d = sim_cpus[cpu].deadline;

        if ( d == 0 || d > limit )
            continue;
        if ( best < 0 || d < sim_cpus[best].deadline )
            best = cpu;
    }
    return best;
}

static void flush_ipis(void)
{
    if ( sim_ipi_flush )
        sim_ipi_flush();
}

/* Fire everything due at or before @target, then set time to @target. */
static void run_until(s_time_t target)
{
    unsigned int same_instant = 0;
    s_time_t last = -1;
    int cpu;

    flush_ipis();
    while ( (cpu = next_due(target)) >= 0 )
    {
        s_time_t d = sim_cpus[cpu].deadline;

        if ( d > sim_time )
            sim_time = d;
        if ( sim_time != last )
        {
            last = sim_time;
            same_instant = 0;
        }
        else if ( ++same_instant > SIM_MAX_FIRES_PER_INSTANT )
            sim_fault("timers fired %u times at %lld ns without time "
                      "moving: a handler re-arms a deadline in the past",
                      same_instant, (long long)sim_time);

        sim_cpus[cpu].deadline = 0;     /* one-shot */
        sim_run_on_cpu(cpu, fire_timer, NULL);
        flush_ipis();
    }
    if ( target > sim_time )
        sim_time = target;
}

void sim_advance(s_time_t ns)
{
    if ( ns < 0 )
        sim_fault("sim_advance(%lld): time cannot go backwards",
                  (long long)ns);
    run_until(sim_time + ns);
}

/*
 * The idle CPU "waits for an interrupt": pending IPIs count as one;
 * otherwise time jumps to the earliest deadline of any CPU. With neither,
 * nothing could ever wake the machine.
 */
void (*sim_idle_hook)(void);

void arch_cpu_idle(void)
{
    unsigned int cpu;
    s_time_t next = 0;

    if ( sim_idle_hook )
    {
        sim_idle_hook();
        return;
    }
    if ( sim_ipi_flush && sim_ipi_flush() )
        return;
    for ( cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        s_time_t d = sim_cpus[cpu].deadline;

        if ( d && (next == 0 || d < next) )
            next = d;
    }
    if ( next == 0 )
        sim_fault("CPU%u idles with no timer programmed on any CPU and no "
                  "IPI pending: the simulated machine is deadlocked",
                  sim_cur_cpu);
    run_until(next > sim_time ? next : sim_time);
    sim_cpus[sim_cur_cpu].irqs_on = false;
}
