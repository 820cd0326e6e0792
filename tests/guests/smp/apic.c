/* SPDX-License-Identifier: MIT */
/* The smp kernel's IDT and local APIC access (apic.h). */
#include "apic.h"
#include "guest.h"
#include "idt.h"
#include "lapic.h"

#define MAX_VCPUS 8

/* Which vCPUs are in x2APIC mode (each switches itself). */
static volatile bool x2[MAX_VCPUS];

IDT_IRQ_STUB(smp_stub_0xe0, 0xe0, smp_interrupt);
IDT_IRQ_STUB(smp_stub_0xd0, 0xd0, smp_interrupt);
IDT_IRQ_STUB(smp_stub_0xc0, 0xc0, smp_interrupt);
IDT_IRQ_STUB(smp_stub_0xb0, 0xb0, smp_interrupt);
IDT_IRQ_STUB(smp_stub_0xa0, 0xa0, smp_interrupt);
IDT_IRQ_STUB(smp_stub_0x90, 0x90, smp_interrupt);
extern char smp_stub_0xe0[], smp_stub_0xd0[], smp_stub_0xc0[],
            smp_stub_0xb0[], smp_stub_0xa0[], smp_stub_0x90[];

void smp_idt_load(void)
{
    /* Every vCPU writes the same gates: harmless. */
    idt_set_gate(V_PONG, smp_stub_0xe0);
    idt_set_gate(V_RING, smp_stub_0xd0);
    idt_set_gate(V_PING, smp_stub_0xc0);
    idt_set_gate(V_BCAST, smp_stub_0xb0);
    idt_set_gate(V_SELF, smp_stub_0xa0);
    idt_set_gate(V_WAKE, smp_stub_0x90);
    idt_load();
}

void apic_enable(unsigned int self)
{
    (void)self;
    APIC_REG(APIC_SVR) = 0x1ff;            /* enabled, spurious vector 0xff */
}

unsigned int apic_id(unsigned int self)
{
    return x2[self] ? (unsigned int)rdmsr(MSR_X2APIC(APIC_ID))
                    : APIC_REG(APIC_ID) >> 24;
}

void apic_x2apic_on(unsigned int self)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
    x2[self] = true;
}

void apic_eoi(unsigned int self)
{
    if ( x2[self] )
        wrmsr(MSR_X2APIC(APIC_EOI), 0);
    else
        APIC_REG(APIC_EOI) = 0;
}

void apic_send(unsigned int self, unsigned int dest, unsigned int vector,
               uint32_t flags)
{
    uint32_t lo = vector | flags;       /* physical destination */
    unsigned long rflags;

    if ( x2[self] )
    {
        wrmsr(MSR_X2APIC(APIC_ICR), ((uint64_t)dest << 32) | lo);
        return;
    }
    /* ICR2 then ICR, with no interrupt handler's IPI in between. */
    asm volatile ( "pushf; pop %0; cli" : "=r" (rflags) :: "memory" );
    APIC_REG(APIC_ICR2) = dest << 24;
    APIC_REG(APIC_ICR) = lo;
    if ( rflags & (1ul << 9) )
        asm volatile ( "sti" ::: "memory" );
}
