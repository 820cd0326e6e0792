/* SPDX-License-Identifier: MIT */
/*
 * Sizes and offsets of include/public, against numbers copied by hand
 * from reference/xen-abi-facts.md (and, for structures the reference does
 * not list, from the layout rules of the x86_64 psABI applied to Xen's
 * field lists). The headers also assert these at compile time; this test
 * keeps its own copy so that "fixing" a header and its assertion together
 * still fails here.
 */
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/io/console.h>
#include <public/io/xs_wire.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "abi_test.h"

/* §1.5 */
static void test_shared_info_layout(void)
{
    static const struct abi_fact f[] = {
        SZ(struct vcpu_time_info, 32),
        OFF(struct vcpu_time_info, version, 0),
        OFF(struct vcpu_time_info, tsc_timestamp, 8),
        OFF(struct vcpu_time_info, system_time, 16),
        OFF(struct vcpu_time_info, tsc_to_system_mul, 24),
        OFF(struct vcpu_time_info, tsc_shift, 28),
        OFF(struct vcpu_time_info, flags, 29),
        SZ(struct vcpu_info, 64),
        OFF(struct vcpu_info, evtchn_upcall_pending, 0),
        OFF(struct vcpu_info, evtchn_upcall_mask, 1),
        OFF(struct vcpu_info, evtchn_pending_sel, 8),
        OFF(struct vcpu_info, arch, 16),
        OFF(struct vcpu_info, time, 32),
        SZ(struct shared_info, 3136),
        OFF(struct shared_info, vcpu_info, 0),
        OFF(struct shared_info, evtchn_pending, 2048),
        OFF(struct shared_info, evtchn_mask, 2560),
        OFF(struct shared_info, wc_version, 3072),
        OFF(struct shared_info, wc_sec, 3076),
        OFF(struct shared_info, wc_nsec, 3080),
        OFF(struct shared_info, wc_sec_hi, 3084),
        OFF(struct shared_info, arch, 3088),
        SZ(struct arch_shared_info, 48),
        SZ(struct vcpu_runstate_info, 48),
        OFF(struct vcpu_runstate_info, state_entry_time, 8),
        OFF(struct vcpu_runstate_info, time, 16),
    };

    ABI_CHECK_ALL(f);
}

/*
 * The same layout seen as bytes, as a guest sees the page: vCPU 3's
 * pending selector and port 65's pending bit land where §1.5 says.
 */
static void test_shared_info_bytes(void)
{
    static struct shared_info si;
    const uint8_t *b = (const uint8_t *)&si;

    memset(&si, 0, sizeof(si));
    si.vcpu_info[3].evtchn_upcall_pending = 1;
    si.vcpu_info[3].evtchn_pending_sel = 1ULL << 1;
    si.evtchn_pending[65 / 64] |= 1ULL << (65 % 64);
    si.evtchn_mask[0] = 1ULL << 7;
    si.wc_sec_hi = 0xa5;

    CU_ASSERT_EQUAL(b[3 * 64 + 0], 1);
    CU_ASSERT_EQUAL(b[3 * 64 + 8], 2);          /* little-endian word */
    CU_ASSERT_EQUAL(b[2048 + 8], 2);            /* port 65 = word 1 bit 1 */
    CU_ASSERT_EQUAL(b[2560], 0x80);
    CU_ASSERT_EQUAL(b[3084], 0xa5);
}

/* §1.1 vcpu.h, sched.h, memory.h, hvm_op.h */
static void test_vcpu_sched_memory_layout(void)
{
    static const struct abi_fact f[] = {
        SZ(struct vcpu_register_vcpu_info, 16),
        OFF(struct vcpu_register_vcpu_info, mfn, 0),
        OFF(struct vcpu_register_vcpu_info, offset, 8),
        OFF(struct vcpu_register_vcpu_info, rsvd, 12),
        SZ(struct vcpu_set_singleshot_timer, 16),
        OFF(struct vcpu_set_singleshot_timer, flags, 8),
        SZ(struct vcpu_set_periodic_timer, 8),
        SZ(struct vcpu_register_runstate_memory_area, 8),
        SZ(struct sched_shutdown, 4),
        SZ(struct sched_poll, 24),
        OFF(struct sched_poll, nr_ports, 8),
        OFF(struct sched_poll, timeout, 16),
        SZ(struct sched_remote_shutdown, 8),
        SZ(struct xen_add_to_physmap, 24),
        OFF(struct xen_add_to_physmap, size, 2),
        OFF(struct xen_add_to_physmap, space, 4),
        OFF(struct xen_add_to_physmap, idx, 8),
        OFF(struct xen_add_to_physmap, gpfn, 16),
        SZ(struct xen_memory_reservation, 32),
        OFF(struct xen_memory_reservation, nr_extents, 8),
        OFF(struct xen_memory_reservation, extent_order, 16),
        OFF(struct xen_memory_reservation, domid, 24),
        SZ(struct xen_remove_from_physmap, 16),
        SZ(struct xen_memory_map, 16),
        SZ(struct xen_hvm_param, 16),
        OFF(struct xen_hvm_param, domid, 0),
        OFF(struct xen_hvm_param, index, 4),
        OFF(struct xen_hvm_param, value, 8),
        SZ(struct xen_hvm_evtchn_upcall_vector, 8),
        OFF(struct xen_hvm_evtchn_upcall_vector, vector, 4),
        SZ(struct hvm_start_info, 56),
        OFF(struct hvm_start_info, memmap_paddr, 40),
        OFF(struct hvm_start_info, memmap_entries, 48),
    };

    ABI_CHECK_ALL(f);
}

/* §2.2 */
static void test_event_channel_layout(void)
{
    static const struct abi_fact f[] = {
        SZ(struct evtchn_alloc_unbound, 8),
        OFF(struct evtchn_alloc_unbound, remote_dom, 2),
        OFF(struct evtchn_alloc_unbound, port, 4),
        SZ(struct evtchn_bind_interdomain, 12),
        OFF(struct evtchn_bind_interdomain, remote_port, 4),
        OFF(struct evtchn_bind_interdomain, local_port, 8),
        SZ(struct evtchn_bind_virq, 12),
        OFF(struct evtchn_bind_virq, port, 8),
        SZ(struct evtchn_bind_pirq, 12),
        SZ(struct evtchn_bind_ipi, 8),
        SZ(struct evtchn_close, 4),
        SZ(struct evtchn_send, 4),
        SZ(struct evtchn_status, 24),
        OFF(struct evtchn_status, status, 8),
        OFF(struct evtchn_status, vcpu, 12),
        OFF(struct evtchn_status, u.interdomain.port, 20),
        SZ(struct evtchn_bind_vcpu, 8),
        SZ(struct evtchn_unmask, 4),
        SZ(struct evtchn_reset, 2),
        SZ(struct evtchn_init_control, 24),
        OFF(struct evtchn_init_control, link_bits, 16),
        SZ(struct evtchn_expand_array, 8),
        SZ(struct evtchn_set_priority, 8),
        SZ(struct evtchn_op, 32),
        SZ(struct evtchn_fifo_control_block, 72),
        OFF(struct evtchn_fifo_control_block, head, 8),
    };

    ABI_CHECK_ALL(f);
}

/* §2.3 */
static void test_grant_table_layout(void)
{
    static const struct abi_fact f[] = {
        SZ(struct grant_entry_v1, 8),
        OFF(struct grant_entry_v1, domid, 2),
        OFF(struct grant_entry_v1, frame, 4),
        SZ(union grant_entry_v2, 16),
        OFF(union grant_entry_v2, full_page.frame, 8),
        OFF(union grant_entry_v2, sub_page.page_off, 4),
        OFF(union grant_entry_v2, sub_page.length, 6),
        OFF(union grant_entry_v2, transitive.trans_domid, 4),
        OFF(union grant_entry_v2, transitive.gref, 8),
        SZ(struct gnttab_copy, 40),
        OFF(struct gnttab_copy, source.domid, 8),
        OFF(struct gnttab_copy, source.offset, 10),
        OFF(struct gnttab_copy, dest, 16),
        OFF(struct gnttab_copy, len, 32),
        OFF(struct gnttab_copy, flags, 34),
        OFF(struct gnttab_copy, status, 36),
        SZ(struct gnttab_map_grant_ref, 32),
        OFF(struct gnttab_map_grant_ref, handle, 20),
        SZ(struct gnttab_unmap_grant_ref, 24),
        SZ(struct gnttab_setup_table, 24),
        SZ(struct gnttab_query_size, 16),
        SZ(struct gnttab_get_version, 8),
        SZ(struct gnttab_get_status_frames, 16),
        SZ(struct gnttab_cache_flush, 16),
    };

    ABI_CHECK_ALL(f);
}

/* §1.6 and xs_wire */
static void test_ring_layouts(void)
{
    static const struct abi_fact f[] = {
        OFF(struct xencons_interface, in, 0),
        OFF(struct xencons_interface, out, 1024),
        OFF(struct xencons_interface, in_cons, 3072),
        OFF(struct xencons_interface, in_prod, 3076),
        OFF(struct xencons_interface, out_cons, 3080),
        OFF(struct xencons_interface, out_prod, 3084),
        OFF(struct xencons_interface, connection, 3088),
        SZ(struct xsd_sockmsg, 16),
        OFF(struct xenstore_domain_interface, rsp, 1024),
        OFF(struct xenstore_domain_interface, req_cons, 2048),
        OFF(struct xenstore_domain_interface, rsp_prod, 2060),
        OFF(struct xenstore_domain_interface, server_features, 2064),
        OFF(struct xenstore_domain_interface, connection, 2068),
        OFF(struct xenstore_domain_interface, error, 2072),
    };

    ABI_CHECK_ALL(f);
    /* Both rings fit in the one page a guest shares. */
    CU_ASSERT(sizeof(struct xencons_interface) <= 4096);
    CU_ASSERT(sizeof(struct xenstore_domain_interface) <= 4096);
}

static void test_version_and_control_layout(void)
{
    static const struct abi_fact f[] = {
        SZ(struct xen_compile_info, 144),
        OFF(struct xen_compile_info, compile_by, 64),
        OFF(struct xen_compile_info, compile_domain, 80),
        OFF(struct xen_compile_info, compile_date, 112),
        SZ(xen_extraversion_t, 16),
        SZ(xen_capabilities_info_t, 1024),
        SZ(xen_changeset_info_t, 64),
        SZ(struct xen_feature_info, 8),
        SZ(struct xen_build_id, 4),
        SZ(struct orr_domctl, 144),
        OFF(struct orr_domctl, u, 16),
        SZ(struct orr_sysctl, 136),
    };

    ABI_CHECK_ALL(f);
}

CU_TestInfo abi_layout_tests[] = {
    ORR_CASE(test_shared_info_layout),
    ORR_CASE(test_shared_info_bytes),
    ORR_CASE(test_vcpu_sched_memory_layout),
    ORR_CASE(test_event_channel_layout),
    ORR_CASE(test_grant_table_layout),
    ORR_CASE(test_ring_layouts),
    ORR_CASE(test_version_and_control_layout),
    CU_TEST_INFO_NULL,
};
