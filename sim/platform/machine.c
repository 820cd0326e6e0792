/* SPDX-License-Identifier: MIT */
/*
 * Machine mode: the whole hypervisor -- start_orrery(), every CPU's idle
 * loop, timers, IPIs, debug keys -- running in one host thread on virtual
 * time. Each simulated CPU is a coroutine (ucontext) with its own stack; a
 * CPU runs until it waits (arch_cpu_idle: "halt until an interrupt") or
 * spins (arch_cpu_relax: "another CPU must act first"), and then hands the
 * thread back to the scheduler below, which picks the next CPU that can
 * make progress, delivering its pending interrupts first, or moves virtual
 * time to the next timer deadline when every CPU waits.
 *
 * The order is deterministic (round robin from the CPU after the last one
 * that ran), so a run replays exactly and can be stepped in GDB.
 */
#include <stdlib.h>
#include <ucontext.h>

#include <orrery/boot.h>

#include "internal.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

#define CPU_STACK_SIZE (512 * 1024)

struct sim_coroutine {
    ucontext_t uc;
    void *stack;
    void *asan_fake_stack;
    void (*entry)(unsigned int cpu);
    bool started;
    bool idle;                  /* inside arch_cpu_idle() */
    bool woken;                 /* console input arrived for it */
};

static struct sim_coroutine co[NR_CPUS];
static ucontext_t sched_uc;
static void *sched_fake_stack;
static const void *sched_stack_bottom;
static size_t sched_stack_size;
static unsigned int last_ran;

/*
 * ASan must be told when the thread changes stacks, or it takes the new
 * stack's frames for overflows of the old one (the fiber annotations of
 * sanitizer/common_interface_defs.h).
 */
static void before_switch(void **save, const void *bottom, size_t size)
{
#ifdef __SANITIZE_ADDRESS__
    __sanitizer_start_switch_fiber(save, bottom, size);
#else
    (void)save; (void)bottom; (void)size;
#endif
}

static void after_switch(void *save, const void **from_bottom,
                         size_t *from_size)
{
#ifdef __SANITIZE_ADDRESS__
    __sanitizer_finish_switch_fiber(save, from_bottom, from_size);
#else
    (void)save; (void)from_bottom; (void)from_size;
#endif
}

/* From a CPU's coroutine back to the scheduler. */
static void yield_to_scheduler(void)
{
    struct sim_coroutine *c = &co[sim_cur_cpu];

    before_switch(&c->asan_fake_stack, sched_stack_bottom, sched_stack_size);
    swapcontext(&c->uc, &sched_uc);
    after_switch(c->asan_fake_stack, NULL, NULL);
}

/* From the scheduler into CPU @cpu until it yields. */
static void run_cpu(unsigned int cpu)
{
    struct sim_coroutine *c = &co[cpu];

    last_ran = cpu;
    sim_cur_cpu = cpu;
    before_switch(&sched_fake_stack, c->stack, CPU_STACK_SIZE);
    swapcontext(&sched_uc, &c->uc);
    after_switch(sched_fake_stack, NULL, NULL);
}

static void coroutine_main(void)
{
    unsigned int cpu = sim_cur_cpu;

    /* The first switch also tells us where the scheduler's stack is. */
    after_switch(NULL, &sched_stack_bottom, &sched_stack_size);
    co[cpu].entry(cpu);
    sim_fault("CPU%u: its entry function returned", cpu);
}

/* arch_cpu_idle(): wait here, interrupts enabled, until the scheduler
 * resumes this CPU; return with interrupts disabled. */
static void machine_idle(void)
{
    struct sim_coroutine *c = &co[sim_cur_cpu];

    c->idle = true;
    sim_cpus[sim_cur_cpu].irqs_on = true;
    yield_to_scheduler();
    sim_cpus[sim_cur_cpu].irqs_on = false;
}

/* arch_cpu_relax(): whatever this CPU waits for needs another one. */
static void machine_relax(void)
{
    yield_to_scheduler();
}

void sim_machine_start_cpu(unsigned int cpu, void (*entry)(unsigned int))
{
    struct sim_coroutine *c = &co[cpu];

    if ( cpu >= sim_nr_cpus() || c->started )
        sim_fault("sim_machine_start_cpu(%u): no such CPU or started "
                  "already", cpu);
    c->stack = malloc(CPU_STACK_SIZE);
    if ( !c->stack )
        sim_fault("no memory for CPU%u's stack", cpu);
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = c->stack;
    c->uc.uc_stack.ss_size = CPU_STACK_SIZE;
    c->uc.uc_link = NULL;
    makecontext(&c->uc, coroutine_main, 0);
    c->entry = entry;
    c->started = true;
    c->idle = false;
    sim_idle_hook = machine_idle;
    sim_relax_hook = machine_relax;
}

static void fire_timer(void *unused)
{
    (void)unused;
    timer_interrupt();
}

static void fire_ipi(void *arg)
{
    ipi_interrupt(*(enum ipi_kind *)arg);
}

static bool interrupt_pending(unsigned int cpu)
{
    s_time_t d = sim_cpus[cpu].deadline;

    return sim_cpus[cpu].ipi_pending || co[cpu].woken ||
           (d != 0 && d <= sim_time);
}

/* Take @cpu's pending interrupts, as the hardware would on STI. */
static void deliver_interrupts(unsigned int cpu)
{
    s_time_t d = sim_cpus[cpu].deadline;

    co[cpu].woken = false;
    if ( d != 0 && d <= sim_time )
    {
        sim_cpus[cpu].deadline = 0;     /* one-shot */
        sim_run_on_cpu(cpu, fire_timer, NULL);
    }
    for ( enum ipi_kind k = 0; k < NR_IPI_KINDS; k++ )
        if ( sim_cpus[cpu].ipi_pending & (1u << k) )
        {
            sim_cpus[cpu].ipi_pending &= ~(1u << k);
            sim_run_on_cpu(cpu, fire_ipi, &k);
        }
}

/* The next CPU that can run, round robin after the last one; -1: none. */
static int pick_cpu(void)
{
    unsigned int n = sim_nr_cpus();

    for ( unsigned int i = 1; i <= n; i++ )
    {
        unsigned int cpu = (last_ran + i) % n;
        struct sim_coroutine *c = &co[cpu];

        if ( !c->started )
            continue;
        if ( !c->idle || interrupt_pending(cpu) )
            return (int)cpu;
    }
    return -1;
}

static s_time_t next_deadline(void)
{
    s_time_t next = 0;

    for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        s_time_t d = sim_cpus[cpu].deadline;

        if ( co[cpu].started && d && (next == 0 || d < next) )
            next = d;
    }
    return next;
}

enum sim_machine_stop sim_machine_run(s_time_t until)
{
    for ( ;; )
    {
        int cpu = pick_cpu();

        if ( cpu >= 0 )
        {
            struct sim_coroutine *c = &co[cpu];

            if ( c->idle || sim_cpus[cpu].irqs_on )
                deliver_interrupts((unsigned int)cpu);
            c->idle = false;
            run_cpu((unsigned int)cpu);
            continue;
        }

        /* Every CPU waits: jump to the next timer, if there is one. */
        s_time_t next = next_deadline();

        if ( next == 0 )
            return SIM_MACHINE_QUIESCENT;
        if ( next > until )
        {
            sim_time = until;
            return SIM_MACHINE_TIME_UP;
        }
        if ( next > sim_time )
            sim_time = next;
    }
}

void sim_machine_input(unsigned int cpu, const char *s)
{
    unsigned int prev = sim_cur_cpu;

    sim_cur_cpu = cpu;
    sim_console_input(s);
    sim_cur_cpu = prev;
    co[cpu].woken = true;
}
