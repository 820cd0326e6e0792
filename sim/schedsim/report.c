/* SPDX-License-Identifier: MIT */
/*
 * What a run measured: CPU share against entitled share per domain,
 * Jain's fairness index, wake-to-run latency percentiles, context
 * switches, migrations, pCPU utilisation. Printed as tables, written as
 * CSV and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted @v; 0 when empty. */
static double pct(const int64_t *v, size_t n, double p)
{
    size_t k;

    if ( !n )
        return 0;
    k = (size_t)(p / 100.0 * (double)n + 0.999999);
    k = k ? k - 1 : 0;
    return (double)v[k < n ? k : n - 1];
}

static void lat_stats(int64_t *v, size_t n, struct lat_stats *l)
{
    qsort(v, n, sizeof(*v), cmp_i64);
    l->n = n;
    l->p50 = pct(v, n, 50) / 1e3;
    l->p95 = pct(v, n, 95) / 1e3;
    l->p99 = pct(v, n, 99) / 1e3;
    l->max = n ? (double)v[n - 1] / 1e3 : 0;
}

void stats_of(const int64_t *v, size_t n, struct lat_stats *l)
{
    int64_t *copy = malloc((n + 1) * sizeof(*copy));

    if ( n )
        memcpy(copy, v, n * sizeof(*copy));
    lat_stats(copy, n, l);
    free(copy);
}

/* How much of a pCPU a vCPU wants: 1 for cpu-bound, C/T for periodic
 * jobs, else run/(run+sleep). */
double vcpu_demand(const struct scn_vcpu *s)
{
    double run = 0, all = 0;

    if ( s->cpu_bound )
        return 1;
    if ( s->periodic )
        return (double)s->job.c_ns / (double)s->job.t_ns;
    for ( size_t i = 0; i < s->nphases; i++ )
    {
        /* A timer phase waits about a period, a notified one for as
         * long as the other side takes: not counted. */
        run += (double)s->phases[i].run_ns;
        all += (double)(s->phases[i].run_ns + s->phases[i].sleep_ns +
                        s->phases[i].timer_ns);
    }
    return all > 0 ? run / all : 0;
}

void report_build(const struct sim_run *r, struct report *rep)
{
    const struct scenario *sc = r->sc;
    double dur = (double)r->duration, sx = 0, sxx = 0;
    size_t nall = 0, nfair = 0;
    int64_t *all;

    memset(rep, 0, sizeof(*rep));
    rep->dom = calloc(sc->ndomains, sizeof(*rep->dom));
    for ( size_t i = 0; i < sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
            nall += r->doms[i].vcpus[k].nlat;
    all = malloc((nall + 1) * sizeof(*all));
    nall = 0;
    entitle(r, rep);
    for ( size_t i = 0; i < sc->ndomains; i++ )
    {
        struct dom_report *dr = &rep->dom[i];

        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            const struct sim_vcpu *v = &r->doms[i].vcpus[k];

            dr->cpu_ns += v->cpu_ns;
            rep->switches += v->switches;
            rep->migrations += v->migrations;
            if ( v->nlat )
                memcpy(all + nall, v->lat, v->nlat * sizeof(*all));
            nall += v->nlat;
        }
        dr->share = (double)dr->cpu_ns / dur;
        if ( dr->entitled > 0 )
        {
            double x = dr->share / dr->entitled;

            sx += x;
            sxx += x * x;
            nfair++;
        }
    }
    for ( unsigned int c = 0; c < sc->pcpus; c++ )
    {
        rep->util += (double)r->pcpus[c].busy_ns / dur / sc->pcpus;
        if ( r->samples )
            rep->rq_mean += (double)r->pcpus[c].rq_sum /
                            (double)r->samples / sc->pcpus;
    }
    /* Jain's index over the domains' share/entitlement ratios. */
    rep->fairness = sxx > 0 ? sx * sx / ((double)nfair * sxx) : 1;
    lat_stats(all, nall, &rep->lat);
    free(all);
}

void report_free(struct report *rep)
{
    free(rep->dom);
    rep->dom = NULL;
}

void report_print(const struct sim_run *r, const struct report *rep)
{
    const struct scenario *sc = r->sc;

    printf("== %s, sched %s, seed %llu, %.3f s simulated\n", sc->file,
           r->sched, (unsigned long long)r->seed, (double)r->duration / 1e9);
    printf("%-16s %-8s %8s %9s %8s\n", "domain", "sched", "share",
           "entitled", "ratio");
    for ( size_t i = 0; i < sc->ndomains; i++ )
    {
        const struct dom_report *dr = &rep->dom[i];

        printf("%-16s %-8s %8.4f %9.4f %8.4f\n", sc->domains[i].name,
               r->doms[i].last_sched, dr->share, dr->entitled,
               dr->entitled > 0 ? dr->share / dr->entitled : 0);
    }
    printf("fairness %.4f  latency us p50 %.1f p95 %.1f p99 %.1f max %.1f"
           "  switches %llu  migrations %llu\n", rep->fairness,
           rep->lat.p50, rep->lat.p95, rep->lat.p99, rep->lat.max,
           (unsigned long long)rep->switches,
           (unsigned long long)rep->migrations);
    printf("pCPU utilisation %.4f  runqueue length %.3f (mean per pCPU)\n",
           rep->util, rep->rq_mean);
    printf("events %llu  decisions %llu  %.0f events/s  %.1f simulated s "
           "per host s  invariant violations %d\n",
           (unsigned long long)r->events, (unsigned long long)r->decisions,
           r->wall_s > 0 ? (double)r->events / r->wall_s : 0,
           r->wall_s > 0 ? (double)r->duration / 1e9 / r->wall_s : 0,
           r->violations);
}
