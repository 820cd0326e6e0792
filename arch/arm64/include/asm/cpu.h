/* SPDX-License-Identifier: MIT */
/*
 * The Arm64 per-CPU area. TPIDR_EL2, a register only EL2 can read, holds
 * the running CPU's struct arm64_cpu, so arch_cpu_id() is two loads.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <orrery/platform.h>
#include <asm/arm64.h>
#include <asm/layout.h>

struct __aligned(CPU_AREA_SIZE) arm64_cpu {
    unsigned int id;                /* arch_cpu_id() */
    uint64_t mpidr;                 /* affinity (MPIDR_EL1 bits) */
    uintptr_t stack_top;            /* offset CPU_STACK_TOP, for head.S */
    uintptr_t stack_base;           /* lowest address of the stack */
    uintptr_t gicr;                 /* this CPU's redistributor (VA) */
};

BUILD_BUG_ON(sizeof(struct arm64_cpu) != CPU_AREA_SIZE);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_cpu, stack_top) !=
             CPU_STACK_TOP);

extern struct arm64_cpu arm64_cpus[NR_CPUS];
extern char boot_stack_top[];

static inline struct arm64_cpu *this_cpu(void)
{
    return (struct arm64_cpu *)READ_SYSREG(tpidr_el2);
}

/* MPIDR_EL1's affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0). */
#define MPIDR_AFF_MASK 0xff00ffffffUL

#endif
