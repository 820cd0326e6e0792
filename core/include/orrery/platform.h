/* SPDX-License-Identifier: MIT */
/*
 * The platform seam: everything core/ needs from below.
 *
 * core/ never includes an arch/ or sim/ header. Each platform -- arch/x86,
 * arch/arm64, sim/ -- defines every function here exactly once; a missing
 * one is a link error, never an #ifdef. Read this file top to bottom to
 * learn what a port must provide.
 *
 * The other direction (platform calls into core) is at the bottom: the
 * entry points a platform calls from its interrupt handlers and boot path.
 */
#ifndef ORRERY_PLATFORM_H
#define ORRERY_PLATFORM_H

#include <orrery/types.h>

#define NR_CPUS 64

/* ---- CPUs --------------------------------------------------------------- */

/* Index of the calling CPU, 0 .. NR_CPUS-1; the boot CPU is 0. */
unsigned int arch_cpu_id(void);

/* Spin-wait hint (x86 PAUSE, Arm YIELD; sim: nothing). */
void arch_cpu_relax(void);

/*
 * Wait for an interrupt with interrupts enabled, then return with them
 * disabled (x86 STI;HLT, Arm WFI). Sim: advance virtual time to the next
 * event. Called by the idle loop with interrupts disabled.
 */
void arch_cpu_idle(void);

/* ---- Local interrupt masking -------------------------------------------- */

/* Disable interrupts on this CPU; return the previous state. */
unsigned long arch_irq_save(void);
/* Restore the state returned by arch_irq_save(). */
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);

/* ---- Time --------------------------------------------------------------- */

/* Monotonic nanoseconds since boot, consistent across CPUs. */
s_time_t arch_time_now(void);

/*
 * Program this CPU's one-shot timer to fire at absolute time @deadline
 * (nanoseconds, arch_time_now() base); 0 cancels it. When it fires the
 * platform calls timer_interrupt() on this CPU. Programming a deadline in
 * the past fires as soon as possible.
 */
void arch_timer_program(s_time_t deadline);

/* ---- Inter-processor interrupts ----------------------------------------- */

enum ipi_kind {
    IPI_SOFTIRQ,     /* run pending softirqs (e.g. remote timer work) */
    IPI_CALL,        /* run the function queued by smp_call_function() */
    IPI_STOP,        /* halt the CPU (panic, reboot) */
    NR_IPI_KINDS,
};

/* Send @kind to CPU @cpu (which may be the caller). */
void arch_send_ipi(unsigned int cpu, enum ipi_kind kind);

/* ---- Machine memory ----------------------------------------------------- */

/*
 * The hypervisor's mapping of machine frame @mfn (the direct map on
 * hardware, the simulated memory array on sim). Valid only for frames
 * that the boot memory map reported as RAM. Each RAM range of the map is
 * mapped contiguously: the frame table and multi-page allocations rely on
 * (mfn + 1) mapping at (virt + PAGE_SIZE) within one range.
 */
void *arch_mfn_to_virt(mfn_t mfn);

/*
 * The frame behind @va, which must come from arch_mfn_to_virt() or lie in
 * the hypervisor image. Any other pointer is a bug: sim reports it as a
 * fault, hardware returns a meaningless frame.
 */
mfn_t arch_virt_to_mfn(const void *va);

/* ---- Console ------------------------------------------------------------ */

/* Write @len bytes to the platform console, polled; callable anywhere,
 * including with interrupts disabled and from panic. */
void arch_console_write(const char *s, size_t len);

/* ---- Fatal paths and diagnostics ---------------------------------------- */

/* Print the calling CPU's registers and a symbolised backtrace. */
void arch_dump_state(void);

/* Send every other CPU into arch_halt() (panic, reboot). Needs no list of
 * online CPUs: x86 uses the all-excluding-self IPI shorthand. */
void arch_stop_other_cpus(void);

/* Stop this CPU for good (interrupts off). Sim: ends the process with a
 * failure status so that a test sees it. */
__noreturn void arch_halt(void);

/* Reset the machine. Sim: ends the process. */
__noreturn void arch_reboot(void);

/* ---- Guest contexts ----------------------------------------------------- */

struct vcpu;

/*
 * The scheduler has moved this CPU from vCPU @prev to vCPU @next (NULL:
 * the idle vCPU, i.e. this CPU's own idle loop); called from the schedule
 * softirq on that CPU, interrupts enabled, after the runstates changed.
 * The platform saves @prev's register state and loads @next's here. There
 * are no guest contexts yet (issue 7 brings SVM): x86 and Arm64 do
 * nothing, sim logs the switch at debug level.
 */
void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next);

/*
 * Run the guest vCPU this CPU was last switched to, once: until its next
 * exit to the hypervisor, which is handled before returning. Called by
 * the idle loop with interrupts disabled and no softirq pending; returns
 * with interrupts disabled. false when there is no guest code to run
 * (the idle vCPU, a vCPU without guest state, or a platform without
 * guests), and the CPU idles instead.
 */
bool arch_guest_run(void);

/*
 * VCPUOP_initialise: make @s (checked and normalised by core,
 * orrery/vcpu_context.h) the register state @v starts from at its next
 * VCPUOP_up. @v is down and not initialised, and the caller holds its
 * domain's lock, so no CPU runs it meanwhile. 0, or -EOPNOTSUPP when the
 * platform has no guest state for @v (x86 test domains, Arm64 for now).
 * Sim records @s for the tests.
 */
struct hvm_vcpu_state;
int arch_vcpu_initialise(struct vcpu *v, const struct hvm_vcpu_state *s);

/*
 * Hypercall buffers (guest handles) are linear addresses in the calling
 * vCPU's address space: Xen's copy_from_user_hvm() translates them
 * through the guest's own page tables (hvm_copy_*_guest_linear). The
 * guest-physical address of linear @la for a supervisor read or (@write)
 * write by @v: 0 with *@gpa set, or -EFAULT when the guest's tables do not
 * allow it. With @v's paging off (or no guest state yet) @la is the
 * guest-physical address. x86 walks the VMCB's CR0/CR3/CR4/EFER; sim is
 * the identity unless a test installs a translation; Arm64 is the
 * identity for now (its guests' stage-1 tables are not walked yet).
 */
int arch_guest_linear_to_phys(struct vcpu *v, uint64_t la, bool write,
                              uint64_t *gpa);

/* ---- Upcalls: the platform calls these core entry points ---------------- */

/* Interrupt context, interrupts disabled. */
void timer_interrupt(void);              /* this CPU's one-shot timer fired */
void ipi_interrupt(enum ipi_kind kind);  /* an IPI arrived */
void console_rx_char(char c);            /* a byte came in on the console */

#endif /* ORRERY_PLATFORM_H */
