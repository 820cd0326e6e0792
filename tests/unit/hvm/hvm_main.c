/* SPDX-License-Identifier: MIT */
#include "hvm_test.h"

struct domain *hvm_dom;
struct vcpu *hvm_vcpu;
static uint64_t free_before;

/* Suite set-up: one HVM domain with RAM at [0, 2 MiB). */
int hvm_test_setup(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_HVM,
        .max_vcpus = 2, .max_pages = HVM_TEST_PAGES,
    };
    struct page_alloc_stats st;

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    page_alloc_stats(&st);
    free_before = st.free_pages;
    if ( domain_create(&cfg, &hvm_dom) ||
         p2m_populate_ram(hvm_dom, _gfn(0), HVM_TEST_PAGES) )
        return -1;
    hvm_vcpu = hvm_dom->vcpu[0];
    return 0;
}

int hvm_test_teardown(void)
{
    struct page_alloc_stats st;

    if ( domain_destroy(hvm_dom) || domain_leaks() )
        return -1;
    page_alloc_stats(&st);
    return st.free_pages == free_before ? 0 : -1;
}

static CU_SuiteInfo suites[] = {
    { "cpuid", hvm_test_setup, hvm_test_teardown, NULL, NULL, cpuid_tests },
    { "hypercall-page", hvm_test_setup, hvm_test_teardown, NULL, NULL,
      hypercall_page_tests },
    { "guest-walk", hvm_test_setup, hvm_test_teardown, NULL, NULL,
      guest_walk_tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
