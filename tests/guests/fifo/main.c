/* SPDX-License-Identifier: MIT */
/*
 * fifo: the FIFO event-channel ABI from inside a guest (xen-abi-facts
 * §2.2; the layout in include/public/event_channel.h).
 *
 * Ports are bound under the 2-level ABI first (VIRQ_TIMER and three
 * loopback pairs: alloc_unbound + bind_interdomain to ourselves), one
 * event is left pending, and init_control/expand_array/set_priority are
 * tried with bad arguments (each with Xen's error, and the domain stays
 * 2-level). Then the switch: the control block of vCPU 0, the first
 * event-array page, and the pending 2-level event linked on the default
 * queue. The upcall comes through the callback vector (as in
 * tests/guests/upcall) and queue.c consumes the queues. Checked:
 * PENDING/LINKED and the LINK chain of one queue, the control block's
 * HEAD and READY, consumption in priority order, MASKED, VIRQ_TIMER,
 * events moved (priority, vCPU) while linked (moves.c; vCPU 1 when the
 * domain has two),
 * 2-level subops still working, the array's limit, the per-vCPU upcall
 * vector, an array page given back while in use, and EVTCHNOP_reset
 * going back to 2-level. With `peer=N` it also exchanges events with
 * another instance booted as `role=twolevel peer=<this domain>`, which
 * stays 2-level (peer.c).
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "smp.h"
#include "fifo.h"

const char test_title[] = "fifo: FIFO event channels (init_control, "
                          "queues, priorities, masking)";

/* ---- Under the 2-level ABI ---------------------------------------------- */

static void bind_ports(void)
{
    timer_port = evtchn_bind_timer();
    for ( unsigned int i = 0; i < 3; i++ )
        evtchn_loopback(&rx[i], &tx[i]);
    /* bind_interdomain left its local ports pending (as Xen does): start
     * from nothing pending. */
    for ( unsigned int i = 0; i < 64; i++ )
        shinfo->evtchn_pending[i] = 0;
    shinfo->vcpu_info[0].evtchn_pending_sel = 0;
    shinfo->vcpu_info[0].evtchn_upcall_pending = 0;
}

static void test_bad_before_switch(void)
{
    long rc;

    rc = set_priority(rx[0], 3);
    check(rc == -ENOSYS, "set_priority under 2-level gave %ld", rc);
    rc = expand(ARRAY_GPFN);
    check(rc == -EOPNOTSUPP, "expand_array under 2-level gave %ld", rc);

    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET, smp_nr_vcpus());
    check(rc == -ENOENT && still_2l(), "init_control for vCPU %u of %u "
          "gave %ld", smp_nr_vcpus(), smp_nr_vcpus(), rc);
    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET, 0xffffffffu);
    check(rc == -ENOENT && still_2l(), "init_control for vCPU ~0 gave %ld",
          rc);
    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET + 4, 0);
    check(rc == -EINVAL && still_2l(), "init_control at a misaligned "
          "offset gave %ld", rc);
    rc = init_control((uintptr_t)cb_page >> 12, 4096 - 64, 0);
    check(rc == -EINVAL && still_2l(), "init_control with a block across "
          "the page end gave %ld", rc);
    rc = init_control(0x100000, CB_OFFSET, 0);    /* 4 GiB: no RAM there */
    check(rc == -EINVAL && still_2l(), "init_control at gfn 0x100000 gave "
          "%ld", rc);
    rc = init_control(~0ULL, CB_OFFSET, 0);
    check(rc == -EINVAL && still_2l(), "init_control at gfn ~0 gave %ld",
          rc);
    rc = evtchn_op(EVTCHNOP_init_control, (void *)0x7fff00000000UL);
    check(rc == -EFAULT && still_2l(), "init_control with a bad pointer "
          "gave %ld", rc);
}

/* ---- The switch --------------------------------------------------------- */

static void test_switch(void)
{
    long rc;
    event_word_t w;

    /* A 2-level event pending at the switch carries over. */
    evtchn_notify(tx[0]);
    check((shinfo->evtchn_pending[rx[0] / 64] >> (rx[0] % 64)) & 1,
          "2-level send left port %u not pending", rx[0]);
    shinfo->vcpu_info[0].evtchn_upcall_pending = 0;

    memset((void *)(ARRAY_GPFN << 12), 0, 4096);
    fifo_cb = (void *)(cb_page + CB_OFFSET);
    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET, 0);
    if ( rc )
        panic("init_control gave %ld", rc);
    rc = init_control((uintptr_t)cb_page >> 12, CB_OFFSET, 0);
    check(rc == -EINVAL, "a second init_control for vCPU 0 gave %ld", rc);

    rc = set_priority(rx[0], 16);
    check(rc == -EINVAL, "set_priority 16 gave %ld", rc);
    rc = set_priority(EVTCHN_FIFO_NR_CHANNELS, 3);
    check(rc == -EINVAL, "set_priority of port 2^17 gave %ld", rc);
    rc = set_priority(100000, 3);
    check(rc == -EINVAL, "set_priority of port 100000 gave %ld", rc);
    rc = expand(0x100000);
    check(rc == -EINVAL, "expand_array at gfn 0x100000 gave %ld", rc);

    /* No array page yet: nothing can be linked. */
    check(fifo_cb->ready == 0, "READY %#x before any array page",
          fifo_cb->ready);
    rc = expand(ARRAY_GPFN);
    if ( rc )
        panic("expand_array gave %ld", rc);

    w = *fifo_word(rx[0]);
    check((w & (W_PENDING | W_LINKED | W_MASKED)) == (W_PENDING | W_LINKED),
          "carried-over port %u: word %#x", rx[0], w);
    check(fifo_cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT] == rx[0],
          "default queue head %u, not %u",
          fifo_cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], rx[0]);
    check(fifo_cb->ready == 1U << EVTCHN_FIFO_PRIORITY_DEFAULT,
          "READY %#x after the carried-over event", fifo_cb->ready);
    check(shinfo->vcpu_info[0].evtchn_upcall_pending,
          "no upcall_pending for the carried-over event");

    rc = hvm_set_callback_vector(CALLBACK_VEC);
    check(rc == 0, "set_param(CALLBACK_IRQ) gave %ld", rc);
    open_window();
    check_order("carried-over event", 1, &rx[0]);
    w = *fifo_word(rx[0]);
    check(!(w & (W_PENDING | W_LINKED)), "port %u after consumption: word "
          "%#x", rx[0], w);
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    unsigned long n = 0;
    domid_t peer;

    cmdline_number(cmdline, "peer=", &n);
    peer = (domid_t)n;
    if ( cmdline_find(cmdline, "role=twolevel") )
    {
        if ( !peer )
            panic("role=twolevel needs peer=<the FIFO domain>");
        twolevel_peer(peer);
        return;
    }
    shinfo = shared_info();
    fifo_load_idt();
    bind_ports();
    test_bad_before_switch();
    test_switch();
    test_one_queue();
    test_priorities();
    test_priority_while_linked();
    test_mask_needs_unmask();
    test_timer();
    test_vcpu_moves();
    measure_latency();
    test_subops();
    test_array_limit();
    if ( peer )
        fifo_with_peer(peer);
    test_pervcpu_vector();
    test_freed_array_page();
    test_reset(peer);
}
