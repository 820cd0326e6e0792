/* SPDX-License-Identifier: MIT */
#ifndef XSM_PRIVATE_H
#define XSM_PRIVATE_H

struct domain;

/* 0 if @caller is a control domain, else -EPERM. */
int xsm_priv(const struct domain *caller);
/* 0 if @caller is @t or a control domain, else -EPERM. */
int xsm_self_or_priv(const struct domain *caller, const struct domain *t);

/* The dummy policy's hooks that SILO shares. */
int xsm_dummy_domctl(const struct domain *caller, const struct domain *target,
                     unsigned int cmd);
int xsm_dummy_sysctl(const struct domain *caller, unsigned int cmd);
int xsm_dummy_console_io(const struct domain *d, unsigned int cmd);
int xsm_dummy_xen_version(const struct domain *d, unsigned int op);

#endif
