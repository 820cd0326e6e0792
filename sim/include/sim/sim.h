/* SPDX-License-Identifier: MIT */
/*
 * The sim platform's control interface, for tests and harnesses.
 *
 * sim/platform implements core/include/orrery/platform.h in one host
 * thread: simulated CPUs are an index switched by sim_set_cpu() or by the
 * sim itself when it delivers an interrupt; time is virtual and moves only
 * when sim_advance() (or arch_cpu_idle()) moves it; machine memory is one
 * host allocation whose machine addresses start at sim_memory_base().
 * Everything is deterministic: the same calls give the same upcalls in the
 * same order.
 *
 * Linking: the code that calls core's upcalls (timer_interrupt,
 * ipi_interrupt, console_rx_char) is in separate objects, pulled into a
 * static link only by a program that uses sim_advance()/arch_cpu_idle(),
 * IPIs, or sim_console_input(). Such a program must link (or define) the
 * upcalls it triggers.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <setjmp.h>
#include <orrery/memmap.h>
#include <orrery/platform.h>

/* ---- The machine -------------------------------------------------------- */

/*
 * Reset the sim: @nr_cpus CPUs (1..NR_CPUS), all with interrupts disabled
 * as after reset, current CPU 0, time 0, no timers, no pending IPIs, an
 * empty console capture, no stop request, halt catching disarmed, and
 * (when @mem_bytes > 0) @mem_bytes of fresh zeroed machine memory.
 * Without sim_init() the sim is one CPU with no memory.
 */
void sim_init(unsigned int nr_cpus, size_t mem_bytes);
unsigned int sim_nr_cpus(void);

/* Make @cpu the current CPU (what arch_cpu_id() returns). */
void sim_set_cpu(unsigned int cpu);

/* ---- Virtual time ------------------------------------------------------- */

s_time_t sim_now(void);

/*
 * Move time forward by @ns. Pending IPIs are delivered first; then every
 * timer deadline up to the new time fires in time order (equal deadlines:
 * lower CPU first): the sim switches to that CPU, sets time to the
 * deadline and calls timer_interrupt() with that CPU's interrupts masked,
 * then delivers any IPIs the handler sent. The current CPU is restored at
 * the end. sim_advance(0) fires deadlines already due.
 */
void sim_advance(s_time_t ns);

/* The deadline programmed on @cpu by arch_timer_program(), 0 if none. */
s_time_t sim_timer_deadline(unsigned int cpu);

/* ---- IPIs --------------------------------------------------------------- */

/*
 * Deliver queued IPIs now, switching to each target CPU and calling
 * ipi_interrupt(kind) with its interrupts masked. IPIs of one kind to one
 * CPU coalesce, as the hardware's do. Order: CPU ascending, then kind.
 * Returns the number of upcalls made.
 */
unsigned int sim_deliver_ipis(void);

/* ---- Machine memory ----------------------------------------------------- */

#define SIM_MEMORY_DEFAULT_BASE 0x100000UL

/*
 * Allocate @bytes (rounded up to pages) of zeroed machine memory at the
 * current base, replacing any earlier memory. Frames below the base (mfn 0
 * included) are not memory: translating one is a sim fault.
 */
void sim_memory_init(size_t bytes);
/* Set the machine address of the first byte (page aligned); takes effect
 * at the next sim_memory_init(). */
void sim_memory_set_base(paddr_t base);
paddr_t sim_memory_base(void);
size_t sim_memory_size(void);
/* Replace @map's contents with one RAM entry describing the memory. */
void sim_memory_map(struct memmap *map);

/* ---- Console ------------------------------------------------------------ */

/* Everything arch_console_write() received since the last clear, as one
 * NUL-terminated string. With ORRERY_SIM_ECHO=1 it also goes to stdout. */
const char *sim_console_text(void);
void sim_console_clear(void);
/*
 * Call @hook (NULL: none) with each chunk arch_console_write() receives,
 * after capturing it. Lets a test act in the middle of a printk: panic
 * with the console lock held, print recursively, switch CPU.
 */
void sim_console_set_hook(void (*hook)(const char *s, size_t len));
/* Feed @s to core, one console_rx_char() per byte, on the current CPU. */
void sim_console_input(const char *s);

/* ---- Halt, reboot and sim faults ---------------------------------------- */

enum sim_stop {
    SIM_RUNNING = 0,
    SIM_HALTED,         /* arch_halt() (panic ends here) */
    SIM_REBOOTED,       /* arch_reboot() */
    SIM_FAULT,          /* the sim caught a bug: bad frame, bad CPU... */
};

/*
 * SIM_CATCH_HALT() arms a one-shot catch point. It evaluates to 0 when
 * armed; when the code under test then halts, reboots or faults, control
 * comes back to it a second time with the enum sim_stop value. Use it as
 * the whole condition of an if or switch (a setjmp rule, C11 7.13.1.1),
 * and make locals changed in between volatile:
 *
 *     if ( SIM_CATCH_HALT() == 0 )
 *     {
 *         panic("boom");
 *         CU_FAIL("panic returned");
 *     }
 *     else
 *         CU_ASSERT(sim_last_stop() == SIM_HALTED);
 *     sim_halt_disarm();
 *
 * The catch point must still be live (its function not returned). After
 * a caught panic, console_force_unlock() makes printk usable again.
 * Unarmed: halt prints and exits with status 1, reboot with status 3, a
 * fault prints and abort()s (so a debugger stops there).
 */
#define SIM_CATCH_HALT() setjmp(*sim_halt_arm())
jmp_buf *sim_halt_arm(void);
void sim_halt_disarm(void);
enum sim_stop sim_last_stop(void);
/* The text of the last sim fault ("" if none). */
const char *sim_fault_message(void);

/* Times arch_stop_other_cpus() was called since sim_init(). */
unsigned int sim_stop_requests(void);

/* Report a sim fault: longjmp to an armed catch point, else abort. */
__noreturn void sim_fault(const char *fmt, ...) __printf(1, 2);

/* ---- Machine mode: the whole hypervisor in one process ---------------- */

/*
 * Make @cpu a coroutine that starts at @entry(cpu) (start_orrery's
 * wrapper for CPU0, start_secondary for the others). From the first call
 * on, arch_cpu_idle() and arch_cpu_relax() switch between CPUs instead of
 * running unit-test events. sim/hvsim is the program built on this.
 */
void sim_machine_start_cpu(unsigned int cpu, void (*entry)(unsigned int));

enum sim_machine_stop {
    SIM_MACHINE_QUIESCENT,  /* every CPU idle, no timer armed anywhere */
    SIM_MACHINE_TIME_UP,    /* virtual time reached @until */
};

/* Run the started CPUs until they all wait with nothing armed, or until
 * virtual time @until. Deterministic: round robin, virtual time. */
enum sim_machine_stop sim_machine_run(s_time_t until);

/* Type @s on the console of @cpu (its receive interrupt), waking it. */
void sim_machine_input(unsigned int cpu, const char *s);

/* ---- Guest register state (VCPUOP_initialise) ------------------------ */

struct hvm_vcpu_state;
struct vcpu;

/* The state arch_vcpu_initialise() last loaded for @v, or NULL. */
const struct hvm_vcpu_state *sim_vcpu_context(const struct vcpu *v);
/* Make the next arch_vcpu_initialise() calls fail with @rc (0: succeed
 * again), to test that a refusal leaves the vCPU uninitialised. */
void sim_vcpu_context_fail(int rc);

/* ---- Guest linear addresses (hypercall buffers) ---------------------- */

/* arch_guest_linear_to_phys() on sim: the identity, or @fn while one is
 * installed (NULL removes it), so tests can give a vCPU "page tables"
 * that scatter a linear range over guest frames or refuse a page. */
typedef int (*sim_linear_fn)(struct vcpu *v, uint64_t la, bool write,
                             uint64_t *gpa);
void sim_guest_linear_set(sim_linear_fn fn);

#endif /* SIM_SIM_H */
