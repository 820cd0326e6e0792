/* SPDX-License-Identifier: MIT */
/*
 * xen_version: the hypervisor's version and what it offers this guest
 * (reference §1.1). Every subop with an output buffer fills the whole
 * buffer (NUL-padded), so no stale guest or hypervisor bytes survive.
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <public/xen.h>

/* Returns major << 16 | minor; no argument. */
#define XENVER_version             0

#define XENVER_extraversion        1
typedef char xen_extraversion_t[16];

#define XENVER_compile_info        2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

#define XENVER_capabilities        3
typedef char xen_capabilities_info_t[1024];

#define XENVER_changeset           4
typedef char xen_changeset_info_t[64];

#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;      /* PV: start of the hypervisor hole */
};

#define XENVER_get_features        6
struct xen_feature_info {
    uint32_t submap_idx;         /* IN: which 32-bit word of features */
    uint32_t submap;             /* OUT */
};
#define XENFEAT_NR_SUBMAPS 1

/* Returns the page size; no argument. */
#define XENVER_pagesize            7
#define XENVER_guest_handle        8
#define XENVER_commandline         9
typedef char xen_commandline_t[1024];

/* Returns the id's length; the argument is a xen_build_id with room for
 * @len bytes after it. */
#define XENVER_build_id           10
struct xen_build_id {
    uint32_t len;                /* IN: buffer size; OUT: id length */
    uint8_t buf[];
};

/* Feature bits reported by XENVER_get_features (public/features.h). */
#define XENFEAT_writable_page_tables        0
#define XENFEAT_auto_translated_physmap     2
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_hvm_pirqs                  10
#define XENFEAT_dom0                       11
#define XENFEAT_memory_op_vnode_supported  13
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_runstate_phys_area         18
#define XENFEAT_vcpu_time_phys_area        19

XEN_ABI_SIZE(xen_compile_info, 144);
XEN_ABI_CHECK(xen_compile_info, compile_by, 64);
XEN_ABI_CHECK(xen_compile_info, compile_domain, 80);
XEN_ABI_CHECK(xen_compile_info, compile_date, 112);
XEN_ABI_SIZE(xen_platform_parameters, 8);
XEN_ABI_SIZE(xen_feature_info, 8);
XEN_ABI_SIZE(xen_build_id, 4);
_Static_assert(sizeof(xen_extraversion_t) == 16, "extraversion size");
_Static_assert(sizeof(xen_capabilities_info_t) == 1024, "capabilities");
_Static_assert(sizeof(xen_changeset_info_t) == 64, "changeset size");

#endif /* PUBLIC_VERSION_H */
