/* SPDX-License-Identifier: MIT */
/*
 * memory_op, the subset Orrery implements (reference §1.1): reservations,
 * populate_physmap, add/remove_from_physmap, the guest memory map.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <public/xen.h>

#define XENMEM_increase_reservation  0
#define XENMEM_decrease_reservation  1
#define XENMEM_maximum_ram_page      2
#define XENMEM_current_reservation   3
#define XENMEM_maximum_reservation   4
#define XENMEM_populate_physmap      6
#define XENMEM_add_to_physmap        7
#define XENMEM_memory_map            9
#define XENMEM_machphys_mapping     12   /* refused for HVM/PVH guests */
#define XENMEM_maximum_gpfn         14
#define XENMEM_remove_from_physmap  15
#define XENMEM_acquire_resource     28

/* memory_op command bits from MEMOP_EXTENT_SHIFT up carry the extent a
 * continuation resumes at; the low bits are the XENMEM_* subop. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1U << MEMOP_EXTENT_SHIFT) - 1)

/*
 * xen_memory_reservation.mem_flags: bits 0-7 the address width every
 * frame must fit in (0: any), bits 8-15 a NUMA node + 1 (0: any).
 */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffU)
#define XENMEMF_node(x)             (((x) + 1U) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1U) & 0xffU)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_vnode               (1U << 18)

struct xen_memory_reservation {
    xen_guest_handle_t extent_start;  /* xen_pfn_t[nr_extents] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    xen_domid_t domid;
    uint16_t pad[3];
};

#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4

/* With XENMAPSPACE_grant_table, this bit of idx selects status frames. */
#define XENMAPIDX_grant_table_status (1ULL << 31)

struct xen_add_to_physmap {
    xen_domid_t domid;
    uint16_t size;               /* gmfn_range: number of pages */
    uint32_t space;              /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;              /* where to map it */
};

struct xen_remove_from_physmap {
    xen_domid_t domid;
    uint16_t pad[3];
    xen_pfn_t gpfn;
};

/* IN: room for nr_entries E820 entries at buffer; OUT: entries written. */
struct xen_memory_map {
    uint32_t nr_entries;
    uint32_t pad;
    xen_guest_handle_t buffer;
};

/*
 * One entry of XENMEM_memory_map's buffer: the BIOS E820 entry, packed to
 * 20 bytes (the layout Linux's struct e820_entry reads). Types are the
 * ACPI/E820 ones: 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 unusable.
 */
struct xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

XEN_ABI_SIZE(xen_memory_reservation, 32);
XEN_ABI_CHECK(xen_memory_reservation, nr_extents, 8);
XEN_ABI_CHECK(xen_memory_reservation, extent_order, 16);
XEN_ABI_CHECK(xen_memory_reservation, mem_flags, 20);
XEN_ABI_CHECK(xen_memory_reservation, domid, 24);
XEN_ABI_SIZE(xen_add_to_physmap, 24);
XEN_ABI_CHECK(xen_add_to_physmap, size, 2);
XEN_ABI_CHECK(xen_add_to_physmap, space, 4);
XEN_ABI_CHECK(xen_add_to_physmap, idx, 8);
XEN_ABI_CHECK(xen_add_to_physmap, gpfn, 16);
XEN_ABI_SIZE(xen_remove_from_physmap, 16);
XEN_ABI_CHECK(xen_remove_from_physmap, gpfn, 8);
XEN_ABI_SIZE(xen_memory_map, 16);
XEN_ABI_CHECK(xen_memory_map, buffer, 8);
XEN_ABI_SIZE(xen_e820_entry, 20);
XEN_ABI_CHECK(xen_e820_entry, size, 8);
XEN_ABI_CHECK(xen_e820_entry, type, 16);

#endif /* PUBLIC_MEMORY_H */
