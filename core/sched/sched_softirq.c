/* SPDX-License-Identifier: MIT */
/*
 * What makes the scheduler drive the pCPUs of the running hypervisor:
 * SCHEDULE_SOFTIRQ, as in Xen. It is raised on a CPU
 *   - by the framework's resched hook (a wake-up preempts the CPU, a unit
 *     blocked or was paused while running there, a unit moved), and
 *   - by a per-CPU timer armed at the time sched_schedule() asked to be
 *     called again (the end of the slice the policy gave).
 * The handler runs sched_schedule() for its own CPU and, if the unit
 * changed, the switch hook (core/domain's, which calls arch_vcpu_switch()
 * and updates the guests' runstate areas). The idle loop runs softirqs,
 * so every CPU reaches the handler from there (core/boot/idle.c).
 *
 * schedsim drives sched_schedule() itself on virtual time and does not
 * use this file.
 */
#include <orrery/sched.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>

static struct timer slice_timer[NR_CPUS];
static sched_switch_fn *switch_hook;
static bool started;

void sched_set_switch_hook(sched_switch_fn *fn)
{
    switch_hook = fn;
}

static void schedule_softirq(void)
{
    unsigned int cpu = arch_cpu_id();
    struct sched_unit *prev = sched_curr(cpu), *next;
    s_time_t now = NOW(), again;

    next = sched_schedule(cpu, now, &again);
    if ( next != prev && switch_hook )
        switch_hook(cpu, prev, next);
    if ( again == S_TIME_NEVER )
        stop_timer(&slice_timer[cpu]);
    else
        set_timer(&slice_timer[cpu], again);
}

/* The slice ended: the timer fires on the CPU it belongs to. */
static void slice_end(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

static void resched(unsigned int cpu)
{
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

void sched_softirq_init(void)
{
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        if ( started )
            stop_timer(&slice_timer[cpu]);
        init_timer(&slice_timer[cpu], slice_end, NULL, cpu);
    }
    started = true;
    open_softirq(SCHEDULE_SOFTIRQ, schedule_softirq);
    sched_set_resched_hook(resched);
    /* Requests made before the hook existed (pool 0's CPUs joining) are
     * only flags: act on them, or those CPUs would never be told again. */
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( sched_need_resched(cpu) )
            cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}
