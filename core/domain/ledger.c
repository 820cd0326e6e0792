/* SPDX-License-Identifier: MIT */
/*
 * The per-domain resource ledger. Every subsystem that allocates on a
 * domain's behalf charges it here and credits it when freeing, so that a
 * destroyed domain can prove it holds nothing: destroy checks that every
 * count is zero, and a test reads domain_leaks() afterwards.
 */
#include <orrery/console.h>
#include <orrery/domain.h>

#include "domain_private.h"

static const char *const kind_names[NR_LEDGER_KINDS] = {
    [LEDGER_GUEST_PAGES] = "guest pages",
    [LEDGER_XEN_PAGES] = "hypervisor pages",
    [LEDGER_PORTS] = "event channels",
    [LEDGER_MAPPINGS] = "mappings",
    [LEDGER_VCPUS] = "vCPUs",
};

static unsigned int leaks;

void ledger_charge(struct domain *d, enum ledger_kind kind, int64_t delta)
{
    uint64_t *c = &d->ledger.count[kind];

    BUG_ON((unsigned int)kind >= NR_LEDGER_KINDS);
    /* Giving back more than was taken is a double free in the caller. */
    if ( delta < 0 && (uint64_t)-delta > *c )
        panic("d%u ledger: %s %llu - %lld goes negative", d->domain_id,
              kind_names[kind], (unsigned long long)*c, (long long)-delta);
    *c += (uint64_t)delta;
}

uint64_t ledger_read(const struct domain *d, enum ledger_kind kind)
{
    if ( (unsigned int)kind >= NR_LEDGER_KINDS )
        return 0;
    return d->ledger.count[kind];
}

void ledger_check(const struct domain *d)
{
    unsigned int k;
    bool leaked = false;

    for ( k = 0; k < NR_LEDGER_KINDS; k++ )
        if ( d->ledger.count[k] )
        {
            printk(LOG_ERR "d%u destroyed holding %llu %s\n", d->domain_id,
                   (unsigned long long)d->ledger.count[k], kind_names[k]);
            leaked = true;
        }
    if ( leaked )
        leaks++;
}

unsigned int domain_leaks(void)
{
    return leaks;
}
