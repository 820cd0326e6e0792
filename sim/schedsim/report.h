/* SPDX-License-Identifier: MIT */
/* Metrics of one run (report.c) and their files (output.c). */
#ifndef SCHEDSIM_REPORT_H
#define SCHEDSIM_REPORT_H

#include <stdio.h>

#include "engine.h"

struct lat_stats {
    size_t n;
    double p50, p95, p99, max;      /* microseconds */
};

struct dom_report {
    int64_t cpu_ns;
    double share;                   /* pCPUs used, on average */
    double entitled;                /* pCPUs promised (entitle.c) */
};

struct report {
    struct dom_report *dom;
    double fairness;                /* Jain's index of share/entitled */
    struct lat_stats lat;           /* all wake-ups of the run */
    uint64_t switches, migrations;
    double util;                    /* mean pCPU utilisation */
    double rq_mean;                 /* mean runqueue length per pCPU */
};

/* Entitled shares of every domain (entitle.c). */
void entitle(const struct sim_run *r, struct report *rep);
/* How much of a pCPU a vCPU's workload wants. */
double vcpu_demand(const struct scn_vcpu *s);

/* Nearest-rank percentiles of @n values in ns (left unsorted). */
void stats_of(const int64_t *v, size_t n, struct lat_stats *l);

void report_build(const struct sim_run *r, struct report *rep);
void report_free(struct report *rep);
void report_print(const struct sim_run *r, const struct report *rep);

/* Append this run to the files in @dir (headers written when @first). */
bool output_write(const char *dir, const struct sim_run *r,
                  const struct report *rep, bool first);
/* --sched all: the comparison table (compare.c). */
void compare_print_header(void);
void compare_print(const struct sim_run *r, const struct report *rep);
bool compare_write(const char *dir, const struct sim_run *r,
                   const struct report *rep, bool first);

/* --plot: run the chart script on @dir (plot_run.c); false if it failed. */
bool plot_run(const char *dir);

/* timeline.csv and latency.csv (output_timeline.c), for --plot. */
bool output_timeline(const char *dir, const struct sim_run *r, bool first);
/* Close the JSON summary opened by the runs. */
bool output_finish(const char *dir);

#endif
