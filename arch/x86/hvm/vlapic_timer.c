/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC timer (Intel SDM vol. 3 §11.5.4): one-shot and periodic
 * from the initial count, divided by TDCR, at one bus cycle per ns (as
 * Xen's vlapic); TSC-deadline through MSR 0x6e0. A core timer runs on the
 * CPU that armed it (the vCPU's, so its callback and the vCPU's register
 * accesses do not run at once while the vCPU stays there) and raises the
 * LVT vector in the IRR.
 */
#include <orrery/vcpu_sched.h>
#include <asm/x86.h>

#include "../apic/apic.h"
#include "vlapic.h"

#define REG VLAPIC_REG

/* TDCR bits 3, 1:0 (SDM figure 11-10): 2 << n, with 0b111 meaning 1. */
static unsigned int divisor(const struct vlapic *vl)
{
    uint32_t t = REG(vl, APIC_TDCR);
    unsigned int n = ((t >> 1) & 4) | (t & 3);

    return n == 7 ? 1 : 2u << n;
}

static uint32_t timer_mode(const struct vlapic *vl)
{
    return REG(vl, APIC_LVT_TIMER) & APIC_TIMER_MODE_MASK;
}

static void raise_lvt(struct vlapic *vl)
{
    uint32_t lvt = REG(vl, APIC_LVT_TIMER);

    if ( !(lvt & APIC_LVT_MASKED) )
        vlapic_set_irq(vl, lvt & 0xff);
}

void vlapic_timer_fn(void *data)
{
    struct vlapic *vl = data;

    raise_lvt(vl);
    if ( timer_mode(vl) == APIC_TIMER_TSC_DEADLINE )
    {
        vl->tsc_deadline = 0;       /* fires once, then reads 0 */
        vl->timer_running = false;
        return;
    }
    if ( timer_mode(vl) == APIC_TIMER_PERIODIC && vl->period_ns )
    {
        /* Next period from the last due time, so none drift. */
        vl->timer_start += (s_time_t)vl->period_ns;
        set_timer(&vl->timer, vl->timer_start + (s_time_t)vl->period_ns);
        return;
    }
    vl->timer_running = false;      /* one-shot: the count reads 0 */
}

static void arm(struct vlapic *vl, s_time_t when)
{
    stop_timer(&vl->timer);
    init_timer(&vl->timer, vlapic_timer_fn, vl, arch_cpu_id());
    set_timer(&vl->timer, when);
}

static void stop(struct vlapic *vl)
{
    stop_timer(&vl->timer);
    vl->timer_running = false;
}

/* (Re)start the count from TMICT now (a TMICT write; 0 stops it). */
static void start_count(struct vlapic *vl)
{
    uint32_t init = REG(vl, APIC_TMICT);

    stop(vl);
    vl->period_ns = (uint64_t)init * divisor(vl);
    if ( !init )
        return;
    vl->timer_start = NOW();
    vl->timer_running = true;
    arm(vl, vl->timer_start + (s_time_t)vl->period_ns);
}

void vlapic_timer_write(struct vlapic *vl, unsigned int off, uint32_t val)
{
    uint32_t old_mode = timer_mode(vl);

    switch ( off )
    {
    case APIC_LVT_TIMER:
        REG(vl, APIC_LVT_TIMER) = val;
        /* A mode change stops the timer (SDM §11.5.4.1: switching to or
         * from TSC-deadline disarms; periodic <-> one-shot keeps the
         * count running, as the hardware does). */
        if ( (old_mode == APIC_TIMER_TSC_DEADLINE) !=
             (timer_mode(vl) == APIC_TIMER_TSC_DEADLINE) )
        {
            stop(vl);
            REG(vl, APIC_TMICT) = 0;
            vl->tsc_deadline = 0;
        }
        break;
    case APIC_TMICT:
        /* In TSC-deadline mode writes to the initial count are ignored. */
        if ( old_mode == APIC_TIMER_TSC_DEADLINE )
            break;
        REG(vl, APIC_TMICT) = val;
        start_count(vl);
        break;
    case APIC_TDCR:
        REG(vl, APIC_TDCR) = val & 0xb;
        break;
    }
}

uint32_t vlapic_timer_count(const struct vlapic *vl)
{
    uint64_t elapsed;

    if ( !vl->timer_running || !vl->period_ns ||
         timer_mode(vl) == APIC_TIMER_TSC_DEADLINE )
        return 0;
    elapsed = (uint64_t)(NOW() - vl->timer_start);
    if ( elapsed >= vl->period_ns )
    {
        if ( timer_mode(vl) != APIC_TIMER_PERIODIC )
            return 0;
        elapsed %= vl->period_ns;
    }
    return (uint32_t)((vl->period_ns - elapsed) / divisor(vl));
}

/*
 * MSR 0x6e0: a TSC value (guests run with no TSC offset, so theirs is
 * the host's) at which to fire; 0 disarms. Ignored outside TSC-deadline
 * mode, as the hardware does.
 */
void vlapic_timer_set_deadline(struct vlapic *vl, uint64_t tsc)
{
    if ( timer_mode(vl) != APIC_TIMER_TSC_DEADLINE )
        return;
    stop(vl);
    vl->tsc_deadline = tsc;
    if ( !tsc )
        return;
    vl->timer_running = true;
    if ( tsc <= rdtsc() )
        arm(vl, NOW());
    else
        arm(vl, x86_tsc_to_ns(tsc));
}
