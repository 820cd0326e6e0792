/* SPDX-License-Identifier: MIT */
/*
 * The one place where policies are registered: one line per scheduler.
 * A table rather than a linker section, so that a static link keeps every
 * policy without a reference from elsewhere.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/param.h>

#include "sched_private.h"

extern const struct sched_ops sched_credit_ops;
extern const struct sched_ops sched_credit2_ops;
extern const struct sched_ops sched_null_ops;
extern const struct sched_ops sched_rr_ops;
extern const struct sched_ops sched_rtds_ops;
extern const struct sched_ops sched_arinc653_ops;

const struct sched_ops *const sched_registry[] = {
    &sched_credit_ops,
    &sched_credit2_ops,
    &sched_null_ops,
    &sched_rr_ops,      /* the example of docs/writing-a-scheduler.md */
    &sched_rtds_ops,
    &sched_arinc653_ops,
    NULL,
};

const struct sched_ops *sched_find_ops(const char *opt_name)
{
    if ( !opt_name )
        return NULL;
    for ( unsigned int i = 0; sched_registry[i]; i++ )
        if ( strcmp(sched_registry[i]->opt_name, opt_name) == 0 )
            return sched_registry[i];
    return NULL;
}

int sched_id_of(const char *name)
{
    const struct sched_ops *ops = sched_find_ops(name);

    return ops ? (int)ops->sched_id : -ENOENT;
}

/*
 * sched=NAME: the scheduler of pool 0. Xen's default is credit2, which
 * Orrery does not have yet; credit is the default until it does.
 */
#define SCHED_DEFAULT "credit"
static char opt_sched[16] = SCHED_DEFAULT;
string_param("sched", opt_sched);

const char *sched_default_name(void)
{
    if ( !sched_find_ops(opt_sched) )
    {
        printk(LOG_WARNING "sched=%s: no such scheduler, using %s\n",
               opt_sched, SCHED_DEFAULT);
        strlcpy(opt_sched, SCHED_DEFAULT, sizeof(opt_sched));
    }
    return opt_sched;
}

int sched_init(const char *sched_name, cpumask_t cpus)
{
    unsigned int cpu;
    int rc;

    cpupool_reset_all();
    rc = cpupool_create(0, sched_name ? sched_name : sched_default_name());
    if ( rc )
        return rc;
    for_each_cpu(cpu, cpus)
    {
        rc = cpupool_add_cpu(0, cpu, 0);
        if ( rc )
            return rc;
    }
    return 0;
}
