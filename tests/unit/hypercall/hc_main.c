/* SPDX-License-Identifier: MIT */
#include "hc_test.h"

struct domain *hc_d0, *hc_u1;
static uint64_t free_before;
static unsigned int leaks_before;

static struct domain *make(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = 64,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), HC_RAM_PAGES) == 0);
    return d;
}

void hc_setup(void)
{
    struct page_alloc_stats st;
    struct p2m_entry e;
    mfn_t ro;

    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();

    hc_d0 = make(ORR_CDF_privileged);
    hc_u1 = make(0);

    p2m_get_entry(hc_d0, _gfn(3), &e);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_MMIO), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw) == 0);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_GRANT_RO), e.mfn,
                                  p2m_grant_map_ro, p2m_access_r) == 0);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_GRANT_RW), e.mfn,
                                  p2m_grant_map_rw, p2m_access_rw) == 0);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_FOREIGN), e.mfn,
                                  p2m_map_foreign, p2m_access_rw) == 0);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_POD), INVALID_MFN,
                                  p2m_populate_on_demand,
                                  p2m_access_rw) == 0);
    ro = alloc_pages(0, MEMF_ZERO);
    CU_ASSERT_FATAL(p2m_set_entry(hc_u1, _gfn(HC_GFN_RAM_RO), ro,
                                  p2m_ram_rw, p2m_access_r) == 0);
    sim_console_clear();
}

void hc_teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_destroy(hc_u1), 0);
    CU_ASSERT_EQUAL(domain_destroy(hc_d0), 0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

uint8_t *hc_guest_ptr(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(mfn_x(e.mfn) != mfn_x(INVALID_MFN));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

int64_t hc_call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1,
                uint64_t a2)
{
    struct hypercall_regs r = {
        .nr = nr, .args = { a0, a1, a2, 0, 0 },
    };

    hypercall_dispatch(d->vcpu[0], &r);
    CU_ASSERT_FALSE(r.restart);     /* continuations: see test_dispatch */
    return r.ret;
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("dispatch", hc_setup, hc_teardown, dispatch_tests),
    ORR_SUITE_EACH("guest_copy", hc_setup, hc_teardown, guest_copy_tests),
    ORR_SUITE_EACH("guest_copy_linear", hc_setup, hc_teardown,
                   guest_copy_linear_tests),
    ORR_SUITE_EACH("xen_version", hc_setup, hc_teardown, xen_version_tests),
    ORR_SUITE_EACH("console_io", hc_setup, hc_teardown, console_io_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
