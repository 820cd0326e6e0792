/* SPDX-License-Identifier: MIT */
/*
 * schedsim-bench: a 64-pCPU / 256-vCPU mixed scenario under each
 * scheduler; prints scheduling events per second of host time and
 * simulated seconds per host second, as "name: value unit" lines.
 * Usage: schedsim-bench [SCENARIO] [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../sim/schedsim/engine.h"

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : SCHEDSIM_BENCH_SCENARIO;
    double secs = argc > 2 ? atof(argv[2]) : 10;
    static const char *const scheds[] = { "credit", "null" };
    struct scenario sc;

    if ( secs <= 0 || !scenario_load(file, &sc) )
        return 2;
    for ( unsigned int i = 0; i < 2; i++ )
    {
        struct sim_run r;

        if ( !sim_run(&r, &sc, scheds[i], 1, (int64_t)(secs * 1e9)) )
            return 2;
        printf("%s.events_per_s: %.0f events/s\n", scheds[i],
               (double)r.events / r.wall_s);
        printf("%s.decisions_per_s: %.0f decisions/s\n", scheds[i],
               (double)r.decisions / r.wall_s);
        printf("%s.sim_s_per_host_s: %.2f s/s\n", scheds[i],
               secs / r.wall_s);
        printf("%s.wall_for_60_sim_s: %.2f s\n", scheds[i],
               60.0 * r.wall_s / secs);
        if ( r.violations )
            fprintf(stderr, "%s: %d invariant violations\n", scheds[i],
                    r.violations);
        sim_run_free(&r);
    }
    scenario_free(&sc);
    return 0;
}
