/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls, 64-bit ABI (reference §1.1): number in RAX (through the
 * page: stub nr at page + 32 * nr), arguments in RDI, RSI, RDX, R10, R8,
 * result in RAX.
 */
#include "guest.h"

long hypercall(unsigned int nr, unsigned long a1, unsigned long a2,
               unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile ( "call *%[stub]"
                   : "=a" (ret), "+D" (a1), "+S" (a2), "+d" (a3),
                     "+r" (r10), "+r" (r8)
                   : [stub] "r" (hypercall_page + nr * 32)
                   : "rcx", "r9", "r11", "memory" );
    return ret;
}

long hypercall_vmmcall(unsigned int nr, unsigned long a1, unsigned long a2,
                       unsigned long a3)
{
    long ret;

    asm volatile ( "vmmcall"
                   : "=a" (ret), "+D" (a1), "+S" (a2), "+d" (a3)
                   : "a" ((unsigned long)nr)
                   : "rcx", "r8", "r9", "r10", "r11", "memory" );
    return ret;
}

void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile ( "cpuid"
                   : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
                   : "a" (leaf), "c" (sub) );
}

uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

void wrmsr(uint32_t msr, uint64_t val)
{
    asm volatile ( "wrmsr" :: "c" (msr), "a" ((uint32_t)val),
                   "d" ((uint32_t)(val >> 32)) : "memory" );
}
