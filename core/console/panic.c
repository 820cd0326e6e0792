/* SPDX-License-Identifier: MIT */
/*
 * panic(): report, stop the other CPUs, halt. It must work whatever state
 * the machine is in: before the console is set up (all console state is
 * static), from inside printk (console_panic_begin() breaks the lock this
 * CPU holds), and on two CPUs at once (the first one wins; the other just
 * halts and is stopped anyway).
 */
#include <orrery/lib.h>
#include <orrery/platform.h>
#include "private.h"

#define PANIC_RULE "****************************************\n"

static int panic_cpu = -1;

void panic_reset(void)
{
    __atomic_store_n(&panic_cpu, -1, __ATOMIC_RELEASE);
}

void panic(const char *fmt, ...)
{
    int me, none = -1;
    char msg[256];
    va_list ap;
    size_t n;

    arch_irq_disable();
    me = arch_cpu_id();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    n = strlen(msg);
    if ( n && msg[n - 1] == '\n' )
        msg[n - 1] = '\0';

    if ( !__atomic_compare_exchange_n(&panic_cpu, &none, me, false,
                                      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) )
    {
        if ( none == me )
        {
            /* Panic while panicking (in arch_dump_state, say): the
             * console may be mid-message, so say it raw and stop. */
            arch_console_write("\n(ORR) nested PANIC: ", 21);
            arch_console_write(msg, strlen(msg));
            arch_console_write("\n", 1);
        }
        arch_halt();
    }

    console_panic_begin();
    console_emit(LOGL_ERR, true, PANIC_RULE);
    console_emit(LOGL_ERR, true, "PANIC on CPU %d: %s\n", me, msg);
    console_emit(LOGL_ERR, true, PANIC_RULE);

    arch_dump_state();
    arch_stop_other_cpus();
    arch_halt();
}
