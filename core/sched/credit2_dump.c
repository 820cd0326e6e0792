/* SPDX-License-Identifier: MIT */
/*
 * credit2's part of debug key 'r' (sched_dump): the parameters, each
 * runqueue (pCPUs, load, idle and tickled pCPUs, the queue with credits
 * and parked units) and each domain's weight, cap and budget.
 */
#include <orrery/console.h>

#include "credit2.h"

static const char *const arrangement_name[] = {
    [CREDIT2_RQ_CPU] = "cpu",
    [CREDIT2_RQ_CORE] = "core",
    [CREDIT2_RQ_SOCKET] = "socket",
    [CREDIT2_RQ_NODE] = "node",
    [CREDIT2_RQ_ALL] = "all",
};

void c2_dump(struct scheduler *s)
{
    struct c2_priv *prv = c2_priv(s);
    struct list_head *pos;
    unsigned int i;

    printk("  credit2: ratelimit %lld us, runqueue per %s\n",
           (long long)(prv->ratelimit / MICROSECS(1)),
           arrangement_name[prv->arrangement]);
    c2_for_each_bit(i, prv->active)
    {
        struct c2_runq *rq = &prv->rqs[i];

        printk("  runqueue %u: cpus %#llx, load %u (avg %lld/256), "
               "max weight %u, idle %#llx, tickled %#llx\n    queued:", i,
               (unsigned long long)rq->cpus.bits, rq->load,
               (long long)rq->avgload, rq->max_weight,
               (unsigned long long)rq->idle.bits,
               (unsigned long long)rq->tickled.bits);
        list_for_each(pos, &rq->runq)
        {
            struct c2_unit *cu = c2_runq_entry(pos);

            printk(" d%uv%u(credit %lld us%s", cu->unit->dom->domid,
                   cu->unit->unit_id, (long long)(cu->credit / 1000),
                   c2_budget_ok(cu) ? "" : ", parked");
            if ( cu->tickled_cpu < NR_CPUS )
                printk(", for CPU%u", cu->tickled_cpu);
            printk(")");
        }
        printk("\n");
    }
    list_for_each(pos, &prv->doms)
    {
        struct c2_dom *sd = list_entry(pos, struct c2_dom, list);

        printk("  d%u: weight %u, cap %u", sd->dom->domid, sd->weight,
               sd->cap);
        if ( sd->cap )
            printk(", budget %lld us", (long long)(sd->budget / 1000));
        printk("\n");
    }
}
