/* SPDX-License-Identifier: MIT */
/* Instructions and registers of x86-64 that C cannot name by itself. */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <orrery/types.h>

/* MSRs (Intel SDM vol. 4; AMD APM vol. 2 appendix A). */
#define MSR_APIC_BASE    0x0000001b
#define MSR_EFER         0xc0000080
#define MSR_GS_BASE      0xc0000101
#define MSR_X2APIC_FIRST 0x00000800

#define EFER_LME (1u << 8)
#define EFER_NXE (1u << 11)

#define CR0_PE (1ul << 0)
#define CR0_WP (1ul << 16)
#define CR0_PG (1ul << 31)
#define CR4_PAE (1ul << 5)
#define CR4_PGE (1ul << 7)

#define X86_EFLAGS_IF   0x00000200u  /* token-identical to x86_emulate.h */

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    asm volatile ( "wrmsr" :: "c" (msr), "a" ((uint32_t)val),
                   "d" ((uint32_t)(val >> 32)) : "memory" );
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a,
                         uint32_t *b, uint32_t *c, uint32_t *d)
{
    asm volatile ( "cpuid" : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
                   : "a" (leaf), "c" (sub) );
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile ( "outb %0, %1" :: "a" (v), "Nd" (port) );
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile ( "inb %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}

#define DEFINE_CR(n) \
    static inline unsigned long read_cr##n(void) \
    { \
        unsigned long v; \
        asm volatile ( "mov %%cr" #n ", %0" : "=r" (v) ); \
        return v; \
    } \
    static inline void write_cr##n(unsigned long v) \
    { \
        asm volatile ( "mov %0, %%cr" #n :: "r" (v) : "memory" ); \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline unsigned long read_flags(void)
{
    unsigned long f;

    asm volatile ( "pushf; pop %0" : "=r" (f) :: "memory" );
    return f;
}

/* Registers as the common interrupt entry (traps/entry.S) saves them. */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;     /* the hardware frame */
};

#endif
