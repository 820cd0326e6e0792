/* SPDX-License-Identifier: MIT */
/*
 * RTDS parameters (XEN_DOMCTL_SCHEDOP_{get,put}info and
 * {get,put}vcpuinfo, what `xl sched-rtds` sets) and the debug-key dump.
 * Periods and budgets cross the interface in microseconds, as in Xen's
 * xen_domctl_sched_rtds; inside they are ns.
 *
 * As in Xen, new values are not applied to the running period: the unit
 * keeps its current budget and deadline and the next replenishment uses
 * them (Xen's putvcpuinfo only stores period and budget).
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "rtds.h"

/* Xen's checks in rt_dom_cntl: both at least 10 us, budget <= period. */
int rt_check_params(uint32_t period_us, uint32_t budget_us)
{
    s_time_t period = MICROSECS(period_us), budget = MICROSECS(budget_us);

    if ( period < RTDS_MIN_PERIOD || budget < RTDS_MIN_BUDGET ||
         budget > period )
        return -EINVAL;
    return 0;
}

static void set_unit(struct rt_unit *ru, uint32_t period_us,
                     uint32_t budget_us, bool extratime)
{
    ru->period = MICROSECS(period_us);
    ru->budget = MICROSECS(budget_us);
    ru->extratime = extratime;
}

static void get_unit(const struct rt_unit *ru, uint32_t *period_us,
                     uint32_t *budget_us, bool *extratime)
{
    *period_us = (uint32_t)(ru->period / MICROSECS(1));
    *budget_us = (uint32_t)(ru->budget / MICROSECS(1));
    *extratime = ru->extratime;
}

/* The domain's values are vCPU 0's (the defaults before it exists). */
int rt_get_dom_params(struct scheduler *s, struct sched_domain *d,
                      struct sched_dom_params *p)
{
    (void)s;
    if ( list_empty(&d->units) )
    {
        p->u.rtds.period_us = RTDS_DEFAULT_PERIOD / MICROSECS(1);
        p->u.rtds.budget_us = RTDS_DEFAULT_BUDGET / MICROSECS(1);
        p->u.rtds.extratime = false;
        return 0;
    }
    get_unit(rt_unit(list_first_entry(&d->units, struct sched_unit,
                                      dom_list)),
             &p->u.rtds.period_us, &p->u.rtds.budget_us,
             &p->u.rtds.extratime);
    return 0;
}

/* Every vCPU of the domain; nothing changes if the values are bad. */
int rt_set_dom_params(struct scheduler *s, struct sched_domain *d,
                      const struct sched_dom_params *p)
{
    struct list_head *pos;
    int rc = rt_check_params(p->u.rtds.period_us, p->u.rtds.budget_us);

    (void)s;
    if ( rc )
        return rc;
    list_for_each(pos, &d->units)
        set_unit(rt_unit(list_entry(pos, struct sched_unit, dom_list)),
                 p->u.rtds.period_us, p->u.rtds.budget_us,
                 p->u.rtds.extratime);
    return 0;
}

int rt_get_unit_params(struct scheduler *s, struct sched_unit *u,
                       struct sched_unit_params *p)
{
    (void)s;
    get_unit(rt_unit(u), &p->u.rtds.period_us, &p->u.rtds.budget_us,
             &p->u.rtds.extratime);
    return 0;
}

int rt_set_unit_params(struct scheduler *s, struct sched_unit *u,
                       const struct sched_unit_params *p)
{
    int rc = rt_check_params(p->u.rtds.period_us, p->u.rtds.budget_us);

    (void)s;
    if ( rc )
        return rc;
    set_unit(rt_unit(u), p->u.rtds.period_us, p->u.rtds.budget_us,
             p->u.rtds.extratime);
    return 0;
}

static const char *where(const struct rt_unit *ru)
{
    if ( ru->unit->running )
        return "running";
    if ( ru->depleted && ru->queued )
        return "depleted";
    return ru->queued ? "queued" : "asleep";
}

static void dump_queue(const char *name, struct list_head *q)
{
    struct list_head *pos;

    printk("  %s:", name);
    list_for_each(pos, q)
    {
        const struct rt_unit *ru =
            list_entry(pos, struct rt_unit, q_elem);

        printk(" d%uv%u", ru->unit->dom->domid, ru->unit->unit_id);
    }
    printk("\n");
}

void rt_dump(struct scheduler *s)
{
    struct rt_priv *prv = rt_priv(s);
    struct list_head *dp, *up;

    list_for_each(dp, &s->pool->domains)
        list_for_each(up, &list_entry(dp, struct sched_domain,
                                      pool_list)->units)
        {
            const struct rt_unit *ru =
                rt_unit(list_entry(up, struct sched_unit, dom_list));

            printk("  d%uv%u: period %lld us budget %lld us%s: "
                   "cur_budget %lld ns deadline %lld ns level %u %s\n",
                   ru->unit->dom->domid, ru->unit->unit_id,
                   (long long)(ru->period / MICROSECS(1)),
                   (long long)(ru->budget / MICROSECS(1)),
                   ru->extratime ? " extratime" : "",
                   (long long)ru->cur_budget, (long long)ru->cur_deadline,
                   ru->priority_level, where(ru));
        }
    dump_queue("runq", &prv->runq);
    dump_queue("depletedq", &prv->depletedq);
}
