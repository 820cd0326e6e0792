/* SPDX-License-Identifier: MIT */
/*
 * sysctl: Orrery's own host-wide control interface for the control
 * domain (physical information, the console ring). Versioned separately
 * from domctl; a mismatched version fails with -EACCES.
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <public/xen.h>

#define ORRERY_SYSCTL_INTERFACE_VERSION 0x4f530001U  /* "OS" 0001 */

#define ORR_SYSCTL_physinfo      1
#define ORR_SYSCTL_readconsole   2

struct orr_sysctl_physinfo {
    uint32_t nr_cpus;            /* OUT: online CPUs */
    uint32_t pad;
    uint64_t total_pages;        /* OUT */
    uint64_t free_pages;         /* OUT */
    uint64_t cpu_khz;            /* OUT: 0 when unknown */
};

struct orr_sysctl_readconsole {
    xen_guest_handle_t buffer;   /* OUT: bytes of the console ring */
    uint32_t count;              /* IN: buffer size; OUT: bytes written */
    uint32_t clear;              /* IN: non-zero empties the ring */
};

struct orr_sysctl {
    uint32_t cmd;                /* ORR_SYSCTL_* */
    uint32_t interface_version;  /* ORRERY_SYSCTL_INTERFACE_VERSION */
    union {
        struct orr_sysctl_physinfo physinfo;
        struct orr_sysctl_readconsole readconsole;
        uint8_t pad[128];
    } u;
};

XEN_ABI_SIZE(orr_sysctl_physinfo, 32);
XEN_ABI_SIZE(orr_sysctl_readconsole, 16);
XEN_ABI_SIZE(orr_sysctl, 136);
XEN_ABI_CHECK(orr_sysctl, u, 8);

#endif /* PUBLIC_SYSCTL_H */
