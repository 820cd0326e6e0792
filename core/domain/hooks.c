/* SPDX-License-Identifier: MIT */
/*
 * Per-domain state of other subsystems: each registers init/teardown
 * once at boot, and every domain gets them in registration order, so
 * core/domain never names event channels, grants or the scheduler.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>

#include "domain_private.h"

static const struct domain_hooks *hooks[MAX_DOMAIN_HOOKS];
static unsigned int nr_hooks;

int domain_register_hooks(const struct domain_hooks *h)
{
    if ( domain_count() )
        return -EBUSY;          /* existing domains would miss the init */
    if ( nr_hooks == MAX_DOMAIN_HOOKS )
        return -ENOSPC;
    hooks[nr_hooks++] = h;
    return 0;
}

void domain_reset_hooks(void)
{
    if ( !domain_count() )
        nr_hooks = 0;
}

int domain_hooks_init(struct domain *d)
{
    int rc;

    for ( d->nr_hooks_done = 0; d->nr_hooks_done < nr_hooks;
          d->nr_hooks_done++ )
    {
        const struct domain_hooks *h = hooks[d->nr_hooks_done];

        if ( !h->domain_init )
            continue;
        rc = h->domain_init(d);
        if ( rc )
        {
            domain_hooks_teardown(d);
            return rc;
        }
    }
    return 0;
}

void domain_hooks_teardown(struct domain *d)
{
    /* A destroy (not a failed create): tell them while all are still up. */
    if ( d->is_dying )
        domain_hooks_exception(d);
    while ( d->nr_hooks_done )
    {
        const struct domain_hooks *h = hooks[--d->nr_hooks_done];

        if ( h->domain_teardown )
            h->domain_teardown(d);
    }
}

void domain_hooks_exception(struct domain *d)
{
    for ( unsigned int i = 0; i < d->nr_hooks_done; i++ )
        if ( hooks[i]->domain_exception )
            hooks[i]->domain_exception(d);
}
