/* SPDX-License-Identifier: MIT */
/* Debug key 'q': every domain, its vCPUs, pages and ledger. */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/keyhandler.h>
#include <orrery/p2m.h>

#include "domain_private.h"

static const char *const guest_types[ORR_GUEST_TYPES] = {
    [ORR_GUEST_PVH] = "pvh",
    [ORR_GUEST_HVM] = "hvm",
    [ORR_GUEST_ARM] = "arm",
};

static void dump_one(const struct domain *d)
{
    unsigned int i;

    printk("d%u: %s%s%s%s pause %u vcpus %u pages %llu/%llu "
           "xen-pages %llu ports %llu mappings %llu\n",
           d->domain_id, guest_types[d->guest_type],
           d->is_privileged ? " privileged" : "",
           d->is_dying ? " dying" : "",
           d->is_shut_down ? " shutdown" : "", d->pause_count,
           d->max_vcpus,
           (unsigned long long)ledger_read(d, LEDGER_GUEST_PAGES),
           (unsigned long long)d->max_pages,
           (unsigned long long)ledger_read(d, LEDGER_XEN_PAGES),
           (unsigned long long)ledger_read(d, LEDGER_PORTS),
           (unsigned long long)ledger_read(d, LEDGER_MAPPINGS));
    if ( d->is_shut_down )
        printk("    shutdown reason %u\n", d->shutdown_reason);
    for ( i = 0; i < d->max_vcpus && d->vcpu; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        printk("    v%u: %s pause %u upcall_pending %u pending_sel %#llx\n",
               v->vcpu_id, v->is_up ? "up" : "down", v->pause_count,
               v->vcpu_info ? v->vcpu_info->evtchn_upcall_pending : 0,
               v->vcpu_info ?
               (unsigned long long)v->vcpu_info->evtchn_pending_sel : 0ULL);
    }
}

void domain_dump(void)
{
    struct list_head *pos;

    printk("Domains (%u, leaked %u):\n", domain_count(), domain_leaks());
    spin_lock(&domain_list_lock);
    list_for_each(pos, &domain_list)
        dump_one(list_entry(pos, struct domain, list));
    spin_unlock(&domain_list_lock);
}

static void key_domains(unsigned char key)
{
    (void)key;
    domain_dump();
}

void domain_subsys_init(void)
{
    register_keyhandler('q', key_domains, "dump domain info");
}
