/* SPDX-License-Identifier: MIT */
/*
 * schedsim-bench: a 64-pCPU / 256-vCPU mixed scenario under each
 * registered scheduler; prints scheduling events per second and
 * simulated seconds per host second, as "name: value unit" lines.
 * Rates are per second of host CPU time (one core, this process), the
 * measure that does not depend on what else the machine runs; the wall
 * time of the run is printed too.
 * Usage: schedsim-bench [SCENARIO] [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/sched-if.h>

#include "../../sim/schedsim/engine.h"

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : SCHEDSIM_BENCH_SCENARIO;
    double secs = argc > 2 ? atof(argv[2]) : 10;
    struct scenario sc;

#ifdef SCHEDSIM_BENCH_SANITIZED
    fprintf(stderr, "schedsim-bench: built with sanitizers; the figures "
            "that count come from `make bench`\n");
#endif
    if ( secs <= 0 || !scenario_load(file, &sc) )
        return 2;
    for ( unsigned int i = 0; sched_registry[i]; i++ )
    {
        const char *name = sched_registry[i]->opt_name;
        struct sim_run r;
        double cpu;

        /* ARINC653 runs only what its schedule names: without one in
         * the scenario there is nothing to measure. */
        if ( !strcmp(name, "arinc653") && !sc.pools[0].params.arinc653 )
        {
            fprintf(stderr, "schedsim-bench: arinc653 skipped (the "
                    "scenario gives it no schedule)\n");
            continue;
        }
        /* A scheduler that cannot take the scenario (it says why) is
         * left out rather than failing the others. */
        if ( !sim_run(&r, &sc, name, 1, (int64_t)(secs * 1e9), NULL) )
        {
            fprintf(stderr, "schedsim-bench: %s skipped\n", name);
            sim_run_free(&r);
            continue;
        }
        cpu = r.cpu_s > 0 ? r.cpu_s : 1e-9;
        printf("%s.events_per_s: %.0f events/s\n", name,
               (double)r.events / cpu);
        printf("%s.decisions_per_s: %.0f decisions/s\n", name,
               (double)r.decisions / cpu);
        printf("%s.sim_s_per_host_s: %.2f s/s\n", name, secs / cpu);
        printf("%s.cpu_for_60_sim_s: %.2f s\n", name, 60.0 * cpu / secs);
        printf("%s.wall_for_60_sim_s: %.2f s\n", name,
               60.0 * r.wall_s / secs);
        if ( r.violations )
            fprintf(stderr, "%s: %d invariant violations\n", name,
                    r.violations);
        sim_run_free(&r);
    }
    scenario_free(&sc);
    return 0;
}
