/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing the hypercall entry path: hypercall_dispatch() and whatever
 * handlers its table holds (event channels, grant tables, memory_op,
 * sched_op, vcpu_op ... as they land), called by three simulated domains
 * on the sim platform -- d0 a control domain, u1 and u2 domUs, each with
 * guest RAM -- exactly as a guest's VMCALL would reach them.
 *
 * Input: one byte of set-up (guest types of u1 and u2), then records:
 *
 *   op % 4 == 0, 1   a hypercall: caller byte (domain, vCPU), number byte
 *                    (mostly the implemented families, sometimes any),
 *                    five arguments, each a selector byte and a payload
 *                    (small values, guest addresses in the argument
 *                    pages, domids, boundary values, raw 64-bit);
 *                    a continuation is re-entered as the guest would;
 *   op % 4 == 2      the guest writes its own memory: domain, offset
 *                    into its first pages, length, bytes (argument
 *                    structs, FIFO event words and control blocks,
 *                    grant entries: whatever the guest shares);
 *   op % 4 == 3      an event from outside: destroy a domU (mid-
 *                    mapping, mid-binding), raise a VIRQ, move time;
 *                    or the guest drains a vCPU's FIFO queues
 *                    (fuzz_guest_fifo.c).
 *
 * After every call fuzz_check_invariants() (fuzz_invariants.c) checks
 * ledgers, ports and p2m ownership. At the end every domain is destroyed
 * and the machine must be as before the input: no domain leaked
 * (domain_leaks() == 0), every page back in the allocator, no domain
 * page or xmalloc object left over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "fuzz_hc.h"

#define MAX_RESTARTS 256        /* continuations followed per call */

struct domain *doms[NR_DOMS];

static unsigned int call_no;
static struct hypercall_regs last;

void fuzz_fail(const char *what, const struct domain *d)
{
    fprintf(stderr, "hypercall fuzz: %s (d%d) after call %u: nr %llu "
            "args %llx %llx %llx %llx %llx ret %lld\n", what,
            d ? (int)d->domain_id : -1, call_no,
            (unsigned long long)last.nr,
            (unsigned long long)last.args[0],
            (unsigned long long)last.args[1],
            (unsigned long long)last.args[2],
            (unsigned long long)last.args[3],
            (unsigned long long)last.args[4], (long long)last.ret);
    fprintf(stderr, "console:\n%s\n", sim_console_text());
    abort();
}

static domid_t domid_of(unsigned int i)
{
    return doms[i % NR_DOMS] ? doms[i % NR_DOMS]->domain_id : 999;
}

/* One argument: a selector byte, then its payload. */
static uint64_t arg(void)
{
    static const uint64_t edges[] = {
        0, 1, ~0ULL, 1ULL << 63, 0x7fffffff, 0x80000000, 0xffffffff,
        PAGE_SIZE, PAGE_SIZE - 1, GUEST_PAGES * PAGE_SIZE - 8,
        (uint64_t)GUEST_PAGES << PAGE_SHIFT, 1ULL << 48, DOMID_SELF,
        DOMID_INVALID, EVTCHN_FIFO_NR_CHANNELS, EVTCHN_2L_NR_CHANNELS,
    };
    uint8_t s = fuzz_byte();

    switch ( s % 8 )
    {
    case 0:
        return fuzz_byte();
    case 1:     /* an address in the guest's argument pages */
        return fuzz_bytes(2) % (GUEST_PAGES * PAGE_SIZE);
    case 2:
        return fuzz_bytes(2);
    case 3:
        return fuzz_bytes(4);
    case 4:
        return fuzz_bytes(8);
    case 5:
        return domid_of(fuzz_byte());
    case 6:
        return edges[fuzz_byte() % ARRAY_SIZE(edges)];
    default:
        return fuzz_byte() % 32;     /* a subop */
    }
}

static uint64_t hypercall_nr(void)
{
    static const uint8_t families[] = {
        __HYPERVISOR_memory_op, __HYPERVISOR_set_timer_op,
        __HYPERVISOR_xen_version, __HYPERVISOR_console_io,
        __HYPERVISOR_grant_table_op, __HYPERVISOR_vcpu_op,
        __HYPERVISOR_sched_op, __HYPERVISOR_event_channel_op,
        __HYPERVISOR_hvm_op, __HYPERVISOR_multicall,
        __HYPERVISOR_physdev_op, __HYPERVISOR_sysctl,
        __HYPERVISOR_domctl,
    };
    uint8_t b = fuzz_byte();

    if ( b < 0xe0 )
        return families[b % ARRAY_SIZE(families)];
    return b % NR_HYPERCALLS + (b == 0xff ? NR_HYPERCALLS : 0);
}

/* What a p2m change would move: frames per type, the highest gfn, the
 * guest page and mapping counts. */
static uint64_t p2m_signature(void)
{
    uint64_t sig = 0;
    unsigned int i, t;

    for ( i = 0; i < NR_DOMS; i++ )
    {
        const struct domain *d = doms[i];

        if ( !d || !d->p2m )
            continue;
        for ( t = 0; t < NR_P2M_TYPES; t++ )
            sig = sig * 31 + d->p2m->entries[t];
        sig = sig * 31 + d->p2m->max_mapped_gfn.g;
        sig = sig * 31 + ledger_read(d, LEDGER_GUEST_PAGES);
        sig = sig * 31 + ledger_read(d, LEDGER_MAPPINGS);
    }
    return sig;
}

/*
 * Walk the p2ms (the costly check) after a call that may have changed
 * one: a visible change, or a successful call of a family that maps or
 * unmaps guest frames (a remap keeps every count).
 */
static bool may_change_p2m(const struct hypercall_regs *r, uint64_t sig)
{
    if ( p2m_signature() != sig )
        return true;
    return r->ret >= 0 &&
           (r->nr == __HYPERVISOR_memory_op ||
            r->nr == __HYPERVISOR_grant_table_op ||
            r->nr == __HYPERVISOR_multicall);
}

static void do_call(void)
{
    uint8_t who = fuzz_byte();
    struct domain *d = doms[who % NR_DOMS];
    struct hypercall_regs r = { 0 };
    struct vcpu *v;
    unsigned int i;

    r.nr = hypercall_nr();
    for ( i = 0; i < HYPERCALL_NR_ARGS; i++ )
        r.args[i] = arg();
    if ( !d )
        return;
    v = d->vcpu[(who / NR_DOMS) % d->max_vcpus];
    /* Only a vCPU that runs makes hypercalls. */
    if ( !v->is_up || d->is_shut_down )
        return;
    call_no++;
    for ( i = 0; i < MAX_RESTARTS; i++ )
    {
        uint64_t sig = p2m_signature();

        last = r;
        hypercall_dispatch(v, &r);
        last.ret = r.ret;
        fuzz_check_invariants(may_change_p2m(&r, sig));
        guest_fifo_note_call(who % NR_DOMS, v, &r);
        if ( !r.restart || d->is_shut_down )
            break;
    }
}

static void guest_write(void)
{
    struct domain *d = doms[fuzz_byte() % NR_DOMS];
    uint64_t off = fuzz_bytes(2) % (GUEST_PAGES * PAGE_SIZE);
    unsigned int len = fuzz_byte() % 64;
    uint8_t buf[64];
    struct p2m_entry e;
    unsigned int i;

    for ( i = 0; i < len; i++ )
        buf[i] = fuzz_byte();
    if ( !d )
        return;
    if ( len > PAGE_SIZE - (off & (PAGE_SIZE - 1)) )
        len = PAGE_SIZE - (off & (PAGE_SIZE - 1));
    /* Through the guest's own p2m: only what it can reach. */
    p2m_get_entry(d, _gfn(off >> PAGE_SHIFT), &e);
    if ( !p2m_is_writable(e.type) || !(e.access & p2m_access_w) )
        return;
    memcpy((uint8_t *)arch_mfn_to_virt(e.mfn) + (off & (PAGE_SIZE - 1)),
           buf, len);
}

static void destroy(unsigned int i)
{
    if ( !doms[i] )
        return;
    if ( domain_destroy(doms[i]) )
        fuzz_fail("domain_destroy failed", doms[i]);
    doms[i] = NULL;
    guest_fifo_forget(i);
    fuzz_check_invariants(true);
}

static void outside_event(void)
{
    uint8_t what = fuzz_byte(), arg8 = fuzz_byte();
    struct domain *d = doms[arg8 % NR_DOMS];
    uint64_t sig = p2m_signature();

    switch ( what % 5 )
    {
    case 0:     /* a domU dies, whatever it holds */
        destroy(1 + arg8 % 2);
        break;
    case 1:
        if ( d )
            send_guest_global_virq(d, VIRQ_CONSOLE);
        break;
    case 2:
        if ( d )
            send_guest_vcpu_virq(d->vcpu[0], VIRQ_TIMER);
        break;
    case 3:
        sim_advance((s_time_t)arg8 * 1000000);
        break;
    default:    /* the guest handles its FIFO events */
        guest_fifo_consume(arg8 % NR_DOMS, (arg8 / NR_DOMS) % 2, 64);
        break;
    }
    fuzz_check_invariants(p2m_signature() != sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct page_alloc_stats before, after;
    struct xmalloc_stats xbefore, xafter;
    uint8_t setup;
    unsigned int i;

    fuzz_machine_boot_once("all");
    sim_console_clear();
    page_alloc_stats(&before);
    xmalloc_stats(&xbefore);
    fuzz_input_start(data, size);
    call_no = 0;
    memset(&last, 0, sizeof(last));
    for ( i = 0; i < NR_DOMS; i++ )
        guest_fifo_forget(i);

    setup = fuzz_byte();
    doms[0] = fuzz_make_domain(ORR_CDF_privileged, 2, ORR_GUEST_PVH);
    doms[1] = fuzz_make_domain(0, 2, (setup & 3) % ORR_GUEST_TYPES);
    doms[2] = fuzz_make_domain(0, 1, ((setup >> 2) & 3) % ORR_GUEST_TYPES);
    fuzz_check_invariants(true);

    while ( fuzz_input_left() )
    {
        switch ( fuzz_byte() % 4 )
        {
        case 0:
        case 1:
            do_call();
            break;
        case 2:
            guest_write();
            break;
        default:
            outside_event();
            break;
        }
    }

    /* The domUs first, then the control domain, as a toolstack would. */
    for ( i = NR_DOMS; i-- > 0; )
        destroy(i);
    if ( domain_count() != 0 )
        fuzz_fail("a destroyed domain is still referenced", NULL);
    if ( domain_leaks() != 0 )
        fuzz_fail("a domain was destroyed with a non-zero ledger", NULL);
    if ( domheap_pages_in_use() != 0 )
        fuzz_fail("domain pages outlive every domain", NULL);
    page_alloc_stats(&after);
    if ( after.free_pages != before.free_pages )
        fuzz_fail("pages not given back to the allocator", NULL);
    xmalloc_stats(&xafter);
    if ( xafter.objects != xbefore.objects )
        fuzz_fail("xmalloc objects left over", NULL);
    return 0;
}
