/* SPDX-License-Identifier: MIT */
/*
 * The boot story, the same on every platform (STYLE.md §1). The platform's
 * entry code gets a stack and a console, fills a struct boot_info and calls
 * start_orrery(); from here each phase is one call. Set a breakpoint here
 * and step through the whole hypervisor's initialisation in order.
 */
#include <orrery/boot.h>
#include <orrery/boot_domains.h>
#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/grant.h>
#include <orrery/keyhandler.h>
#include <orrery/sched.h>
#include <orrery/param.h>
#include <orrery/smp.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>

#include "boot_private.h"

__noreturn void start_orrery(struct boot_info *bi)
{
    /* 1. Command line first: loglvl= and friends shape everything after. */
    cmdline_parse(bi->cmdline);
    printk("Orrery %s (%s) booting via %s\n", ORRERY_VERSION, arch_name(),
           bi->loader);
    printk("Command line: %s\n", bi->cmdline);

    /* 2. Exception vectors: from here a fault prints a dump, not a reset. */
    arch_traps_init();

    /* 3. Memory: map -> boot allocator -> own page tables -> buddy. */
    memory_init(bi);

    /* 4. Interrupt controllers, timers, then console input. */
    arch_irq_init();
    timer_init();
    arch_time_init();
    keyhandler_init();
    arch_console_init_irq();

    /* 5. Every other CPU, each ending in its own idle loop. */
    smp_boot_cpus();

    /* 6. What guests will use: the scheduler on those CPUs, domains and
     *    event channels (each registers its debug key), the processor's
     *    virtualisation extensions, and the domain= guests. */
    sched_subsys_init();
    domain_subsys_init();
    evtchn_subsys_init();
    gnttab_subsys_init();
    vcpu_ops_init();            /* sched_op, vcpu_op, hvm_op state */
    arch_virt_init();           /* its domain hooks before any domain */
    test_domains_create();      /* testdoms=: watch the scheduler */
    boot_domains_create(bi);

    /* 7. The banner, once the timer has been seen ticking; then serial
     *    input goes to the first domain, as Xen's console_endboot()
     *    (conswitch=ax keeps it here). */
    print_banner(bi);
    console_input_endboot();

    /* 8. The domain= guests start; from here on this CPU schedules. */
    boot_domains_start();
    idle_loop();
}

__noreturn void start_secondary(unsigned int cpu)
{
    arch_secondary_init(cpu);
    smp_mark_online(cpu);
    idle_loop();
}
