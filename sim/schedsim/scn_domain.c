/* SPDX-License-Identifier: MIT */
/*
 * A domain of the scenario: its pool, scheduling parameters (credit and
 * credit2 weight and cap, RTDS period/budget/extratime) and vCPUs.
 */
#include <stdlib.h>
#include <string.h>

#include "scn_parse.h"

/* One vCPU: @j is its object, or NULL for "as the domain says". */
static bool get_vcpu(struct ctx *c, const struct json *dom,
                     const struct json *j, unsigned int pcpus, size_t index,
                     struct scn_vcpu *v)
{
    static const char *const keys[] = { "affinity", "soft_affinity",
                                        "workload", NULL };
    const struct json *src[2] = { dom, j }, *w = NULL, *a;

    v->hard = CPUMASK_ALL;
    v->soft = CPUMASK_ALL;
    if ( j && (!want(c, j, JSON_OBJECT, "a vCPU") ||
               !only_keys(c, j, keys, "a vCPU")) )
        return false;
    /* The domain's settings first, the vCPU's own override them. */
    for ( int i = 0; i < 2; i++ )
    {
        if ( !src[i] )
            continue;
        if ( (a = json_get(src[i], "affinity")) &&
             !get_cpus(c, a, pcpus, "affinity", &v->hard) )
            return false;
        if ( (a = json_get(src[i], "soft_affinity")) &&
             !get_cpus(c, a, pcpus, "soft_affinity", &v->soft) )
            return false;
        if ( json_get(src[i], "workload") )
            w = json_get(src[i], "workload");
    }
    if ( !w )
        return err(c, (j ? j : dom)->line, "no workload for this vCPU");
    return scn_get_workload(c, w, index, v);
}

/*
 * "rtds": {"period_us", "budget_us", "extratime"}, Xen's RTDS bounds
 * (sched.h: period 10 .. 4000000 us, budget 10 .. period).
 */
static bool get_rtds(struct ctx *c, const struct json *j, struct scn_rtds *r)
{
    static const char *const keys[] = { "period_us", "budget_us",
                                        "extratime", NULL };
    const struct json *e;

    r->period_us = r->budget_us = -1;
    r->extratime = -1;
    if ( !want(c, j, JSON_OBJECT, "rtds") ||
         !only_keys(c, j, keys, "rtds") )
        return false;
    r->set = true;
    if ( (e = json_get(j, "period_us")) )
    {
        double v = 0;

        if ( !get_num(c, j, "period_us", 10, 4000000, true, &v) )
            return false;
        r->period_us = (int64_t)v;
    }
    if ( (e = json_get(j, "budget_us")) )
    {
        double v = 0;

        if ( !get_num(c, j, "budget_us", 10, 4000000, true, &v) )
            return false;
        r->budget_us = (int64_t)v;
        if ( r->period_us >= 0 && r->budget_us > r->period_us )
            return err(c, e->line, "budget_us = %lld is more than "
                       "period_us = %lld", (long long)r->budget_us,
                       (long long)r->period_us);
    }
    if ( (e = json_get(j, "extratime")) )
    {
        if ( !want(c, e, JSON_BOOL, "extratime") )
            return false;
        r->extratime = e->b;
    }
    return true;
}

bool scn_get_domain(struct ctx *c, const struct json *j,
                    struct scenario *sc, struct scn_domain *d)
{
    static const char *const keys[] = { "name", "pool", "weight", "cap",
        "rtds", "vcpus", "affinity", "soft_affinity", "workload", NULL };
    const struct json *n, *vs, *r, *w;
    unsigned int count = 1;

    if ( !want(c, j, JSON_OBJECT, "a domain") ||
         !only_keys(c, j, keys, "a domain") )
        return false;
    n = json_get(j, "name");
    if ( !n )
        return err(c, j->line, "a domain needs a \"name\"");
    if ( !want(c, n, JSON_STRING, "name") )
        return false;
    if ( !n->str[0] || strlen(n->str) >= SCN_NAME_LEN )
        return err(c, n->line, "name must be 1..%d characters",
                   SCN_NAME_LEN - 1);
    strcpy(d->name, n->str);
    if ( !get_uint(c, j, "pool", 0, 1000000, &d->pool) ||
         !get_uint(c, j, "weight", 1, 65535, &d->weight) ||
         !get_uint(c, j, "cap", 0, 6400, &d->cap) )
        return false;
    if ( (r = json_get(j, "rtds")) && !get_rtds(c, r, &d->rtds) )
        return false;
    vs = json_get(j, "vcpus");
    w = json_get(j, "workload");
    if ( vs && vs->type == JSON_ARRAY )
        count = (unsigned int)vs->n;
    else if ( !get_uint(c, j, "vcpus", 1, 1024, &count) )
        return false;
    /* An rt-app file for the whole domain: one vCPU per task. */
    if ( !vs && w && w->type == JSON_OBJECT && json_get(w, "rtapp") &&
         !json_get(w, "task") &&
         !(count = (unsigned int)scn_rtapp_ntasks(c, json_get(w, "rtapp"))) )
        return false;
    if ( count == 0 )
        return err(c, vs->line, "a domain needs at least one vCPU");
    if ( d->cap > 100 * count )
        return err(c, json_get(j, "cap")->line,
                   "cap %u%% is more than %u vCPUs can use", d->cap, count);
    d->nvcpus = count;
    d->vcpus = calloc(count, sizeof(*d->vcpus));
    for ( unsigned int i = 0; i < count; i++ )
        if ( !get_vcpu(c, j, vs && vs->type == JSON_ARRAY ? vs->items[i]
                                                          : NULL,
                       sc->pcpus, i, &d->vcpus[i]) )
            return false;
    return true;
}
