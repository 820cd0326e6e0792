/* SPDX-License-Identifier: MIT */
/*
 * FIFO delivery (reference/xen-abi-facts.md §2.2), read back the way a
 * guest consumes it (fifo_guest.c): event word bits, queue order,
 * priorities, READY and the upcall, masking, moving a port between
 * queues. The guest's concurrent writes: test_fifo_race.c.
 */
#include "ev_test.h"

#define P(bit) (1U << EVTCHN_FIFO_##bit)

static void test_send_links_and_notifies(void)
{
    evtchn_port_t l, r, out[4];

    fg_pair(1, &l, &r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l) & ~EVTCHN_FIFO_LINK_MASK,
                    P(PENDING) | P(LINKED));
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], l);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 1U << EVTCHN_FIFO_PRIORITY_DEFAULT);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 0), 1);
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_PTR_EQUAL(last_upcall, u1->vcpu[0]);
    /* Pending already: nothing more, no second upcall. */
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 4), 1);
    CU_ASSERT_EQUAL(out[0], l);
    CU_ASSERT_EQUAL(*fg_word(u1, l), 0);
    /* The 2-level bits are not used any more. */
    CU_ASSERT_FALSE(ev_pending(u1, l));
    CU_ASSERT_EQUAL(u1->shared_info->vcpu_info[0].evtchn_pending_sel, 0);
}

/* Events come out in the order they were raised, linked tail to head. */
static void test_queue_order(void)
{
    evtchn_port_t l[4], r[4], out[8];

    fg_pair(4, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[2]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[3]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l[2]) & EVTCHN_FIFO_LINK_MASK, l[0]);
    CU_ASSERT_EQUAL(*fg_word(u1, l[1]) & EVTCHN_FIFO_LINK_MASK, 0);
    /* One READY transition, one upcall. */
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 8), 4);
    CU_ASSERT_EQUAL(out[0], l[2]);
    CU_ASSERT_EQUAL(out[1], l[0]);
    CU_ASSERT_EQUAL(out[2], l[3]);
    CU_ASSERT_EQUAL(out[3], l[1]);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 0);
}

/* Higher priorities (lower numbers) are served first, whatever the
 * order the events were raised in. */
static void test_priorities_order_delivery(void)
{
    evtchn_port_t l[3], r[3], out[4];
    struct evtchn_set_priority s;

    fg_pair(3, l, r);
    s = (struct evtchn_set_priority){ .port = l[0], .priority = 12 };
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), 0);
    s = (struct evtchn_set_priority){ .port = l[2], .priority = 0 };
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[2]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, (1U << 12) | (1U << 7) | 1U);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[12], l[0]);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[0], l[2]);
    /* Each queue became ready, but the upcall is per vCPU: 3 READY bits
     * newly set, 1 upcall flag (already set for the 2nd and 3rd). */
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 4), 3);
    CU_ASSERT_EQUAL(out[0], l[2]);
    CU_ASSERT_EQUAL(out[1], l[1]);
    CU_ASSERT_EQUAL(out[2], l[0]);
}

/* A masked event is PENDING but not LINKED; unmask links it. */
static void test_masked_not_linked(void)
{
    evtchn_port_t l, r, out[2];

    fg_pair(1, &l, &r);
    __atomic_fetch_or(fg_word(u1, l), P(MASKED), __ATOMIC_SEQ_CST);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l), P(PENDING) | P(MASKED));
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 0);
    CU_ASSERT_EQUAL(upcalls, 0);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, l), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l), P(PENDING) | P(LINKED));
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l);
}

/* Unmasking an event that is not pending links nothing. */
static void test_unmask_not_pending(void)
{
    evtchn_port_t l, r;

    fg_pair(1, &l, &r);
    __atomic_fetch_or(fg_word(u1, l), P(MASKED), __ATOMIC_SEQ_CST);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, l), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 0);
    CU_ASSERT_EQUAL(upcalls, 0);
}

/*
 * Race: the guest masks the event while it is on the queue, consumes it
 * (skipping it: masked), then unmasks with the hypercall because it is
 * still PENDING. The event comes round again.
 */
static void test_mask_while_linked(void)
{
    evtchn_port_t l, r, out[2];

    fg_pair(1, &l, &r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    __atomic_fetch_or(fg_word(u1, l), P(MASKED), __ATOMIC_SEQ_CST);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l), P(PENDING) | P(MASKED));
    /* Sending again while masked: pending already, no link. */
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_FALSE(fg_bit(u1, l, EVTCHN_FIFO_LINKED));
    CU_ASSERT_EQUAL(evtchn_unmask(u1, l), 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l);
}

/* The guest drains the queue between two events: the second goes to the
 * head again (the tail is no longer LINKED) and READY is set anew. */
static void test_drained_queue_relinks_head(void)
{
    evtchn_port_t l[2], r[2], out[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    u1->shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[1]);
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]), 0);     /* nothing linked after */
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 1U << 7);
    CU_ASSERT_EQUAL(upcalls, 2);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l[1]);
    /* The same port again, after it was itself the drained tail. */
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l[1]), P(PENDING) | P(LINKED));
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
}

/* bind_vcpu moves the port's events to the other vCPU's queues; the old
 * queue, whose tail it was, is not linked through it any more. */
static void test_bind_vcpu_moves_queue(void)
{
    evtchn_port_t l[2], r[2], out[2];
    struct evtchn_bind_vcpu bv = { .vcpu = 1 };

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);    /* l0: v0's tail */
    bv.port = l[0];
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 1)->head[7], l[0]);
    CU_ASSERT_EQUAL(fg_cb(u1, 1)->ready, 1U << 7);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    /* v0's queue is empty: l1 goes to its head, not after l0. */
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[1]);
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]) & EVTCHN_FIFO_LINK_MASK, 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 1, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l[0]);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l[1]);
}

/* A new priority applies from the next link: a linked event stays. */
static void test_priority_change_while_linked(void)
{
    evtchn_port_t l[2], r[2], out[2];
    struct evtchn_set_priority s = { .priority = 2 };

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    s.port = l[0];
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 1U << 7);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 1U << 2);
    /* Queue 7 is empty now (l0 was its tail): l1 starts it afresh. */
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[1]);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 2);
    CU_ASSERT_EQUAL(out[0], l[0]);
    CU_ASSERT_EQUAL(out[1], l[1]);
}

/* A vCPU without a control block: pending, not linked, until the guest
 * sets one up and unmasks. */
static void test_vcpu_without_control_block(void)
{
    evtchn_port_t l, r, out[2];
    struct evtchn_bind_vcpu bv = { .vcpu = 1 };

    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(fg_expand(u1, FG_ARRAY_GFN), 0);
    l = ev_unbound(u1, d0);
    r = ev_connect(d0, u1, l);
    bv.port = l;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), 0);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, l), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l), P(PENDING));
    CU_ASSERT_EQUAL(fg_init(u1, 1), 0);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, l), 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 1, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l);
}

/* A port past the array pages added so far is remembered as pending and
 * delivered by the expand_array that gives it a word. */
static void test_pending_before_its_page(void)
{
    evtchn_port_t l = 0, r = 0, out[2];
    unsigned int i;
    struct evtchn_status st = { .dom = DOMID_SELF };
    event_word_t *w;

    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(fg_init(u1, 1), 0);
    CU_ASSERT_EQUAL(fg_expand(u1, FG_ARRAY_GFN), 0);
    for ( i = 0; i < 1030; i++ )
        l = ev_unbound(u1, d0);
    CU_ASSERT_EQUAL(l, 1030);
    r = ev_connect(d0, u1, l);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_TRUE(evtchn_from_port(u1, l)->fifo_pending);
    CU_ASSERT_TRUE(u1->evtchn->ops->is_pending(u1, l));
    CU_ASSERT_TRUE(u1->evtchn->ops->is_masked(u1, l));
    st.port = l;
    CU_ASSERT_EQUAL(evtchn_status(u1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    /* The new page comes in with the port unmasked. */
    w = fg_frame(u1, 3);
    memset(w, 0, PAGE_SIZE);
    {
        struct evtchn_expand_array e = { .array_gfn = 3 };

        CU_ASSERT_EQUAL(evtchn_expand_array(u1, &e), 0);
    }
    CU_ASSERT_FALSE(evtchn_from_port(u1, l)->fifo_pending);
    CU_ASSERT_EQUAL(w[l - 1024], P(PENDING) | P(LINKED));
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l);
    /* fg_drain reads only the first page: pop by hand. */
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->ready, 1U << 7);
    (void)out;
}

/* Closing a linked port leaves it on the queue, not pending: the guest
 * skips it. */
static void test_close_while_linked(void)
{
    evtchn_port_t l[2], r[2], out[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    CU_ASSERT_EQUAL(evtchn_close(u1, l[0]), 0);
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]) & ~EVTCHN_FIFO_LINK_MASK, P(LINKED));
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 2), 1);
    CU_ASSERT_EQUAL(out[0], l[1]);
}

/* VIRQs and IPIs are delivered through the same queues. */
static void test_virq_and_ipi(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_DEBUG, .vcpu = 1 };
    struct evtchn_bind_ipi bi = { .vcpu = 1 };
    evtchn_port_t out[4];

    fg_setup(u1);
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &bv), 0);
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &bi), 0);
    fg_clear_mask(u1, bv.port);
    fg_clear_mask(u1, bi.port);
    send_guest_vcpu_virq(u1->vcpu[1], VIRQ_DEBUG);
    CU_ASSERT_EQUAL(evtchn_send(u1, bi.port), 0);
    CU_ASSERT_EQUAL(fg_drain(u1, 1, out, 4), 2);
    CU_ASSERT_EQUAL(out[0], bv.port);
    CU_ASSERT_EQUAL(out[1], bi.port);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 4), 0);
}

CU_TestInfo fifo_queue_tests[] = {
    ORR_CASE(test_send_links_and_notifies),
    ORR_CASE(test_queue_order),
    ORR_CASE(test_priorities_order_delivery),
    ORR_CASE(test_masked_not_linked),
    ORR_CASE(test_unmask_not_pending),
    ORR_CASE(test_mask_while_linked),
    ORR_CASE(test_drained_queue_relinks_head),
    ORR_CASE(test_bind_vcpu_moves_queue),
    ORR_CASE(test_priority_change_while_linked),
    ORR_CASE(test_vcpu_without_control_block),
    ORR_CASE(test_pending_before_its_page),
    ORR_CASE(test_close_while_linked),
    ORR_CASE(test_virq_and_ipi),
    CU_TEST_INFO_NULL,
};
