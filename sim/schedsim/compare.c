/* SPDX-License-Identifier: MIT */
/*
 * --sched all: one row per scheduler of the same scenario, printed and
 * (with --out) written as comparison.csv.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *const cols[] = {
    "sched", "fairness", "lat_p50_us", "lat_p95_us", "lat_p99_us",
    "lat_max_us", "switches", "migrations", "jobs", "deadline_misses",
    "util", "rq_mean", "events_per_s" };
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

struct row {
    double v[NCOLS];
};

static void fill(const struct sim_run *r, const struct report *rep,
                 struct row *w)
{
    double jobs = 0, misses = 0;

    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            jobs += (double)r->doms[i].vcpus[k].jobs_done;
            misses += (double)r->doms[i].vcpus[k].deadline_misses;
        }
    *w = (struct row){ { 0, rep->fairness, rep->lat.p50, rep->lat.p95,
        rep->lat.p99, rep->lat.max, (double)rep->switches,
        (double)rep->migrations, jobs, misses, rep->util, rep->rq_mean,
        r->wall_s > 0 ? (double)r->events / r->wall_s : 0 } };
}

void compare_print_header(void)
{
    printf("%-9s %8s %9s %9s %9s %9s %9s %9s %8s %8s %6s %6s %11s\n",
           "sched", "fairness", "p50_us", "p95_us", "p99_us", "max_us",
           "switches", "migrate", "jobs", "misses", "util", "rq", "events/s");
}

void compare_print(const struct sim_run *r, const struct report *rep)
{
    struct row w;

    fill(r, rep, &w);
    printf("%-9s %8.4f %9.1f %9.1f %9.1f %9.1f %9.0f %9.0f %8.0f %8.0f "
           "%6.3f %6.2f %11.0f\n", r->sched, w.v[1], w.v[2], w.v[3], w.v[4],
           w.v[5], w.v[6], w.v[7], w.v[8], w.v[9], w.v[10], w.v[11],
           w.v[12]);
}

bool compare_write(const char *dir, const struct sim_run *r,
                   const struct report *rep, bool first)
{
    char path[4096];
    struct row w;
    FILE *f;

    snprintf(path, sizeof(path), "%s/comparison.csv", dir);
    f = fopen(path, first ? "w" : "a");
    if ( !f )
    {
        fprintf(stderr, "schedsim: %s: %s\n", path, strerror(errno));
        return false;
    }
    fill(r, rep, &w);
    for ( size_t i = 0; first && i < NCOLS; i++ )
        fprintf(f, "%s%s", cols[i], i + 1 < NCOLS ? "," : "\n");
    fprintf(f, "%s,%.6f,%.3f,%.3f,%.3f,%.3f,%.0f,%.0f,%.0f,%.0f,%.6f,%.4f,"
            "%.0f\n", r->sched, w.v[1], w.v[2], w.v[3], w.v[4], w.v[5],
            w.v[6], w.v[7], w.v[8], w.v[9], w.v[10], w.v[11], w.v[12]);
    return fclose(f) == 0;
}
