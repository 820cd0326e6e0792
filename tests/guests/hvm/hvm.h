/* SPDX-License-Identifier: MIT */
/* The hvm test kernel's shared pieces (main.c): ports, the xAPIC page,
 * the interrupt counters and the timing helpers. */
#ifndef HVM_GUEST_H
#define HVM_GUEST_H

#include <orrery/lib.h>

#include "guest.h"

#define APIC ((volatile uint32_t *)0xfee00000UL)
#define APIC_R(off) APIC[(off) / 4]
#define APIC_EOI  0x0b0
#define APIC_SVR  0x0f0
#define APIC_LVT0 0x350

#define IOAPIC_SEL ((volatile uint32_t *)0xfec00000UL)
#define IOAPIC_WIN ((volatile uint32_t *)0xfec00010UL)

/* Vectors: the PICs at 0x20/0x28, the IOAPIC pins at 0x40 + pin. */
#define V_PIC_MASTER 0x20
#define V_PIC_SLAVE  0x28
#define V_IOAPIC     0x40

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile ( "outb %0, %1" :: "a" (v), "Nd" (port) : "memory" );
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile ( "inb %1, %0" : "=a" (v) : "Nd" (port) : "memory" );
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    asm volatile ( "inw %1, %0" : "=a" (v) : "Nd" (port) : "memory" );
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    asm volatile ( "inl %1, %0" : "=a" (v) : "Nd" (port) : "memory" );
    return v;
}

/* REP INSB: @n bytes from @port into @buf (string I/O, emulated). */
static inline void insb(uint16_t port, uint8_t *buf, unsigned long n)
{
    asm volatile ( "cld; rep insb" : "+D" (buf), "+c" (n) : "d" (port)
                   : "memory" );
}

/* Interrupts taken, by vector; the handler (main.c) counts, calls the
 * test's hook, and EOIs the PIC or the vLAPIC, whichever delivered it. */
extern volatile unsigned int hits[256];
extern void (*volatile irq_hook)(unsigned int vector);

void spin(uint64_t ns);
/* Interrupts on for @ns of pvclock time; how many @vec came in it. */
unsigned int count_for(unsigned int vec, uint64_t ns);
/* Interrupts on until RATE_WANT of @vec came (or two seconds passed):
 * check that they all came and no faster than one per @period_ns. */
#define RATE_WANT 20
void check_rate(const char *what, unsigned int vec, uint64_t period_ns);

uint32_t ioapic_read(unsigned int reg);
void ioapic_write(unsigned int reg, uint32_t val);
void pic_init(void);

void test_pic_pit(void);
void test_ioapic(void);
void test_rtc(void);
void test_callback(void);

#endif /* HVM_GUEST_H */
