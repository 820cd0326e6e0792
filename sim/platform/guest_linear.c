/* SPDX-License-Identifier: MIT */
/*
 * arch_guest_linear_to_phys() on the sim platform: simulated vCPUs have
 * no page tables, so a linear address is the guest-physical one, unless
 * a unit test installs a translation (sim_guest_linear_set) to check that
 * core's copies follow it page by page.
 */
#include <orrery/platform.h>

#include <sim/sim.h>

static sim_linear_fn linear_fn;

void sim_guest_linear_set(sim_linear_fn fn)
{
    linear_fn = fn;
}

int arch_guest_linear_to_phys(struct vcpu *v, uint64_t la, bool write,
                              uint64_t *gpa)
{
    if ( linear_fn )
        return linear_fn(v, la, write, gpa);
    *gpa = la;
    return 0;
}
