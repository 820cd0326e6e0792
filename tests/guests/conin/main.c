/* SPDX-License-Identifier: MIT */
/*
 * conin: serial input through the console ring (public/io/console.h;
 * reference §1.6). The ring's page and event channel come from
 * HVMOP_get_param(CONSOLE_PFN/CONSOLE_EVTCHN), as XTF and Linux's hvc
 * find them. The guest waits with SCHEDOP_poll on that port (with a
 * timeout), takes what the hypervisor put into in[] between in_cons and
 * in_prod, and moves in_cons.
 *
 * role=echo: expects the line "hello orrery" (ended by the Enter key,
 * '\r') typed on the serial line once the test has switched input to it
 * with Ctrl-a x3; echoes it through console_io.
 * role=idle: a neighbour that never has the focus while bytes are typed:
 * it must receive nothing before its wait times out.
 */
#include <orrery/lib.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "conin: serial input through the console ring";

#define EXPECTED        "hello orrery"
#define ECHO_WAIT_NS    (120ULL * 1000000000ULL)
#define IDLE_WAIT_NS    (15ULL * 1000000000ULL)

static volatile struct xencons_interface *ring;
static evtchn_port_t port;

/*
 * Read what arrived into @buf (at @len, at most @size - 1 bytes kept)
 * until '\r' or @deadline. Returns true when the line ended. Clearing the
 * pending bit before looking at the ring means an event raised after the
 * look is not lost: the poll then returns at once.
 */
static bool read_line(char *buf, size_t size, size_t *len, uint64_t deadline,
                      unsigned int *events)
{
    struct sched_poll poll = { .nr_ports = 1, .timeout = deadline };

    poll.ports = (uintptr_t)&port;
    for ( ;; )
    {
        XENCONS_RING_IDX cons, prod;

        if ( evtchn_is_pending(port) )
        {
            ++*events;
            evtchn_clear(port);
        }
        cons = ring->in_cons;
        prod = __atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE);
        check(prod - cons <= XENCONS_IN_SIZE, "in_prod %u is %u ahead",
              prod, prod - cons);
        for ( ; cons != prod; cons++ )
        {
            char c = ring->in[MASK_XENCONS_IDX(cons, XENCONS_IN_SIZE)];

            if ( c == '\r' )
            {
                __atomic_store_n(&ring->in_cons, cons + 1, __ATOMIC_RELEASE);
                buf[*len] = '\0';
                return true;
            }
            if ( *len < size - 1 )
                buf[(*len)++] = c;
        }
        __atomic_store_n(&ring->in_cons, cons, __ATOMIC_RELEASE);
        if ( now_ns() >= deadline )
        {
            buf[*len] = '\0';
            return false;
        }
        if ( !evtchn_is_pending(port) )
        {
            long rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);

            if ( rc )
                panic("SCHEDOP_poll gave %ld", rc);
        }
    }
}

static void echo(void)
{
    char line[64];
    size_t len = 0;
    unsigned int events = 0;
    bool ended;

    printf("waiting for input on port %u\n", port);
    ended = read_line(line, sizeof(line), &len, now_ns() + ECHO_WAIT_NS,
                      &events);
    printf("got: %s\n", line);
    check(ended, "no complete line within %llu s (got %zu bytes)",
          ECHO_WAIT_NS / 1000000000ULL, len);
    check(strcmp(line, EXPECTED) == 0, "got \"%s\", expected \"%s\"", line,
          EXPECTED);
    check(events > 0, "the console event channel never fired");
    check(ring->in_cons == ring->in_prod, "in_cons %u, in_prod %u",
          ring->in_cons, ring->in_prod);
}

static void idle(void)
{
    char got[64];
    size_t len = 0;
    unsigned int events = 0;
    bool ended;

    printf("waiting for input on port %u (none should come)\n", port);
    ended = read_line(got, sizeof(got), &len, now_ns() + IDLE_WAIT_NS,
                      &events);
    check(!ended && len == 0, "received %zu bytes meant for another domain:"
          " \"%s\"", len, got);
    check(ring->in_prod == 0, "in_prod moved to %u", ring->in_prod);
    printf("nothing arrived in %llu s, as it should\n",
           IDLE_WAIT_NS / 1000000000ULL);
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    uint64_t pfn = hvm_param(HVM_PARAM_CONSOLE_PFN);
    uint64_t evtchn = hvm_param(HVM_PARAM_CONSOLE_EVTCHN);

    if ( !pfn || !evtchn )
        panic("no console ring (pfn %#llx, port %llu)",
              (unsigned long long)pfn, (unsigned long long)evtchn);
    /* The first 4 GiB are identity-mapped (lib/head.S). */
    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
    port = (evtchn_port_t)evtchn;
    if ( cmdline_find(cmdline, "role=echo") )
        echo();
    else if ( cmdline_find(cmdline, "role=idle") )
        idle();
    else
        panic("role= must be echo or idle");
}
