/* SPDX-License-Identifier: MIT */
/*
 * --out DIR: vcpus.csv, domains.csv, pcpus.csv (one row per scheduler
 * run and entity), vcpus.json (one object per run and vCPU) and
 * summary.json (one object per run).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static FILE *open_in(const char *dir, const char *name, bool first)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, first ? "w" : "a");
    if ( !f )
        fprintf(stderr, "schedsim: %s: %s\n", path, strerror(errno));
    return f;
}

/* One vCPU's wake-up latencies and job response times. */
struct vcpu_stats {
    struct lat_stats lat, resp;
};

static void vcpu_stats(const struct sim_vcpu *v, struct vcpu_stats *st)
{
    stats_of(v->lat, v->nlat, &st->lat);
    stats_of(v->resp, v->nresp, &st->resp);
}

static void write_vcpus(FILE *f, const struct sim_run *r, bool first)
{
    if ( first )
        fprintf(f, "sched,domain,vcpu,cpu_ms,running_ms,runnable_ms,"
                "blocked_ms,offline_ms,switches,migrations,wakes,"
                "lat_p50_us,lat_p95_us,lat_p99_us,lat_max_us,cpus_used,"
                "jobs,deadline_misses,resp_p50_us,resp_p99_us,"
                "resp_max_us\n");
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            struct sim_vcpu *v = &r->doms[i].vcpus[k];
            s_time_t t[NR_RUNSTATES];
            struct vcpu_stats st;
            const char *sep = "";

            vcpu_stats(v, &st);
            sched_unit_runstate(&v->unit, r->duration, t);
            fprintf(f, "%s,%s,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%llu,"
                    "%.3f,%.3f,%.3f,%.3f,", r->sched,
                    r->sc->domains[i].name, k, (double)v->cpu_ns / 1e6,
                    (double)t[0] / 1e6, (double)t[1] / 1e6,
                    (double)t[2] / 1e6, (double)t[3] / 1e6,
                    (unsigned long long)v->switches,
                    (unsigned long long)v->migrations,
                    (unsigned long long)v->wakes, st.lat.p50, st.lat.p95,
                    st.lat.p99, st.lat.max);
            for ( unsigned int c = 0; c < 64; c++ )
                if ( (v->cpus_used >> c) & 1 )
                {
                    fprintf(f, "%s%u", sep, c);
                    sep = ";";
                }
            fprintf(f, ",%llu,%llu,%.3f,%.3f,%.3f\n",
                    (unsigned long long)v->jobs_done,
                    (unsigned long long)v->deadline_misses, st.resp.p50,
                    st.resp.p99, st.resp.max);
        }
}

/* vcpus.json: the same as vcpus.csv, one object per vCPU and run. */
static void write_vcpus_json(FILE *f, const struct sim_run *r, bool first)
{
    const char *sep = first ? "[\n  " : ",\n  ";

    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            struct sim_vcpu *v = &r->doms[i].vcpus[k];
            s_time_t t[NR_RUNSTATES];
            struct vcpu_stats st;

            vcpu_stats(v, &st);
            sched_unit_runstate(&v->unit, r->duration, t);
            fprintf(f, "%s{\"sched\": \"%s\", \"domain\": \"%s\", "
                    "\"vcpu\": %zu, \"cpu_ms\": %.6f, \"running_ms\": "
                    "%.6f, \"runnable_ms\": %.6f, \"blocked_ms\": %.6f, "
                    "\"offline_ms\": %.6f, \"switches\": %llu, "
                    "\"migrations\": %llu, \"wakes\": %llu, "
                    "\"latency_us\": {\"n\": %zu, \"p50\": %.3f, "
                    "\"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
                    "\"jobs\": %llu, \"deadline_misses\": %llu, "
                    "\"response_us\": {\"n\": %zu, \"p50\": %.3f, "
                    "\"p99\": %.3f, \"max\": %.3f}}", sep, r->sched,
                    r->sc->domains[i].name, k, (double)v->cpu_ns / 1e6,
                    (double)t[0] / 1e6, (double)t[1] / 1e6,
                    (double)t[2] / 1e6, (double)t[3] / 1e6,
                    (unsigned long long)v->switches,
                    (unsigned long long)v->migrations,
                    (unsigned long long)v->wakes, st.lat.n, st.lat.p50,
                    st.lat.p95, st.lat.p99, st.lat.max,
                    (unsigned long long)v->jobs_done,
                    (unsigned long long)v->deadline_misses, st.resp.n,
                    st.resp.p50, st.resp.p99, st.resp.max);
            sep = ",\n  ";
        }
}

static void write_domains(FILE *f, const struct sim_run *r,
                          const struct report *rep, bool first)
{
    if ( first )
        fprintf(f, "sched,domain,pool,sched_start,sched_end,weight,cap,"
                "share,entitled\n");
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
    {
        const struct scn_domain *d = &r->sc->domains[i];

        fprintf(f, "%s,%s,%u,%s,%s,%u,%u,%.6f,%.6f\n", r->sched, d->name,
                d->pool, r->doms[i].first_sched, r->doms[i].last_sched,
                d->weight ? d->weight : 256, d->cap, rep->dom[i].share,
                rep->dom[i].entitled);
    }
}

static void write_pcpus(FILE *f, const struct sim_run *r, bool first)
{
    if ( first )
        fprintf(f, "sched,cpu,util,switches,vcpus_run,pool,socket,core,"
                "thread,node,rq_mean,rq_max\n");
    for ( unsigned int c = 0; c < r->sc->pcpus; c++ )
    {
        /* Where the framework thinks the pCPU sits (the topology given
         * to sched_set_cpu_topology) and its pool at the end. */
        struct cpu_topology t = sched_cpu_topology(c);
        unsigned int seen = 0;

        for ( size_t i = 0; i < r->sc->ndomains; i++ )
            for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
                seen += (r->doms[i].vcpus[k].cpus_used >> c) & 1;
        fprintf(f, "%s,%u,%.6f,%llu,%u,%u,%u,%u,%u,%u,%.4f,%u\n", r->sched,
                c, (double)r->pcpus[c].busy_ns / (double)r->duration,
                (unsigned long long)r->pcpus[c].switches, seen,
                cpupool_of_cpu(c), t.socket, t.core, t.thread, t.node,
                r->samples ? (double)r->pcpus[c].rq_sum /
                             (double)r->samples : 0,
                r->pcpus[c].rq_max);
    }
}

bool output_write(const char *dir, const struct sim_run *r,
                  const struct report *rep, bool first)
{
    FILE *v, *d, *p, *j, *vj;

    if ( first && mkdir(dir, 0777) && errno != EEXIST )
    {
        fprintf(stderr, "schedsim: %s: %s\n", dir, strerror(errno));
        return false;
    }
    v = open_in(dir, "vcpus.csv", first);
    d = open_in(dir, "domains.csv", first);
    p = open_in(dir, "pcpus.csv", first);
    j = open_in(dir, "summary.json", first);
    vj = open_in(dir, "vcpus.json", first);
    if ( v && d && p && j && vj )
    {
        write_vcpus(v, r, first);
        write_vcpus_json(vj, r, first);
        write_domains(d, r, rep, first);
        write_pcpus(p, r, first);
        fprintf(j, "%s{\"scenario\": \"%s\", \"sched\": \"%s\", "
                "\"seed\": %llu, \"pcpus\": %u, \"duration_ns\": %lld, "
                "\"fairness\": %.6f, \"latency_us\": {\"n\": %zu, "
                "\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, "
                "\"max\": %.3f}, \"switches\": %llu, \"migrations\": %llu, "
                "\"util\": %.6f, \"rq_mean\": %.4f, "
                "\"events\": %llu, \"decisions\": %llu, "
                "\"violations\": %d, \"domains\": [",
                first ? "[\n  " : ",\n  ",
                r->sc->file, r->sched, (unsigned long long)r->seed,
                r->sc->pcpus, (long long)r->duration, rep->fairness,
                rep->lat.n,
                rep->lat.p50, rep->lat.p95, rep->lat.p99, rep->lat.max,
                (unsigned long long)rep->switches,
                (unsigned long long)rep->migrations, rep->util,
                rep->rq_mean, (unsigned long long)r->events,
                (unsigned long long)r->decisions, r->violations);
        /* Each domain's share against its entitlement (domains.csv). */
        for ( size_t i = 0; i < r->sc->ndomains; i++ )
            fprintf(j, "%s{\"name\": \"%s\", \"share\": %.6f, "
                    "\"entitled\": %.6f}", i ? ", " : "",
                    r->sc->domains[i].name, rep->dom[i].share,
                    rep->dom[i].entitled);
        fprintf(j, "]}");
    }
    if ( v ) fclose(v);
    if ( d ) fclose(d);
    if ( p ) fclose(p);
    if ( j ) fclose(j);
    if ( vj ) fclose(vj);
    return v && d && p && j && vj;
}

bool output_finish(const char *dir)
{
    static const char *const files[] = { "summary.json", "vcpus.json" };

    for ( int i = 0; i < 2; i++ )
    {
        FILE *j = open_in(dir, files[i], false);

        if ( !j )
            return false;
        fprintf(j, "\n]\n");
        fclose(j);
    }
    return true;
}
