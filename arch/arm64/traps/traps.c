/* SPDX-License-Identifier: MIT */
/*
 * Exceptions taken to EL2 (traps/entry.S): IRQs go to the GIC; anything
 * synchronous in the hypervisor is a bug and ends in a decoded ESR_EL2, a
 * register dump, a backtrace and panic.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <asm/cpu.h>
#include <asm/platform_info.h>

extern char el2_vectors[];

/* ESR_EL2.EC, bits 31:26 (Arm ARM D17.2, "ESR_EL2"). */
static const char *const ec_names[64] = {
    [0x00] = "Unknown reason",
    [0x01] = "Trapped WFI/WFE",
    [0x07] = "Trapped SVE/SIMD/FP access",
    [0x0e] = "Illegal Execution state",
    [0x15] = "SVC in AArch64",
    [0x16] = "HVC in AArch64",
    [0x17] = "SMC in AArch64",
    [0x18] = "Trapped MSR/MRS/system instruction",
    [0x20] = "Instruction Abort from a lower EL",
    [0x21] = "Instruction Abort at the same EL",
    [0x22] = "PC alignment fault",
    [0x24] = "Data Abort from a lower EL",
    [0x25] = "Data Abort at the same EL",
    [0x26] = "SP alignment fault",
    [0x2f] = "SError interrupt",
    [0x30] = "Breakpoint from a lower EL",
    [0x31] = "Breakpoint at the same EL",
    [0x32] = "Software Step from a lower EL",
    [0x33] = "Software Step at the same EL",
    [0x34] = "Watchpoint from a lower EL",
    [0x35] = "Watchpoint at the same EL",
    [0x3c] = "BRK instruction",
};

static const char *const vector_names[16] = {
    "synchronous (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)",
    "SError (SP_EL0)", "synchronous", "IRQ", "FIQ", "SError",
    "synchronous from a lower EL (AArch64)", "IRQ from a lower EL (AArch64)",
    "FIQ from a lower EL (AArch64)", "SError from a lower EL (AArch64)",
    "synchronous from a lower EL (AArch32)", "IRQ from a lower EL (AArch32)",
    "FIQ from a lower EL (AArch32)", "SError from a lower EL (AArch32)",
};

void arch_traps_init(void)
{
    /* head.S installed the vectors before the first C; say it again so
     * that this phase means the same on every arch. */
    WRITE_SYSREG(vbar_el2, (uintptr_t)el2_vectors);
    isb();
}

/* The fault status code of an abort's ISS, bits 5:0 (D17.2). */
static void print_abort(const struct cpu_regs *r, bool data)
{
    unsigned int fsc = r->esr & 0x3f, level = fsc & 3;
    const char *what;

    switch ( fsc & 0x3c )
    {
    case 0x04: what = "translation fault"; break;
    case 0x08: what = "access flag fault"; break;
    case 0x0c: what = "permission fault"; break;
    case 0x00: what = "address size fault"; break;
    default:
        what = fsc == 0x21 ? "alignment fault" :
               fsc == 0x10 ? "synchronous external abort" : "other fault";
        level = 4;
    }
    if ( level < 4 )
        printk(LOG_ERR "  %s abort at %#llx: %s, level %u, %s\n",
               data ? "data" : "instruction", (unsigned long long)r->far,
               what, level,
               !data ? "instruction fetch" :
               (r->esr & (1u << 6)) ? "write" : "read");
    else
        printk(LOG_ERR "  %s abort at %#llx: %s (FSC %#x)\n",
               data ? "data" : "instruction", (unsigned long long)r->far,
               what, fsc);
}

static __noreturn void fatal(struct cpu_regs *r, const char *what)
{
    unsigned int ec = (r->esr >> 26) & 0x3f;
    const char *name = ec_names[ec] ? ec_names[ec] : "reserved EC";

    console_force_unlock();
    printk(LOG_ERR "FATAL: %s: %s (EC %#x, ESR_EL2 %#llx) on CPU%u\n", what,
           name, ec, (unsigned long long)r->esr, arch_cpu_id());
    if ( ec == 0x24 || ec == 0x25 )
        print_abort(r, true);
    else if ( ec == 0x20 || ec == 0x21 )
        print_abort(r, false);
    dump_regs(r);
    backtrace(r->elr, r->x[29]);
    panic("%s in the hypervisor", name);
}

void do_sync_exception(struct cpu_regs *regs);
void do_sync_exception(struct cpu_regs *regs)
{
    fatal(regs, "synchronous exception");
}

void do_bad_exception(struct cpu_regs *regs, unsigned int vector);
void do_bad_exception(struct cpu_regs *regs, unsigned int vector)
{
    fatal(regs, vector_names[vector & 15]);
}

void do_irq(struct cpu_regs *regs);
void do_irq(struct cpu_regs *regs)
{
    (void)regs;
    gic_handle_irq();
}
