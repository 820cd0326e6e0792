/* SPDX-License-Identifier: MIT */
/*
 * The IDT and do_trap(): exceptions end in a register dump, a backtrace
 * and panic; interrupts go to their handler and are acknowledged.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <asm/cpu.h>
#include <asm/layout.h>

#include "dump.h"
#include "../apic/apic.h"
#include "../console/serial.h"

struct idt_entry {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, rsvd;
} __packed;

static struct idt_entry idt[256] __aligned(16);
extern char idt_stubs[];

static const char *const exception_names[32] = {
    [0] = "#DE divide error", [1] = "#DB debug", [2] = "NMI",
    [3] = "#BP breakpoint", [4] = "#OF overflow", [5] = "#BR bound range",
    [6] = "#UD invalid opcode", [7] = "#NM device not available",
    [8] = "#DF double fault", [10] = "#TS invalid TSS",
    [11] = "#NP segment not present", [12] = "#SS stack fault",
    [13] = "#GP general protection", [14] = "#PF page fault",
    [16] = "#MF x87 error", [17] = "#AC alignment check",
    [18] = "#MC machine check", [19] = "#XM SIMD error",
    [20] = "#VE virtualization", [21] = "#CP control protection",
    [29] = "#VC VMM communication", [30] = "#SX security",
};

static void set_gate(unsigned int vec, unsigned int ist)
{
    uint64_t addr = (uint64_t)(uintptr_t)(idt_stubs + vec * 16);

    idt[vec] = (struct idt_entry){
        .off_lo = addr & 0xffff,
        .sel = SEL_CODE64,
        .ist = ist,
        .type = 0x8e,               /* present, DPL 0, interrupt gate */
        .off_mid = (addr >> 16) & 0xffff,
        .off_hi = addr >> 32,
    };
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    asm volatile ( "lidt %0" :: "m" (idtr) );
}

void arch_traps_init(void)
{
    for ( unsigned int vec = 0; vec < 256; vec++ )
        set_gate(vec, 0);
    set_gate(8, IST_DF);
    set_gate(2, IST_NMI);
    set_gate(18, IST_MC);
    idt_load();
}

static __noreturn void fatal_exception(struct cpu_regs *regs)
{
    const char *name = exception_names[regs->vector];

    console_force_unlock();
    printk(LOG_ERR "FATAL: %s (vector %llu, error code %#llx) on CPU%u\n",
           name ? name : "reserved exception",
           (unsigned long long)regs->vector,
           (unsigned long long)regs->error_code, arch_cpu_id());
    if ( regs->vector == 14 )
        printk(LOG_ERR "  page fault at %#lx: %s, %s, %s%s\n", read_cr2(),
               regs->error_code & 1 ? "protection" : "not present",
               regs->error_code & 2 ? "write" : "read",
               regs->error_code & 16 ? "instruction fetch" : "data",
               regs->error_code & 8 ? ", reserved bit set" : "");
    dump_regs(regs);
    backtrace(regs->rip, regs->rbp);
    panic("%s in the hypervisor", name ? name : "exception");
}

static void do_nmi(struct cpu_regs *regs)
{
    if ( this_cpu()->stop )
        arch_halt();
    printk(LOG_WARNING "CPU%u: unexpected NMI at %#llx\n", arch_cpu_id(),
           (unsigned long long)regs->rip);
}

void do_trap(struct cpu_regs *regs);
void do_trap(struct cpu_regs *regs)
{
    switch ( regs->vector )
    {
    case 2:
        do_nmi(regs);
        return;
    case VEC_TIMER:
        lapic_eoi();
        timer_interrupt();
        return;
    case VEC_SERIAL:
        serial_interrupt();
        lapic_eoi();
        return;
    case VEC_IPI_SOFTIRQ:
        lapic_eoi();
        ipi_interrupt(IPI_SOFTIRQ);
        return;
    case VEC_IPI_CALL:
        lapic_eoi();
        ipi_interrupt(IPI_CALL);
        return;
    case VEC_SPURIOUS:
        return;                     /* no EOI for spurious (SDM §11.9) */
    case VEC_APIC_ERROR:
        lapic_eoi();
        printk(LOG_WARNING "CPU%u: APIC error interrupt\n", arch_cpu_id());
        return;
    }
    if ( regs->vector < 32 )
        fatal_exception(regs);
    lapic_eoi();
    printk(LOG_WARNING "CPU%u: unexpected interrupt, vector %#llx\n",
           arch_cpu_id(), (unsigned long long)regs->vector);
}
