/* SPDX-License-Identifier: MIT */
/*
 * arch_vcpu_switch() on the sim platform. Simulated guests have no
 * register state to save: the switch is only logged (loglvl=all shows
 * it), so that a run shows which vCPU each CPU took, and when.
 */
#include <stdio.h>

#include <orrery/console.h>
#include <orrery/domain.h>

#include "internal.h"

static void name(char *buf, size_t len, const struct vcpu *v)
{
    if ( v )
        snprintf(buf, len, "d%uv%u", v->domain->domain_id, v->vcpu_id);
    else
        snprintf(buf, len, "idle");
}

void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
    char a[24], b[24];

    name(a, sizeof(a), prev);
    name(b, sizeof(b), next);
    printk(LOG_DEBUG "CPU%u: %s -> %s at %lld ns\n", arch_cpu_id(), a, b,
           (long long)sim_time);
}

/* Simulated guests are workload models or test code driven by timers:
 * there is no guest code for a CPU to enter. */
bool arch_guest_run(void)
{
    return false;
}
