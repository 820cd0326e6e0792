/* SPDX-License-Identifier: MIT */
/*
 * domctl: Orrery's control-domain interface for building and managing
 * domains. Unlike the guest ABI this is Orrery's own (as Xen's domctl is
 * Xen's own and changes between releases): the toolstack and the
 * hypervisor must agree on ORRERY_DOMCTL_INTERFACE_VERSION, and a call
 * with another version fails with -EACCES.
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <public/xen.h>

#define ORRERY_DOMCTL_INTERFACE_VERSION 0x4f520001U  /* "OR" 0001 */

#define ORR_DOMCTL_createdomain    1
#define ORR_DOMCTL_destroydomain   2
#define ORR_DOMCTL_pausedomain     3
#define ORR_DOMCTL_unpausedomain   4
#define ORR_DOMCTL_getdomaininfo   5
#define ORR_DOMCTL_max_mem         6
#define ORR_DOMCTL_shutdown        7
#define ORR_DOMCTL_scheduler_op    8

/* Guest types, also the hypercall allow-list a domain gets. */
#define ORR_GUEST_PVH   0        /* HVM container, no device model */
#define ORR_GUEST_HVM   1
#define ORR_GUEST_ARM   2        /* Arm64 Xen guest */
#define ORR_GUEST_TYPES 3

/* createdomain flags */
#define ORR_CDF_privileged  (1U << 0)  /* a control domain (dom0) */
#define ORR_CDF_FLAGS_MASK  ORR_CDF_privileged

struct orr_domctl_createdomain {
    uint32_t flags;              /* ORR_CDF_* */
    uint32_t guest_type;         /* ORR_GUEST_* */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;    /* highest port + 1; 0 = the ABI's limit */
    uint64_t max_pages;
};

/* getdomaininfo flags */
#define ORR_DOMINF_dying     (1U << 0)
#define ORR_DOMINF_shutdown  (1U << 1)
#define ORR_DOMINF_paused    (1U << 2)
#define ORR_DOMINF_privileged (1U << 3)

struct orr_domctl_getdomaininfo {
    xen_domid_t domid;           /* OUT */
    uint16_t pad;
    uint32_t flags;              /* ORR_DOMINF_* */
    uint32_t shutdown_reason;    /* SHUTDOWN_*, valid with _shutdown */
    uint32_t nr_vcpus;
    uint64_t tot_pages;
    uint64_t max_pages;
};

struct orr_domctl_max_mem {
    uint64_t max_pages;
};

struct orr_domctl_shutdown {
    uint32_t reason;             /* SHUTDOWN_* */
    uint32_t pad;
};

/*
 * Scheduler ids: the values of Xen's XEN_SCHEDULER_* (xen-abi-facts
 * "IDs"), so a toolstack's tables carry over. A call naming another
 * scheduler than the one of the domain's (or pool's) cpupool is -EINVAL.
 */
#define ORR_SCHEDULER_CREDIT    5
#define ORR_SCHEDULER_CREDIT2   6
#define ORR_SCHEDULER_ARINC653  7
#define ORR_SCHEDULER_RTDS      8
#define ORR_SCHEDULER_NULL      9

/* scheduler_op commands, numbered as Xen's XEN_DOMCTL_SCHEDOP_*. */
#define ORR_DOMCTL_SCHEDOP_putinfo      0   /* the whole domain */
#define ORR_DOMCTL_SCHEDOP_getinfo      1
#define ORR_DOMCTL_SCHEDOP_putvcpuinfo  2   /* per vCPU (RTDS) */
#define ORR_DOMCTL_SCHEDOP_getvcpuinfo  3

/* credit and credit2: weight 1 .. 65535 (default 256), cap in % of one
 * pCPU, at most 100 per vCPU (0: no cap). */
struct orr_sched_credit {
    uint32_t weight;
    uint32_t cap;
};

#define ORR_RTDS_extratime  (1U << 0)   /* may run past budget when idle */
/* RTDS: period >= 10 us, 10 us <= budget <= period. */
struct orr_sched_rtds {
    uint32_t period_us;
    uint32_t budget_us;
    uint32_t flags;              /* ORR_RTDS_* */
    uint32_t pad;
};

/* One element of the putvcpuinfo/getvcpuinfo array. */
struct orr_sched_vcpu {
    uint32_t vcpuid;             /* IN */
    uint32_t pad;
    struct orr_sched_rtds rtds;  /* IN for put, OUT for get */
};

/*
 * getinfo/putinfo: u.credit, u.credit2 or u.rtds (put sets every vCPU,
 * get reads vCPU 0's, as Xen's RTDS does). getvcpuinfo/putvcpuinfo:
 * u.v.vcpus points at u.v.nr_vcpus struct orr_sched_vcpu (at most the
 * domain's vCPU count); a put changes all of them or none.
 */
struct orr_domctl_scheduler_op {
    uint32_t sched_id;           /* ORR_SCHEDULER_* */
    uint32_t cmd;                /* ORR_DOMCTL_SCHEDOP_* */
    union {
        struct orr_sched_credit credit;
        struct orr_sched_credit credit2;
        struct orr_sched_rtds rtds;
        struct {
            xen_guest_handle_t vcpus;
            uint32_t nr_vcpus;
            uint32_t pad;
        } v;
    } u;
};

struct orr_domctl {
    uint32_t cmd;                /* ORR_DOMCTL_* */
    uint32_t interface_version;  /* ORRERY_DOMCTL_INTERFACE_VERSION */
    xen_domid_t domain;          /* IN (OUT for createdomain) */
    uint16_t pad[3];
    union {
        struct orr_domctl_createdomain createdomain;
        struct orr_domctl_getdomaininfo getdomaininfo;
        struct orr_domctl_max_mem max_mem;
        struct orr_domctl_shutdown shutdown;
        struct orr_domctl_scheduler_op scheduler_op;
        uint8_t pad[128];        /* room to grow without a new layout */
    } u;
};

XEN_ABI_SIZE(orr_domctl_createdomain, 24);
XEN_ABI_CHECK(orr_domctl_createdomain, max_pages, 16);
XEN_ABI_SIZE(orr_domctl_getdomaininfo, 32);
XEN_ABI_CHECK(orr_domctl_getdomaininfo, tot_pages, 16);
XEN_ABI_SIZE(orr_sched_credit, 8);
XEN_ABI_SIZE(orr_sched_rtds, 16);
XEN_ABI_SIZE(orr_sched_vcpu, 24);
XEN_ABI_CHECK(orr_sched_vcpu, rtds, 8);
XEN_ABI_SIZE(orr_domctl_scheduler_op, 24);
XEN_ABI_CHECK(orr_domctl_scheduler_op, u, 8);
XEN_ABI_SIZE(orr_domctl, 144);
XEN_ABI_CHECK(orr_domctl, domain, 8);
XEN_ABI_CHECK(orr_domctl, u, 16);

#endif /* PUBLIC_DOMCTL_H */
