/* SPDX-License-Identifier: MIT */
/*
 * Starting the other CPUs: the device tree lists them by MPIDR
 * (boot/dt_boot.c, boot CPU first); each gets a stack and is started with
 * PSCI CPU_ON at the physical address of head.S's secondary_entry, its
 * CPU index as the context id. It turns its MMU on with the boot tables,
 * switches to the hypervisor's own, and enters the common
 * start_secondary().
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/mm.h>
#include <orrery/smp.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/platform_info.h>

#define CPU_UP_TIMEOUT SECONDS(5)

extern char secondary_entry[];

unsigned int arch_smp_prepare(unsigned int max_cpus)
{
    (void)max_cpus;
    for ( unsigned int cpu = 0; cpu < arm64_plat.nr_cpus; cpu++ )
    {
        arm64_cpus[cpu].id = cpu;
        arm64_cpus[cpu].mpidr = arm64_plat.cpu_mpidr[cpu];
    }
    return arm64_plat.nr_cpus;
}

bool arch_cpu_up(unsigned int cpu)
{
    struct arm64_cpu *c = &arm64_cpus[cpu];
    void *stack = alloc_page_virt(STACK_ORDER, 0);
    paddr_t entry = mfn_to_paddr(arch_virt_to_mfn(secondary_entry)) +
                    ((uintptr_t)secondary_entry & (PAGE_SIZE - 1));
    s_time_t deadline;
    int64_t ret;

    if ( !stack )
    {
        printk(LOG_ERR "SMP: no memory for CPU%u's stack\n", cpu);
        return false;
    }
    c->stack_base = (uintptr_t)stack;
    c->stack_top = (uintptr_t)stack + (PAGE_SIZE << STACK_ORDER);
    /* The new CPU reads its area with its caches on, coherently; the
     * barrier orders these stores before the call that starts it. */
    dsb(ish);

    ret = psci_call(arm64_plat.psci_cpu_on, c->mpidr, entry, cpu);
    if ( ret != 0 )
    {
        printk(LOG_ERR "SMP: PSCI CPU_ON for CPU%u (MPIDR %#llx) failed: "
               "%s\n", cpu, (unsigned long long)c->mpidr, psci_error(ret));
        free_page_virt(stack, STACK_ORDER);
        return false;
    }

    deadline = arch_time_now() + CPU_UP_TIMEOUT;
    while ( !cpu_online(cpu) )
    {
        if ( arch_time_now() > deadline )
            return false;   /* it may still run: keep its stack */
        arch_cpu_relax();
    }
    return true;
}

/* head.S lands here on the new CPU, on its stack, on the boot tables. */
__noreturn void arm64_start_secondary(unsigned int cpu);
__noreturn void arm64_start_secondary(unsigned int cpu)
{
    paging_switch_secondary();
    start_secondary(cpu);
}

void arch_secondary_init(unsigned int cpu)
{
    time_cpu_init();
    gic_cpu_init();
    printk(LOG_DEBUG "CPU%u: MPIDR %#llx online\n", cpu,
           (unsigned long long)this_cpu()->mpidr);
}
