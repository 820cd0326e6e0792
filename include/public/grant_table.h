/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op: grant entries v1 and v2, status codes, copy flags and
 * the subops' arguments (reference/xen-abi-facts.md §2.3). The
 * hypervisor side is core/grant (core/include/orrery/grant.h).
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <public/xen.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint16_t grant_status_t;

/* Refs 0 .. 7 are reserved for the toolstack's use. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11
#define GNTTABOP_cache_flush         12

/* ---- Entry flags -------------------------------------------------------- */

#define GTF_invalid          0U
#define GTF_permit_access    1U
#define GTF_accept_transfer  2U
#define GTF_transitive       3U
#define GTF_type_mask        3U
#define GTF_readonly         (1U << 2)
#define GTF_reading          (1U << 3)  /* set by the hypervisor: mapped */
#define GTF_writing          (1U << 4)  /*   ... and mapped writable */
#define GTF_PWT              (1U << 5)
#define GTF_PCD              (1U << 6)
#define GTF_PAT              (1U << 7)
#define GTF_sub_page         (1U << 8)
/* GTF_accept_transfer entries reuse bits 2 and 3 (transfer is -ENOSYS). */
#define GTF_transfer_committed (1U << 2)
#define GTF_transfer_completed (1U << 3)

/* Entries per 4 KiB frame: 512 v1 entries, 256 v2 entries, 2048 status
 * words. */
#define GNTTAB_V1_PER_FRAME     512U
#define GNTTAB_V2_PER_FRAME     256U
#define GNTTAB_STATUS_PER_FRAME 2048U

/* v1: the whole entry lives in one 8-byte slot, status bits included. */
struct grant_entry_v1 {
    uint16_t flags;              /* GTF_* */
    xen_domid_t domid;           /* who may use it */
    uint32_t frame;              /* the granted frame */
};

/* v2: 16-byte entries; GTF_reading/writing move to separate u16 status
 * frames so that the guest can update entries without racing them. */
struct grant_entry_header {
    uint16_t flags;
    xen_domid_t domid;
};

union grant_entry_v2 {
    struct grant_entry_header hdr;
    struct {
        struct grant_entry_header hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        struct grant_entry_header hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        struct grant_entry_header hdr;
        xen_domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t spacer[4];
};

/* ---- Status codes (negative, in the per-op status field) ---------------- */

#define GNTST_okay               0
#define GNTST_general_error    (-1)
#define GNTST_bad_domain       (-2)
#define GNTST_bad_gntref       (-3)
#define GNTST_bad_handle       (-4)
#define GNTST_bad_virt_addr    (-5)
#define GNTST_bad_dev_addr     (-6)
#define GNTST_no_device_space  (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page         (-9)
#define GNTST_bad_copy_arg    (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain          (-12)
#define GNTST_no_space        (-13)

/* ---- Subop arguments ---------------------------------------------------- */

#define GNTMAP_device_map      (1U << 0)
#define GNTMAP_host_map        (1U << 1)
#define GNTMAP_readonly        (1U << 2)
#define GNTMAP_application_map (1U << 3)
#define GNTMAP_contains_pte    (1U << 4)
#define GNTMAP_guest_avail0    (1U << 16)   /* bits 16+: the guest's own */

struct gnttab_map_grant_ref {
    uint64_t host_addr;          /* IN: where to map (a gfn address) */
    uint32_t flags;              /* IN: GNTMAP_* */
    grant_ref_t ref;
    xen_domid_t dom;             /* IN: the granting domain */
    int16_t status;              /* OUT: GNTST_* */
    grant_handle_t handle;       /* OUT: for unmap */
    uint64_t dev_bus_addr;       /* OUT */
};

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t pad;
};

struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;           /* where the replaced mapping goes */
    grant_handle_t handle;
    int16_t status;
    uint16_t pad;
};

struct gnttab_dump_table {
    xen_domid_t dom;
    int16_t status;
};

struct gnttab_transfer {
    xen_pfn_t mfn;
    xen_domid_t domid;
    uint16_t pad;
    grant_ref_t ref;
    int16_t status;
    uint16_t pad1[3];
};

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;
    uint16_t pad;
};

struct gnttab_setup_table {
    xen_domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    int16_t status;
    uint16_t pad1[3];
    xen_guest_handle_t frame_list;   /* OUT: xen_pfn_t[nr_frames] */
};

struct gnttab_query_size {
    xen_domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;          /* OUT */
    uint32_t max_nr_frames;      /* OUT */
    int16_t status;
    uint16_t pad1;
};

#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref   (1U << 1)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;         /* with GNTCOPY_*_gref */
        xen_pfn_t gmfn;          /* otherwise: the caller's own frame */
    } u;
    xen_domid_t domid;
    uint16_t offset;
    uint32_t pad;
};

struct gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags;              /* GNTCOPY_* */
    int16_t status;
    uint16_t pad;
};

struct gnttab_set_version {
    uint32_t version;            /* IN/OUT: 1 or 2 */
};

struct gnttab_get_version {
    xen_domid_t dom;
    uint16_t pad;
    uint32_t version;            /* OUT */
};

struct gnttab_get_status_frames {
    uint32_t nr_frames;
    xen_domid_t dom;
    int16_t status;
    xen_guest_handle_t frame_list;   /* OUT: uint64_t[nr_frames] */
};

#define GNTTAB_CACHE_CLEAN       (1U << 0)
#define GNTTAB_CACHE_INVAL       (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;                 /* GNTTAB_CACHE_* */
};

XEN_ABI_SIZE(grant_entry_v1, 8);
XEN_ABI_CHECK(grant_entry_v1, domid, 2);
XEN_ABI_CHECK(grant_entry_v1, frame, 4);
XEN_ABI_SIZE(grant_entry_header, 4);
_Static_assert(sizeof(struct grant_entry_v1) * GNTTAB_V1_PER_FRAME == 4096,
               "v1 entries per frame");
_Static_assert(sizeof(union grant_entry_v2) * GNTTAB_V2_PER_FRAME == 4096,
               "v2 entries per frame");
_Static_assert(sizeof(grant_status_t) * GNTTAB_STATUS_PER_FRAME == 4096,
               "status words per frame");
_Static_assert(__builtin_offsetof(union grant_entry_v2, sub_page.length) ==
               6, "sub_page.length offset");
_Static_assert(__builtin_offsetof(union grant_entry_v2, sub_page.frame) ==
               8, "sub_page.frame offset");
_Static_assert(__builtin_offsetof(union grant_entry_v2, transitive.trans_domid)
               == 4, "transitive.trans_domid offset");
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2 size");
_Static_assert(__builtin_offsetof(union grant_entry_v2, full_page.frame) == 8,
               "full_page.frame offset");
_Static_assert(__builtin_offsetof(union grant_entry_v2, sub_page.page_off) ==
               4, "sub_page.page_off offset");
_Static_assert(__builtin_offsetof(union grant_entry_v2, transitive.gref) ==
               8, "transitive.gref offset");
XEN_ABI_SIZE(gnttab_map_grant_ref, 32);
XEN_ABI_CHECK(gnttab_map_grant_ref, flags, 8);
XEN_ABI_CHECK(gnttab_map_grant_ref, ref, 12);
XEN_ABI_CHECK(gnttab_map_grant_ref, dom, 16);
XEN_ABI_CHECK(gnttab_map_grant_ref, status, 18);
XEN_ABI_CHECK(gnttab_map_grant_ref, handle, 20);
XEN_ABI_CHECK(gnttab_map_grant_ref, dev_bus_addr, 24);
XEN_ABI_SIZE(gnttab_unmap_grant_ref, 24);
XEN_ABI_CHECK(gnttab_unmap_grant_ref, dev_bus_addr, 8);
XEN_ABI_CHECK(gnttab_unmap_grant_ref, handle, 16);
XEN_ABI_CHECK(gnttab_unmap_grant_ref, status, 20);
XEN_ABI_SIZE(gnttab_unmap_and_replace, 24);
XEN_ABI_CHECK(gnttab_unmap_and_replace, new_addr, 8);
XEN_ABI_CHECK(gnttab_unmap_and_replace, handle, 16);
XEN_ABI_CHECK(gnttab_unmap_and_replace, status, 20);
XEN_ABI_SIZE(gnttab_dump_table, 4);
XEN_ABI_CHECK(gnttab_dump_table, status, 2);
XEN_ABI_SIZE(gnttab_transfer, 24);
XEN_ABI_CHECK(gnttab_transfer, domid, 8);
XEN_ABI_CHECK(gnttab_transfer, ref, 12);
XEN_ABI_CHECK(gnttab_transfer, status, 16);
XEN_ABI_SIZE(gnttab_swap_grant_ref, 12);
XEN_ABI_CHECK(gnttab_swap_grant_ref, ref_b, 4);
XEN_ABI_CHECK(gnttab_swap_grant_ref, status, 8);
XEN_ABI_SIZE(gnttab_setup_table, 24);
XEN_ABI_CHECK(gnttab_setup_table, nr_frames, 4);
XEN_ABI_CHECK(gnttab_setup_table, status, 8);
XEN_ABI_CHECK(gnttab_setup_table, frame_list, 16);
XEN_ABI_SIZE(gnttab_query_size, 16);
XEN_ABI_CHECK(gnttab_query_size, max_nr_frames, 8);
XEN_ABI_CHECK(gnttab_query_size, status, 12);
XEN_ABI_SIZE(gnttab_copy_ptr, 16);
XEN_ABI_CHECK(gnttab_copy_ptr, domid, 8);
XEN_ABI_CHECK(gnttab_copy_ptr, offset, 10);
XEN_ABI_SIZE(gnttab_copy, 40);
XEN_ABI_CHECK(gnttab_copy, dest, 16);
XEN_ABI_CHECK(gnttab_copy, len, 32);
XEN_ABI_CHECK(gnttab_copy, flags, 34);
XEN_ABI_CHECK(gnttab_copy, status, 36);
XEN_ABI_SIZE(gnttab_set_version, 4);
XEN_ABI_SIZE(gnttab_get_version, 8);
XEN_ABI_CHECK(gnttab_get_version, version, 4);
XEN_ABI_SIZE(gnttab_get_status_frames, 16);
XEN_ABI_CHECK(gnttab_get_status_frames, dom, 4);
XEN_ABI_CHECK(gnttab_get_status_frames, status, 6);
XEN_ABI_CHECK(gnttab_get_status_frames, frame_list, 8);
XEN_ABI_SIZE(gnttab_cache_flush, 16);
XEN_ABI_CHECK(gnttab_cache_flush, offset, 8);
XEN_ABI_CHECK(gnttab_cache_flush, op, 12);

#endif /* PUBLIC_GRANT_TABLE_H */
