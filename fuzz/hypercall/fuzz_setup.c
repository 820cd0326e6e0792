/* SPDX-License-Identifier: MIT */
/*
 * fuzz-hypercall's machine: the boot of phase 6 of start_orrery() on one
 * simulated CPU, once per process, and the domains each input starts
 * with (see hypercall_fuzz.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/keyhandler.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/sched.h>
#include <orrery/smp.h>
#include <orrery/timer.h>
#include <orrery/xsm.h>
#include <sim/sim.h>

#include "fuzz_hc.h"
#include "orr_sim_heap.h"

/* Subsystems that may not be in the tree yet: initialised if linked. */
void gnttab_subsys_init(void) __attribute__((weak));
void vcpu_ops_init(void) __attribute__((weak));

/* start.c is left out (it is the boot path); the sim's CPU bring-up
 * names its secondary entry, which one CPU never reaches. */
__noreturn void start_secondary(unsigned int cpu)
{
    fprintf(stderr, "hypercall fuzz: CPU%u started\n", cpu);
    abort();
}

struct domain *fuzz_make_domain(uint32_t flags, unsigned int vcpus,
                                unsigned int type)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .guest_type = type,
        .max_vcpus = vcpus, .max_pages = 4 * GUEST_PAGES,
    };
    struct domain *d;
    int rc = domain_create(&cfg, &d);

    if ( rc )
    {
        fprintf(stderr, "domain_create: %d\n", rc);
        fuzz_fail("domain_create failed", NULL);
    }
    if ( p2m_populate_ram(d, _gfn(0), GUEST_PAGES) )
        fuzz_fail("p2m_populate_ram failed", d);
    if ( domain_unpause(d) )
        fuzz_fail("domain_unpause failed", d);
    return d;
}

static void no_timer_fn(void *data)
{
    (void)data;
}

/*
 * The timer heap grows on demand and keeps its size (core/time): grow it
 * once here, past what three domains' timers can use, so that the
 * end-of-input comparison of free pages and xmalloc objects sees only
 * what the input itself left behind.
 */
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

void fuzz_boot_once(void)
{
    static bool booted;

    if ( booted )
        return;
    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    timer_init();
    keyhandler_init();
    xsm_set_policy("dummy");
    /* Phase 6 of start_orrery() (core/boot/start.c) on one CPU. */
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
