/* SPDX-License-Identifier: MIT */
/* Between the files of core/hypercall. */
#ifndef HYPERCALL_PRIVATE_H
#define HYPERCALL_PRIVATE_H

/* A new hypercall entry on this CPU: the full work budget again. */
void hypercall_budget_reset(void);

#endif
