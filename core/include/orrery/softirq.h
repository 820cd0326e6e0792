/* SPDX-License-Identifier: MIT */
/*
 * Softirqs: work that interrupt handlers defer to a safe point (the idle
 * loop today; the return-to-guest path later), as Xen does. Each CPU has
 * a pending mask; raising one on another CPU sends it an IPI.
 */
#ifndef ORRERY_SOFTIRQ_H
#define ORRERY_SOFTIRQ_H

#include <orrery/types.h>

enum softirq {
    TIMER_SOFTIRQ,          /* run expired timers, reprogram the deadline */
    KEYPRESS_SOFTIRQ,       /* run debug-key handlers for queued keys */
    SCHEDULE_SOFTIRQ,       /* pick this CPU's next vCPU (core/sched) */
    NR_SOFTIRQS,
};

void open_softirq(enum softirq nr, void (*handler)(void));
void raise_softirq(enum softirq nr);
void cpu_raise_softirq(unsigned int cpu, enum softirq nr);
bool softirq_pending(unsigned int cpu);

/* Run this CPU's pending softirqs; interrupts enabled or not on entry,
 * restored on exit. Handlers run with interrupts enabled. */
void do_softirq(void);

#endif /* ORRERY_SOFTIRQ_H */
