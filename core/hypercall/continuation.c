/* SPDX-License-Identifier: MIT */
/*
 * Continuations: a long hypercall gives the CPU back by asking the guest
 * to re-execute it with arguments that record its progress (Xen's
 * hypercall_create_continuation). Here the handler updates r->args and
 * sets r->restart; the arch leaves the guest's instruction pointer on the
 * hypercall instruction and writes the arguments back to registers.
 */
#include <orrery/hypercall.h>
#include <orrery/platform.h>
#include <orrery/softirq.h>

static unsigned int budget = HYPERCALL_DEFAULT_BUDGET;
static unsigned int left[NR_CPUS];

unsigned int hypercall_set_budget(unsigned int units)
{
    unsigned int old = budget;

    budget = units ? units : HYPERCALL_DEFAULT_BUDGET;
    return old;
}

void hypercall_budget_reset(void)
{
    left[arch_cpu_id()] = budget;
}

bool hypercall_preempt_check(void)
{
    unsigned int cpu = arch_cpu_id();

    if ( softirq_pending(cpu) )
        return true;
    if ( left[cpu] == 0 )
        return true;
    left[cpu]--;
    return false;
}

int64_t hypercall_continue(struct hypercall_regs *r)
{
    r->restart = true;
    return 0;
}
