/* SPDX-License-Identifier: MIT */
/* Console input: calls core's console_rx_char(), so it is its own object. */
#include "internal.h"

static void rx(void *arg)
{
    console_rx_char(*(const char *)arg);
}

void sim_console_input(const char *s)
{
    for ( ; *s; s++ )
        sim_run_on_cpu(sim_cur_cpu, rx, (void *)s);
}
