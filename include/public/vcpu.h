/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op: bring vCPUs up and down, place their vcpu_info and runstate
 * areas, and drive their timers (reference/xen-abi-facts.md §1.1).
 */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <public/xen.h>

#define VCPUOP_initialise                     0
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info            10
#define VCPUOP_register_vcpu_time_memory_area 13

/* Where a vCPU spends its time; the guest reads it to account steal. */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while the hypervisor updates the area, when
 * the guest enabled VMASST_TYPE_runstate_update_flag. */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
    int32_t state;               /* RUNSTATE_* */
    uint32_t pad0;
    uint64_t state_entry_time;   /* system time of the last change */
    uint64_t time[4];            /* ns spent in each RUNSTATE_* */
};

/* The area's guest address (a guest-virtual pointer for PV, a guest
 * linear address for HVM/PVH). */
struct vcpu_register_runstate_memory_area {
    uint64_t addr;
};

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

#define VCPU_SSHOTTMR_future (1U << 0)  /* -ETIME if already passed */

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;     /* system time */
    uint32_t flags;              /* VCPU_SSHOTTMR_* */
    uint32_t pad;
};

/* Move this vCPU's vcpu_info to @offset in guest frame @mfn (a gfn for
 * translated guests). A second registration fails with -EBUSY. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};

XEN_ABI_SIZE(vcpu_runstate_info, 48);
XEN_ABI_CHECK(vcpu_runstate_info, state_entry_time, 8);
XEN_ABI_CHECK(vcpu_runstate_info, time, 16);
XEN_ABI_SIZE(vcpu_register_runstate_memory_area, 8);
XEN_ABI_SIZE(vcpu_set_periodic_timer, 8);
XEN_ABI_SIZE(vcpu_set_singleshot_timer, 16);
XEN_ABI_CHECK(vcpu_set_singleshot_timer, flags, 8);
XEN_ABI_SIZE(vcpu_register_vcpu_info, 16);
XEN_ABI_CHECK(vcpu_register_vcpu_info, offset, 8);
XEN_ABI_CHECK(vcpu_register_vcpu_info, rsvd, 12);

#endif /* PUBLIC_VCPU_H */
