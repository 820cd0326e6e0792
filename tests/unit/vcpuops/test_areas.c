/* SPDX-License-Identifier: MIT */
/* VCPUOP_register_vcpu_info and register_runstate_memory_area. */
#include "vo_test.h"

#define INFO_GFN 5
#define RS_GADDR (6 * PAGE_SIZE + 0x40)

static int64_t reg_info(struct domain *d, unsigned int target, uint64_t gfn,
                        uint32_t offset)
{
    struct vcpu_register_vcpu_info r = {
        .mfn = gfn, .offset = offset, .rsvd = 0xdeadbeef,
    };

    vo_poke(d, VO_ARG, &r, sizeof(r));
    return vo_call(d, 0, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info,
                   target, VO_ARG);
}

static int64_t reg_runstate(struct domain *d, unsigned int target,
                            uint64_t gaddr)
{
    struct vcpu_register_runstate_memory_area a = { .addr = gaddr };

    vo_poke(d, VO_ARG, &a, sizeof(a));
    return vo_call(d, 0, __HYPERVISOR_vcpu_op,
                   VCPUOP_register_runstate_memory_area, target, VO_ARG);
}

/* The old contents come along, every selector bit is set and the upcall
 * flag raised (nothing lost in the move), and later events land in the
 * new place. */
static void test_vcpu_info_moves(void)
{
    struct vcpu_info *old = &vo_u1->shared_info->vcpu_info[0];
    struct vcpu_info *new = vo_guest_ptr(vo_u1, INFO_GFN * PAGE_SIZE + 64);
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);

    old->arch.cr2 = 0x1234;
    old->time.system_time = 777;
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, 64), 0);
    CU_ASSERT_EQUAL(vo_u1->vcpu[0]->vcpu_info, new);
    ORR_ASSERT_EQ_U64(new->arch.cr2, 0x1234);
    ORR_ASSERT_EQ_U64(new->time.system_time, 777);
    CU_ASSERT_EQUAL(new->evtchn_upcall_pending, 1);
    ORR_ASSERT_EQ_U64(new->evtchn_pending_sel, ~0ULL);

    new->evtchn_upcall_pending = 0;
    new->evtchn_pending_sel = 0;
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
    CU_ASSERT_EQUAL(new->evtchn_upcall_pending, 1);
    ORR_ASSERT_EQ_U64(new->evtchn_pending_sel, 1ULL << (port / 64));
    CU_ASSERT_EQUAL(old->evtchn_upcall_pending, 0);
}

/* A vCPU blocked before the move wakes: the move marks events pending. */
static void test_vcpu_info_move_wakes(void)
{
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_sched_op, SCHEDOP_block,
                            0, 0), 0);
    CU_ASSERT_TRUE(vcpu_is_blocked(vo_u1->vcpu[0]));
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, 0), 0);
    CU_ASSERT_FALSE(vcpu_is_blocked(vo_u1->vcpu[0]));
}

static void test_vcpu_info_second_call_busy(void)
{
    CU_ASSERT_EQUAL(reg_info(vo_u1, 1, INFO_GFN, 0), 0);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 1, INFO_GFN, 128), -EBUSY);
    CU_ASSERT_EQUAL(vo_u1->vcpu[1]->vcpu_info,
                    vo_guest_ptr(vo_u1, INFO_GFN * PAGE_SIZE));
}

/* Another vCPU's only while it is down. */
static void test_vcpu_info_other_vcpu_up(void)
{
    struct vcpu_info *before = vo_u1->vcpu[1]->vcpu_info;

    CU_ASSERT_TRUE(vcpu_up(vo_u1->vcpu[1]));
    CU_ASSERT_EQUAL(reg_info(vo_u1, 1, INFO_GFN, 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_u1->vcpu[1]->vcpu_info, before);
}

static void test_vcpu_info_bad_offset(void)
{
    struct vcpu_info *before = vo_u1->vcpu[0]->vcpu_info;

    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, PAGE_SIZE - 63), -EINVAL);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, PAGE_SIZE), -EINVAL);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, 0xffffffffU), -EINVAL);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, 4), -EINVAL);  /* align */
    CU_ASSERT_EQUAL(vo_u1->vcpu[0]->vcpu_info, before);
    /* The last place that fits is fine. */
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN,
                             PAGE_SIZE - sizeof(struct vcpu_info)), 0);
}

static void test_vcpu_info_bad_frame(void)
{
    struct vcpu_info *before = vo_u1->vcpu[0]->vcpu_info;

    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, VO_GFN_HOLE, 0), -EINVAL);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, ~0ULL, 0), -EINVAL);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, 1ULL << 40, 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_u1->vcpu[0]->vcpu_info, before);
}

static void test_vcpu_info_foreign_frame(void)
{
    struct p2m_entry e;

    /* d0's RAM frame mapped into u1 as a foreign mapping: refused. */
    p2m_get_entry(vo_d0, _gfn(3), &e);
    CU_ASSERT_FATAL(p2m_set_entry(vo_u1, _gfn(VO_GFN_HOLE + 1), e.mfn,
                                  p2m_map_foreign, p2m_access_rw) == 0);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, VO_GFN_HOLE + 1, 0), -EINVAL);
    CU_ASSERT_FATAL(p2m_remove_range(vo_u1, _gfn(VO_GFN_HOLE + 1), 1) == 0);
}

static void test_vcpu_info_bad_arguments(void)
{
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_register_vcpu_info, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(reg_info(vo_u1, VO_VCPUS, INFO_GFN, 0), -ENOENT);
}

/* The page stays referenced while registered: giving it back does not
 * free it under the hypervisor's feet (ASan would catch a write). */
static void test_vcpu_info_page_held(void)
{
    evtchn_port_t port = vo_bind_ipi(vo_u1, 0);
    struct p2m_entry e;

    p2m_get_entry(vo_u1, _gfn(INFO_GFN), &e);
    CU_ASSERT_EQUAL(reg_info(vo_u1, 0, INFO_GFN, 0), 0);
    CU_ASSERT_EQUAL(page_refcount(mfn_to_page(e.mfn)), 2);
    CU_ASSERT_EQUAL(p2m_release_ram(vo_u1, _gfn(INFO_GFN), 1), 0);
    CU_ASSERT_EQUAL(page_refcount(mfn_to_page(e.mfn)), 1);
    CU_ASSERT_EQUAL(evtchn_send(vo_u1, port), 0);
}

/* The area is written at once and at every switch of the vCPU. */
static void test_runstate_area(void)
{
    struct vcpu_runstate_info *ri = vo_guest_ptr(vo_u1, RS_GADDR);

    domain_pause(vo_d0);
    vo_run_until(MILLISECS(2));
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0, RS_GADDR), 0);
    CU_ASSERT_EQUAL(ri->state, RUNSTATE_running);
    ORR_ASSERT_EQ_U64(ri->state_entry_time, 0);
    domain_pause(vo_u1);
    vo_run_until(MILLISECS(5));
    /* Switched out at 2 ms: the area says offline since then. */
    CU_ASSERT_EQUAL(ri->state, RUNSTATE_offline);
    ORR_ASSERT_EQ_U64(ri->state_entry_time, MILLISECS(2));
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_running], MILLISECS(2));
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    vo_run_until(MILLISECS(6));
    CU_ASSERT_EQUAL(ri->state, RUNSTATE_running);
    ORR_ASSERT_EQ_U64(ri->state_entry_time, MILLISECS(5));
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_offline], MILLISECS(3));
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

static void test_runstate_area_bad_address(void)
{
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0,
                                 (uint64_t)VO_GFN_HOLE << PAGE_SHIFT),
                    -EFAULT);
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0, VO_RAM_PAGES * PAGE_SIZE - 8),
                    -EFAULT);
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0, ~0ULL - 4), -EFAULT);
    CU_ASSERT_EQUAL(vcpu_runstate_area_update(vo_u1->vcpu[0]), -ENOENT);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_vcpu_op,
                            VCPUOP_register_runstate_memory_area, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 5, RS_GADDR), -ENOENT);
}

/* Address 0 turns the updates off. */
static void test_runstate_area_unregister(void)
{
    struct vcpu_runstate_info *ri = vo_guest_ptr(vo_u1, RS_GADDR);

    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0, RS_GADDR), 0);
    CU_ASSERT_EQUAL(reg_runstate(vo_u1, 0, 0), 0);
    memset(ri, 0, sizeof(*ri));
    domain_pause(vo_u1);
    vo_run_until(MILLISECS(3));
    ORR_ASSERT_EQ_U64(ri->state_entry_time, 0);
    CU_ASSERT_EQUAL(ri->state, 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
}

CU_TestInfo area_tests[] = {
    ORR_CASE(test_vcpu_info_moves),
    ORR_CASE(test_vcpu_info_move_wakes),
    ORR_CASE(test_vcpu_info_second_call_busy),
    ORR_CASE(test_vcpu_info_other_vcpu_up),
    ORR_CASE(test_vcpu_info_bad_offset),
    ORR_CASE(test_vcpu_info_bad_frame),
    ORR_CASE(test_vcpu_info_foreign_frame),
    ORR_CASE(test_vcpu_info_bad_arguments),
    ORR_CASE(test_vcpu_info_page_held),
    ORR_CASE(test_runstate_area),
    ORR_CASE(test_runstate_area_bad_address),
    ORR_CASE(test_runstate_area_unregister),
    CU_TEST_INFO_NULL,
};
