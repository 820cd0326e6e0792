/* SPDX-License-Identifier: MIT */
/*
 * arch_vcpu_initialise() on the sim platform: simulated vCPUs have no
 * registers, so the checked start state is only recorded, for the unit
 * tests to compare with what the guest asked for. A test can also make
 * the platform refuse (sim_vcpu_context_fail), as a real one may.
 */
#include <orrery/errno.h>
#include <orrery/vcpu_context.h>

#include "internal.h"

#define SIM_CONTEXTS 64

static struct {
    const struct vcpu *v;
    struct hvm_vcpu_state s;
} recorded[SIM_CONTEXTS];
static unsigned int next_slot;
static int fail_rc;

static int slot_of(const struct vcpu *v)
{
    for ( unsigned int i = 0; i < SIM_CONTEXTS; i++ )
        if ( recorded[i].v == v )
            return (int)i;
    return -1;
}

int arch_vcpu_initialise(struct vcpu *v, const struct hvm_vcpu_state *s)
{
    int i;

    if ( fail_rc )
        return fail_rc;
    /* A vCPU address seen before (a later domain reusing the memory)
     * takes its old slot; otherwise the oldest slot is reused. */
    i = slot_of(v);
    if ( i < 0 )
    {
        i = (int)next_slot;
        next_slot = (next_slot + 1) % SIM_CONTEXTS;
    }
    recorded[i].v = v;
    recorded[i].s = *s;
    return 0;
}

const struct hvm_vcpu_state *sim_vcpu_context(const struct vcpu *v)
{
    int i = slot_of(v);

    return i < 0 ? NULL : &recorded[i].s;
}

void sim_vcpu_context_fail(int rc)
{
    fail_rc = rc;
}
