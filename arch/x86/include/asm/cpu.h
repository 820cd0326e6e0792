/* SPDX-License-Identifier: MIT */
/*
 * The x86 per-CPU area. %gs points at the running CPU's struct x86_cpu
 * (MSR_GS_BASE), so arch_cpu_id() is one load.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <orrery/platform.h>
#include <asm/x86.h>

/* 64-bit TSS (Intel SDM vol. 3 §8.7, AMD APM vol. 2 §12.2.5). */
struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
} __packed;

/* Interrupt stack table slots used by the IDT (1-based as in the SDM). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3

struct x86_cpu {
    struct x86_cpu *self;           /* %gs:0 */
    unsigned int id;                /* %gs:8, arch_cpu_id() */
    uint32_t apic_id;
    uintptr_t stack_base;           /* lowest address of the main stack */
    uint64_t gdt[7] __aligned(16);  /* null, code64, data, code32, tss(2) */
    struct tss64 tss __aligned(16);
    uint8_t ist_stacks[3][4096] __aligned(16);
    volatile bool stop;             /* an NMI asking this CPU to halt */
};

extern struct x86_cpu x86_cpus[NR_CPUS];

static inline struct x86_cpu *this_cpu(void)
{
    struct x86_cpu *c;

    asm ( "mov %%gs:0, %0" : "=r" (c) );
    return c;
}

/* Per-CPU descriptor tables and %gs, on the CPU being set up. */
void cpu_tables_init(unsigned int cpu, uintptr_t stack_base);

#endif
