/* SPDX-License-Identifier: MIT */
/*
 * --out DIR with --plot: the raw series the charts are drawn from.
 * timeline.csv: every stint of a vCPU on a pCPU (sched, cpu, start_us,
 * end_us, domain, vcpu); latency.csv: every wake-to-run latency (sched,
 * domain, vcpu, latency_us), at most LAT_MAX per run (evenly thinned).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define LAT_MAX 200000

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

bool output_timeline(const char *dir, const struct sim_run *r, bool first)
{
    FILE *t = open_in(dir, "timeline.csv", first);
    FILE *l = open_in(dir, "latency.csv", first);
    size_t all = 0, stride;
    bool ok;

    if ( t && first )
        fprintf(t, "sched,cpu,start_us,end_us,domain,vcpu\n");
    if ( l && first )
        fprintf(l, "sched,domain,vcpu,latency_us\n");
    for ( size_t i = 0; t && i < r->nsegs; i++ )
    {
        const struct sim_seg *s = &r->segs[i];

        fprintf(t, "%s,%u,%.3f,%.3f,%s,%u\n", r->sched, s->cpu,
                (double)s->start / 1e3, (double)s->end / 1e3,
                r->sc->domains[s->dom].name, s->vcpu);
    }
    if ( r->segs_truncated )
        fprintf(stderr, "schedsim: %s: timeline.csv holds the first %u "
                "stints only\n", r->sched, SIM_TIMELINE_MAX);
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
            all += r->doms[i].vcpus[k].nlat;
    stride = all > LAT_MAX ? (all + LAT_MAX - 1) / LAT_MAX : 1;
    for ( size_t i = 0; l && i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            const struct sim_vcpu *v = &r->doms[i].vcpus[k];

            for ( size_t n = 0; n < v->nlat; n += stride )
                fprintf(l, "%s,%s,%zu,%.3f\n", r->sched,
                        r->sc->domains[i].name, k,
                        (double)v->lat[n] / 1e3);
        }
    ok = t && l && !ferror(t) && !ferror(l);
    if ( t ) ok = fclose(t) == 0 && ok;
    if ( l ) ok = fclose(l) == 0 && ok;
    return ok;
}
