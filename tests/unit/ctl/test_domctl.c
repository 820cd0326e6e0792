/* SPDX-License-Identifier: MIT */
/* domctl: the version and access checks, and the domain commands. */
#include <orrery/xsm.h>

#include "ctl_test.h"

static struct orr_domctl cmd(uint32_t c, domid_t dom)
{
    return (struct orr_domctl){ .cmd = c, .domain = dom };
}

static struct orr_domctl_getdomaininfo info(domid_t dom)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_getdomaininfo, dom);

    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    return op.u.getdomaininfo;
}

/* A toolstack built against another layout must not be understood. */
static void test_version_mismatch(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_pausedomain, ctl_u1->domain_id);

    op.interface_version = ORRERY_DOMCTL_INTERFACE_VERSION + 1;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EACCES);
    CU_ASSERT_EQUAL(ctl_u1->pause_count, 0);
}

static void test_bad_pointer(void)
{
    CU_ASSERT_EQUAL(ctl_call(ctl_d0, __HYPERVISOR_domctl, CTL_HOLE),
                    -EFAULT);
    /* The struct straddles the end of RAM. */
    CU_ASSERT_EQUAL(ctl_call(ctl_d0, __HYPERVISOR_domctl,
                             (CTL_RAM_PAGES << 12) - 16), -EFAULT);
}

/* XSM dummy: domctl is the control domain's, even on the caller itself. */
static void test_domu_refused(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_getdomaininfo, ctl_d0->domain_id);
    struct orr_domctl self = cmd(ORR_DOMCTL_unpausedomain, DOMID_SELF);
    struct orr_domctl create = cmd(ORR_DOMCTL_createdomain, 0);
    unsigned int before = domain_count();

    CU_ASSERT_EQUAL(ctl_domctl(ctl_u1, &op), -EPERM);
    CU_ASSERT_EQUAL(op.u.getdomaininfo.domid, 0);   /* nothing written */
    CU_ASSERT_EQUAL(ctl_domctl(ctl_u1, &self), -EPERM);
    create.u.createdomain.max_vcpus = 1;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_u1, &create), -EPERM);
    CU_ASSERT_EQUAL(domain_count(), before);
}

/* Under SILO too: the policy only narrows what a domU may connect. */
static void test_domu_refused_silo(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_pausedomain, ctl_d0->domain_id);
    struct orr_domctl mine = cmd(ORR_DOMCTL_getdomaininfo,
                                 ctl_u1->domain_id);

    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_u1, &op), -EPERM);
    CU_ASSERT_EQUAL(ctl_d0->pause_count, 0);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &mine), 0);
    CU_ASSERT_EQUAL(mine.u.getdomaininfo.domid, ctl_u1->domain_id);
    CU_ASSERT_EQUAL(xsm_set_policy("dummy"), 0);
}

static void test_unknown_domain(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_pausedomain, CTL_NO_DOMAIN);
    struct orr_domctl io = cmd(ORR_DOMCTL_getdomaininfo, DOMID_IO);

    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -ESRCH);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &io), -ESRCH);
}

static void test_unknown_command(void)
{
    struct orr_domctl op = cmd(999, ctl_u1->domain_id);

    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -ENOSYS);
}

/* The life of a domain through domctl alone. */
static void test_create_lifecycle(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_createdomain, 0);
    struct orr_domctl_getdomaininfo i;
    domid_t id;

    op.u.createdomain.max_vcpus = 3;
    op.u.createdomain.max_pages = 100;
    op.u.createdomain.guest_type = ORR_GUEST_PVH;
    CU_ASSERT_EQUAL_FATAL(ctl_domctl(ctl_d0, &op), 0);
    id = op.domain;
    CU_ASSERT(id != ctl_d0->domain_id && id != ctl_u1->domain_id);
    CU_ASSERT(id < DOMID_FIRST_RESERVED);

    i = info(id);
    CU_ASSERT_EQUAL(i.domid, id);
    CU_ASSERT_EQUAL(i.nr_vcpus, 3);
    ORR_ASSERT_EQ_U64(i.max_pages, 100);
    ORR_ASSERT_EQ_U64(i.tot_pages, 0);
    CU_ASSERT_EQUAL(i.flags, ORR_DOMINF_paused);    /* created paused */

    op = cmd(ORR_DOMCTL_unpausedomain, id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    CU_ASSERT_EQUAL(info(id).flags, 0);
    /* Unbalanced unpause is refused. */
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);

    op = cmd(ORR_DOMCTL_pausedomain, id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    CU_ASSERT_EQUAL(info(id).flags, ORR_DOMINF_paused);

    op = cmd(ORR_DOMCTL_max_mem, id);
    op.u.max_mem.max_pages = 200;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    ORR_ASSERT_EQ_U64(info(id).max_pages, 200);

    op = cmd(ORR_DOMCTL_shutdown, id);
    op.u.shutdown.reason = SHUTDOWN_reboot;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    i = info(id);
    CU_ASSERT(i.flags & ORR_DOMINF_shutdown);
    CU_ASSERT_EQUAL(i.shutdown_reason, SHUTDOWN_reboot);

    op = cmd(ORR_DOMCTL_destroydomain, id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
    op = cmd(ORR_DOMCTL_getdomaininfo, id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -ESRCH);
    op = cmd(ORR_DOMCTL_destroydomain, id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -ESRCH);
    CU_ASSERT_EQUAL(domain_count(), 2);
}

static void test_create_requested_id(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_createdomain, CTL_NO_DOMAIN + 1);

    op.u.createdomain.max_vcpus = 1;
    CU_ASSERT_EQUAL_FATAL(ctl_domctl(ctl_d0, &op), 0);
    CU_ASSERT_EQUAL(op.domain, CTL_NO_DOMAIN + 1);
    /* Taken now. */
    op = cmd(ORR_DOMCTL_createdomain, CTL_NO_DOMAIN + 1);
    op.u.createdomain.max_vcpus = 1;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EEXIST);
    op = cmd(ORR_DOMCTL_destroydomain, CTL_NO_DOMAIN + 1);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), 0);
}

static void test_create_bad_config(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_createdomain, 0);

    op.u.createdomain.max_vcpus = 0;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    op.u.createdomain.max_vcpus = 1;
    op.u.createdomain.flags = 1U << 7;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    op.u.createdomain.flags = 0;
    op.u.createdomain.guest_type = ORR_GUEST_TYPES;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    CU_ASSERT_EQUAL(domain_count(), 2);
}

/* The calling vCPU could not return from pausing or destroying itself. */
static void test_self_refused(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_pausedomain, DOMID_SELF);

    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    CU_ASSERT_EQUAL(ctl_d0->pause_count, 0);
    op = cmd(ORR_DOMCTL_destroydomain, ctl_d0->domain_id);
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    CU_ASSERT_FALSE(ctl_d0->is_dying);
}

static void test_shutdown_bad_reason(void)
{
    struct orr_domctl op = cmd(ORR_DOMCTL_shutdown, ctl_u1->domain_id);

    op.u.shutdown.reason = 77;
    CU_ASSERT_EQUAL(ctl_domctl(ctl_d0, &op), -EINVAL);
    CU_ASSERT_FALSE(ctl_u1->is_shut_down);
}

static void test_info_of_self_and_privileged(void)
{
    struct orr_domctl_getdomaininfo i = info(DOMID_SELF);

    CU_ASSERT_EQUAL(i.domid, ctl_d0->domain_id);
    CU_ASSERT(i.flags & ORR_DOMINF_privileged);
    ORR_ASSERT_EQ_U64(i.tot_pages, CTL_RAM_PAGES);
}

CU_TestInfo domctl_tests[] = {
    { "version mismatch is -EACCES", test_version_mismatch },
    { "bad pointer is -EFAULT", test_bad_pointer },
    { "a domU is refused", test_domu_refused },
    { "a domU is refused under silo", test_domu_refused_silo },
    { "unknown domain is -ESRCH", test_unknown_domain },
    { "unknown command is -ENOSYS", test_unknown_command },
    { "create, info, pause, max_mem, shutdown, destroy",
      test_create_lifecycle },
    { "create with a requested id; -EEXIST", test_create_requested_id },
    { "create with a bad config is -EINVAL", test_create_bad_config },
    { "pause/destroy of self is -EINVAL", test_self_refused },
    { "shutdown with a bad reason", test_shutdown_bad_reason },
    { "info of self", test_info_of_self_and_privileged },
    CU_TEST_INFO_NULL,
};
