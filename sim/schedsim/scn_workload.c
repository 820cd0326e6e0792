/* SPDX-License-Identifier: MIT */
/*
 * What a vCPU does ("workload" of a domain or vCPU): "cpu" (always
 * runnable), run/sleep "phases", or "periodic" real-time jobs (C, D, T).
 */
#include <stdlib.h>
#include <string.h>

#include "scn_parse.h"

static bool get_phases(struct ctx *c, const struct json *j,
                       const struct json *ph, struct scn_vcpu *v)
{
    static const char *const pkeys[] = { "run_us", "sleep_us", NULL };

    if ( !want(c, ph, JSON_ARRAY, "phases") )
        return false;
    if ( ph->n == 0 )
        return err(c, ph->line, "phases is empty");
    if ( !get_bool(c, j, "random", &v->random) )
        return false;
    v->nphases = ph->n;
    v->phases = calloc(ph->n, sizeof(*v->phases));
    for ( size_t i = 0; i < ph->n; i++ )
    {
        const struct json *p = ph->items[i];
        double run = -1, sleep = 0;

        if ( !want(c, p, JSON_OBJECT, "a phase") ||
             !only_keys(c, p, pkeys, "a phase") ||
             !get_num(c, p, "run_us", 0.001, 1e9, false, &run) ||
             !get_num(c, p, "sleep_us", 0, 1e9, false, &sleep) )
            return false;
        if ( run < 0 )
            return err(c, p->line, "a phase needs \"run_us\"");
        v->phases[i].run_ns = (int64_t)(run * 1000);
        v->phases[i].sleep_ns = (int64_t)(sleep * 1000);
    }
    return true;
}

/*
 * {"c_us", "d_us", "t_us"}: a job of C us of CPU time released every T
 * us, due D us after its release (D defaults to T: implicit deadlines).
 * C <= D <= T (constrained deadlines), so that a vCPU with a pCPU of its
 * own meets every deadline and misses mean the scheduler fell short.
 */
static bool get_periodic(struct ctx *c, const struct json *p,
                         struct scn_vcpu *v)
{
    static const char *const keys[] = { "c_us", "d_us", "t_us", NULL };
    struct scn_periodic *job = &v->job;

    job->c_ns = job->d_ns = job->t_ns = -1;
    if ( !want(c, p, JSON_OBJECT, "periodic") ||
         !only_keys(c, p, keys, "periodic") ||
         !get_us(c, p, "c_us", 1, 1e9, &job->c_ns) ||
         !get_us(c, p, "d_us", 1, 1e9, &job->d_ns) ||
         !get_us(c, p, "t_us", 1, 1e9, &job->t_ns) )
        return false;
    if ( job->c_ns < 0 || job->t_ns < 0 )
        return err(c, p->line, "periodic needs \"c_us\" and \"t_us\"");
    if ( job->d_ns < 0 )
        job->d_ns = job->t_ns;
    if ( job->d_ns > job->t_ns )
        return err(c, json_get(p, "d_us")->line, "d_us = %lld is more "
                   "than t_us = %lld (deadlines must be constrained)",
                   (long long)job->d_ns / 1000, (long long)job->t_ns / 1000);
    if ( job->c_ns > job->d_ns )
        return err(c, json_get(p, "c_us")->line, "c_us = %lld is more "
                   "than the deadline (%lld us): every job would miss",
                   (long long)job->c_ns / 1000, (long long)job->d_ns / 1000);
    v->periodic = true;
    return true;
}

bool scn_get_workload(struct ctx *c, const struct json *j,
                      struct scn_vcpu *v)
{
    static const char *const keys[] = { "phases", "random", "periodic",
                                        NULL };
    const struct json *ph, *pe;

    if ( j->type == JSON_STRING )
    {
        if ( strcmp(j->str, "cpu") != 0 )
            return err(c, j->line, "unknown workload \"%s\" (\"cpu\" or "
                       "an object with \"phases\" or \"periodic\")", j->str);
        v->cpu_bound = true;
        return true;
    }
    if ( !want(c, j, JSON_OBJECT, "workload") ||
         !only_keys(c, j, keys, "workload") )
        return false;
    ph = json_get(j, "phases");
    pe = json_get(j, "periodic");
    if ( ph && pe )
        return err(c, pe->line, "a workload has \"phases\" or "
                   "\"periodic\", not both");
    if ( pe )
    {
        if ( json_get(j, "random") )
            return err(c, json_get(j, "random")->line, "\"random\" "
                       "applies to phases only");
        return get_periodic(c, pe, v);
    }
    if ( !ph )
        return err(c, j->line, "workload needs \"phases\" or \"periodic\"");
    return get_phases(c, j, ph, v);
}
