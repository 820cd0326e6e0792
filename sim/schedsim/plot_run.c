/* SPDX-License-Identifier: MIT */
/*
 * --plot: run sim/schedsim/plot.py (Python 3 + matplotlib, Debian's
 * python3-matplotlib) on the --out directory. The interpreter is the one
 * CMake found with matplotlib (SCHEDSIM_PLOT_PYTHON), or $SCHEDSIM_PYTHON.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "report.h"

extern char **environ;

bool plot_run(const char *dir)
{
    const char *py = getenv("SCHEDSIM_PYTHON");
    char *argv[4];
    pid_t pid;
    int st, rc;

    if ( !py || !*py )
        py = SCHEDSIM_PLOT_PYTHON;
    argv[0] = (char *)py;
    argv[1] = (char *)SCHEDSIM_PLOT_SCRIPT;
    argv[2] = (char *)dir;
    argv[3] = NULL;
    fflush(stdout);
    rc = posix_spawnp(&pid, py, NULL, NULL, argv, environ);
    if ( rc )
    {
        fprintf(stderr, "schedsim: --plot: cannot run %s: %s\n", py,
                strerror(rc));
        return false;
    }
    if ( waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) )
    {
        fprintf(stderr, "schedsim: --plot: %s %s failed\n", py,
                SCHEDSIM_PLOT_SCRIPT);
        return false;
    }
    return true;
}
