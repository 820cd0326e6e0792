/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing the vCPU hypercalls -- sched_op, vcpu_op, set_timer_op, hvm_op
 * -- through hypercall_dispatch(), from three domains on the sim
 * platform (d0 a control domain, u1 and u2 domUs, each with guest RAM and
 * two vCPUs), with the scheduler, its softirq and the vCPU timers live:
 * virtual time moves between calls and every timer fires on its time.
 *
 * Input: a set-up byte (u1's, u2's guest type), then records:
 *
 *   op % 8 < 5   a call: caller byte (domain, vCPU), family byte, subop
 *                byte, then 24 bytes the guest wrote at its argument
 *                address just before (the struct the subop reads), and
 *                each argument from a selector byte (the argument page,
 *                small values, vCPU ids, domids, boundaries, raw);
 *   op % 8 == 5  time moves 0..255 x 100 us, firing timers on the way;
 *   op % 8 == 6  an event: a port of a domain becomes pending;
 *   op % 8 == 7  from outside: pause/unpause a domain (balanced at the
 *                end), shut one down, destroy a domU.
 *
 * After every step (check(), schedop_checks.c):
 *   - one pause count: each unit's == d->pause_count + v->pause_count +
 *     shut down; unit down == !is_up; vcpu_runnable() agrees;
 *   - runstate times of each unit add up to the time since its domain
 *     was created;
 *   - a CPU running a unit that may not run has a reschedule pending;
 *   - a moved vcpu_info lies in a page the domain owns, referenced;
 *   - a call by a domU changed no other domain's HVM parameters and none
 *     of its own that a guest may not write.
 * At the end every domain is destroyed: no leak, every page back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/sched.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>
#include <orrery/vcpu_sched.h>
#include <orrery/xsm.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "fuzz_common.h"
#include "schedop_fuzz.h"


#define GUEST_PAGES 16
#define ARG_GADDR 0x2000
#define MAX_RESTARTS 64

struct domain *doms[NR_DOMS];
s_time_t born[NR_DOMS];
static unsigned int paused[NR_DOMS];    /* our domain_pause()s */
struct hypercall_regs last;

__noreturn void fail(const char *what, const struct domain *d)
{
    fprintf(stderr, "schedop fuzz: %s (d%d) at %lld ns; last call nr %llu "
            "args %llx %llx %llx ret %lld\n", what,
            d ? (int)d->domain_id : -1, (long long)NOW(),
            (unsigned long long)last.nr, (unsigned long long)last.args[0],
            (unsigned long long)last.args[1],
            (unsigned long long)last.args[2], (long long)last.ret);
    abort();
}

/* ---- Steps -------------------------------------------------------------- */

static void run_softirqs(void)
{
    for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        sim_set_cpu(cpu);
        do_softirq();
    }
    sim_set_cpu(0);
}

/* Move time to @t, stopping at each deadline to run what it raised. */
static void run_until(s_time_t t)
{
    sim_advance(0);
    run_softirqs();
    while ( NOW() < t )
    {
        s_time_t next = t;

        for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
        {
            s_time_t dl = sim_timer_deadline(cpu);

            if ( dl > NOW() && dl < next )
                next = dl;
        }
        sim_advance(next - NOW());
        run_softirqs();
        check();
    }
}

static uint64_t arg(void)
{
    static const uint64_t edges[] = {
        0, 1, ~0ULL, 1ULL << 63, 0xffffffff, PAGE_SIZE - 1,
        GUEST_PAGES * PAGE_SIZE - 8, (uint64_t)GUEST_PAGES << PAGE_SHIFT,
        DOMID_SELF, DOMID_INVALID, 127, 128,
    };
    uint8_t s = fuzz_byte();

    switch ( s % 8 )
    {
    case 0: case 1:
        return ARG_GADDR;
    case 2:
        return fuzz_byte() % 4;                  /* a vCPU id, or one past */
    case 3:
        return fuzz_bytes(2) % (GUEST_PAGES * PAGE_SIZE);
    case 4:
        s = fuzz_byte() % NR_DOMS;
        return doms[s] ? doms[s]->domain_id : 999;
    case 5:
        return edges[fuzz_byte() % ARRAY_SIZE(edges)];
    case 6:
        return (uint64_t)NOW() + fuzz_bytes(3) * 1000;   /* a deadline */
    default:
        return fuzz_bytes(8);
    }
}

static void do_call(void)
{
    static const uint8_t families[] = {
        __HYPERVISOR_sched_op, __HYPERVISOR_vcpu_op,
        __HYPERVISOR_set_timer_op, __HYPERVISOR_hvm_op,
    };
    static uint64_t before[NR_DOMS][HVM_NR_PARAMS];
    uint8_t who = fuzz_byte();
    struct domain *d = doms[who % NR_DOMS];
    struct hypercall_regs r = { 0 };
    uint8_t buf[24];
    struct vcpu *v;

    r.nr = families[fuzz_byte() % ARRAY_SIZE(families)];
    r.args[0] = fuzz_byte() % 26;
    for ( unsigned int i = 0; i < sizeof(buf); i++ )
        buf[i] = fuzz_byte();
    for ( unsigned int i = 1; i < HYPERCALL_NR_ARGS; i++ )
        r.args[i] = arg();
    if ( r.nr == __HYPERVISOR_set_timer_op )
        r.args[0] = r.args[1];
    if ( !d )
        return;
    v = d->vcpu[(who / NR_DOMS) % d->max_vcpus];
    /* Only a vCPU that is up in a live domain makes hypercalls. */
    if ( !v->is_up || d->is_shut_down )
        return;
    {
        struct p2m_entry e;

        p2m_get_entry(d, _gfn(ARG_GADDR >> PAGE_SHIFT), &e);
        if ( p2m_is_writable(e.type) )
            memcpy((uint8_t *)arch_mfn_to_virt(e.mfn) +
                   (ARG_GADDR & (PAGE_SIZE - 1)), buf, sizeof(buf));
    }
    for ( unsigned int i = 0; i < NR_DOMS; i++ )
        for ( unsigned int p = 0; doms[i] && p < HVM_NR_PARAMS; p++ )
            before[i][p] = hvm_param_read(doms[i], p);
    for ( unsigned int i = 0; i < MAX_RESTARTS; i++ )
    {
        last = r;
        hypercall_dispatch(v, &r);
        last.ret = r.ret;
        if ( !r.restart || d->is_shut_down )
            break;
    }
    check_params(d, before);
    check();
}

static void destroy(unsigned int i)
{
    if ( !doms[i] )
        return;
    while ( paused[i] )
    {
        domain_unpause(doms[i]);
        paused[i]--;
    }
    if ( domain_destroy(doms[i]) )
        fail("domain_destroy failed", doms[i]);
    doms[i] = NULL;
}

static void outside(void)
{
    uint8_t what = fuzz_byte(), which = fuzz_byte() % NR_DOMS;
    struct domain *d = doms[which];

    if ( !d )
        return;
    switch ( what % 5 )
    {
    case 0:
        domain_pause(d);
        paused[which]++;
        break;
    case 1:
        if ( paused[which] )
        {
            if ( domain_unpause(d) )
                fail("balanced unpause refused", d);
            paused[which]--;
        }
        else if ( domain_unpause(d) != -EINVAL )
            fail("unbalanced unpause accepted", d);
        break;
    case 2:
        domain_shutdown(d, what / 5 % (SHUTDOWN_MAX + 2));
        break;
    case 3:
        if ( which )
            destroy(which);
        break;
    default:
        vcpu_pause(d->vcpu[what / 5 % d->max_vcpus]);
        if ( vcpu_unpause(d->vcpu[what / 5 % d->max_vcpus]) )
            fail("vcpu unpause refused", d);
        break;
    }
    run_softirqs();
    check();
}

/* An IPI port sent (ports 1, 3: one per vCPU, bound in make()) or a
 * VIRQ raised, as another vCPU or a device would. */
static void event(void)
{
    uint8_t b = fuzz_byte();
    struct domain *d = doms[b % NR_DOMS];

    if ( !d )
        return;
    if ( b & 0x80 )
        evtchn_send(d, (b >> 3) % 8);
    else
        send_guest_vcpu_virq(d->vcpu[(b >> 3) % 2], (b >> 4) % 4);
    run_softirqs();
    check();
}

static struct domain *make(uint32_t flags, unsigned int type, unsigned int i)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .guest_type = type,
        .max_vcpus = 2, .max_pages = 4 * GUEST_PAGES,
    };
    struct domain *d;

    if ( domain_create(&cfg, &d) )
        fail("domain_create failed", NULL);
    if ( p2m_populate_ram(d, _gfn(0), GUEST_PAGES) )
        fail("p2m_populate_ram failed", d);
    if ( domain_unpause(d) )
        fail("domain_unpause failed", d);
    born[i] = NOW();
    paused[i] = 0;
    /* Ports the guest can poll and be woken through: IPIs and VIRQs. */
    for ( unsigned int k = 0; k < 2; k++ )
    {
        struct evtchn_bind_ipi ipi = { .vcpu = k };
        struct evtchn_bind_virq virq = { .virq = VIRQ_TIMER, .vcpu = k };

        evtchn_bind_ipi(d, &ipi);
        evtchn_bind_virq(d, &virq);
    }
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct page_alloc_stats before, after;
    struct xmalloc_stats xbefore, xafter;
    unsigned int leaks;
    uint8_t setup;

    fuzz_machine_boot_once("warning");
    run_softirqs();
    page_alloc_stats(&before);
    xmalloc_stats(&xbefore);
    leaks = domain_leaks();
    fuzz_input_start(data, size);
    memset(&last, 0, sizeof(last));

    setup = fuzz_byte();
    doms[0] = make(ORR_CDF_privileged, ORR_GUEST_PVH, 0);
    doms[1] = make(0, (setup & 3) % ORR_GUEST_TYPES, 1);
    doms[2] = make(0, ((setup >> 2) & 3) % ORR_GUEST_TYPES, 2);
    check();

    while ( fuzz_input_left() )
    {
        uint8_t op = fuzz_byte() % 8;

        if ( op < 5 )
            do_call();
        else if ( op == 5 )
            run_until(NOW() + (s_time_t)fuzz_byte() * 100000);
        else if ( op == 6 )
            event();
        else
            outside();
    }

    for ( unsigned int i = NR_DOMS; i-- > 0; )
        destroy(i);
    run_softirqs();
    if ( domain_leaks() != leaks || domain_count() )
        fail("a domain leaked", NULL);
    page_alloc_stats(&after);
    xmalloc_stats(&xafter);
    if ( after.free_pages != before.free_pages )
        fail("pages not given back", NULL);
    if ( xafter.objects != xbefore.objects )
        fail("xmalloc objects left over", NULL);
    return 0;
}
