/* SPDX-License-Identifier: MIT */
/* sched_op: yield, block, poll, shut down (reference §1.1). */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <public/xen.h>

#define SCHEDOP_yield           0
#define SCHEDOP_block           1
#define SCHEDOP_shutdown        2
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code   5
#define SCHEDOP_watchdog        6

/* Shutdown reasons; also what domain_shutdown() records. */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

struct sched_shutdown {
    uint32_t reason;             /* SHUTDOWN_* */
};

/* Block until one of @nr_ports ports is pending or @timeout (absolute
 * system time, 0 = none) passes. */
struct sched_poll {
    xen_guest_handle_t ports;    /* evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;
};

struct sched_remote_shutdown {
    xen_domid_t domain_id;
    uint16_t pad;
    uint32_t reason;
};

struct sched_watchdog {
    uint32_t id;                 /* 0 allocates a new one */
    uint32_t timeout;            /* seconds; 0 destroys it */
};

XEN_ABI_SIZE(sched_shutdown, 4);
XEN_ABI_SIZE(sched_poll, 24);
XEN_ABI_CHECK(sched_poll, nr_ports, 8);
XEN_ABI_CHECK(sched_poll, timeout, 16);
XEN_ABI_SIZE(sched_remote_shutdown, 8);
XEN_ABI_CHECK(sched_remote_shutdown, reason, 4);
XEN_ABI_SIZE(sched_watchdog, 8);

#endif /* PUBLIC_SCHED_H */
