/* SPDX-License-Identifier: MIT */
/*
 * schedsim-bench: a 64-pCPU / 256-vCPU mixed scenario under each
 * registered scheduler; prints scheduling events per second of host time
 * and simulated seconds per host second, as "name: value unit" lines.
 * Usage: schedsim-bench [SCENARIO] [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>

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

        /* A scheduler that cannot take the scenario (it says why) is
         * left out rather than failing the others. */
        if ( !sim_run(&r, &sc, name, 1, (int64_t)(secs * 1e9), NULL) )
        {
            fprintf(stderr, "schedsim-bench: %s skipped\n", name);
            sim_run_free(&r);
            continue;
        }
        printf("%s.events_per_s: %.0f events/s\n", name,
               (double)r.events / r.wall_s);
        printf("%s.decisions_per_s: %.0f decisions/s\n", name,
               (double)r.decisions / r.wall_s);
        printf("%s.sim_s_per_host_s: %.2f s/s\n", name, secs / r.wall_s);
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
