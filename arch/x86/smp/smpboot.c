/* SPDX-License-Identifier: MIT */
/*
 * Starting the application processors: the MADT lists them, the BSP
 * copies the real-mode trampoline below 1 MiB, gives each AP a stack and
 * sends INIT-SIPI-SIPI; the AP comes through head.S to
 * x86_start_secondary() and from there into the common start_secondary().
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/smp.h>
#include <asm/cpu.h>
#include <asm/layout.h>

#include "../apic/apic.h"
#include "../mm/paging.h"

extern char trampoline_start[], trampoline_end[], trampoline_gdtr_base[];
extern uint64_t ap_boot_stack, ap_boot_cpu;

/* Generous, as Linux's 10 s is: under emulation on a loaded host a vCPU
 * thread can wait a long time for the host to run it. */
#define AP_BOOT_TIMEOUT SECONDS(5)

unsigned int arch_smp_prepare(unsigned int max_cpus)
{
    uint8_t *tramp = arch_mfn_to_virt(paddr_to_mfn(x86_trampoline_paddr));
    uint32_t bsp = lapic_id();
    unsigned int n = 1;
    uint32_t *gdtr_base;

    (void)max_cpus;
    memcpy(tramp, trampoline_start, trampoline_end - trampoline_start);
    gdtr_base = (uint32_t *)(tramp + (trampoline_gdtr_base -
                                      trampoline_start));
    *gdtr_base += (uint32_t)x86_trampoline_paddr;

    /* CPU 0 is the boot CPU; the others in MADT order. */
    x86_cpus[0].apic_id = bsp;
    for ( unsigned int i = 0; i < x86_topo.nr_cpus && n < NR_CPUS; i++ )
        if ( x86_topo.apic_id[i] != bsp )
            x86_cpus[n++].apic_id = x86_topo.apic_id[i];
    return n;
}

bool arch_cpu_up(unsigned int cpu)
{
    void *stack = alloc_page_virt(STACK_ORDER, 0);
    s_time_t deadline;

    if ( !stack )
    {
        printk(LOG_ERR "SMP: no memory for CPU%u's stack\n", cpu);
        return false;
    }
    x86_cpus[cpu].stack_base = (uintptr_t)stack;
    __atomic_store_n(&ap_boot_stack,
                     (uint64_t)(uintptr_t)stack + (PAGE_SIZE << STACK_ORDER),
                     __ATOMIC_RELEASE);
    __atomic_store_n(&ap_boot_cpu, cpu, __ATOMIC_RELEASE);

    lapic_send_init_sipi(x86_cpus[cpu].apic_id, x86_trampoline_paddr);

    deadline = arch_time_now() + AP_BOOT_TIMEOUT;
    while ( !cpu_online(cpu) )
    {
        if ( arch_time_now() > deadline )
        {
            free_page_virt(stack, STACK_ORDER);
            return false;
        }
        arch_cpu_relax();
    }
    return true;
}

/* head.S lands here on the new CPU, on its stack, on the boot tables. */
__noreturn void x86_start_secondary(unsigned int cpu);
__noreturn void x86_start_secondary(unsigned int cpu)
{
    write_cr3(x86_root_table());
    cpu_tables_init(cpu, x86_cpus[cpu].stack_base);
    start_secondary(cpu);
}

void arch_secondary_init(unsigned int cpu)
{
    lapic_init();
    printk(LOG_DEBUG "CPU%u: APIC ID %u online\n", cpu, lapic_id());
}
