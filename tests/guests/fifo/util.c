/* SPDX-License-Identifier: MIT */
/*
 * The fifo test kernel's state and helpers: its ports, the control
 * block's page, and the subops as one-line calls.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "fifo.h"

uint8_t cb_page[4096] __attribute__((aligned(4096)));
volatile struct shared_info *shinfo;
evtchn_port_t timer_port, rx[3], tx[3];

long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
    struct evtchn_init_control c = { .control_gfn = gfn, .offset = offset,
                                     .vcpu = vcpu };
    long rc = evtchn_op(EVTCHNOP_init_control, &c);

    check(rc || c.link_bits == EVTCHN_FIFO_LINK_BITS,
          "init_control: link_bits %u", c.link_bits);
    return rc;
}

long expand(uint64_t gfn)
{
    return evtchn_op(EVTCHNOP_expand_array,
                     &(struct evtchn_expand_array){ .array_gfn = gfn });
}

long set_priority(evtchn_port_t port, uint32_t prio)
{
    return evtchn_op(EVTCHNOP_set_priority,
                     &(struct evtchn_set_priority){ .port = port,
                                                    .priority = prio });
}

void unmask(evtchn_port_t port)
{
    long rc = evtchn_op(EVTCHNOP_unmask,
                        &(struct evtchn_unmask){ .port = port });

    check(rc == 0, "unmask of port %u gave %ld", port, rc);
}

/* Let pending upcalls in: the STI shadow covers one instruction. */
void open_window(void)
{
    asm volatile ( "sti; nop; nop; cli" ::: "memory" );
}

/* Expect exactly @n consumed ports since the log was reset, in order. */
void check_order(const char *what, unsigned int n,
                        const evtchn_port_t *want)
{
    check(nr_consumed == n, "%s: %u events consumed, %u expected", what,
          nr_consumed, n);
    for ( unsigned int i = 0; i < n && i < nr_consumed; i++ )
        check(consumed[i] == want[i], "%s: event %u was port %u, not %u",
              what, i, consumed[i], want[i]);
    nr_consumed = 0;
}

bool still_2l(void)
{
    return expand(ARRAY_GPFN) == -EOPNOTSUPP;
}

/* Each bad init_control leaves the domain 2-level. */
