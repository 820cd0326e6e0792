/* SPDX-License-Identifier: MIT */
/* The machine the hypercall harnesses run on (fuzz_common.h). */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/keyhandler.h>
#include <orrery/sched.h>
#include <orrery/smp.h>
#include <orrery/timer.h>
#include <orrery/xsm.h>
#include <sim/sim.h>

#include "fuzz_common.h"
#include "orr_sim_heap.h"

/* Subsystems a harness may be built without: initialised if linked. */
void gnttab_subsys_init(void) __attribute__((weak));
void vcpu_ops_init(void) __attribute__((weak));

/* start.c is left out (it is the boot path); the sim's CPU bring-up
 * names its secondary entry, which one CPU never reaches. */
__noreturn void start_secondary(unsigned int cpu)
{
    fprintf(stderr, "fuzz: CPU%u started\n", cpu);
    abort();
}

static void no_timer_fn(void *data)
{
    (void)data;
}

static void warm_timer_heap(void)
{
    static struct timer t[200];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(t); i++ )
    {
        init_timer(&t[i], no_timer_fn, NULL, 0);
        set_timer(&t[i], (s_time_t)1 << 62);
    }
    for ( i = 0; i < ARRAY_SIZE(t); i++ )
        stop_timer(&t[i]);
}

void fuzz_machine_boot_once(const char *loglvl)
{
    static bool booted;

    if ( booted )
        return;
    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl(loglvl);
    timer_init();
    keyhandler_init();
    xsm_set_policy("dummy");
    smp_mark_online(0);
    sched_subsys_init();
    domain_subsys_init();
    evtchn_subsys_init();
    if ( gnttab_subsys_init )
        gnttab_subsys_init();
    if ( vcpu_ops_init )
        vcpu_ops_init();
    warm_timer_heap();
    booted = true;
}
