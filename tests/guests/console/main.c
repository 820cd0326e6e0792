/* SPDX-License-Identifier: MIT */
/*
 * console: output through the console ring (public/io/console.h;
 * reference §1.6), the way Linux's hvc_xen and XTF's pv console write:
 * bytes into out[] at out_prod (free-running index, masked by the ring
 * size), a release store of out_prod, a notify on the console port; the
 * hypervisor (the back end) drains to the serial line, a line at a time
 * with the domain's name, and moves out_cons.
 *
 * The boot test checks the lines on the serial console; here the guest
 * checks the back end's side of the protocol: out_cons catches up with
 * out_prod, through several wraps of the ring, and a producer index that
 * claims more than the ring holds costs the hypervisor nothing.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "console: output through the console ring";

#define DRAIN_NS        (2ULL * 1000000000ULL)
#define WRAP_LINES      80
#define REPLAY_LINE     64      /* divides XENCONS_OUT_SIZE */

static volatile struct xencons_interface *ring;
static evtchn_port_t port;

static void notify(void)
{
    struct evtchn_send send = { .port = port };
    long rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &send);

    check(rc == 0, "EVTCHNOP_send on the console port %u gave %ld", port, rc);
}

/* Wait until the back end has taken everything up to out_prod. */
static bool drained(void)
{
    uint64_t deadline = now_ns() + DRAIN_NS;

    while ( __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) !=
            ring->out_prod )
        if ( now_ns() > deadline )
            return false;
    return true;
}

/* Write @s, waiting for room as a ring producer must. */
static void ring_write(const char *s)
{
    size_t n = strlen(s);

    while ( n )
    {
        XENCONS_RING_IDX prod = ring->out_prod;
        XENCONS_RING_IDX cons = __atomic_load_n(&ring->out_cons,
                                                __ATOMIC_ACQUIRE);
        uint64_t deadline = now_ns() + DRAIN_NS;

        while ( prod - cons == XENCONS_OUT_SIZE )
        {
            if ( now_ns() > deadline )
                panic("the ring stayed full for 2 s (cons %u prod %u)",
                      cons, prod);
            cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
        }
        for ( ; n && prod - cons < XENCONS_OUT_SIZE; n-- )
            ring->out[MASK_XENCONS_IDX(prod++, XENCONS_OUT_SIZE)] = *s++;
        __atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
        notify();
    }
}

static void test_lines(void)
{
    ring_write("ring: first line through out[]\n");
    ring_write("ring: carriage returns are dropped\r\n");
    ring_write("ring: a line in ");
    ring_write("three ");
    ring_write("writes\n");
    check(drained(), "out_cons %u never reached out_prod %u", ring->out_cons,
          ring->out_prod);
}

/* Five times around the ring: every line must come out whole. */
static void test_wrap(void)
{
    char line[80];
    XENCONS_RING_IDX start = ring->out_prod;

    for ( unsigned int i = 1; i <= WRAP_LINES; i++ )
    {
        snprintf(line, sizeof(line), "ring line %02u of %u: %s\n", i,
                 WRAP_LINES, "abcdefghijklmnopqrstuvwxyz0123456789+-");
        ring_write(line);
    }
    check(ring->out_prod - start > 2 * XENCONS_OUT_SIZE,
          "only %u bytes written", ring->out_prod - start);
    check(drained(), "wrap: out_cons %u never reached out_prod %u",
          ring->out_cons, ring->out_prod);
}

/* A line longer than the back end's line buffer comes out in pieces. */
static void test_long_line(void)
{
    char line[301];

    memset(line, 'x', 300);
    line[300] = '\0';
    ring_write(line);
    ring_write("\n");
    check(drained(), "long line not drained");
}

/*
 * A producer index far past what the ring can hold: the back end reads at
 * most one ring's worth (what out[] holds now: REPLAY lines laid out to
 * start at index 0) and catches up, and the guest carries on.
 */
static void test_lying_producer(void)
{
    XENCONS_RING_IDX cons = ring->out_cons, lie;
    char line[REPLAY_LINE + 1];

    check(drained(), "ring busy before the lie");
    snprintf(line, sizeof(line), "%-*s\n", REPLAY_LINE - 1,
             "ring: replayed after a producer index past the ring");
    for ( unsigned int off = 0; off < XENCONS_OUT_SIZE; off += REPLAY_LINE )
        memcpy((char *)ring->out + off, line, REPLAY_LINE);
    /* Three rings ahead, on a multiple of the ring size (index 0). */
    lie = (cons + 3 * XENCONS_OUT_SIZE) & ~(XENCONS_RING_IDX)(XENCONS_OUT_SIZE - 1);
    __atomic_store_n(&ring->out_prod, lie, __ATOMIC_RELEASE);
    notify();
    check(drained(), "after the lie out_cons is %u, out_prod %u",
          ring->out_cons, lie);
    ring_write("ring: still working after the lie\n");
    check(drained(), "not drained after the lie");
}

void test_main(const struct hvm_start_info *si)
{
    uint64_t pfn;

    (void)si;
    pfn = hvm_param(HVM_PARAM_CONSOLE_PFN);
    port = (evtchn_port_t)hvm_param(HVM_PARAM_CONSOLE_EVTCHN);
    check(pfn != 0, "HVM_PARAM_CONSOLE_PFN is 0");
    if ( !pfn )
        return;
    /* The 4 GiB identity map covers the ring page. */
    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
    printf("console ring at pfn %#llx, port %u, out_cons %u out_prod %u\n",
           (unsigned long long)pfn, port, ring->out_cons, ring->out_prod);
    check(ring->out_prod - ring->out_cons <= XENCONS_OUT_SIZE,
          "ring indexes inconsistent at start");

    test_lines();
    test_wrap();
    test_long_line();
    test_lying_producer();
}
