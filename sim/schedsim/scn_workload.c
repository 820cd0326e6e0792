/* SPDX-License-Identifier: MIT */
/*
 * What a vCPU does ("workload" of a domain or vCPU): "cpu" (always
 * runnable), "phases" (run, notify another vCPU, then sleep or wait for a
 * notification, in a loop), "periodic" real-time jobs (C, D, T), or a
 * task of an rt-app file ("rtapp", scn_rtapp.c).
 */
#include <stdlib.h>
#include <string.h>

#include "scn_parse.h"

/* "notify": NAME (its vCPU 0) or {"domain": NAME, "vcpu": N}; the name
 * is resolved once every domain is known (scn_resolve_notify). */
static bool get_notify(struct ctx *c, const struct json *n,
                       struct scn_phase *ph)
{
    static const char *const keys[] = { "domain", "vcpu", NULL };
    const struct json *d = n;

    if ( n->type == JSON_OBJECT )
    {
        if ( !only_keys(c, n, keys, "notify") ||
             !get_uint(c, n, "vcpu", 0, 1023, &ph->notify_vcpu) )
            return false;
        if ( !(d = json_get(n, "domain")) )
            return err(c, n->line, "notify needs a \"domain\"");
    }
    if ( !want(c, d, JSON_STRING, "notify's domain") )
        return false;
    if ( strlen(d->str) >= SCN_NAME_LEN )
        return err(c, d->line, "no domain \"%s\"", d->str);
    strcpy(ph->notify_name, d->str);
    ph->notify_line = d->line;
    ph->notify = true;
    return true;
}

static bool get_phases(struct ctx *c, const struct json *j,
                       const struct json *ph, struct scn_vcpu *v)
{
    static const char *const pkeys[] = { "run_us", "sleep_us", "notify",
                                         "wait", NULL };
    double loops = -1;

    if ( !want(c, ph, JSON_ARRAY, "phases") )
        return false;
    if ( ph->n == 0 )
        return err(c, ph->line, "phases is empty");
    if ( !get_bool(c, j, "random", &v->random) ||
         !get_num(c, j, "loops", 1, 1e15, true, &loops) )
        return false;
    v->loops = (int64_t)loops;
    v->nphases = ph->n;
    v->phases = calloc(ph->n, sizeof(*v->phases));
    for ( size_t i = 0; i < ph->n; i++ )
    {
        const struct json *p = ph->items[i], *n;
        struct scn_phase *f = &v->phases[i];
        double run = -1, sleep = 0;

        if ( !want(c, p, JSON_OBJECT, "a phase") ||
             !only_keys(c, p, pkeys, "a phase") ||
             !get_num(c, p, "run_us", 0, 1e9, false, &run) ||
             !get_num(c, p, "sleep_us", 0, 1e9, false, &sleep) ||
             !get_bool(c, p, "wait", &f->wait) )
            return false;
        if ( run < 0 )
            return err(c, p->line, "a phase needs \"run_us\"");
        /* A phase that runs nothing must at least wait (a backend that
         * starts by waiting for its first request). */
        if ( run == 0 && !f->wait )
            return err(c, json_get(p, "run_us")->line, "run_us = 0 in a "
                       "phase that does not wait");
        if ( f->wait && json_get(p, "sleep_us") )
            return err(c, json_get(p, "wait")->line, "a phase waits for "
                       "a notification or sleeps, not both");
        if ( (n = json_get(p, "notify")) && !get_notify(c, n, f) )
            return false;
        f->run_ns = (int64_t)(run * 1000);
        f->sleep_ns = (int64_t)(sleep * 1000);
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
                      size_t index, struct scn_vcpu *v)
{
    static const char *const keys[] = { "phases", "random", "loops",
                                        "periodic", "rtapp", "task", NULL };
    const struct json *ph, *pe, *ra;

    if ( j->type == JSON_STRING )
    {
        if ( strcmp(j->str, "cpu") != 0 )
            return err(c, j->line, "unknown workload \"%s\" (\"cpu\" or "
                       "an object with \"phases\", \"periodic\" or "
                       "\"rtapp\")", j->str);
        v->cpu_bound = true;
        return true;
    }
    if ( !want(c, j, JSON_OBJECT, "workload") ||
         !only_keys(c, j, keys, "workload") )
        return false;
    v->loops = -1;
    ph = json_get(j, "phases");
    pe = json_get(j, "periodic");
    ra = json_get(j, "rtapp");
    if ( !!ph + !!pe + !!ra > 1 )
    {
        /* The line of the last of them: the one too many. */
        unsigned int line = 0;

        for ( size_t i = 0; i < j->n; i++ )
            if ( j->items[i] == ph || j->items[i] == pe ||
                 j->items[i] == ra )
                line = j->key_lines[i];
        return err(c, line, "a workload has one of \"phases\", "
                   "\"periodic\" and \"rtapp\"");
    }
    if ( ra )
    {
        static const char *const only[] = { "rtapp", "task", NULL };

        return only_keys(c, j, only, "an rtapp workload") &&
               scn_get_rtapp(c, ra, json_get(j, "task"), index, v);
    }
    if ( json_get(j, "task") )
        return err(c, json_get(j, "task")->line, "\"task\" goes with "
                   "\"rtapp\"");
    if ( pe )
    {
        if ( json_get(j, "random") || json_get(j, "loops") )
            return err(c, (json_get(j, "random") ?: json_get(j, "loops"))
                          ->line, "\"random\" and \"loops\" apply to "
                       "phases only");
        return get_periodic(c, pe, v);
    }
    if ( !ph )
        return err(c, j->line, "workload needs \"phases\", \"periodic\" "
                   "or \"rtapp\"");
    return get_phases(c, j, ph, v);
}

bool scn_resolve_notify(struct ctx *c, struct scenario *sc)
{
    for ( size_t i = 0; i < sc->ndomains; i++ )
        for ( size_t k = 0; k < sc->domains[i].nvcpus; k++ )
        {
            struct scn_vcpu *v = &sc->domains[i].vcpus[k];

            for ( size_t p = 0; p < v->nphases; p++ )
            {
                struct scn_phase *f = &v->phases[p];

                if ( !f->notify )
                    continue;
                f->notify_dom = scn_domain_index(sc, sc->ndomains,
                                                 f->notify_name);
                if ( f->notify_dom == sc->ndomains )
                    return err(c, f->notify_line, "notify: no domain "
                               "\"%s\"", f->notify_name);
                if ( f->notify_vcpu >= sc->domains[f->notify_dom].nvcpus )
                    return err(c, f->notify_line, "notify: domain \"%s\" "
                               "has no vCPU %u", f->notify_name,
                               f->notify_vcpu);
            }
        }
    return true;
}
