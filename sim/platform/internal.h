/* SPDX-License-Identifier: MIT */
/* State shared between the sim platform's files. */
#ifndef SIM_PLATFORM_INTERNAL_H
#define SIM_PLATFORM_INTERNAL_H

#include <sim/sim.h>

struct sim_cpu {
    bool irqs_on;
    s_time_t deadline;          /* 0: no timer programmed */
    unsigned int ipi_pending;   /* bit per enum ipi_kind */
};

extern struct sim_cpu sim_cpus[NR_CPUS];
extern unsigned int sim_cur_cpu;
extern s_time_t sim_time;

/*
 * Set by ipi.c when an IPI is queued, so that time_events.c can deliver
 * IPIs without referring to ipi.c (which needs ipi_interrupt()).
 */
extern unsigned int (*sim_ipi_flush)(void);

/* Run @fn on @cpu as an interrupt: switch there with interrupts masked,
 * then restore the CPU and its interrupt state. */
void sim_run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);

/*
 * Machine mode (machine.c): every simulated CPU is a coroutine, so
 * arch_cpu_idle() and arch_cpu_relax() hand the host thread to the next
 * CPU instead of running a unit test's events. NULL outside machine mode,
 * so that unit tests never link machine.c.
 */
extern void (*sim_idle_hook)(void);
extern void (*sim_relax_hook)(void);

/* Per-file resets for sim_init(). */
void sim_time_reset(void);
void sim_console_reset(void);
void sim_halt_reset(void);

#endif /* SIM_PLATFORM_INTERNAL_H */
