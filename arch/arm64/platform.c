/* SPDX-License-Identifier: MIT */
/* The small pieces of the platform seam (core/include/orrery/platform.h). */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/errno.h>
#include <asm/cpu.h>
#include <asm/platform_info.h>

unsigned int arch_cpu_id(void)
{
    return this_cpu()->id;
}

void arch_cpu_relax(void)
{
    asm volatile ( "yield" ::: "memory" );
}

/*
 * WFI wakes on a pending interrupt even while PSTATE.I masks it (Arm ARM
 * D1, "Wait for Interrupt"), so: wait masked, unmask to take it, mask
 * again. No wake-up can be lost between the caller's check and the wait.
 */
void arch_cpu_idle(void)
{
    asm volatile ( "dsb sy; wfi; msr daifclr, #2; isb; msr daifset, #2"
                   ::: "memory" );
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = READ_SYSREG(daif);

    asm volatile ( "msr daifset, #2" ::: "memory" );
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    WRITE_SYSREG(daif, flags);
}

void arch_irq_enable(void)
{
    asm volatile ( "msr daifclr, #2" ::: "memory" );
}

void arch_irq_disable(void)
{
    asm volatile ( "msr daifset, #2" ::: "memory" );
}

bool arch_irqs_enabled(void)
{
    return !(READ_SYSREG(daif) & DAIF_I);
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
    gic_send_sgi(arm64_cpus[cpu].mpidr, SGI_BASE + kind);
}

/* The SGI "all but self" form (IRM). A CPU spinning with interrupts
 * masked only stops once it unmasks them: Arm has no NMI without
 * pseudo-NMI priority tricks. */
void arch_stop_other_cpus(void)
{
    gic_send_sgi_others(SGI_BASE + IPI_STOP);
}

__noreturn void arch_halt(void)
{
    pl011_flush();
    for ( ;; )
        asm volatile ( "msr daifset, #0xf; wfi" ::: "memory" );
}

__noreturn void arch_reboot(void)
{
    int64_t ret;

    pl011_flush();
    ret = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    printk(LOG_ERR "PSCI SYSTEM_RESET failed: %s\n", psci_error(ret));
    arch_halt();
}

/* No guest contexts yet: the EL1 register save/restore comes with the
 * Arm guest issue. */
void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
    (void)prev;
    (void)next;
}

bool arch_guest_run(void)
{
    return false;
}

/* VCPUOP_initialise takes Arm's vcpu_guest_context there: not yet. */
int arch_vcpu_initialise(struct vcpu *v, const struct hvm_vcpu_state *s)
{
    (void)v;
    (void)s;
    return -EOPNOTSUPP;
}

/* No guest stage-1 walk on Arm64 yet: handles are taken as IPAs. */
int arch_guest_linear_to_phys(struct vcpu *v, uint64_t la, bool write,
                              uint64_t *gpa)
{
    (void)v;
    (void)write;
    *gpa = la;
    return 0;
}
