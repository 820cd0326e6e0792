/* SPDX-License-Identifier: MIT */
/*
 * A scenario's scheduler parameters onto the framework's control
 * operations (sched_pool_set_params, sched_domain_set_params): each set
 * applies only when the pool runs that scheduler, so one scenario serves
 * every scheduler (--sched all). Errors are -errno from core/sched.
 */
#ifndef SCHEDSIM_PARAMS_H
#define SCHEDSIM_PARAMS_H

#include "scenario.h"

/* credit/credit2 pool parameters; before the pool has pCPUs (credit2's
 * runqueue arrangement is fixed while CPUs are in). */
int params_pool(unsigned int poolid, const struct scn_pool_params *pp);
/* The ARINC653 schedule; once the domains it names exist. */
int params_pool_a653(unsigned int poolid, const struct scn_pool_params *pp);
/* @weight/@cap (0: leave the default; credit, credit2) or the RTDS
 * parameters of @ds, to @d in whatever pool it is now. */
int params_domain(struct sched_domain *d, const struct scn_domain *ds,
                  uint32_t weight, uint32_t cap);

#endif
