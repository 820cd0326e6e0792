/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of the FIFO event-channel ABI, for fuzz-hypercall:
 * random writes alone rarely consume a queue the way a guest does, so
 * the harness remembers where each domain put its control blocks and
 * event array pages (from its successful init_control / expand_array)
 * and, when the input says so, drains a vCPU's queues as Linux does --
 * take READY, pop each queue's head clearing LINKED and LINK, ack what
 * was pending -- racing the hypervisor's next links. Everything is read
 * through the domain's own p2m: a guest that unmapped its own pages just
 * stops.
 */
#include <string.h>

#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

#include "fuzz_hc.h"

#define VCPUS 2                 /* the most any fuzzed domain has */
#define WORDS EVTCHN_FIFO_EVENT_WORDS_PER_PAGE
#define BIT(n) (1U << (n))

static struct {
    bool has_cb[VCPUS];
    uint64_t cb_addr[VCPUS];    /* guest-physical */
    unsigned int nr_pages;
    uint64_t array_gfn[EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES];
    evtchn_port_t head[VCPUS][EVTCHN_FIFO_MAX_QUEUES];
} gf[NR_DOMS];

void guest_fifo_forget(unsigned int dom)
{
    memset(&gf[dom], 0, sizeof(gf[dom]));
}

/* The hypervisor's view of guest address @gaddr, if the guest may write
 * there; NULL otherwise. */
static void *guest_ptr(struct domain *d, uint64_t gaddr, size_t len)
{
    struct p2m_entry e;

    if ( (gaddr & (PAGE_SIZE - 1)) + len > PAGE_SIZE )
        return NULL;
    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    if ( !p2m_is_writable(e.type) || !(e.access & p2m_access_w) )
        return NULL;
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

static int dom_index(const struct domain *caller, uint64_t domid)
{
    unsigned int i;

    if ( domid == DOMID_SELF )
        domid = caller->domain_id;
    for ( i = 0; i < NR_DOMS; i++ )
        if ( doms[i] && doms[i]->domain_id == domid )
            return (int)i;
    return -1;
}

void guest_fifo_note_call(unsigned int dom, struct vcpu *v,
                          const struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    int target;

    if ( r->nr != __HYPERVISOR_event_channel_op || r->ret != 0 ||
         r->restart )
        return;
    switch ( r->args[0] )
    {
    case EVTCHNOP_init_control:
    {
        struct evtchn_init_control c;

        if ( copy_from_guest(v, &c, r->args[1], sizeof(c)) ||
             c.vcpu >= VCPUS )
            return;
        gf[dom].has_cb[c.vcpu] = true;
        gf[dom].cb_addr[c.vcpu] = (c.control_gfn << PAGE_SHIFT) + c.offset;
        memset(gf[dom].head[c.vcpu], 0, sizeof(gf[dom].head[c.vcpu]));
        break;
    }
    case EVTCHNOP_expand_array:
    {
        struct evtchn_expand_array e;

        if ( copy_from_guest(v, &e, r->args[1], sizeof(e)) ||
             gf[dom].nr_pages >= EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES )
            return;
        gf[dom].array_gfn[gf[dom].nr_pages++] = e.array_gfn;
        break;
    }
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont:
    {
        struct evtchn_reset rs;

        if ( copy_from_guest(v, &rs, r->args[1], sizeof(rs)) )
            return;
        target = dom_index(d, rs.dom);
        if ( target >= 0 )
            guest_fifo_forget((unsigned int)target);
        break;
    }
    }
}

static event_word_t *word_of(struct domain *d, unsigned int dom,
                             evtchn_port_t port)
{
    if ( port / WORDS >= gf[dom].nr_pages )
        return NULL;
    return guest_ptr(d, (gf[dom].array_gfn[port / WORDS] << PAGE_SHIFT) +
                        (port % WORDS) * sizeof(event_word_t),
                     sizeof(event_word_t));
}

void guest_fifo_consume(unsigned int dom, unsigned int vcpu,
                        unsigned int budget)
{
    struct domain *d = doms[dom];
    struct evtchn_fifo_control_block *cb;
    uint32_t ready;

    if ( !d || vcpu >= VCPUS || !gf[dom].has_cb[vcpu] )
        return;
    cb = guest_ptr(d, gf[dom].cb_addr[vcpu], sizeof(*cb));
    if ( !cb )
        return;
    ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    while ( ready && budget-- )
    {
        unsigned int prio = __builtin_ctz(ready);
        evtchn_port_t *head = &gf[dom].head[vcpu][prio];
        evtchn_port_t port = *head ? *head :
            __atomic_load_n(&cb->head[prio], __ATOMIC_SEQ_CST);
        event_word_t *w = word_of(d, dom, port), old;

        if ( !w )
            return;             /* the guest broke its own queue */
        old = __atomic_fetch_and(w, ~(BIT(EVTCHN_FIFO_LINKED) |
                                      EVTCHN_FIFO_LINK_MASK),
                                 __ATOMIC_SEQ_CST);
        *head = old & EVTCHN_FIFO_LINK_MASK;
        if ( !*head )
            ready &= ~BIT(prio);
        if ( (old & BIT(EVTCHN_FIFO_PENDING)) &&
             !(old & BIT(EVTCHN_FIFO_MASKED)) )
            __atomic_fetch_and(w, ~BIT(EVTCHN_FIFO_PENDING),
                               __ATOMIC_SEQ_CST);
        ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    }
    /* Out of budget: what is left stays READY for next time. */
    if ( ready )
        __atomic_fetch_or(&cb->ready, ready, __ATOMIC_SEQ_CST);
}
