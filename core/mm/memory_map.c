/* SPDX-License-Identifier: MIT */
/*
 * A domain's memory map: what XENMEM_memory_map reports to the guest (a
 * PVH Linux reads it there when its start info has none; reference
 * §1.7). The domain builder sets it; the guest only reads it.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#include "mm-internal.h"

int domain_set_memory_map(struct domain *d, const struct memmap_entry *e,
                          unsigned int nr)
{
    struct domain_memmap *m;
    unsigned int i;

    if ( !e || nr == 0 || nr > DOMAIN_MEMMAP_MAX )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
        if ( e[i].size == 0 || e[i].addr + e[i].size - 1 < e[i].addr ||
             e[i].type == 0 )
            return -EINVAL;

    m = xmalloc_bytes(sizeof(*m) + nr * sizeof(m->e[0]));
    if ( !m )
        return -ENOMEM;
    m->nr = nr;
    for ( i = 0; i < nr; i++ )
    {
        m->e[i].addr = e[i].addr;
        m->e[i].size = e[i].size;
        m->e[i].type = e[i].type;
    }
    domain_memmap_free(d);
    d->memmap = m;
    return 0;
}

void domain_memmap_free(struct domain *d)
{
    xfree(d->memmap);
    d->memmap = NULL;
}
