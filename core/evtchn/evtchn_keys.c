/* SPDX-License-Identifier: MIT */
/* Debug key 'e': every domain's bound ports and their bits. */
#include <orrery/console.h>
#include <orrery/keyhandler.h>

#include "evtchn_private.h"

static const char *const state_names[] = {
    [ECS_FREE] = "free", [ECS_RESERVED] = "reserved",
    [ECS_UNBOUND] = "unbound", [ECS_INTERDOMAIN] = "interdomain",
    [ECS_PIRQ] = "pirq", [ECS_VIRQ] = "virq", [ECS_IPI] = "ipi",
};

static void dump_domain(struct domain *d, void *arg)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t p;

    (void)arg;
    if ( !ed )
        return;
    printk("d%u: event channels (%s, %u ports max, %llu in use):\n",
           d->domain_id, ed->ops->name, ed->max_ports,
           (unsigned long long)ledger_read(d, LEDGER_PORTS));
    for ( p = 1; p < ed->max_ports; p++ )
    {
        const struct evtchn *chn = evtchn_from_port(d, p);

        if ( !chn || chn->state == ECS_FREE )
            continue;
        printk("    port %u: %s v%u pending %d masked %d", p,
               state_names[chn->state], chn->notify_vcpu_id,
               ed->ops->is_pending(d, p), ed->ops->is_masked(d, p));
        if ( ed->fifo )
            printk(" prio %u", chn->priority);
        if ( chn->state == ECS_INTERDOMAIN )
            printk(" -> d%u port %u\n",
                   chn->u.interdomain.remote_dom->domain_id,
                   chn->u.interdomain.remote_port);
        else if ( chn->state == ECS_UNBOUND )
            printk(" for d%u\n", chn->u.unbound.remote_domid);
        else if ( chn->state == ECS_VIRQ )
            printk(" virq %u\n", chn->u.virq);
        else
            printk("\n");
    }
}

void evtchn_dump(void)
{
    printk("Event channels:\n");
    domain_for_each(dump_domain, NULL);
}

static void key_evtchn(unsigned char key)
{
    (void)key;
    evtchn_dump();
}

void evtchn_subsys_init(void)
{
    evtchn_register_domain_hooks();
    register_keyhandler('e', key_evtchn, "dump event channel info");
}
