/* SPDX-License-Identifier: MIT */
/*
 * sysctl: Orrery's own host-wide control interface for the control
 * domain (physical information, the console ring). Versioned separately
 * from domctl; a mismatched version fails with -EACCES.
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <public/domctl.h>      /* ORR_SCHEDULER_* */
#include <public/xen.h>

#define ORRERY_SYSCTL_INTERFACE_VERSION 0x4f530001U  /* "OS" 0001 */

#define ORR_SYSCTL_physinfo      1
#define ORR_SYSCTL_readconsole   2
#define ORR_SYSCTL_scheduler_op  3
#define ORR_SYSCTL_cpupool_op    4

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

/* scheduler_op: a pool's parameters (Xen's XEN_SYSCTL_SCHEDOP_*). */
#define ORR_SYSCTL_SCHEDOP_putinfo  0
#define ORR_SYSCTL_SCHEDOP_getinfo  1

/* credit2 runqueue arrangement: one runqueue per ... */
#define ORR_CREDIT2_RQ_cpu     0
#define ORR_CREDIT2_RQ_core    1
#define ORR_CREDIT2_RQ_socket  2
#define ORR_CREDIT2_RQ_node    3
#define ORR_CREDIT2_RQ_all     4

/* One minor frame of an arinc653 schedule. */
#define ORR_ARINC653_MAX_ENTRIES 64
struct orr_arinc653_entry {
    xen_domid_t domid;
    uint16_t pad;
    uint32_t vcpu_id;
    uint64_t runtime_ns;         /* > 0 */
};

struct orr_sysctl_scheduler_op {
    uint32_t cpupool_id;
    uint32_t sched_id;           /* ORR_SCHEDULER_*: the pool's */
    uint32_t cmd;                /* ORR_SYSCTL_SCHEDOP_* */
    uint32_t pad;
    union {
        struct {
            uint32_t tslice_ms;      /* 1 .. 1000 */
            uint32_t ratelimit_us;   /* 0 or 100 .. 500000, <= tslice */
        } credit;
        struct {
            uint32_t ratelimit_us;   /* 0 or 100 .. 500000 */
            uint32_t runqueue;       /* ORR_CREDIT2_RQ_*, put: no CPUs */
        } credit2;
        struct {
            uint64_t major_frame_ns; /* >= the sum of the runtimes */
            xen_guest_handle_t entries; /* struct orr_arinc653_entry[] */
            uint32_t nr_entries;     /* IN put / IN size, OUT count get */
            uint32_t pad;
        } arinc653;
    } u;
};

/* cpupool_op, numbered as Xen's XEN_SYSCTL_CPUPOOL_OP_*. */
#define ORR_SYSCTL_CPUPOOL_OP_CREATE      1
#define ORR_SYSCTL_CPUPOOL_OP_DESTROY     2
#define ORR_SYSCTL_CPUPOOL_OP_INFO        3
#define ORR_SYSCTL_CPUPOOL_OP_ADDCPU      4
#define ORR_SYSCTL_CPUPOOL_OP_RMCPU       5
#define ORR_SYSCTL_CPUPOOL_OP_MOVEDOMAIN  6
#define ORR_CPUPOOLID_ANY      0xFFFFFFFFU  /* CREATE: pick a free id */
#define ORR_CPUPOOL_PAR_ANY    0xFFFFFFFFU  /* ADDCPU: any free CPU */

/*
 * CREATE: cpupool_id (or _ANY), sched_id IN; cpupool_id OUT.
 * DESTROY: cpupool_id. ADDCPU/RMCPU: cpupool_id, cpu (OUT: the CPU
 * added for _ANY). MOVEDOMAIN: cpupool_id, domid.
 * INFO: the first pool with an id >= cpupool_id (-ENOENT past the last,
 * as Xen, so a toolstack lists pools by asking id + 1): cpupool_id,
 * sched_id, n_dom, cpumap OUT.
 */
struct orr_sysctl_cpupool_op {
    uint32_t op;                 /* ORR_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;
    uint32_t sched_id;
    uint32_t domid;
    uint32_t cpu;
    uint32_t n_dom;
    uint64_t cpumap;             /* bit n: pCPU n */
};

struct orr_sysctl {
    uint32_t cmd;                /* ORR_SYSCTL_* */
    uint32_t interface_version;  /* ORRERY_SYSCTL_INTERFACE_VERSION */
    union {
        struct orr_sysctl_physinfo physinfo;
        struct orr_sysctl_readconsole readconsole;
        struct orr_sysctl_scheduler_op scheduler_op;
        struct orr_sysctl_cpupool_op cpupool_op;
        uint8_t pad[128];
    } u;
};

XEN_ABI_SIZE(orr_sysctl_physinfo, 32);
XEN_ABI_SIZE(orr_sysctl_readconsole, 16);
XEN_ABI_SIZE(orr_arinc653_entry, 16);
XEN_ABI_CHECK(orr_arinc653_entry, runtime_ns, 8);
XEN_ABI_SIZE(orr_sysctl_scheduler_op, 40);
XEN_ABI_CHECK(orr_sysctl_scheduler_op, u, 16);
XEN_ABI_SIZE(orr_sysctl_cpupool_op, 32);
XEN_ABI_CHECK(orr_sysctl_cpupool_op, cpumap, 24);
XEN_ABI_SIZE(orr_sysctl, 136);
XEN_ABI_CHECK(orr_sysctl, u, 8);

#endif /* PUBLIC_SYSCTL_H */
