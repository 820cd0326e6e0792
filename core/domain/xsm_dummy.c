/* SPDX-License-Identifier: MIT */
/*
 * The dummy policy, as Xen's default XSM module: the control domain is
 * all-powerful, a domain may always act on itself, and event channels
 * and grants may connect any two domains.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/xsm.h>

#include <public/version.h>
#include <public/xen.h>

#include "xsm_private.h"

int xsm_priv(const struct domain *caller)
{
    return caller && caller->is_privileged ? 0 : -EPERM;
}

int xsm_self_or_priv(const struct domain *caller, const struct domain *t)
{
    return caller && (caller == t || caller->is_privileged) ? 0 : -EPERM;
}

int xsm_dummy_domctl(const struct domain *caller,
                     const struct domain *target, unsigned int cmd)
{
    (void)target;
    (void)cmd;
    return xsm_priv(caller);
}

/* Every sysctl is the control domain's, as in Xen's dummy module. */
int xsm_dummy_sysctl(const struct domain *caller, unsigned int cmd)
{
    (void)cmd;
    return xsm_priv(caller);
}

static int dummy_evtchn_unbound(const struct domain *caller,
                                const struct domain *d,
                                const struct domain *remote)
{
    (void)remote;
    return xsm_self_or_priv(caller, d);
}

static int dummy_allow(const struct domain *d1, const struct domain *d2)
{
    (void)d1;
    (void)d2;
    return 0;
}

/*
 * Xen lets only the control domain use console_io unless built with
 * VERBOSE_DEBUG (reference §1.7). Orrery lets every domain write, since
 * early guest output is how a test kernel reports; the hypercall
 * rate-limits unprivileged writers. Reading the console stays the control
 * domain's.
 */
int xsm_dummy_console_io(const struct domain *d, unsigned int cmd)
{
    if ( cmd == CONSOLEIO_write )
        return 0;
    return xsm_priv(d);
}

/*
 * xen_version: the version, strings and feature bits every guest needs
 * are open to all; the rest (command line, build id, and any subop added
 * later) is the control domain's, as in Xen's dummy module.
 */
int xsm_dummy_xen_version(const struct domain *d, unsigned int op)
{
    if ( op <= XENVER_guest_handle )
        return 0;
    return xsm_priv(d);
}

const struct xsm_ops xsm_dummy_ops = {
    .name = "dummy",
    .domctl = xsm_dummy_domctl,
    .evtchn_unbound = dummy_evtchn_unbound,
    .evtchn_interdomain = dummy_allow,
    .evtchn_target = xsm_self_or_priv,
    .grant = dummy_allow,
    .console_io = xsm_dummy_console_io,
    .sysctl = xsm_dummy_sysctl,
    .xen_version = xsm_dummy_xen_version,
    .memory = xsm_self_or_priv,
};
