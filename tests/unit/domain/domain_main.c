/* SPDX-License-Identifier: MIT */
#include <orrery/xsm.h>

#include "dom_test.h"

static uint64_t free_before;
static unsigned int leaks_before;
unsigned int dom_expected_leaks;

void dom_setup(void)
{
    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    sim_console_clear();
    domain_reset_hooks();
    xsm_set_policy("dummy");
    free_before = free_pages_now();
    leaks_before = domain_leaks();
    dom_expected_leaks = 0;
}

void dom_teardown(void)
{
    /* Every test cleans up: no domain, no leak, every page back. */
    if ( domain_leaks() != leaks_before + dom_expected_leaks )
        fprintf(stderr, "\nconsole:\n%s\n", sim_console_text());
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before + dom_expected_leaks);
    ORR_ASSERT_EQ_U64(free_pages_now(), free_before);
}

struct domain *dom_new(uint32_t flags, unsigned int vcpus, uint64_t pages)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID,
        .flags = flags,
        .guest_type = ORR_GUEST_PVH,
        .max_vcpus = vcpus,
        .max_pages = pages,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(d != NULL);
    return d;
}

void dom_kill(struct domain *d)
{
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("lifecycle", dom_setup, dom_teardown, lifecycle_tests),
    ORR_SUITE_EACH("state", dom_setup, dom_teardown, state_tests),
    ORR_SUITE_EACH("xsm", dom_setup, dom_teardown, xsm_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
