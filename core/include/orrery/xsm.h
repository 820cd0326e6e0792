/* SPDX-License-Identifier: MIT */
/*
 * Access control in the shape of Xen's XSM: every decision that depends
 * on who is asking goes through one ops table, so a policy is one file.
 * Two policies exist:
 *
 *   dummy  the control domain may do anything; a domain may act on
 *          itself; event channels and grants may connect any two domains
 *          (Xen's default "dummy" module);
 *   silo   as dummy, but an unprivileged domain may only connect event
 *          channels and grants to the control domain (or itself), never
 *          to another unprivileged domain (Xen's SILO mode).
 *
 * Hooks return 0 or -EPERM. Select with xsm_set_policy() or the command
 * line option xsm=dummy|silo.
 */
#ifndef ORRERY_XSM_H
#define ORRERY_XSM_H

#include <orrery/types.h>

struct domain;

struct xsm_ops {
    const char *name;
    /* @target is NULL for ORR_DOMCTL_createdomain. */
    int (*domctl)(const struct domain *caller, const struct domain *target,
                  unsigned int cmd);
    /* @caller allocates a port in @d that @remote may bind. */
    int (*evtchn_unbound)(const struct domain *caller, const struct domain *d,
                          const struct domain *remote);
    /* @d1 binds to a port of @d2. */
    int (*evtchn_interdomain)(const struct domain *d1,
                              const struct domain *d2);
    /* @caller acts on @target's event channels (status, reset). */
    int (*evtchn_target)(const struct domain *caller,
                         const struct domain *target);
    /* @d1 maps or copies a grant of @d2. */
    int (*grant)(const struct domain *d1, const struct domain *d2);
    int (*console_io)(const struct domain *d, unsigned int cmd);
    /* @caller issues host-wide control ORR_SYSCTL_@cmd (do_sysctl). */
    int (*sysctl)(const struct domain *caller, unsigned int cmd);
    int (*xen_version)(const struct domain *d, unsigned int op);
    /* @caller changes or reads @target's memory (memory_op with a domid:
     * reservations, physmap, current/maximum_reservation). */
    int (*memory)(const struct domain *caller, const struct domain *target);
};

extern const struct xsm_ops xsm_dummy_ops;
extern const struct xsm_ops xsm_silo_ops;

/* The policy in force (dummy until chosen otherwise). */
const struct xsm_ops *xsm(void);
/* By name ("dummy", "silo"); -EINVAL for another name. */
int xsm_set_policy(const char *name);

#endif /* ORRERY_XSM_H */
