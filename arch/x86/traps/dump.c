/* SPDX-License-Identifier: MIT */
/*
 * Register dumps and symbolised backtraces. The image is built with frame
 * pointers (-fno-omit-frame-pointer), so each frame is a {saved rbp,
 * return address} pair; the walk stops at a null or misaligned rbp or
 * one that leaves the CPU's stack.
 */
#include <orrery/console.h>
#include <orrery/symbols.h>
#include <asm/cpu.h>
#include <asm/layout.h>

#include "dump.h"

void dump_regs(const struct cpu_regs *r)
{
    print_text_addr("  RIP: ", r->rip, 0);
    printk("  RFLAGS: %016llx  CS: %04llx  SS: %04llx\n",
           (unsigned long long)r->rflags, (unsigned long long)r->cs,
           (unsigned long long)r->ss);
    printk("  RAX: %016llx  RBX: %016llx  RCX: %016llx\n",
           (unsigned long long)r->rax, (unsigned long long)r->rbx,
           (unsigned long long)r->rcx);
    printk("  RDX: %016llx  RSI: %016llx  RDI: %016llx\n",
           (unsigned long long)r->rdx, (unsigned long long)r->rsi,
           (unsigned long long)r->rdi);
    printk("  RBP: %016llx  RSP: %016llx  R8:  %016llx\n",
           (unsigned long long)r->rbp, (unsigned long long)r->rsp,
           (unsigned long long)r->r8);
    printk("  R9:  %016llx  R10: %016llx  R11: %016llx\n",
           (unsigned long long)r->r9, (unsigned long long)r->r10,
           (unsigned long long)r->r11);
    printk("  R12: %016llx  R13: %016llx  R14: %016llx\n",
           (unsigned long long)r->r12, (unsigned long long)r->r13,
           (unsigned long long)r->r14);
    printk("  R15: %016llx  CR0: %016lx  CR2: %016lx\n",
           (unsigned long long)r->r15, read_cr0(), read_cr2());
    printk("  CR3: %016lx  CR4: %016lx\n", read_cr3(), read_cr4());
}

void backtrace(uint64_t rip, uint64_t rbp)
{
    uintptr_t lo = this_cpu()->stack_base, hi = lo + BOOT_STACK_SIZE;

    printk("  Backtrace:\n");
    print_text_addr("    ", rip, 0);
    for ( unsigned int depth = 0; depth < 32; depth++ )
    {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;

        if ( rbp < lo || rbp + 16 > hi || (rbp & 7) )
            break;
        if ( frame[1] == 0 )
            break;
        print_text_addr("    ", frame[1], 1);
        rbp = frame[0];
    }
}

void arch_dump_state(void)
{
    struct cpu_regs r = { 0 };

    asm volatile ( "mov %%rax, %0; mov %%rbx, %1; mov %%rcx, %2; "
                   "mov %%rdx, %3; mov %%rsi, %4; mov %%rdi, %5; "
                   "mov %%rbp, %6; mov %%rsp, %7"
                   : "=m" (r.rax), "=m" (r.rbx), "=m" (r.rcx), "=m" (r.rdx),
                     "=m" (r.rsi), "=m" (r.rdi), "=m" (r.rbp), "=m" (r.rsp) );
    asm volatile ( "mov %%r8, %0; mov %%r9, %1; mov %%r10, %2; "
                   "mov %%r11, %3; mov %%r12, %4; mov %%r13, %5; "
                   "mov %%r14, %6; mov %%r15, %7"
                   : "=m" (r.r8), "=m" (r.r9), "=m" (r.r10), "=m" (r.r11),
                     "=m" (r.r12), "=m" (r.r13), "=m" (r.r14), "=m" (r.r15) );
    asm volatile ( "lea 0(%%rip), %0" : "=r" (r.rip) );
    r.rflags = read_flags();
    asm volatile ( "mov %%cs, %0; mov %%ss, %1" : "=r" (r.cs), "=r" (r.ss) );
    dump_regs(&r);
    backtrace(r.rip, r.rbp);
}
