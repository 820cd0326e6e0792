/* SPDX-License-Identifier: MIT */
/* The debug keys that belong to no single subsystem. */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/keyhandler.h>
#include <orrery/mm.h>
#include <orrery/smp.h>
#include <orrery/timer.h>

#include "keys_private.h"

static void dump_cpu(void *unused)
{
    (void)unused;
    printk("*** CPU%u state:\n", arch_cpu_id());
    arch_dump_state();
}

/* 'd': every online CPU's registers, one CPU at a time so lines do not
 * interleave. */
static void dump_registers(unsigned char key)
{
    unsigned int cpu;

    (void)key;
    for_each_online_cpu(cpu)
        smp_call_function_single(cpu, dump_cpu, NULL);
}

static void dump_memory(unsigned char key)
{
    (void)key;
    page_alloc_dump();
    xmalloc_dump();
}

static void dump_timers(unsigned char key)
{
    (void)key;
    timer_dump();
}

/* 'w': the console ring, as `xl dmesg` will show it. */
static void dump_ring(unsigned char key)
{
    static char buf[CONSOLE_RING_SIZE + 1];

    (void)key;
    console_ring_read(buf, sizeof(buf));
    printk("--- console ring ---\n");
    arch_console_write(buf, strnlen(buf, sizeof(buf)));
    printk("--- end of console ring ---\n");
}

static void loglvl_up_down(unsigned char key)
{
    static const char *const names[] = { "error", "warning", "info",
                                         "debug" };
    int lvl = console_get_loglvl() + (key == '+' ? 1 : -1);

    if ( lvl < LOGL_ERR )
        lvl = LOGL_ERR;
    if ( lvl > LOGL_DEBUG )
        lvl = LOGL_DEBUG;
    console_set_loglvl(names[lvl]);
    printk("loglvl is now %s\n", names[lvl]);
}

/*
 * 'C': crash on purpose, as Xen's 'C' does, so that the fatal-exception
 * path (dump, backtrace, panic) can be tested end to end. The address is
 * never mapped: page zero is kept out of every Orrery page table.
 */
static void crash_hypervisor(unsigned char key)
{
    uintptr_t addr = 0x8;

    (void)key;
    /* Hide the constant from the optimiser, which would otherwise warn
     * about (or delete) a store it can prove is invalid. */
    asm volatile ( "" : "+r" (addr) );
    printk("'C' pressed: crashing the hypervisor on purpose\n");
    *(volatile uint32_t *)addr = 0xdead;
}

static void reboot_machine(unsigned char key)
{
    (void)key;
    printk("'R' pressed: rebooting\n");
    arch_stop_other_cpus();
    arch_reboot();
}

void register_builtin_keys(void)
{
    register_keyhandler('d', dump_registers, "dump registers of every CPU");
    register_keyhandler('m', dump_memory, "dump the page allocator and heap");
    register_keyhandler('t', dump_timers, "dump every CPU's timers");
    register_keyhandler('w', dump_ring, "print the console ring");
    register_keyhandler('+', loglvl_up_down, "raise the console log level");
    register_keyhandler('-', loglvl_up_down, "lower the console log level");
    register_keyhandler('C', crash_hypervisor,
                        "crash the hypervisor (tests the fatal path)");
    register_keyhandler('R', reboot_machine, "reboot the machine");
}
