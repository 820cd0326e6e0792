/* SPDX-License-Identifier: MIT */
/*
 * One-shot software timers on a per-CPU min-heap, driven by the platform's
 * one-shot hardware timer (arch_timer_program) through TIMER_SOFTIRQ.
 * A timer's callback runs on the CPU the timer belongs to, in softirq
 * context; periodic behaviour is a callback that re-arms its own timer.
 */
#ifndef ORRERY_TIMER_H
#define ORRERY_TIMER_H

#include <orrery/platform.h>

struct timer {
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    unsigned int heap_pos;      /* 1-based slot in the CPU's heap; 0: idle */
    bool killed;                /* kill_timer(): set_timer() is ignored */
};

#define NOW() arch_time_now()

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
/* (Re)arm @t to fire at absolute time @expires. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/*
 * Stop @t for good before the memory holding it (or its data) is freed:
 * once this returns, its callback is not running on any other CPU and will
 * not run again, and set_timer() on it is ignored until init_timer().
 * Called from @t's own callback it does not wait (it cannot). The caller
 * must not hold a lock that the callback takes.
 */
void kill_timer(struct timer *t);
bool timer_is_active(const struct timer *t);

/* Boot: set up the heaps and open TIMER_SOFTIRQ. */
void timer_init(void);
/* Debug key 't': every CPU's pending timers. */
void timer_dump(void);

#endif /* ORRERY_TIMER_H */
