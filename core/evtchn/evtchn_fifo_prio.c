/* SPDX-License-Identifier: MIT */
/*
 * FIFO priorities (reference/xen-abi-facts.md §2.2): each vCPU has one
 * queue per priority, EVTCHN_FIFO_PRIORITY_MAX (0, served first) to
 * _MIN (15); a port starts at _DEFAULT (7). A new priority takes effect
 * the next time the event is linked: an event already on a queue stays
 * there until the guest consumes it, as Xen does.
 */
#include <orrery/errno.h>

#include "evtchn_fifo_private.h"

int evtchn_fifo_set_priority(struct domain *d, struct evtchn *chn,
                             unsigned int priority)
{
    (void)d;
    if ( priority > EVTCHN_FIFO_PRIORITY_MIN )
        return -EINVAL;
    chn->priority = priority;
    return 0;
}

int evtchn_set_priority(struct domain *caller,
                        const struct evtchn_set_priority *s)
{
    struct domain *d = caller;
    struct evtchn *chn;
    int rc;

    spin_lock(&d->evtchn->lock);
    chn = evtchn_from_port(d, s->port);
    if ( !chn )
        rc = -EINVAL;
    else if ( !d->evtchn->ops->set_priority )
        rc = -ENOSYS;           /* 2-level: no queues to choose from */
    else
        rc = d->evtchn->ops->set_priority(d, chn, s->priority);
    spin_unlock(&d->evtchn->lock);
    return rc;
}
