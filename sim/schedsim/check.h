/* SPDX-License-Identifier: MIT */
/* The invariant checker (check.c). */
#ifndef SCHEDSIM_CHECK_H
#define SCHEDSIM_CHECK_H

#include "engine.h"

/* After each event, when @r->check_all; @next_event: the time of the
 * next queued event (INT64_MAX: none). Exits on a violation. */
void check_event(struct sim_run *r, int64_t next_event);

#endif
