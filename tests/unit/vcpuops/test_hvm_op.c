/* SPDX-License-Identifier: MIT */
/* hvm_op: set/get_param with Xen's access rules, the upcall vector, and
 * every bad input. */
#include <public/hvm/params.h>

#include "vo_test.h"

static int64_t param(struct domain *caller, uint64_t op, domid_t dom,
                     uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {
        .domid = dom, .index = index, .value = *value,
    };
    int64_t rc;

    vo_poke(caller, VO_ARG, &p, sizeof(p));
    rc = vo_call(caller, 0, __HYPERVISOR_hvm_op, op, VO_ARG, 0);
    memcpy(&p, vo_guest_ptr(caller, VO_ARG), sizeof(p));
    *value = p.value;
    return rc;
}

static int64_t set(struct domain *c, domid_t dom, uint32_t index,
                   uint64_t value)
{
    return param(c, HVMOP_set_param, dom, index, &value);
}

static int64_t get(struct domain *c, domid_t dom, uint32_t index,
                   uint64_t *value)
{
    *value = 0x5a5a;
    return param(c, HVMOP_get_param, dom, index, value);
}

static void test_unset_reads_zero(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 0);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 0);
}

/* The builder (control domain) sets the xenstore and console pages; the
 * guest reads them, as XTF and Linux do at start-up (§1.7). */
static void test_toolstack_sets_guest_reads(void)
{
    domid_t u = vo_u1->domain_id;
    uint64_t v;

    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_STORE_PFN, 0xfeffc), 0);
    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_CONSOLE_PFN, 0xfefff), 0);
    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_CONSOLE_EVTCHN, 3), 0);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 0xfeffc);
    CU_ASSERT_EQUAL(get(vo_u1, u, HVM_PARAM_CONSOLE_PFN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 0xfefff);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 3);
    ORR_ASSERT_EQ_U64(hvm_param_read(vo_u1, HVM_PARAM_STORE_PFN), 0xfeffc);
    /* The control domain's own parameters are untouched. */
    ORR_ASSERT_EQ_U64(hvm_param_read(vo_d0, HVM_PARAM_STORE_PFN), 0);
}

static void test_guest_writable(void)
{
    uint64_t cb = (2ULL << HVM_PARAM_CALLBACK_TYPE_SHIFT) | 0xf3, v;

    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, cb), 0);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    ORR_ASSERT_EQ_U64(v, cb);
    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_STORE_EVTCHN, 5), 0);
    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, 8), 0);
}

/* The pages are the toolstack's: a guest may not move them. */
static void test_guest_read_only(void)
{
    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_STORE_PFN, 1), -EPERM);
    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, 1),
                    -EPERM);
    CU_ASSERT_EQUAL(set(vo_u1, DOMID_SELF, HVM_PARAM_MCA_CAP, 1), -EPERM);
    ORR_ASSERT_EQ_U64(hvm_param_read(vo_u1, HVM_PARAM_STORE_PFN), 0);
}

static void test_guest_unreadable(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(set(vo_d0, vo_u1->domain_id, HVM_PARAM_VIRIDIAN, 1), 0);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, HVM_PARAM_VIRIDIAN, &v), -EPERM);
    ORR_ASSERT_EQ_U64(v, 0x5a5a);       /* nothing written back */
    CU_ASSERT_EQUAL(get(vo_d0, vo_u1->domain_id, HVM_PARAM_VIRIDIAN, &v), 0);
    ORR_ASSERT_EQ_U64(v, 1);
}

static void test_deprecated_refused(void)
{
    CU_ASSERT_EQUAL(set(vo_d0, vo_u1->domain_id, HVM_PARAM_PAE_ENABLED, 1),
                    -EPERM);
    CU_ASSERT_EQUAL(set(vo_d0, vo_u1->domain_id, HVM_PARAM_DM_DOMAIN, 1),
                    -EPERM);
    CU_ASSERT_EQUAL(set(vo_d0, vo_u1->domain_id, 30, 1), -EPERM);
}

static void test_set_once(void)
{
    domid_t u = vo_u1->domain_id;

    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_ALTP2M, 1), 0);
    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_ALTP2M, 1), 0);  /* same */
    CU_ASSERT_EQUAL(set(vo_d0, u, HVM_PARAM_ALTP2M, 2), -EEXIST);
    ORR_ASSERT_EQ_U64(hvm_param_read(vo_u1, HVM_PARAM_ALTP2M), 1);
}

static void test_foreign_without_privilege(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(set(vo_u1, vo_d0->domain_id, HVM_PARAM_CALLBACK_IRQ, 1),
                    -EPERM);
    CU_ASSERT_EQUAL(get(vo_u1, vo_d0->domain_id, HVM_PARAM_STORE_PFN, &v),
                    -EPERM);
    ORR_ASSERT_EQ_U64(hvm_param_read(vo_d0, HVM_PARAM_CALLBACK_IRQ), 0);
}

static void test_bad_domain(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(set(vo_d0, 999, HVM_PARAM_STORE_PFN, 1), -ESRCH);
    CU_ASSERT_EQUAL(get(vo_d0, DOMID_FIRST_RESERVED + 1, HVM_PARAM_STORE_PFN,
                        &v), -ESRCH);
}

static void test_bad_index(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(set(vo_d0, DOMID_SELF, HVM_NR_PARAMS, 1), -EINVAL);
    CU_ASSERT_EQUAL(get(vo_u1, DOMID_SELF, 0xffffffffU, &v), -EINVAL);
}

static void test_bad_pointer(void)
{
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_hvm_op, HVMOP_get_param,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT, 0),
                    -EFAULT);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_hvm_op, HVMOP_set_param,
                            VO_RAM_PAGES * PAGE_SIZE - 8, 0), -EFAULT);
}

static int64_t upcall_vector(struct domain *d, uint32_t vcpu, uint8_t vec)
{
    struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = vcpu, .vector = vec };

    vo_poke(d, VO_ARG, &uv, sizeof(uv));
    return vo_call(d, 0, __HYPERVISOR_hvm_op,
                   HVMOP_set_evtchn_upcall_vector, VO_ARG, 0);
}

static void test_upcall_vector(void)
{
    CU_ASSERT_EQUAL(upcall_vector(vo_u1, 1, 0xf3), 0);
    CU_ASSERT_EQUAL(vcpu_upcall_vector(vo_u1->vcpu[1]), 0xf3);
    CU_ASSERT_EQUAL(vcpu_upcall_vector(vo_u1->vcpu[0]), 0);
    CU_ASSERT_EQUAL(vcpu_upcall_vector(vo_d0->vcpu[1]), 0);
}

static void test_upcall_vector_bad_input(void)
{
    CU_ASSERT_EQUAL(upcall_vector(vo_u1, 0, 0x0f), -EINVAL);
    CU_ASSERT_EQUAL(upcall_vector(vo_u1, VO_VCPUS, 0xf3), -ENOENT);
    CU_ASSERT_EQUAL(upcall_vector(vo_u1, ~0U, 0xf3), -ENOENT);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_hvm_op,
                            HVMOP_set_evtchn_upcall_vector,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT, 0),
                    -EFAULT);
    CU_ASSERT_EQUAL(vcpu_upcall_vector(vo_u1->vcpu[0]), 0);
}

static void test_unknown_op(void)
{
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_hvm_op,
                            HVMOP_pagetable_dying, VO_ARG, 0), -ENOSYS);
    CU_ASSERT_EQUAL(vo_call(vo_u1, 0, __HYPERVISOR_hvm_op, 1000, 0, 0),
                    -ENOSYS);
}

CU_TestInfo hvm_op_tests[] = {
    ORR_CASE(test_unset_reads_zero),
    ORR_CASE(test_toolstack_sets_guest_reads),
    ORR_CASE(test_guest_writable),
    ORR_CASE(test_guest_read_only),
    ORR_CASE(test_guest_unreadable),
    ORR_CASE(test_deprecated_refused),
    ORR_CASE(test_set_once),
    ORR_CASE(test_foreign_without_privilege),
    ORR_CASE(test_bad_domain),
    ORR_CASE(test_bad_index),
    ORR_CASE(test_bad_pointer),
    ORR_CASE(test_upcall_vector),
    ORR_CASE(test_upcall_vector_bad_input),
    ORR_CASE(test_unknown_op),
    CU_TEST_INFO_NULL,
};
