/* SPDX-License-Identifier: MIT */
#include "mem_test.h"

struct domain *mem_d0, *mem_u1, *mem_u2;
static uint64_t free_before, in_use_before;
static unsigned int leaks_before;

static struct domain *make(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = MEM_MAX_PAGES,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), MEM_RAM_PAGES) == 0);
    return d;
}

void mem_setup(void)
{
    struct page_alloc_stats st;

    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    gnttab_register_domain_hooks();     /* grant frames for add_to_physmap */
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    page_alloc_stats(&st);
    free_before = st.free_pages;
    in_use_before = domheap_pages_in_use();
    leaks_before = domain_leaks();

    mem_d0 = make(ORR_CDF_privileged);
    mem_u1 = make(0);
    mem_u2 = make(0);
    sim_console_clear();
}

/* Destroy whatever the test left alive; everything must come back. */
void mem_teardown(void)
{
    struct page_alloc_stats st;

    mem_check_ownership();
    if ( mem_u2 )
        CU_ASSERT_EQUAL(domain_destroy(mem_u2), 0);
    if ( mem_u1 )
        CU_ASSERT_EQUAL(domain_destroy(mem_u1), 0);
    CU_ASSERT_EQUAL(domain_destroy(mem_d0), 0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
    hypercall_set_budget(0);
}

void *mem_ptr(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(p2m_is_ram(e.type));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

mfn_t mem_mfn(struct domain *d, uint64_t gfn, p2m_type_t *type)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    if ( type )
        *type = e.type;
    return e.mfn;
}

int64_t mem_op1(struct domain *d, uint64_t cmd, uint64_t arg,
                struct hypercall_regs *out)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_memory_op, .args = { cmd, arg, 0, 0, 0 },
    };

    hypercall_dispatch(d->vcpu[0], &r);
    if ( out )
        *out = r;
    return r.ret;
}

int64_t mem_op(struct domain *d, uint64_t cmd, uint64_t arg,
               unsigned int *entries)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_memory_op, .args = { cmd, arg, 0, 0, 0 },
    };
    unsigned int n = 0;

    do
    {
        hypercall_dispatch(d->vcpu[0], &r);
        n++;
        CU_ASSERT_FATAL(n < 100000);
        /* The guest's argument pointer is never rewritten. */
        CU_ASSERT_EQUAL(r.args[1], arg);
    } while ( r.restart );
    if ( entries )
        *entries = n;
    return r.ret;
}

void mem_reservation(struct domain *caller, domid_t domid, uint64_t nr,
                     unsigned int order, uint32_t flags,
                     const uint64_t *gfns)
{
    struct xen_memory_reservation res = {
        .extent_start = MEM_LIST, .nr_extents = nr, .extent_order = order,
        .mem_flags = flags, .domid = domid,
    };

    memcpy(mem_ptr(caller, MEM_ARG), &res, sizeof(res));
    if ( gfns )
        memcpy(mem_ptr(caller, MEM_LIST), gfns, nr * sizeof(*gfns));
}

p2m_type_t mem_type_at(struct domain *d, uint64_t gfn)
{
    p2m_type_t t;

    mem_mfn(d, gfn, &t);
    return t;
}

int64_t mem_res_op(struct domain *caller, unsigned int op, domid_t domid,
                   uint64_t nr, unsigned int order, uint32_t flags,
                   const uint64_t *gfns)
{
    mem_reservation(caller, domid, nr, order, flags, gfns);
    return mem_op(caller, op, MEM_ARG, NULL);
}

int64_t mem_add(struct domain *caller, domid_t domid, unsigned int space,
                uint64_t idx, uint64_t gpfn, uint16_t size)
{
    struct xen_add_to_physmap x = {
        .domid = domid, .size = size, .space = space, .idx = idx,
        .gpfn = gpfn,
    };

    memcpy(mem_ptr(caller, MEM_ARG), &x, sizeof(x));
    return mem_op(caller, XENMEM_add_to_physmap, MEM_ARG, NULL);
}

int64_t mem_rm(struct domain *caller, domid_t domid, uint64_t gpfn)
{
    struct xen_remove_from_physmap x = { .domid = domid, .gpfn = gpfn };

    memcpy(mem_ptr(caller, MEM_ARG), &x, sizeof(x));
    return mem_op(caller, XENMEM_remove_from_physmap, MEM_ARG, NULL);
}

uint64_t mem_tot(struct domain *d)
{
    return ledger_read(d, LEDGER_GUEST_PAGES);
}

struct own_count {
    struct domain *d;
    uint64_t n;
};

static void count_owned(struct domain *d, void *arg)
{
    struct own_count *c = arg;
    struct list_head *pos;
    uint64_t n = 0;

    (void)c;
    list_for_each(pos, &d->page_list)
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);

        /* Owned by this domain and no other, holding its reference or
         * another. */
        CU_ASSERT_EQUAL(page_owner(pg), PGO_DOMAIN);
        CU_ASSERT_PTR_EQUAL(page_get_owner(pg), d);
        CU_ASSERT(page_refcount(pg) >= 1);
        n++;
    }
    ORR_ASSERT_EQ_U64(n, mem_tot(d));
}

void mem_check_ownership(void)
{
    struct own_count c = { 0 };

    domain_for_each(count_owned, &c);
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("pages", mem_setup, mem_teardown, pages_tests),
    ORR_SUITE_EACH("reservation", mem_setup, mem_teardown,
                   reservation_tests),
    ORR_SUITE_EACH("physmap", mem_setup, mem_teardown, physmap_tests),
    ORR_SUITE_EACH("gmfn", mem_setup, mem_teardown, gmfn_tests),
    ORR_SUITE_EACH("continuation", mem_setup, mem_teardown,
                   continuation_tests),
    ORR_SUITE_EACH("info", mem_setup, mem_teardown, info_tests),
    ORR_SUITE_EACH("oom", mem_setup, mem_teardown, oom_tests),
    ORR_SUITE_EACH("populate", mem_setup, mem_teardown, populate_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
