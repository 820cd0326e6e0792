/* SPDX-License-Identifier: MIT */
/* Between the files of core/domain. */
#ifndef DOMAIN_PRIVATE_H
#define DOMAIN_PRIVATE_H

#include <orrery/domain.h>

extern struct list_head domain_list;
extern spinlock_t domain_list_lock;

/* Run every registered init in order; on failure unwind those done. */
int domain_hooks_init(struct domain *d);
/* Every registered teardown, in reverse order (each must cope with a
 * domain whose init it never saw succeed: it is only called for hooks
 * whose init succeeded). */
void domain_hooks_teardown(struct domain *d);
/* Every registered domain_exception, for @d shutting down or dying. */
void domain_hooks_exception(struct domain *d);

/* Destroy-time check: count and report a non-zero ledger. */
void ledger_check(const struct domain *d);

#endif
