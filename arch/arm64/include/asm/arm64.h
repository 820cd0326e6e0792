/* SPDX-License-Identifier: MIT */
/* System register access, barriers and the saved-register frame. */
#ifndef ASM_ARM64_H
#define ASM_ARM64_H

#include <orrery/types.h>

#define READ_SYSREG(name) ({                                    \
    uint64_t v_;                                                \
    asm volatile ( "mrs %0, " #name : "=r" (v_) :: "memory" );  \
    v_;                                                         \
})
#define WRITE_SYSREG(name, v) \
    asm volatile ( "msr " #name ", %0" :: "r" ((uint64_t)(v)) : "memory" )

#define isb()       asm volatile ( "isb" ::: "memory" )
#define dsb(scope)  asm volatile ( "dsb " #scope ::: "memory" )
#define dmb(scope)  asm volatile ( "dmb " #scope ::: "memory" )

/* PSTATE.DAIF bits as MRS DAIF returns them (Arm ARM C5.2). */
#define DAIF_I (1UL << 7)

/* MMIO: device memory accessed with single, naturally aligned loads and
 * stores the compiler cannot merge or split. */
static inline uint32_t mmio_read32(uintptr_t a)
{
    uint32_t v;

    asm volatile ( "ldr %w0, [%1]" : "=r" (v) : "r" (a) : "memory" );
    return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
    asm volatile ( "str %w0, [%1]" :: "rZ" (v), "r" (a) : "memory" );
}

static inline uint64_t mmio_read64(uintptr_t a)
{
    uint64_t v;

    asm volatile ( "ldr %0, [%1]" : "=r" (v) : "r" (a) : "memory" );
    return v;
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
    asm volatile ( "str %0, [%1]" :: "rZ" (v), "r" (a) : "memory" );
}

/*
 * What traps/entry.S saves on every exception taken to EL2. The layout is
 * fixed by the STP offsets there.
 */
struct cpu_regs {
    uint64_t x[31];         /* x0..x30 (x29 = fp, x30 = lr) */
    uint64_t sp;            /* SP_EL2 before the exception */
    uint64_t elr;           /* ELR_EL2: where it happened */
    uint64_t spsr;          /* SPSR_EL2 */
    uint64_t esr;           /* ESR_EL2: why */
    uint64_t far;           /* FAR_EL2: the faulting address */
};

#define CPU_REGS_SIZE (36 * 8)

#endif
