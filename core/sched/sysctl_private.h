/* SPDX-License-Identifier: MIT */
/* Between the files of do_sysctl (core/sched/sysctl*.c). */
#ifndef SYSCTL_PRIVATE_H
#define SYSCTL_PRIVATE_H

#include <orrery/types.h>

#include <public/sysctl.h>

struct vcpu;

/* The registered scheduler with Xen id @sched_id, NULL if none. */
const struct sched_ops *sysctl_sched_ops(uint32_t sched_id);

/* ORR_SYSCTL_scheduler_op / _cpupool_op; *@out set when @op holds
 * results to copy back. */
int sysctl_scheduler_op(struct vcpu *v, struct orr_sysctl_scheduler_op *op,
                        bool *out);
int sysctl_cpupool_op(struct orr_sysctl_cpupool_op *op, bool *out);
/* sysctl_host.c: fill @pi; the console ring into the caller's buffer. */
int sysctl_physinfo(struct orr_sysctl_physinfo *pi);
int sysctl_readconsole(struct vcpu *v, struct orr_sysctl_readconsole *op);

#endif
