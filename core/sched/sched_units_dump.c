/* SPDX-License-Identifier: MIT */
/*
 * Debug key 'r', the units: every domain of a pool with each unit's
 * state and its runstate times so far (ms), switch and migration counts.
 */
#include <orrery/console.h>
#include <orrery/timer.h>

#include "sched_private.h"

static const char *const state_name[NR_RUNSTATES] = {
    [RUNSTATE_running] = "running",
    [RUNSTATE_runnable] = "runnable",
    [RUNSTATE_blocked] = "blocked",
    [RUNSTATE_offline] = "offline",
};

/* ns as ms with three decimals, without floating point. */
#define MS(t) (long long)((t) / 1000000), (long long)((t) % 1000000 / 1000)

static void dump_unit(const struct sched_unit *u, s_time_t now)
{
    s_time_t t[NR_RUNSTATES];

    sched_unit_runstate(u, now, t);
    printk("    d%uv%u %-8s cpu %u run %lld.%03lld runnable %lld.%03lld "
           "blocked %lld.%03lld offline %lld.%03lld ms, %llu in, "
           "%llu migrations\n", u->dom->domid, u->unit_id,
           state_name[u->runstate.state], u->res, MS(t[RUNSTATE_running]),
           MS(t[RUNSTATE_runnable]), MS(t[RUNSTATE_blocked]),
           MS(t[RUNSTATE_offline]), (unsigned long long)u->nr_switches_in,
           (unsigned long long)u->nr_migrations);
}

void sched_dump_units(struct cpupool *pool)
{
    s_time_t now = NOW();
    struct list_head *dpos, *upos;

    if ( !pool->nr_domains )
        return;
    printk("  units of pool %u:\n", pool->id);
    list_for_each(dpos, &pool->domains)
    {
        const struct sched_domain *d =
            list_entry(dpos, struct sched_domain, pool_list);

        list_for_each(upos, &d->units)
            dump_unit(list_entry(upos, struct sched_unit, dom_list), now);
    }
}
