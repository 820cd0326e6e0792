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
        uint8_t pad[128];        /* room to grow without a new layout */
    } u;
};

XEN_ABI_SIZE(orr_domctl_createdomain, 24);
XEN_ABI_CHECK(orr_domctl_createdomain, max_pages, 16);
XEN_ABI_SIZE(orr_domctl_getdomaininfo, 32);
XEN_ABI_CHECK(orr_domctl_getdomaininfo, tot_pages, 16);
XEN_ABI_SIZE(orr_domctl, 144);
XEN_ABI_CHECK(orr_domctl, domain, 8);
XEN_ABI_CHECK(orr_domctl, u, 16);

#endif /* PUBLIC_DOMCTL_H */
