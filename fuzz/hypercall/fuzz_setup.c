/* SPDX-License-Identifier: MIT */
/*
 * The domains each fuzz-hypercall input starts with (see hypercall_fuzz.c);
 * the machine is fuzz/common's.
 */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include "fuzz_hc.h"

struct domain *fuzz_make_domain(uint32_t flags, unsigned int vcpus,
                                unsigned int type)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .guest_type = type,
        .max_vcpus = vcpus, .max_pages = 4 * GUEST_PAGES,
    };
    struct domain *d;
    int rc = domain_create(&cfg, &d);

    if ( rc )
    {
        fprintf(stderr, "domain_create: %d\n", rc);
        fuzz_fail("domain_create failed", NULL);
    }
    if ( p2m_populate_ram(d, _gfn(0), GUEST_PAGES) )
        fuzz_fail("p2m_populate_ram failed", d);
    if ( domain_unpause(d) )
        fuzz_fail("domain_unpause failed", d);
    return d;
}
