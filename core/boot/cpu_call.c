/* SPDX-License-Identifier: MIT */
/* Which CPUs are online, and running a function on another CPU. */
#include <orrery/console.h>
#include <orrery/smp.h>
#include <orrery/spinlock.h>

#include "boot_private.h"

static uint64_t online_mask;
unsigned int smp_nr_present = 1;

BUILD_BUG_ON(NR_CPUS > 64);   /* online_mask is one word */

bool cpu_online(unsigned int cpu)
{
    return cpu < NR_CPUS &&
           (__atomic_load_n(&online_mask, __ATOMIC_ACQUIRE) >> cpu) & 1;
}

unsigned int num_online_cpus(void)
{
    return __builtin_popcountll(__atomic_load_n(&online_mask,
                                                __ATOMIC_ACQUIRE));
}

unsigned int num_present_cpus(void)
{
    return smp_nr_present;
}

void smp_mark_online(unsigned int cpu)
{
    __atomic_fetch_or(&online_mask, 1ULL << cpu, __ATOMIC_RELEASE);
}

/* One cross-CPU call at a time: a teaching kernel needs no more. */
static DEFINE_SPINLOCK(call_lock);
static struct {
    void (*fn)(void *);
    void *data;
    unsigned int cpu;
    bool done;
} call;

void smp_call_function_single(unsigned int cpu, void (*fn)(void *),
                              void *data)
{
    if ( cpu == arch_cpu_id() )
    {
        fn(data);
        return;
    }
    BUG_ON(!arch_irqs_enabled());
    if ( !cpu_online(cpu) )
        return;

    spin_lock(&call_lock);
    call.fn = fn;
    call.data = data;
    call.cpu = cpu;
    __atomic_store_n(&call.done, false, __ATOMIC_RELEASE);
    arch_send_ipi(cpu, IPI_CALL);
    while ( !__atomic_load_n(&call.done, __ATOMIC_ACQUIRE) )
        arch_cpu_relax();
    spin_unlock(&call_lock);
}

/* Upcall from the platform's IPI handler (interrupt context). */
void ipi_interrupt(enum ipi_kind kind)
{
    switch ( kind )
    {
    case IPI_SOFTIRQ:
        /* The pending bit is already set; the idle loop will see it. */
        break;
    case IPI_CALL:
        if ( call.cpu == arch_cpu_id() &&
             !__atomic_load_n(&call.done, __ATOMIC_ACQUIRE) )
        {
            call.fn(call.data);
            __atomic_store_n(&call.done, true, __ATOMIC_RELEASE);
        }
        break;
    case IPI_STOP:
        arch_halt();
    default:
        printk(LOG_WARNING "CPU%u: unknown IPI %d\n", arch_cpu_id(), kind);
    }
}

