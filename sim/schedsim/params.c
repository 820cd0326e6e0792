/* SPDX-License-Identifier: MIT */
/* Scenario parameters -> core/sched control operations (params.h). */
#include <string.h>

#include <orrery/sched-if.h>

#include "params.h"

static bool runs(unsigned int poolid, const char *name)
{
    const char *s = cpupool_sched_name(poolid);

    return s && !strcmp(s, name);
}

int params_pool(unsigned int poolid, const struct scn_pool_params *pp)
{
    struct sched_pool_params p;
    int rc;

    if ( pp->credit && runs(poolid, "credit") )
    {
        if ( (rc = sched_pool_get_params(poolid, &p)) )
            return rc;
        if ( pp->credit_tslice_ms >= 0 )
            p.u.credit.tslice_ms = (uint32_t)pp->credit_tslice_ms;
        if ( pp->credit_ratelimit_us >= 0 )
            p.u.credit.ratelimit_us = (uint32_t)pp->credit_ratelimit_us;
        return sched_pool_set_params(poolid, &p);
    }
    if ( pp->credit2 && runs(poolid, "credit2") )
    {
        if ( (rc = sched_pool_get_params(poolid, &p)) )
            return rc;
        if ( pp->credit2_runqueue >= 0 )
            p.u.credit2.runqueue = (enum credit2_runqueue)pp->credit2_runqueue;
        if ( pp->credit2_ratelimit_us >= 0 )
            p.u.credit2.ratelimit_us = (uint32_t)pp->credit2_ratelimit_us;
        return sched_pool_set_params(poolid, &p);
    }
    return 0;
}

int params_pool_a653(unsigned int poolid, const struct scn_pool_params *pp)
{
    static struct sched_pool_params p;  /* ~1.5 KiB: not on the stack */
    int id = sched_id_of("arinc653");

    if ( !pp->arinc653 || !runs(poolid, "arinc653") || id < 0 )
        return 0;
    memset(&p, 0, sizeof(p));
    p.sched_id = (unsigned int)id;
    p.u.arinc653.major_frame = pp->major_frame_ns;
    p.u.arinc653.nr_entries = pp->nr_entries;
    for ( unsigned int i = 0; i < pp->nr_entries; i++ )
    {
        /* schedsim gives domain i of the scenario domid i + 1. */
        p.u.arinc653.entry[i].domid = (domid_t)(pp->entry[i].dom + 1);
        p.u.arinc653.entry[i].vcpu_id = pp->entry[i].vcpu;
        p.u.arinc653.entry[i].runtime = pp->entry[i].runtime_ns;
    }
    return sched_pool_set_params(poolid, &p);
}

int params_domain(struct sched_domain *d, const struct scn_domain *ds,
                  uint32_t weight, uint32_t cap)
{
    unsigned int poolid = d->pool->id;
    struct sched_dom_params p;
    int rc;

    if ( runs(poolid, "credit") || runs(poolid, "credit2") )
    {
        if ( (rc = sched_domain_get_params(d, &p)) )
            return rc;
        /* credit and credit2 have their own members (sched.h). */
        if ( p.sched_id == XEN_SCHEDULER_CREDIT )
        {
            if ( weight )
                p.u.credit.weight = weight;
            p.u.credit.cap = cap;
        }
        else
        {
            if ( weight )
                p.u.credit2.weight = weight;
            p.u.credit2.cap = cap;
        }
        return sched_domain_set_params(d, &p);
    }
    if ( ds->rtds.set && runs(poolid, "rtds") )
    {
        if ( (rc = sched_domain_get_params(d, &p)) )
            return rc;
        if ( ds->rtds.period_us >= 0 )
            p.u.rtds.period_us = (uint32_t)ds->rtds.period_us;
        if ( ds->rtds.budget_us >= 0 )
            p.u.rtds.budget_us = (uint32_t)ds->rtds.budget_us;
        if ( ds->rtds.extratime >= 0 )
            p.u.rtds.extratime = ds->rtds.extratime;
        return sched_domain_set_params(d, &p);
    }
    return 0;
}
