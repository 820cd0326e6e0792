/* SPDX-License-Identifier: MIT */
/* The smp kernel's IDT and local APIC access (apic.h). */
#include "apic.h"
#include "guest.h"

#define MAX_VCPUS 8
#define APIC ((volatile uint32_t *)0xfee00000UL)
#define R(off) APIC[(off) / 4]
#define APIC_ID   0x020
#define APIC_EOI  0x0b0
#define APIC_SVR  0x0f0
#define APIC_ICR  0x300
#define APIC_ICR2 0x310
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10)
#define X2(off) (0x800 + (off) / 16)

/* Which vCPUs are in x2APIC mode (each switches itself). */
static volatile bool x2[MAX_VCPUS];

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

/* As in tests/guests/lapic: nine caller-saved registers keep the stack
 * 16-byte aligned for the call. */
#define STUB(vec)                                                       \
    asm ( ".text\n"                                                     \
          "smp_stub_" #vec ":\n"                                        \
          "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"   \
          "  push %r8; push %r9; push %r10; push %r11\n"                \
          "  mov $" #vec ", %edi\n"                                     \
          "  call smp_interrupt\n"                                      \
          "  pop %r11; pop %r10; pop %r9; pop %r8\n"                    \
          "  pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"        \
          "  iretq\n" )
STUB(0xe0);
STUB(0xd0);
STUB(0xc0);
STUB(0xb0);
STUB(0xa0);
STUB(0x90);
extern char smp_stub_0xe0[], smp_stub_0xd0[], smp_stub_0xc0[],
            smp_stub_0xb0[], smp_stub_0xa0[], smp_stub_0x90[];

static void set_gate(unsigned int vec, void *fn)
{
    uintptr_t a = (uintptr_t)fn;

    idt[vec] = (struct idt_gate){
        .off0 = (uint16_t)a, .sel = 0x08, .type = 0x8e,
        .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
    };
}

void idt_load(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d = {
        sizeof(idt) - 1, (uintptr_t)idt,
    };

    /* Every vCPU writes the same gates: harmless. */
    set_gate(V_PONG, smp_stub_0xe0);
    set_gate(V_RING, smp_stub_0xd0);
    set_gate(V_PING, smp_stub_0xc0);
    set_gate(V_BCAST, smp_stub_0xb0);
    set_gate(V_SELF, smp_stub_0xa0);
    set_gate(V_WAKE, smp_stub_0x90);
    asm volatile ( "lidt %0" :: "m" (d) );
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

void apic_enable(unsigned int self)
{
    (void)self;
    R(APIC_SVR) = 0x1ff;            /* enabled, spurious vector 0xff */
}

unsigned int apic_id(unsigned int self)
{
    return x2[self] ? (unsigned int)rdmsr(X2(APIC_ID)) : R(APIC_ID) >> 24;
}

void apic_x2apic_on(unsigned int self)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
    x2[self] = true;
}

void apic_eoi(unsigned int self)
{
    if ( x2[self] )
        wrmsr(X2(APIC_EOI), 0);
    else
        R(APIC_EOI) = 0;
}

void apic_send(unsigned int self, unsigned int dest, unsigned int vector,
               uint32_t flags)
{
    uint32_t lo = vector | flags;       /* physical destination */
    unsigned long rflags;

    if ( x2[self] )
    {
        wrmsr(X2(APIC_ICR), ((uint64_t)dest << 32) | lo);
        return;
    }
    /* ICR2 then ICR, with no interrupt handler's IPI in between. */
    asm volatile ( "pushf; pop %0; cli" : "=r" (rflags) :: "memory" );
    R(APIC_ICR2) = dest << 24;
    R(APIC_ICR) = lo;
    if ( rflags & (1ul << 9) )
        asm volatile ( "sti" ::: "memory" );
}
