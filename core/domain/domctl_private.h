/* SPDX-License-Identifier: MIT */
/* Between the files of do_domctl (core/domain/domctl*.c). */
#ifndef DOMCTL_PRIVATE_H
#define DOMCTL_PRIVATE_H

#include <orrery/types.h>

#include <public/domctl.h>

struct domain;
struct vcpu;

/* ORR_DOMCTL_scheduler_op on @d; sets *@out when @op holds results. */
int domctl_scheduler_op(struct vcpu *v, struct domain *d,
                        struct orr_domctl_scheduler_op *op, bool *out);

#endif
