/* SPDX-License-Identifier: MIT */
/* The small pieces of the platform seam (core/include/orrery/platform.h). */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <asm/cpu.h>
#include <asm/x86.h>

#include "apic/apic.h"
#include "console/serial.h"

static const uint8_t ipi_vector[NR_IPI_KINDS] = {
    [IPI_SOFTIRQ] = VEC_IPI_SOFTIRQ,
    [IPI_CALL] = VEC_IPI_CALL,
};

const char *arch_name(void)
{
    return "x86_64";
}

void arch_cpu_relax(void)
{
    asm volatile ( "pause" ::: "memory" );
}

void arch_cpu_idle(void)
{
    /* STI's one-instruction shadow makes STI;HLT atomic: an interrupt
     * that is already pending wakes the HLT instead of being lost. */
    asm volatile ( "sti; hlt; cli" ::: "memory" );
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = read_flags();

    asm volatile ( "cli" ::: "memory" );
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    if ( flags & X86_EFLAGS_IF )
        asm volatile ( "sti" ::: "memory" );
}

void arch_irq_enable(void)
{
    asm volatile ( "sti" ::: "memory" );
}

void arch_irq_disable(void)
{
    asm volatile ( "cli" ::: "memory" );
}

bool arch_irqs_enabled(void)
{
    return read_flags() & X86_EFLAGS_IF;
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
    if ( kind == IPI_STOP )
    {
        x86_cpus[cpu].stop = true;
        lapic_send_nmi(x86_cpus[cpu].apic_id);
        return;
    }
    lapic_send_ipi(x86_cpus[cpu].apic_id, ipi_vector[kind]);
}

void arch_stop_other_cpus(void)
{
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( cpu != arch_cpu_id() )
            x86_cpus[cpu].stop = true;
    lapic_send_nmi_allbutself();
}

__noreturn void arch_halt(void)
{
    serial_flush();
    for ( ;; )
        asm volatile ( "cli; hlt" ::: "memory" );
}

__noreturn void arch_reboot(void)
{
    struct { uint16_t limit; uint64_t base; } __packed no_idt = { 0, 0 };

    serial_flush();
    /* The keyboard controller's reset line (pulse output port bit 0). */
    for ( int i = 0; i < 100 && (inb(0x64) & 0x02); i++ )
        udelay(50);
    outb(0x64, 0xfe);
    udelay(50000);
    /* Failing that, a triple fault resets every x86 machine. */
    asm volatile ( "lidt %0; int3" :: "m" (no_idt) );
    arch_halt();
}

void arch_irq_init(void)
{
    acpi_init();
    pic_disable();
    lapic_init();
    ioapic_init();
    printk("APIC: %s mode, boot CPU APIC ID %u\n",
           lapic_is_x2apic() ? "x2APIC" : "xAPIC", lapic_id());
}

