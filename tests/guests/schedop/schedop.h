/* SPDX-License-Identifier: MIT */
/* schedop: what main.c and wait.c share. */
#ifndef SCHEDOP_H
#define SCHEDOP_H

#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

#define EPERM   1
#define EFAULT  14
#define EINVAL  22
#define ENOSPC  28
#define ENOSYS  38

#define MS(n) ((uint64_t)(n) * 1000000ULL)

static inline long sched_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long evtchn_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline bool port_pending(evtchn_port_t p)
{
    return (shared_info()->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static inline void port_clear(evtchn_port_t p)
{
    __atomic_fetch_and(&shared_info()->evtchn_pending[p / 64],
                       ~(1ULL << (p % 64)), __ATOMIC_SEQ_CST);
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
