/* SPDX-License-Identifier: MIT */
/*
 * Domains on the scheduler: each domain is a struct sched_domain in a
 * cpupool and each vCPU a struct sched_unit (core/domain/domain_sched.c).
 *
 * There is one pause count per vCPU, the unit's: domain_pause() pauses
 * every unit of the domain once, vcpu_pause() its own unit once, a
 * shutdown pauses every unit once (as Xen pauses vCPUs for shutdown). So
 * at all times, for a vCPU with a unit,
 *
 *     unit->pause_count == d->pause_count + v->pause_count
 *                          + (d->is_shut_down ? 1 : 0)
 *     unit->down == !v->is_up
 *     vcpu_runnable(v) == sched_unit_runnable(unit)
 *
 * (d->pause_count and v->pause_count only remember who paused, so that an
 * unbalanced unpause is refused.) Blocking lives in the unit alone.
 *
 * Without the hooks registered (unit tests of other subsystems) vCPUs have
 * no unit: these calls then only change is_up, and blocking is a no-op.
 */
#ifndef ORRERY_VCPU_SCHED_H
#define ORRERY_VCPU_SCHED_H

#include <orrery/domain.h>
#include <orrery/sched.h>

/*
 * Register the domain hooks that give every new domain a sched_domain in
 * pool @poolid and every vCPU a unit. Pool @poolid must exist when
 * domains are created. -EBUSY once a domain exists (domain_register_hooks).
 * Boot calls it for pool 0 from vcpu_ops_init().
 */
int domain_sched_register(unsigned int poolid);

/* @v's unit, NULL when the hooks are not registered. */
struct sched_unit *vcpu_sched_unit(const struct vcpu *v);
/* The vCPU a unit belongs to (units of domains only). */
static inline struct vcpu *sched_unit_vcpu(const struct sched_unit *u)
{
    return u ? u->vcpu : NULL;
}

/* VCPUOP_up / down: true if the state changed. */
bool vcpu_up(struct vcpu *v);
bool vcpu_down(struct vcpu *v);

/*
 * SCHEDOP_block: @v waits for an event. It is blocked first and only then
 * checks for a pending upcall, so an event racing with the block is never
 * lost (xen-abi-facts §1.5: the upcall flag is what "pending" means).
 */
void vcpu_block(struct vcpu *v);
/* An event for @v (its upcall flag went 0 -> 1), a poll port became
 * pending or its poll timed out: wake it if blocked or polling. */
void vcpu_unblock(struct vcpu *v);
/* SCHEDOP_yield. */
void vcpu_yield(struct vcpu *v);
/* Is @v blocked (SCHEDOP_block or poll) right now? */
bool vcpu_is_blocked(const struct vcpu *v);

/*
 * SCHEDOP_poll, the hypervisor side. vcpu_poll_start() marks @v polling
 * @port (VCPU_POLL_ANY: several ports, any event of the domain wakes it)
 * and blocks it; the caller then checks its ports and calls
 * vcpu_unblock() if one is pending already. @timeout (absolute ns, 0 for
 * none) arms the poll timer. vcpu_poll_check() is core/evtchn's call when
 * @port of @d becomes pending.
 */
#define VCPU_POLL_ANY (-1)
void vcpu_poll_start(struct vcpu *v, int port, s_time_t timeout);
void vcpu_poll_check(struct domain *d, evtchn_port_t port);
bool vcpu_is_polling(const struct vcpu *v);

/* Pause bookkeeping, called by core/domain's pause and shutdown code. */
void vcpu_sched_pause(struct vcpu *v);
void vcpu_sched_unpause(struct vcpu *v);

#endif /* ORRERY_VCPU_SCHED_H */
