/* SPDX-License-Identifier: MIT */
/* schedop: what main.c and wait.c share. */
#ifndef SCHEDOP_H
#define SCHEDOP_H

#include <orrery/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

#define MS(n) ((uint64_t)(n) * 1000000ULL)

static inline long sched_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

/* Forget every delivered event: the upcall flag and selector (as a
 * guest's handler does), so that only new events count. */
static inline void events_clear(void)
{
    volatile struct shared_info *s = shared_info();

    s->vcpu_info[0].evtchn_upcall_pending = 0;
    s->vcpu_info[0].evtchn_pending_sel = 0;
    for ( unsigned int i = 0; i < 64; i++ )
        s->evtchn_pending[i] = 0;
}

/* wait.c: SCHEDOP_block and SCHEDOP_poll. */
void test_block(void);
void test_poll(void);

#endif /* SCHEDOP_H */
