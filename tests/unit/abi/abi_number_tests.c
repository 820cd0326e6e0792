/* SPDX-License-Identifier: MIT */
/*
 * The numbers a guest passes in registers: hypercalls, subops, VIRQs,
 * domain ids, error codes (reference/xen-abi-facts.md §1.1, §1.6, §2.3).
 */
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/io/console.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "abi_test.h"

static void test_hypercall_numbers(void)
{
    static const struct abi_fact f[] = {
        NUM(__HYPERVISOR_memory_op, 12),
        NUM(__HYPERVISOR_multicall, 13),
        NUM(__HYPERVISOR_set_timer_op, 15),
        NUM(__HYPERVISOR_xen_version, 17),
        NUM(__HYPERVISOR_console_io, 18),
        NUM(__HYPERVISOR_grant_table_op, 20),
        NUM(__HYPERVISOR_vm_assist, 21),
        NUM(__HYPERVISOR_iret, 23),
        NUM(__HYPERVISOR_vcpu_op, 24),
        NUM(__HYPERVISOR_sched_op, 29),
        NUM(__HYPERVISOR_event_channel_op, 32),
        NUM(__HYPERVISOR_physdev_op, 33),
        NUM(__HYPERVISOR_hvm_op, 34),
        NUM(__HYPERVISOR_sysctl, 35),
        NUM(__HYPERVISOR_arch_0, 48),
        NUM(__HYPERVISOR_arch_7, 55),
        NUM(NR_HYPERCALLS, 128),
    };

    ABI_CHECK_ALL(f);
}

static void test_subop_numbers(void)
{
    static const struct abi_fact f[] = {
        NUM(XENVER_version, 0), NUM(XENVER_extraversion, 1),
        NUM(XENVER_get_features, 6), NUM(XENVER_pagesize, 7),
        NUM(XENVER_build_id, 10),
        NUM(XENFEAT_writable_page_tables, 0),
        NUM(XENFEAT_auto_translated_physmap, 2),
        NUM(XENFEAT_hvm_callback_vector, 8),
        NUM(XENFEAT_hvm_safe_pvclock, 9), NUM(XENFEAT_hvm_pirqs, 10),
        NUM(XENFEAT_dom0, 11), NUM(XENFEAT_runstate_phys_area, 18),
        NUM(XENFEAT_vcpu_time_phys_area, 19),
        NUM(CONSOLEIO_write, 0), NUM(CONSOLEIO_read, 1),
        NUM(VIRQ_TIMER, 0), NUM(VIRQ_DEBUG, 1), NUM(VIRQ_CONSOLE, 2),
        NUM(VMASST_TYPE_runstate_update_flag, 5),
        NUM(SIF_PRIVILEGED, 1), NUM(SIF_INITDOMAIN, 2),
        NUM(SCHEDOP_yield, 0), NUM(SCHEDOP_block, 1),
        NUM(SCHEDOP_shutdown, 2), NUM(SCHEDOP_poll, 3),
        NUM(SCHEDOP_shutdown_code, 5), NUM(SCHEDOP_watchdog, 6),
        NUM(SHUTDOWN_poweroff, 0), NUM(SHUTDOWN_reboot, 1),
        NUM(SHUTDOWN_suspend, 2), NUM(SHUTDOWN_crash, 3),
        NUM(SHUTDOWN_watchdog, 4), NUM(SHUTDOWN_soft_reset, 5),
        NUM(VCPUOP_initialise, 0), NUM(VCPUOP_up, 1), NUM(VCPUOP_down, 2),
        NUM(VCPUOP_is_up, 3), NUM(VCPUOP_register_runstate_memory_area, 5),
        NUM(VCPUOP_set_periodic_timer, 6),
        NUM(VCPUOP_stop_periodic_timer, 7),
        NUM(VCPUOP_set_singleshot_timer, 8),
        NUM(VCPUOP_stop_singleshot_timer, 9),
        NUM(VCPUOP_register_vcpu_info, 10),
        NUM(VCPUOP_register_vcpu_time_memory_area, 13),
        NUM(VCPU_SSHOTTMR_future, 1),
        NUM(XENMEM_increase_reservation, 0),
        NUM(XENMEM_decrease_reservation, 1),
        NUM(XENMEM_populate_physmap, 6), NUM(XENMEM_add_to_physmap, 7),
        NUM(XENMEM_memory_map, 9), NUM(XENMEM_remove_from_physmap, 15),
        NUM(XENMEM_acquire_resource, 28),
        NUM(XENMAPSPACE_shared_info, 0), NUM(XENMAPSPACE_grant_table, 1),
        NUM(XENMAPSPACE_gmfn, 2), NUM(XENMAPSPACE_gmfn_range, 3),
        NUM(HVMOP_set_param, 0), NUM(HVMOP_get_param, 1),
        NUM(HVMOP_pagetable_dying, 9),
        NUM(HVMOP_set_evtchn_upcall_vector, 23),
        NUM(HVM_PARAM_CALLBACK_IRQ, 0), NUM(HVM_PARAM_STORE_PFN, 1),
        NUM(HVM_PARAM_STORE_EVTCHN, 2), NUM(HVM_PARAM_CONSOLE_PFN, 17),
        NUM(HVM_PARAM_CONSOLE_EVTCHN, 18),
    };

    ABI_CHECK_ALL(f);
}

static void test_event_channel_numbers(void)
{
    static const struct abi_fact f[] = {
        NUM(EVTCHNOP_bind_interdomain, 0), NUM(EVTCHNOP_bind_virq, 1),
        NUM(EVTCHNOP_bind_pirq, 2), NUM(EVTCHNOP_close, 3),
        NUM(EVTCHNOP_send, 4), NUM(EVTCHNOP_status, 5),
        NUM(EVTCHNOP_alloc_unbound, 6), NUM(EVTCHNOP_bind_ipi, 7),
        NUM(EVTCHNOP_bind_vcpu, 8), NUM(EVTCHNOP_unmask, 9),
        NUM(EVTCHNOP_reset, 10), NUM(EVTCHNOP_init_control, 11),
        NUM(EVTCHNOP_expand_array, 12), NUM(EVTCHNOP_set_priority, 13),
        NUM(EVTCHN_2L_NR_CHANNELS, 4096),
        NUM(EVTCHN_FIFO_NR_CHANNELS, 1 << 17),
        NUM(EVTCHN_FIFO_PENDING, 31), NUM(EVTCHN_FIFO_MASKED, 30),
        NUM(EVTCHN_FIFO_LINKED, 29), NUM(EVTCHN_FIFO_BUSY, 28),
        NUM(EVTCHN_FIFO_PRIORITY_DEFAULT, 7),
        NUM(EVTCHN_FIFO_PRIORITY_MIN, 15),
    };

    ABI_CHECK_ALL(f);
}

static void test_grant_numbers(void)
{
    static const struct abi_fact f[] = {
        NUM(GNTTABOP_map_grant_ref, 0), NUM(GNTTABOP_unmap_grant_ref, 1),
        NUM(GNTTABOP_setup_table, 2), NUM(GNTTABOP_dump_table, 3),
        NUM(GNTTABOP_transfer, 4), NUM(GNTTABOP_copy, 5),
        NUM(GNTTABOP_query_size, 6), NUM(GNTTABOP_unmap_and_replace, 7),
        NUM(GNTTABOP_set_version, 8), NUM(GNTTABOP_get_status_frames, 9),
        NUM(GNTTABOP_get_version, 10), NUM(GNTTABOP_swap_grant_ref, 11),
        NUM(GNTTABOP_cache_flush, 12),
        NUM(GTF_permit_access, 1), NUM(GTF_accept_transfer, 2),
        NUM(GTF_transitive, 3), NUM(GTF_readonly, 1 << 2),
        NUM(GTF_reading, 1 << 3), NUM(GTF_writing, 1 << 4),
        NUM(GTF_PWT, 1 << 5), NUM(GTF_PCD, 1 << 6), NUM(GTF_PAT, 1 << 7),
        NUM(GTF_sub_page, 1 << 8),
        NUM(GNTCOPY_source_gref, 1), NUM(GNTCOPY_dest_gref, 2),
        NUM(GNTTAB_NR_RESERVED_ENTRIES, 8),
        NUM(GNTTAB_RESERVED_CONSOLE, 0), NUM(GNTTAB_RESERVED_XENSTORE, 1),
    };
    static const int gntst[] = {
        GNTST_okay, GNTST_general_error, GNTST_bad_domain,
        GNTST_bad_gntref, GNTST_bad_handle, GNTST_bad_virt_addr,
        GNTST_bad_dev_addr, GNTST_no_device_space, GNTST_permission_denied,
        GNTST_bad_page, GNTST_bad_copy_arg, GNTST_address_too_big,
        GNTST_eagain, GNTST_no_space,
    };
    int i;

    ABI_CHECK_ALL(f);
    /* GNTST codes run 0, -1, ... -13 in this order (§2.3). */
    for ( i = 0; i < (int)(sizeof(gntst) / sizeof(gntst[0])); i++ )
        CU_ASSERT_EQUAL(gntst[i], -i);
    CU_ASSERT_EQUAL(sizeof(gntst) / sizeof(gntst[0]), 14);
}

static void test_domid_numbers(void)
{
    static const struct abi_fact f[] = {
        NUM(DOMID_FIRST_RESERVED, 0x7FF0), NUM(DOMID_SELF, 0x7FF0),
        NUM(DOMID_IO, 0x7FF1), NUM(DOMID_XEN, 0x7FF2),
        NUM(DOMID_COW, 0x7FF3), NUM(DOMID_INVALID, 0x7FF4),
        NUM(DOMID_IDLE, 0x7FFF),
        NUM(XEN_HVM_START_MAGIC_VALUE, 0x336ec578),
        NUM(XENCONS_IN_SIZE, 1024), NUM(XENCONS_OUT_SIZE, 2048),
    };

    ABI_CHECK_ALL(f);
}

CU_TestInfo abi_number_tests[] = {
    ORR_CASE(test_hypercall_numbers),
    ORR_CASE(test_subop_numbers),
    ORR_CASE(test_event_channel_numbers),
    ORR_CASE(test_grant_numbers),
    ORR_CASE(test_domid_numbers),
    CU_TEST_INFO_NULL,
};
