/* SPDX-License-Identifier: MIT */
#include <orrery/console.h>
#include <orrery/platform.h>
#include <orrery/softirq.h>

static void (*handlers[NR_SOFTIRQS])(void);
static unsigned long pending[NR_CPUS];

void open_softirq(enum softirq nr, void (*handler)(void))
{
    BUG_ON(nr >= NR_SOFTIRQS);
    handlers[nr] = handler;
}

void cpu_raise_softirq(unsigned int cpu, enum softirq nr)
{
    unsigned long was = __atomic_fetch_or(&pending[cpu], 1UL << nr,
                                          __ATOMIC_SEQ_CST);

    /* A remote CPU may be asleep in arch_cpu_idle(): wake it. */
    if ( cpu != arch_cpu_id() && !(was & (1UL << nr)) )
        arch_send_ipi(cpu, IPI_SOFTIRQ);
}

void raise_softirq(enum softirq nr)
{
    __atomic_fetch_or(&pending[arch_cpu_id()], 1UL << nr, __ATOMIC_SEQ_CST);
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&pending[cpu], __ATOMIC_SEQ_CST) != 0;
}

void do_softirq(void)
{
    unsigned int cpu = arch_cpu_id();
    unsigned long flags = arch_irq_save();
    unsigned long todo;

    while ( (todo = __atomic_exchange_n(&pending[cpu], 0,
                                        __ATOMIC_SEQ_CST)) != 0 )
    {
        arch_irq_enable();
        for ( unsigned int nr = 0; nr < NR_SOFTIRQS; nr++ )
            if ( (todo & (1UL << nr)) && handlers[nr] )
                handlers[nr]();
        arch_irq_disable();
    }
    arch_irq_restore(flags);
}
