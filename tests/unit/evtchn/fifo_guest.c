/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of the FIFO ABI, modelled on what Linux's
 * events_fifo.c does (reference/xen-abi-facts.md §2.2), so that the tests
 * check the hypervisor's writes the way a real consumer reads them.
 */
#include "ev_test.h"

#define NDOM 8

/* A guest keeps its own copy of each queue's head: the control block's
 * head is only written when the hypervisor links into an empty queue. */
static struct {
    const struct domain *d;
    evtchn_port_t head[2][EVTCHN_FIFO_MAX_QUEUES];
} guests[NDOM];

void fg_reset(void)
{
    memset(guests, 0, sizeof(guests));
}

static evtchn_port_t *local_heads(const struct domain *d, unsigned int vcpu)
{
    unsigned int i;

    for ( i = 0; i < NDOM; i++ )
        if ( guests[i].d == d || !guests[i].d )
        {
            guests[i].d = d;
            return guests[i].head[vcpu];
        }
    CU_FAIL_FATAL("fifo_guest: too many domains");
    return NULL;
}

void *fg_frame(struct domain *d, uint64_t gfn)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    CU_ASSERT_FATAL(e.type == p2m_ram_rw);
    return arch_mfn_to_virt(e.mfn);
}

int fg_init(struct domain *d, unsigned int vcpu)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = FG_CB_OFF(vcpu), .vcpu = vcpu,
    };

    memset((uint8_t *)fg_frame(d, FG_CB_GFN) + FG_CB_OFF(vcpu), 0,
           sizeof(struct evtchn_fifo_control_block));
    return evtchn_init_control(d, &c);
}

int fg_expand(struct domain *d, uint64_t gfn)
{
    struct evtchn_expand_array e = { .array_gfn = gfn };
    struct p2m_entry pe;
    unsigned int i;

    p2m_get_entry(d, _gfn(gfn), &pe);
    if ( pe.type == p2m_ram_rw )
    {
        event_word_t *w = arch_mfn_to_virt(pe.mfn);

        for ( i = 0; i < EVTCHN_FIFO_EVENT_WORDS_PER_PAGE; i++ )
            w[i] = 1U << EVTCHN_FIFO_MASKED;
    }
    return evtchn_expand_array(d, &e);
}

void fg_setup(struct domain *d)
{
    unsigned int v;

    for ( v = 0; v < d->max_vcpus; v++ )
        CU_ASSERT_FATAL(fg_init(d, v) == 0);
    CU_ASSERT_FATAL(fg_expand(d, FG_ARRAY_GFN) == 0);
}

struct evtchn_fifo_control_block *fg_cb(struct domain *d, unsigned int vcpu)
{
    return (struct evtchn_fifo_control_block *)
           ((uint8_t *)fg_frame(d, FG_CB_GFN) + FG_CB_OFF(vcpu));
}

event_word_t *fg_word(struct domain *d, evtchn_port_t port)
{
    CU_ASSERT_FATAL(port < EVTCHN_FIFO_EVENT_WORDS_PER_PAGE);
    return (event_word_t *)fg_frame(d, FG_ARRAY_GFN) + port;
}

bool fg_bit(struct domain *d, evtchn_port_t port, unsigned int bit)
{
    return *fg_word(d, port) & (1U << bit);
}

void fg_clear_mask(struct domain *d, evtchn_port_t port)
{
    __atomic_fetch_and(fg_word(d, port), ~(1U << EVTCHN_FIFO_MASKED),
                       __ATOMIC_SEQ_CST);
}

/* Pop the head of queue @prio; *@last: it was the tail. */
static evtchn_port_t pop(struct domain *d, unsigned int vcpu,
                         unsigned int prio, bool *last)
{
    evtchn_port_t *lh = local_heads(d, vcpu);
    evtchn_port_t port = lh[prio];
    event_word_t w;

    if ( !port )
        port = __atomic_load_n(&fg_cb(d, vcpu)->head[prio],
                               __ATOMIC_SEQ_CST);
    CU_ASSERT_FATAL(port != 0 && port < EVTCHN_FIFO_EVENT_WORDS_PER_PAGE);
    /* Unlink: clear LINKED and LINK in one write, taking the next port. */
    w = __atomic_fetch_and(fg_word(d, port),
                           ~((1U << EVTCHN_FIFO_LINKED) |
                             EVTCHN_FIFO_LINK_MASK), __ATOMIC_SEQ_CST);
    lh[prio] = w & EVTCHN_FIFO_LINK_MASK;
    *last = lh[prio] == 0;
    return port;
}

unsigned int fg_drain(struct domain *d, unsigned int vcpu,
                      evtchn_port_t *out, unsigned int max)
{
    struct evtchn_fifo_control_block *cb = fg_cb(d, vcpu);
    uint32_t ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    unsigned int n = 0, guard = 0;

    while ( ready )
    {
        unsigned int prio = __builtin_ctz(ready);
        bool last;
        evtchn_port_t port = pop(d, vcpu, prio, &last);
        event_word_t *w = fg_word(d, port);

        if ( last )
            ready &= ~(1U << prio);
        if ( (*w & (1U << EVTCHN_FIFO_PENDING)) &&
             !(*w & (1U << EVTCHN_FIFO_MASKED)) )
        {
            __atomic_fetch_and(w, ~(1U << EVTCHN_FIFO_PENDING),
                               __ATOMIC_SEQ_CST);
            if ( n < max )
                out[n] = port;
            n++;
        }
        ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
        CU_ASSERT_FATAL(++guard < 100000);     /* a looping queue */
    }
    return n;
}

void fg_pair(unsigned int n, evtchn_port_t *l, evtchn_port_t *r)
{
    unsigned int i;

    fg_setup(u1);
    for ( i = 0; i < n; i++ )
    {
        l[i] = ev_unbound(u1, d0);
        r[i] = ev_connect(d0, u1, l[i]);
    }
    /* bind_interdomain left d0's new ends pending (2-level): ack them. */
    ev_ack_all(d0);
    /* The guest unmasks its ends (nothing pending: nothing linked). */
    for ( i = 0; i < n; i++ )
        CU_ASSERT_EQUAL(evtchn_unmask(u1, l[i]), 0);
    u1->shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    upcalls = 0;
}
