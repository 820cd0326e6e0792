/* SPDX-License-Identifier: MIT */
/*
 * ARINC653's schedule as the toolstack sets and reads it
 * (XEN_SYSCTL_SCHEDOP_{put,get}info, what `xl sched-arinc653` would
 * send), with Xen's validation, and the debug-key dump.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "arinc653.h"

int a653_get_params(struct scheduler *s, struct sched_pool_params *sp)
{
    struct a653_priv *p = priv(s);

    sp->u.arinc653.major_frame = p->major_frame;
    sp->u.arinc653.nr_entries = p->nr_entries;
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
        sp->u.arinc653.entry[i] = p->entry[i];
    return 0;
}

/*
 * Xen's checks (arinc653_sched_set): 1 .. ARINC653_MAX_ENTRIES entries,
 * a major frame > 0, each runtime > 0, and their sum within the major
 * frame; -EINVAL otherwise, and the old schedule stays.
 */
int a653_set_params(struct scheduler *s,
                           const struct sched_pool_params *sp)
{
    struct a653_priv *p = priv(s);
    const struct arinc653_entry *e = sp->u.arinc653.entry;
    unsigned int n = sp->u.arinc653.nr_entries;
    s_time_t left = sp->u.arinc653.major_frame;
    struct list_head *dp, *up;

    if ( n < 1 || n > ARINC653_MAX_ENTRIES || left <= 0 )
        return -EINVAL;
    for ( unsigned int i = 0; i < n; i++ )
    {
        /* Subtracting, not summing: no overflow on huge runtimes. */
        if ( e[i].runtime <= 0 || e[i].runtime > left )
            return -EINVAL;
        left -= e[i].runtime;
    }

    p->major_frame = sp->u.arinc653.major_frame;
    p->nr_entries = n;
    p->is_default = false;
    for ( unsigned int i = 0; i < n; i++ )
    {
        p->entry[i] = e[i];
        p->unit[i] = NULL;
    }
    /* Find the units the windows name among the pool's domains (and
     * give each a pCPU of the pool: its home may have left since). */
    list_for_each(dp, &s->pool->domains)
        list_for_each(up, &list_entry(dp, struct sched_domain,
                                      pool_list)->units)
        {
            struct sched_unit *u =
                list_entry(up, struct sched_unit, dom_list);

            a653_place(u);
            for ( unsigned int i = 0; i < p->nr_entries; i++ )
                if ( entry_names(&p->entry[i], u) )
                    p->unit[i] = u;
        }
    a653_restart(s);
    return 0;
}

void a653_dump(struct scheduler *s)
{
    struct a653_priv *p = priv(s);
    s_time_t at = 0;

    printk("  arinc653: major frame %lld ns, %u windows%s\n",
           (long long)p->major_frame, p->nr_entries,
           p->is_default ? " (default)" : "");
    for ( unsigned int i = 0; i < p->nr_entries; i++ )
    {
        printk("  [%lld, %lld) d%uv%u%s", (long long)at,
               (long long)(at + p->entry[i].runtime), p->entry[i].domid,
               p->entry[i].vcpu_id, p->unit[i] ? "" : " (absent)");
        if ( p->unit[i] )
            printk(" on CPU%u", home(p->unit[i]));
        printk("\n");
        at += p->entry[i].runtime;
    }
}
