/* SPDX-License-Identifier: MIT */
/* The dummy and SILO access-control policies. */
#include <orrery/xsm.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include "dom_test.h"

static void test_dummy_policy(void)
{
    struct domain *d0 = dom_new(ORR_CDF_privileged, 1, 0);
    struct domain *u1 = dom_new(0, 1, 0), *u2 = dom_new(0, 1, 0);

    ORR_ASSERT_STREQ(xsm()->name, "dummy");
    CU_ASSERT_EQUAL(xsm()->domctl(d0, u1, ORR_DOMCTL_pausedomain), 0);
    CU_ASSERT_EQUAL(xsm()->domctl(d0, NULL, ORR_DOMCTL_createdomain), 0);
    CU_ASSERT_EQUAL(xsm()->domctl(u1, u2, ORR_DOMCTL_pausedomain), -EPERM);
    CU_ASSERT_EQUAL(xsm()->domctl(u1, u1, ORR_DOMCTL_destroydomain),
                    -EPERM);
    /* Unbound ports: in oneself, or anywhere for the control domain. */
    CU_ASSERT_EQUAL(xsm()->evtchn_unbound(u1, u1, u2), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_unbound(d0, u1, u2), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_unbound(u1, u2, u1), -EPERM);
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(u1, u2), 0);
    CU_ASSERT_EQUAL(xsm()->grant(u1, u2), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_target(u1, u2), -EPERM);
    CU_ASSERT_EQUAL(xsm()->evtchn_target(d0, u2), 0);
    CU_ASSERT_EQUAL(xsm()->console_io(u1, CONSOLEIO_write), 0);
    CU_ASSERT_EQUAL(xsm()->console_io(u1, CONSOLEIO_read), -EPERM);
    CU_ASSERT_EQUAL(xsm()->console_io(d0, CONSOLEIO_read), 0);
    CU_ASSERT_EQUAL(xsm()->xen_version(u1, 0), 0);
    CU_ASSERT_EQUAL(xsm()->sysctl(d0, ORR_SYSCTL_physinfo), 0);
    CU_ASSERT_EQUAL(xsm()->sysctl(u1, ORR_SYSCTL_physinfo), -EPERM);
    CU_ASSERT_EQUAL(xsm()->sysctl(u1, ORR_SYSCTL_cpupool_op), -EPERM);
    CU_ASSERT_EQUAL(xsm()->sysctl(NULL, ORR_SYSCTL_physinfo), -EPERM);
    dom_kill(d0);
    dom_kill(u1);
    dom_kill(u2);
}

static void test_silo_policy(void)
{
    struct domain *d0 = dom_new(ORR_CDF_privileged, 1, 0);
    struct domain *u1 = dom_new(0, 1, 0), *u2 = dom_new(0, 1, 0);

    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    ORR_ASSERT_STREQ(xsm()->name, "silo");
    /* domU <-> domU: refused both ways, for event channels and grants. */
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(u1, u2), -EPERM);
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(u2, u1), -EPERM);
    CU_ASSERT_EQUAL(xsm()->evtchn_unbound(u1, u1, u2), -EPERM);
    CU_ASSERT_EQUAL(xsm()->grant(u1, u2), -EPERM);
    /* With the control domain, or within one domain: allowed. */
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(u1, d0), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(d0, u2), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_interdomain(u1, u1), 0);
    CU_ASSERT_EQUAL(xsm()->evtchn_unbound(u1, u1, d0), 0);
    CU_ASSERT_EQUAL(xsm()->grant(d0, u1), 0);
    /* Everything else as dummy. */
    CU_ASSERT_EQUAL(xsm()->domctl(u1, u2, ORR_DOMCTL_pausedomain), -EPERM);
    CU_ASSERT_EQUAL(xsm()->domctl(d0, u2, ORR_DOMCTL_pausedomain), 0);
    CU_ASSERT_EQUAL(xsm()->console_io(u1, CONSOLEIO_read), -EPERM);
    CU_ASSERT_EQUAL(xsm()->xen_version(u2, 0), 0);
    CU_ASSERT_EQUAL(xsm()->sysctl(d0, ORR_SYSCTL_readconsole), 0);
    CU_ASSERT_EQUAL(xsm()->sysctl(u2, ORR_SYSCTL_readconsole), -EPERM);

    /* An unknown policy name changes nothing. */
    CU_ASSERT_EQUAL(xsm_set_policy("flask"), -EINVAL);
    ORR_ASSERT_STREQ(xsm()->name, "silo");
    CU_ASSERT_EQUAL(xsm_set_policy("dummy"), 0);
    dom_kill(d0);
    dom_kill(u1);
    dom_kill(u2);
}

CU_TestInfo xsm_tests[] = {
    ORR_CASE(test_dummy_policy),
    ORR_CASE(test_silo_policy),
    CU_TEST_INFO_NULL,
};
