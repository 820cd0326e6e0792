/* SPDX-License-Identifier: MIT */
/*
 * SILO: the dummy policy, except that two unprivileged domains may not
 * talk to each other. Event channels and grants must have the control
 * domain (or the same domain) at one end, so a domU can reach its
 * backends in dom0 but never another domU.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/xsm.h>

#include "xsm_private.h"

static int silo_pair(const struct domain *d1, const struct domain *d2)
{
    if ( d1 == d2 || d1->is_privileged || d2->is_privileged )
        return 0;
    return -EPERM;
}

static int silo_evtchn_unbound(const struct domain *caller,
                               const struct domain *d,
                               const struct domain *remote)
{
    int rc = xsm_self_or_priv(caller, d);

    return rc ? rc : silo_pair(d, remote);
}

const struct xsm_ops xsm_silo_ops = {
    .name = "silo",
    .domctl = xsm_dummy_domctl,
    .evtchn_unbound = silo_evtchn_unbound,
    .evtchn_interdomain = silo_pair,
    .evtchn_target = xsm_self_or_priv,
    .grant = silo_pair,
    .console_io = xsm_dummy_console_io,
    .sysctl = xsm_dummy_sysctl,
    .xen_version = xsm_dummy_xen_version,
    .memory = xsm_self_or_priv,
};
