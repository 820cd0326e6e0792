/* SPDX-License-Identifier: MIT */
/*
 * mmio: accesses to guest-physical addresses with no RAM behind them
 * exit to the hypervisor (a nested page fault), which completes each
 * instruction with core/emulate: unclaimed MMIO reads all ones and
 * ignores writes, and the guest carries on at the next instruction with
 * its registers and flags as the instruction defines them.
 */
#include <orrery/lib.h>

#include "guest.h"

const char test_title[] = "mmio: unclaimed MMIO through the emulator";

#define HPET   0xfed00000UL         /* no device model claims it */
#define HOLE   0x10000000UL         /* 256 MiB: past this guest's RAM */

void test_main(const struct hvm_start_info *si)
{
    volatile uint32_t *hpet = (void *)HPET;
    volatile uint8_t *hole = (void *)HOLE;
    static uint8_t buf[32];
    uint32_t v32, old, flags;
    uint64_t v64;
    uint8_t v8;

    (void)si;
    v32 = hpet[0];
    check(v32 == 0xffffffff, "32-bit read gave %#x", v32);
    hpet[4] = 0x12345678;
    v32 = hpet[4];
    check(v32 == 0xffffffff, "a write stuck: read back %#x", v32);

    asm volatile ( "movzbl %1, %0" : "=r" (v32) : "m" (hole[3]) );
    check(v32 == 0xff, "movzx byte read gave %#x", v32);
    asm volatile ( "movq %1, %0" : "=r" (v64) : "m" (*(volatile uint64_t *)HOLE) );
    check(v64 == ~0ULL, "64-bit read gave %#llx", (unsigned long long)v64);
    v8 = hole[4095];
    check(v8 == 0xff, "byte read at the page end gave %#x", v8);

    /* A string copy from MMIO into RAM, and a fill of MMIO. */
    memset(buf, 0, sizeof(buf));
    {
        void *dst = buf;
        volatile void *src = hole;
        unsigned long n = 16;

        asm volatile ( "rep movsb" : "+D" (dst), "+S" (src), "+c" (n)
                       :: "memory" );
        check(n == 0, "rep movsb left rcx %lu", n);
    }
    for ( unsigned int i = 0; i < 16; i++ )
        check(buf[i] == 0xff, "rep movsb byte %u is %#x", i, buf[i]);
    check(buf[16] == 0, "rep movsb wrote past its count");
    {
        void *dst = (void *)(HOLE + 64);
        unsigned long n = 8;

        asm volatile ( "rep stosb" : "+D" (dst), "+c" (n) : "a" (0) : "memory" );
        check(n == 0 && dst == (void *)(HOLE + 72), "rep stosb left rcx %lu",
              n);
    }

    /* A locked compare-exchange that matches (all ones), then an add: the
     * flags are the instruction's. */
    old = 0xffffffff;
    asm volatile ( "lock cmpxchgl %3, %1; pushfq; popq %q2"
                   : "+a" (old), "+m" (*(volatile uint32_t *)(HPET + 8)),
                     "=r" (flags)
                   : "r" (0x5a5a5a5aU) : "memory" );
    check(flags & 0x40, "cmpxchg against all ones did not match (%#x)",
          flags);
    asm volatile ( "addl $1, %1; pushfq; popq %q0"
                   : "=r" (flags), "+m" (*(volatile uint32_t *)(HPET + 12))
                   :: "memory" );
    check((flags & 0x41) == 0x41, "add 1 to all ones: CF|ZF not set (%#x)",
          flags);
}
