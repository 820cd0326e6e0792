/* SPDX-License-Identifier: MIT */
/*
 * Register dumps and symbolised backtraces. The image is built with frame
 * pointers (-fno-omit-frame-pointer): x29 points at a frame record
 * {caller's x29, return address} (AAPCS64 §6.2.3), and traps/entry.S
 * links one for the interrupted code too. The walk stops at a null or
 * misaligned x29, or one that leaves the CPU's stack.
 */
#include <orrery/console.h>
#include <orrery/symbols.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/platform_info.h>

void dump_regs(const struct cpu_regs *r)
{
    print_text_addr("  PC:  ", r->elr, 0);
    print_text_addr("  LR:  ", r->x[30], 4);
    printk("  SP:  %016llx  SPSR_EL2: %08llx  ESR_EL2: %08llx\n",
           (unsigned long long)r->sp, (unsigned long long)r->spsr,
           (unsigned long long)r->esr);
    printk("  FAR_EL2: %016llx  ELR_EL2: %016llx\n",
           (unsigned long long)r->far, (unsigned long long)r->elr);
    for ( unsigned int i = 0; i < 30; i += 3 )
        printk("  X%-2u: %016llx  X%-2u: %016llx  X%-2u: %016llx\n",
               i, (unsigned long long)r->x[i], i + 1,
               (unsigned long long)r->x[i + 1], i + 2,
               (unsigned long long)r->x[i + 2]);
}

void backtrace(uint64_t pc, uint64_t fp)
{
    uintptr_t lo = this_cpu()->stack_base, hi = this_cpu()->stack_top;

    printk("  Backtrace:\n");
    print_text_addr("    ", pc, 0);
    for ( unsigned int depth = 0; depth < 32; depth++ )
    {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;

        if ( fp < lo || fp + 16 > hi || (fp & 15) )
            break;
        if ( frame[1] == 0 )
            break;
        /* Bias 4: a return address is the instruction after the call. */
        print_text_addr("    ", frame[1], 4);
        fp = frame[0];
    }
}

void arch_dump_state(void)
{
    struct cpu_regs r = { 0 };

    asm volatile ( "stp x0, x1, [%0, #0]; stp x2, x3, [%0, #16]; "
                   "stp x4, x5, [%0, #32]; stp x6, x7, [%0, #48]; "
                   "stp x8, x9, [%0, #64]; stp x10, x11, [%0, #80]; "
                   "stp x12, x13, [%0, #96]; stp x14, x15, [%0, #112]; "
                   "stp x16, x17, [%0, #128]; stp x18, x19, [%0, #144]; "
                   "stp x20, x21, [%0, #160]; stp x22, x23, [%0, #176]; "
                   "stp x24, x25, [%0, #192]; stp x26, x27, [%0, #208]; "
                   "stp x28, x29, [%0, #224]; str x30, [%0, #240]"
                   :: "r" (r.x) : "memory" );
    asm volatile ( "mov %0, sp; adr %1, ." : "=r" (r.sp), "=r" (r.elr) );
    r.spsr = READ_SYSREG(daif) | READ_SYSREG(CurrentEL);
    r.esr = READ_SYSREG(esr_el2);
    r.far = READ_SYSREG(far_el2);
    dump_regs(&r);
    backtrace(r.elr, r.x[29]);
}
