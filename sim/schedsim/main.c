/* SPDX-License-Identifier: MIT */
/*
 * schedsim SCENARIO [--sched NAME|all] [--seed N] [--duration T] [--out DIR]
 *          [--check] [--trace FILE] [--plot]
 *
 * Runs Orrery's scheduler code (core/sched, the same files the hypervisor
 * runs) on a scenario in virtual time and reports what each domain got.
 * Exit status: 0 fine, 1 an invariant broke, 2 bad usage or scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/sched-if.h>

#include "report.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: schedsim SCENARIO [--sched NAME|all] [--seed N] "
            "[--duration T] [--out DIR] [--check]\n"
            "                [--trace FILE] [--plot]\n"
            "  T is a time with a unit: 500ms, 10s, 2000us (default: the "
            "scenario's)\n  schedulers:");
    for ( unsigned int i = 0; sched_registry[i]; i++ )
        fprintf(stderr, " %s", sched_registry[i]->opt_name);
    fprintf(stderr, "\n");
    exit(2);
}

static int64_t parse_time(const char *s)
{
    char *end;
    double v = strtod(s, &end);

    if ( end == s || v <= 0 )
        return -1;
    if ( !strcmp(end, "s") )
        return (int64_t)(v * 1e9);
    if ( !strcmp(end, "ms") )
        return (int64_t)(v * 1e6);
    if ( !strcmp(end, "us") )
        return (int64_t)(v * 1e3);
    if ( !strcmp(end, "ns") )
        return (int64_t)v;
    return -1;
}

int main(int argc, char **argv)
{
    const char *file = NULL, *sched = NULL, *out = NULL;
    const char *names[16];
    unsigned int nnames = 0, nrun = 0;
    uint64_t seed = 1;
    struct sim_opts opts = { 0 };
    const char *trace = NULL;
    char trace_path[4096];
    int64_t duration = 0;
    struct scenario sc;
    int status = 0;

    for ( int i = 1; i < argc; i++ )
    {
        const char *a = argv[i];

        if ( !strcmp(a, "--sched") && i + 1 < argc )
            sched = argv[++i];
        else if ( !strcmp(a, "--seed") && i + 1 < argc )
            seed = strtoull(argv[++i], NULL, 0);
        else if ( !strcmp(a, "--duration") && i + 1 < argc )
        {
            duration = parse_time(argv[++i]);
            if ( duration <= 0 )
            {
                fprintf(stderr, "schedsim: bad --duration '%s'\n", argv[i]);
                return 2;
            }
        }
        else if ( !strcmp(a, "--trace") && i + 1 < argc )
            trace = argv[++i];
        else if ( !strcmp(a, "--plot") )
            opts.timeline = true;
        else if ( !strcmp(a, "--check") )
            opts.check_all = true;
        else if ( !strcmp(a, "--out") && i + 1 < argc )
            out = argv[++i];
        else if ( a[0] == '-' || file )
            usage();
        else
            file = a;
    }
    if ( !file )
        usage();
    if ( opts.timeline && !out )
    {
        fprintf(stderr, "schedsim: --plot needs --out DIR (the charts go "
                "there)\n");
        return 2;
    }
    if ( !scenario_load(file, &sc) )
        return 2;
    if ( !duration )
        duration = sc.duration_ns;

    if ( sched && !strcmp(sched, "all") )
        for ( unsigned int i = 0; sched_registry[i] && nnames < 16; i++ )
            names[nnames++] = sched_registry[i]->opt_name;
    else if ( sched || sc.sched[0] )
    {
        names[nnames++] = sched ? sched : sc.sched;
        if ( sched_id_of(names[0]) < 0 )
        {
            fprintf(stderr, "schedsim: unknown scheduler '%s'\n", names[0]);
            usage();
        }
    }
    else
        names[nnames++] = sched_default_name();

    if ( nnames > 1 )
        compare_print_header();
    for ( unsigned int i = 0; i < nnames; i++ )
    {
        struct sim_run r;
        struct report rep;

        /* One trace per run: FILE, or FILE.SCHED for --sched all. */
        if ( trace && nnames > 1 )
            snprintf(trace_path, sizeof(trace_path), "%s.%s", trace,
                     names[i]);
        else if ( trace )
            snprintf(trace_path, sizeof(trace_path), "%s", trace);
        opts.trace = trace ? trace_path : NULL;
        if ( !sim_run(&r, &sc, names[i], seed, duration, &opts) )
        {
            sim_run_free(&r);
            /* --sched all compares the schedulers that take the
             * scenario; the one that does not said why. */
            if ( nnames > 1 )
            {
                fprintf(stderr, "schedsim: %s left out of the comparison\n",
                        names[i]);
                continue;
            }
            scenario_free(&sc);
            return 2;
        }
        report_build(&r, &rep);
        if ( nnames > 1 )
            compare_print(&r, &rep);
        else
            report_print(&r, &rep);
        if ( out && (!output_write(out, &r, &rep, nrun == 0) ||
                     (nnames > 1 &&
                      !compare_write(out, &r, &rep, nrun == 0)) ||
                     (opts.timeline &&
                      !output_timeline(out, &r, nrun == 0))) )
            status = 2;
        nrun++;
        if ( r.violations )
            status = status ? status : 1;
        report_free(&rep);
        sim_run_free(&r);
    }
    if ( out && nrun && !output_finish(out) )
        status = 2;
    if ( !nrun )
        status = 2;
    else if ( opts.timeline && !plot_run(out) )
        status = 2;
    scenario_free(&sc);
    return status;
}
