/* SPDX-License-Identifier: MIT */
/* Local APIC, IO-APIC, legacy PIC and the ACPI tables that describe them. */
#ifndef X86_APIC_H
#define X86_APIC_H

#include <orrery/types.h>
#include <asm/layout.h>

/* ACPI MADT facts (acpi.c). */
struct x86_topology {
    unsigned int nr_cpus;
    uint32_t apic_id[64];
    paddr_t ioapic_base;
    uint32_t ioapic_gsi_base;
    uint32_t isa_gsi[16];           /* ISA IRQ -> GSI (overrides applied) */
    uint16_t isa_flags[16];         /* MPS INTI flags of the override */
};
extern struct x86_topology x86_topo;

/* Find the RSDP and read the MADT; panics with a reason on garbage. */
void acpi_init(void);

/* Local APIC (lapic.c). */
void lapic_init(void);              /* on each CPU */
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
void lapic_send_nmi_allbutself(void);
void lapic_send_init_sipi(uint32_t apic_id, paddr_t trampoline);
void lapic_timer_oneshot(uint32_t count);
uint32_t lapic_timer_current(void);
bool lapic_is_x2apic(void);

/* IO-APIC (ioapic.c): route an ISA IRQ to @vector on the boot CPU. */
void ioapic_init(void);
void ioapic_route_isa_irq(unsigned int irq, uint8_t vector);

/* The 8259 PICs, remapped out of the exception range and masked. */
void pic_disable(void);

/* Time (time.c): TSC as the clock, the LAPIC timer as the one-shot. */
void x86_time_init_cpu(void);
/* The hypervisor's system time (arch_time_now) at TSC value @tsc, and
 * the TSC-to-ns scale in the form a guest's vcpu_time_info carries. */
s_time_t x86_tsc_to_ns(uint64_t tsc);
void x86_tsc_scale(uint32_t *mul, int8_t *shift);
void udelay(unsigned int us);

#endif
