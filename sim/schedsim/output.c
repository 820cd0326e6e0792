/* SPDX-License-Identifier: MIT */
/*
 * --out DIR: vcpus.csv, domains.csv, pcpus.csv (one row per scheduler
 * run and entity) and summary.json (one object per run).
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

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static void write_vcpus(FILE *f, const struct sim_run *r, bool first)
{
    if ( first )
        fprintf(f, "sched,domain,vcpu,cpu_ms,running_ms,runnable_ms,"
                "blocked_ms,offline_ms,switches,migrations,wakes,"
                "lat_p50_us,lat_p95_us,lat_p99_us,lat_max_us,cpus_used\n");
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            struct sim_vcpu *v = &r->doms[i].vcpus[k];
            s_time_t t[NR_RUNSTATES];
            struct lat_stats l = { 0 };
            int64_t *lat = malloc((v->nlat + 1) * sizeof(*lat));
            const char *sep = "";

            /* Per-vCPU percentiles (nearest rank): sort a copy. */
            if ( v->nlat )
                memcpy(lat, v->lat, v->nlat * sizeof(*lat));
            qsort(lat, v->nlat, sizeof(*lat), cmp_i64);
            if ( v->nlat )
            {
                l.p50 = (double)lat[(v->nlat - 1) / 2] / 1e3;
                l.p95 = (double)lat[(v->nlat * 95 - 1) / 100] / 1e3;
                l.p99 = (double)lat[(v->nlat * 99 - 1) / 100] / 1e3;
                l.max = (double)lat[v->nlat - 1] / 1e3;
            }
            free(lat);
            sched_unit_runstate(&v->unit, r->duration, t);
            fprintf(f, "%s,%s,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%llu,"
                    "%.3f,%.3f,%.3f,%.3f,", r->sched,
                    r->sc->domains[i].name, k, (double)v->cpu_ns / 1e6,
                    (double)t[0] / 1e6, (double)t[1] / 1e6,
                    (double)t[2] / 1e6, (double)t[3] / 1e6,
                    (unsigned long long)v->switches,
                    (unsigned long long)v->migrations,
                    (unsigned long long)v->wakes, l.p50, l.p95, l.p99,
                    l.max);
            for ( unsigned int c = 0; c < 64; c++ )
                if ( (v->cpus_used >> c) & 1 )
                {
                    fprintf(f, "%s%u", sep, c);
                    sep = ";";
                }
            fputc('\n', f);
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
        fprintf(f, "sched,cpu,util,switches,vcpus_run\n");
    for ( unsigned int c = 0; c < r->sc->pcpus; c++ )
    {
        unsigned int seen = 0;

        for ( size_t i = 0; i < r->sc->ndomains; i++ )
            for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
                seen += (r->doms[i].vcpus[k].cpus_used >> c) & 1;
        fprintf(f, "%s,%u,%.6f,%llu,%u\n", r->sched, c,
                (double)r->pcpus[c].busy_ns / (double)r->duration,
                (unsigned long long)r->pcpus[c].switches, seen);
    }
}

bool output_write(const char *dir, const struct sim_run *r,
                  const struct report *rep, bool first)
{
    FILE *v, *d, *p, *j;

    if ( first && mkdir(dir, 0777) && errno != EEXIST )
    {
        fprintf(stderr, "schedsim: %s: %s\n", dir, strerror(errno));
        return false;
    }
    v = open_in(dir, "vcpus.csv", first);
    d = open_in(dir, "domains.csv", first);
    p = open_in(dir, "pcpus.csv", first);
    j = open_in(dir, "summary.json", first);
    if ( v && d && p && j )
    {
        write_vcpus(v, r, first);
        write_domains(d, r, rep, first);
        write_pcpus(p, r, first);
        fprintf(j, "%s{\"scenario\": \"%s\", \"sched\": \"%s\", "
                "\"seed\": %llu, \"duration_ns\": %lld, "
                "\"fairness\": %.6f, \"latency_us\": {\"n\": %zu, "
                "\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, "
                "\"max\": %.3f}, \"switches\": %llu, \"migrations\": %llu, "
                "\"events\": %llu, \"decisions\": %llu, "
                "\"violations\": %d}", first ? "[\n  " : ",\n  ",
                r->sc->file, r->sched, (unsigned long long)r->seed,
                (long long)r->duration, rep->fairness, rep->lat.n,
                rep->lat.p50, rep->lat.p95, rep->lat.p99, rep->lat.max,
                (unsigned long long)rep->switches,
                (unsigned long long)rep->migrations,
                (unsigned long long)r->events,
                (unsigned long long)r->decisions, r->violations);
    }
    if ( v ) fclose(v);
    if ( d ) fclose(d);
    if ( p ) fclose(p);
    if ( j ) fclose(j);
    return v && d && p && j;
}

bool output_finish(const char *dir)
{
    FILE *j = open_in(dir, "summary.json", false);

    if ( !j )
        return false;
    fprintf(j, "\n]\n");
    fclose(j);
    return true;
}
