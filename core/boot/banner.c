/* SPDX-License-Identifier: MIT */
/*
 * Boot phase 6: prove the timer works (count ticks of a 10 ms periodic
 * timer for 100 ms) and print the banner a boot test reads.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/mm.h>
#include <orrery/sched.h>
#include <orrery/smp.h>
#include <orrery/softirq.h>
#include <orrery/lib.h>
#include <orrery/timer.h>

#include "boot_private.h"

#define TICK_PERIOD MILLISECS(10)
#define TICK_WINDOW MILLISECS(100)

struct ticker {
    struct timer timer;
    unsigned int ticks;
    s_time_t next;
};

static void tick(void *data)
{
    struct ticker *tk = data;

    tk->ticks++;
    tk->next += TICK_PERIOD;
    set_timer(&tk->timer, tk->next);
}

static unsigned int count_ticks(void)
{
    struct ticker tk = { .ticks = 0 };
    s_time_t start = NOW();

    init_timer(&tk.timer, tick, &tk, arch_cpu_id());
    tk.next = start + TICK_PERIOD;
    set_timer(&tk.timer, tk.next);

    /* Sleep in the idle instruction between ticks, like the idle loop.
     * Half a period of slack lets the tick due at exactly 100 ms count. */
    while ( NOW() < start + TICK_WINDOW + TICK_PERIOD / 2 )
    {
        arch_irq_disable();
        if ( softirq_pending(arch_cpu_id()) )
        {
            arch_irq_enable();
            do_softirq();
            continue;
        }
        arch_cpu_idle();
        arch_irq_enable();
    }
    stop_timer(&tk.timer);
    return tk.ticks;
}

void print_banner(const struct boot_info *bi)
{
    struct page_alloc_stats st;
    unsigned int ticks;

    arch_irq_enable();
    ticks = count_ticks();
    page_alloc_stats(&st);

    printk("================ Orrery %s ================\n", ORRERY_VERSION);
    printk("Arch:    %s, booted via %s\n", arch_name(), bi->loader);
    printk("CPUs:    %u/%u online\n", num_online_cpus(), num_present_cpus());
    printk("Memory:  %llu MiB total, %llu MiB free\n",
           (unsigned long long)(st.total_pages >> (20 - PAGE_SHIFT)),
           (unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)));
    printk("Timer:   %u ticks in %lld ms (%lld ms period)\n", ticks,
           (long long)(TICK_WINDOW / MILLISECS(1)),
           (long long)(TICK_PERIOD / MILLISECS(1)));
    printk("Sched:   %s\n", sched_default_name());
    printk("Orrery is up. Debug keys: press 'h' on the console.\n");
}
