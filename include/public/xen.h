/* SPDX-License-Identifier: MIT */
/*
 * The core of Xen's guest ABI, as Orrery implements it: hypercall numbers,
 * reserved domain ids, and the shared_info / vcpu_info pages through which
 * events and time reach a guest (reference/xen-abi-facts.md §1.1, §1.5).
 *
 * Layouts are the x86_64 ones (xen_ulong_t is 64 bits). Arm64 shares the
 * numbers and the 64-bit xen_ulong_t but has an empty arch_vcpu_info and
 * arch_shared_info; that variant comes with the Arm guest work. Every size
 * and offset below is checked at compile time here and again at run time
 * by unit.abi, so a slip in a header is a failing test, not a silent ABI
 * break.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stdint.h>

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
typedef uint16_t xen_domid_t;
typedef uint32_t xen_evtchn_port_t;

/*
 * A guest handle: a guest-virtual (or, for HVM, guest-linear) address of
 * an array in guest memory. Kept as a plain 64-bit value so that no host
 * pointer ever stands in for guest memory; the copy helpers in
 * core/hypercall translate it through the p2m.
 */
typedef uint64_t xen_guest_handle_t;

/* ---- Hypercall numbers (§1.1) ------------------------------------------- */

#define __HYPERVISOR_set_trap_table        0
#define __HYPERVISOR_mmu_update            1
#define __HYPERVISOR_memory_op            12
#define __HYPERVISOR_multicall            13
#define __HYPERVISOR_set_timer_op         15
#define __HYPERVISOR_xen_version          17
#define __HYPERVISOR_console_io           18
#define __HYPERVISOR_grant_table_op       20
#define __HYPERVISOR_vm_assist            21
#define __HYPERVISOR_iret                 23
#define __HYPERVISOR_vcpu_op              24
#define __HYPERVISOR_sched_op             29
#define __HYPERVISOR_event_channel_op     32
#define __HYPERVISOR_physdev_op           33
#define __HYPERVISOR_hvm_op               34
#define __HYPERVISOR_sysctl               35
#define __HYPERVISOR_domctl               36
/* Architecture-specific hypercalls take 48 .. 55. */
#define __HYPERVISOR_arch_0               48
#define __HYPERVISOR_arch_7               55
/* Size of the dispatch table: one hypercall page holds 128 stubs (§1.3). */
#define NR_HYPERCALLS                    128

/* ---- console_io --------------------------------------------------------- */

#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* ---- vm_assist ---------------------------------------------------------- */

#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_runstate_update_flag 5

/* ---- Virtual IRQs: events the hypervisor raises itself ------------------ */

#define VIRQ_TIMER    0   /* per vCPU: singleshot/periodic timer */
#define VIRQ_DEBUG    1   /* per vCPU: debug key pressed */
#define VIRQ_CONSOLE  2   /* global: hypervisor console has input */
#define VIRQ_DOM_EXC  3   /* global: a domain crashed or shut down */
#define VIRQ_TBUF     4   /* global: trace buffers have records */
#define NR_VIRQS     24

/* ---- Reserved domain ids ------------------------------------------------ */

#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U  /* "the calling domain" */
#define DOMID_IO             0x7FF1U
#define DOMID_XEN            0x7FF2U
#define DOMID_COW            0x7FF3U
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU

/* ---- Time: one per vCPU inside vcpu_info (§1.5) ------------------------- */

/*
 * The guest computes now = system_time +
 *     (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32
 * (a negative tsc_shift shifts right). version is odd while the
 * hypervisor updates the record; the guest retries until it reads the
 * same even version before and after.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;        /* ns since the domain's epoch */
    uint32_t tsc_to_system_mul;  /* 32.32 fixed point */
    int8_t tsc_shift;
    uint8_t flags;               /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1)

/* x86_64: the page-fault address of a PV guest, and padding. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};

/*
 * Per-vCPU event state. The 2-level ABI (§1.5): a pending port sets its
 * bit in shared_info.evtchn_pending, then (if unmasked) bit port/64 of
 * the target vCPU's evtchn_pending_sel, then evtchn_upcall_pending.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;      /* PV only: HVM masks with RFLAGS.IF */
    uint8_t pad0[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};

/* x86_64 arch part of shared_info: PV p2m list and NMI reason. */
struct arch_shared_info {
    uint64_t max_pfn;
    uint64_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};

/* vCPUs whose vcpu_info lives in shared_info; later ones need
 * VCPUOP_register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS 32

/* One bit per 2-level port: 64 words of 64 bits = 4096 ports. */
#define EVTCHN_2L_WORDS 64

struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[EVTCHN_2L_WORDS];
    xen_ulong_t evtchn_mask[EVTCHN_2L_WORDS];
    /* Wall clock at system time 0; wc_version odd while updating. */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;              /* x86_64: upper 32 bits of seconds */
    struct arch_shared_info arch;
};

#define XEN_ABI_CHECK(type, member, off) \
    _Static_assert(__builtin_offsetof(struct type, member) == (off), \
                   #type "." #member " offset")
#define XEN_ABI_SIZE(type, size) \
    _Static_assert(sizeof(struct type) == (size), #type " size")

XEN_ABI_SIZE(vcpu_time_info, 32);
XEN_ABI_CHECK(vcpu_time_info, tsc_timestamp, 8);
XEN_ABI_CHECK(vcpu_time_info, system_time, 16);
XEN_ABI_CHECK(vcpu_time_info, tsc_to_system_mul, 24);
XEN_ABI_CHECK(vcpu_time_info, tsc_shift, 28);
XEN_ABI_CHECK(vcpu_time_info, flags, 29);
XEN_ABI_SIZE(arch_vcpu_info, 16);
XEN_ABI_SIZE(vcpu_info, 64);
XEN_ABI_CHECK(vcpu_info, evtchn_upcall_pending, 0);
XEN_ABI_CHECK(vcpu_info, evtchn_upcall_mask, 1);
XEN_ABI_CHECK(vcpu_info, evtchn_pending_sel, 8);
XEN_ABI_CHECK(vcpu_info, arch, 16);
XEN_ABI_CHECK(vcpu_info, time, 32);
XEN_ABI_SIZE(arch_shared_info, 48);
XEN_ABI_SIZE(shared_info, 3136);
XEN_ABI_CHECK(shared_info, evtchn_pending, 2048);
XEN_ABI_CHECK(shared_info, evtchn_mask, 2560);
XEN_ABI_CHECK(shared_info, wc_version, 3072);
XEN_ABI_CHECK(shared_info, wc_sec, 3076);
XEN_ABI_CHECK(shared_info, wc_nsec, 3080);
XEN_ABI_CHECK(shared_info, wc_sec_hi, 3084);
XEN_ABI_CHECK(shared_info, arch, 3088);

#endif /* PUBLIC_XEN_H */
