/* SPDX-License-Identifier: MIT */
/*
 * fifo: events that move while linked (xen-abi-facts §2.2). A new
 * priority or vCPU takes effect the next time an event is linked; an
 * event already on a queue stays there until consumed. The hypervisor
 * keeps each queue's tail, so once such an event is consumed and linked
 * elsewhere, its old queue must be known to be empty: the next event
 * there becomes the head, and is not chained behind the moved event on
 * its new queue (where the guest would find it on the wrong queue, or
 * not at all).
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "smp.h"
#include "fifo.h"

/* rx[1] is at priority 2 and rx[2] at 5 (test_priorities); both idle. */
void test_priority_while_linked(void)
{
    const evtchn_port_t want[2] = { rx[1], rx[2] };
    event_word_t w;
    long rc;

    evtchn_notify(tx[2]);
    rc = set_priority(rx[2], 12);
    check(rc == 0, "set_priority of a linked event gave %ld", rc);
    check(fifo_cb->head[5] == rx[2] && fifo_cb->ready == 1U << 5,
          "a linked event moved at set_priority: head[5] %u READY %#x",
          fifo_cb->head[5], fifo_cb->ready);
    open_window();
    check_order("linked before set_priority", 1, &rx[2]);

    /* Now at 12; and queue 5, drained, takes rx[1] as its head. */
    evtchn_notify(tx[2]);
    rc = set_priority(rx[1], 5);
    check(rc == 0, "set_priority(%u, 5) gave %ld", rx[1], rc);
    evtchn_notify(tx[1]);
    w = *fifo_word(rx[2]);
    check(fifo_cb->head[12] == rx[2] && fifo_cb->head[5] == rx[1] &&
          (w & EVTCHN_FIFO_LINK_MASK) == 0,
          "after the move: head[12] %u head[5] %u, port %u links to %u",
          fifo_cb->head[12], fifo_cb->head[5], rx[2],
          w & EVTCHN_FIFO_LINK_MASK);
    check(fifo_cb->ready == ((1U << 5) | (1U << 12)), "READY %#x",
          fifo_cb->ready);
    open_window();
    check_order("queues after the move", 2, want);
    check(set_priority(rx[1], 2) == 0 && set_priority(rx[2], 5) == 0,
          "restoring priorities");
}

/* ---- Two vCPUs ---------------------------------------------------------- */

/* vCPU 1's control block ends exactly at the end of vCPU 0's page: the
 * last offset init_control accepts (4096 - 72, 8-byte aligned). */
#define CB1_OFFSET (4096 - sizeof(struct evtchn_fifo_control_block))

static uint8_t ap_stack[8192] __attribute__((aligned(16)));
static volatile unsigned int ap_cmd;    /* 1: take upcalls once, 2: stop */

enum { AP_IDLE, AP_WINDOW, AP_STOP };

static void ap_main(unsigned int id)
{
    (void)id;
    fifo_load_idt();
    for ( ;; )
    {
        unsigned int c = __atomic_load_n(&ap_cmd, __ATOMIC_SEQ_CST);

        if ( c == AP_WINDOW )
        {
            open_window();
            __atomic_store_n(&ap_cmd, AP_IDLE, __ATOMIC_SEQ_CST);
        }
        else if ( c == AP_STOP )
        {
            __atomic_store_n(&ap_cmd, AP_IDLE, __ATOMIC_SEQ_CST);
            hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_down, 1, 0);
        }
        asm volatile ( "pause" ::: "memory" );
    }
}

/* Have vCPU 1 take its pending upcalls (it runs with IF clear). */
static void ap_do(unsigned int cmd)
{
    uint64_t deadline = now_ns() + WAIT_NS;

    __atomic_store_n(&ap_cmd, cmd, __ATOMIC_SEQ_CST);
    while ( __atomic_load_n(&ap_cmd, __ATOMIC_SEQ_CST) != AP_IDLE )
        if ( now_ns() > deadline )
            panic("vCPU 1 did not answer");
}

static void check_order1(const char *what, unsigned int n,
                         const evtchn_port_t *want)
{
    check(nr_consumed1 == n, "%s: %u events on vCPU 1, %u expected", what,
          nr_consumed1, n);
    for ( unsigned int i = 0; i < n && i < nr_consumed1; i++ )
        check(consumed1[i] == want[i], "%s: vCPU 1's event %u was port %u, "
              "not %u", what, i, consumed1[i], want[i]);
    nr_consumed1 = 0;
}

static long bind_vcpu(evtchn_port_t port, unsigned int vcpu)
{
    return evtchn_op(EVTCHNOP_bind_vcpu,
                     &(struct evtchn_bind_vcpu){ .port = port,
                                                 .vcpu = vcpu });
}

/*
 * An event for vCPU 1 before its control block exists waits for an
 * unmask. vCPU 1's control block shares vCPU 0's page, at its end. rx[0]
 * (priority 10) is bound to vCPU 1 and linked there, then rebound to
 * vCPU 0 while still linked: vCPU 1 consumes it from its own queue, the
 * next send goes to vCPU 0, and vCPU 1's queue 10, drained, takes rx[2]
 * as its new head. Then an IPI port bound to vCPU 1.
 */
void test_vcpu_moves(void)
{
    const unsigned int q = 10;
    long rc;

    if ( smp_nr_vcpus() < 2 )
    {
        printf("one vCPU: no test of events moving between vCPUs\n");
        return;
    }
    /* An event for vCPU 1 before it has a control block stays PENDING,
     * unlinked, until the guest unmasks it (Xen drops the linking). */
    rc = bind_vcpu(rx[1], 1);
    check(rc == 0, "bind_vcpu(%u, 1) gave %ld", rx[1], rc);
    evtchn_notify(tx[1]);
    check((*fifo_word(rx[1]) & (W_PENDING | W_LINKED)) == W_PENDING,
          "an event for vCPU 1 without a control block: word %#x",
          *fifo_word(rx[1]));

    fifo_cb1 = (void *)(cb_page + CB1_OFFSET);
    rc = init_control((uintptr_t)cb_page >> 12, CB1_OFFSET, 1);
    check(rc == 0, "init_control for vCPU 1 gave %ld", rc);
    rc = init_control((uintptr_t)cb_page >> 12, CB1_OFFSET, 1);
    check(rc == -EINVAL, "a second init_control for vCPU 1 gave %ld", rc);
    fifo_smp = true;
    rc = smp_start_vcpu(1, ap_main, ap_stack + sizeof(ap_stack));
    if ( rc )
        panic("starting vCPU 1 gave %ld", rc);

    check(fifo_cb1->ready == 0, "vCPU 1's READY %#x before the unmask",
          fifo_cb1->ready);
    unmask(rx[1]);
    check(fifo_cb1->head[2] == rx[1] && fifo_cb1->ready == 1U << 2,
          "after the unmask: vCPU 1's head[2] %u READY %#x",
          fifo_cb1->head[2], fifo_cb1->ready);
    ap_do(AP_WINDOW);
    check_order1("pending before vCPU 1's control block", 1, &rx[1]);
    check(bind_vcpu(rx[1], 0) == 0, "rebinding rx[1] to vCPU 0");

    rc = bind_vcpu(rx[0], 1);
    check(rc == 0, "bind_vcpu(%u, 1) gave %ld", rx[0], rc);
    evtchn_notify(tx[0]);
    check(fifo_cb1->head[q] == rx[0] && fifo_cb1->ready == 1U << q &&
          fifo_cb->ready == 0, "event for vCPU 1: its head[%u] %u READY "
          "%#x, vCPU 0's READY %#x", q, fifo_cb1->head[q], fifo_cb1->ready,
          fifo_cb->ready);
    ap_do(AP_WINDOW);
    check_order1("bound to vCPU 1", 1, &rx[0]);

    /* Linked on vCPU 1 when it moves to vCPU 0. */
    evtchn_notify(tx[0]);
    rc = bind_vcpu(rx[0], 0);
    check(rc == 0, "bind_vcpu(%u, 0) gave %ld", rx[0], rc);
    evtchn_notify(tx[0]);   /* still LINKED: nothing new */
    check(fifo_cb->ready == 0, "a linked event moved at bind_vcpu: vCPU "
          "0's READY %#x", fifo_cb->ready);
    ap_do(AP_WINDOW);
    check_order1("linked before bind_vcpu", 1, &rx[0]);

    evtchn_notify(tx[0]);
    check(fifo_cb->head[q] == rx[0] && fifo_cb->ready == 1U << q,
          "after the move: vCPU 0's head[%u] %u READY %#x", q,
          fifo_cb->head[q], fifo_cb->ready);
    rc = set_priority(rx[2], q) ? -1 : bind_vcpu(rx[2], 1);
    check(rc == 0, "moving rx[2] to vCPU 1 queue %u gave %ld", q, rc);
    evtchn_notify(tx[2]);
    check(fifo_cb1->head[q] == rx[2] && fifo_cb1->ready == 1U << q &&
          (*fifo_word(rx[0]) & EVTCHN_FIFO_LINK_MASK) == 0,
          "vCPU 1's drained queue: head %u READY %#x; port %u links to %u",
          fifo_cb1->head[q], fifo_cb1->ready, rx[0],
          *fifo_word(rx[0]) & EVTCHN_FIFO_LINK_MASK);
    open_window();
    check_order("moved to vCPU 0", 1, &rx[0]);
    ap_do(AP_WINDOW);
    check_order1("new head on vCPU 1", 1, &rx[2]);

    check(bind_vcpu(rx[2], 0) == 0 && set_priority(rx[2], 5) == 0,
          "restoring rx[2]");

    /* An IPI port of vCPU 1's, sent from vCPU 0: on vCPU 1's default
     * queue. */
    {
        struct evtchn_bind_ipi bi = { .vcpu = 1 };

        rc = evtchn_op(EVTCHNOP_bind_ipi, &bi);
        check(rc == 0, "bind_ipi(vCPU 1) gave %ld", rc);
        evtchn_notify(bi.port);
        check(fifo_cb1->head[EVTCHN_FIFO_PRIORITY_DEFAULT] == bi.port &&
              fifo_cb->ready == 0, "IPI port %u: vCPU 1's head %u, vCPU 0's "
              "READY %#x", bi.port,
              fifo_cb1->head[EVTCHN_FIFO_PRIORITY_DEFAULT], fifo_cb->ready);
        ap_do(AP_WINDOW);
        check_order1("IPI to vCPU 1", 1, &bi.port);
        check(evtchn_op(EVTCHNOP_close,
                        &(struct evtchn_close){ .port = bi.port }) == 0,
              "close of the IPI port");
    }
    ap_do(AP_STOP);
    fifo_smp = false;
}
