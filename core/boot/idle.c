/* SPDX-License-Identifier: MIT */
/* The idle loop every CPU ends in. */
#include <orrery/platform.h>
#include <orrery/smp.h>
#include <orrery/softirq.h>

__noreturn void idle_loop(void)
{
    unsigned int cpu = arch_cpu_id();

    for ( ;; )
    {
        arch_irq_disable();
        if ( softirq_pending(cpu) )
        {
            arch_irq_enable();
            do_softirq();
            continue;
        }
        /* The vCPU the scheduler put here, if it has guest code: one
         * trip into the guest, then softirqs again (a reschedule may be
         * what ended it). */
        if ( arch_guest_run() )
            continue;
        /* Returns on the next interrupt, with interrupts disabled again:
         * no wake-up can slip in between the check and the wait. */
        arch_cpu_idle();
    }
}
