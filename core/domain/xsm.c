/* SPDX-License-Identifier: MIT */
/* Choosing the access-control policy (see <orrery/xsm.h>). */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/xsm.h>

static const struct xsm_ops *policy = &xsm_dummy_ops;
static const struct xsm_ops *const policies[] = {
    &xsm_dummy_ops,
    &xsm_silo_ops,
};

const struct xsm_ops *xsm(void)
{
    return policy;
}

int xsm_set_policy(const char *name)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(policies); i++ )
        if ( !strcmp(policies[i]->name, name) )
        {
            policy = policies[i];
            return 0;
        }
    return -EINVAL;
}
custom_param("xsm", xsm_set_policy);
