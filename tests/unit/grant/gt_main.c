/* SPDX-License-Identifier: MIT */
#include "gt_test.h"

struct domain *d0, *u1, *u2, *a1;
static uint64_t free_before;
static unsigned int leaks_before;

struct domain *gt_make(uint32_t flags, unsigned int guest_type)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = 1,
        .max_pages = 32, .guest_type = guest_type,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), GT_RAM_PAGES) == 0);
    return d;
}

void gt_setup(void)
{
    static bool key_registered;
    struct page_alloc_stats st;

    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    if ( !key_registered )
    {
        gnttab_subsys_init();       /* hooks and debug key 'g' */
        key_registered = true;
    }
    else
        gnttab_register_domain_hooks();
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();

    d0 = gt_make(ORR_CDF_privileged, ORR_GUEST_PVH);
    u1 = gt_make(0, ORR_GUEST_PVH);
    u2 = gt_make(0, ORR_GUEST_PVH);
    a1 = gt_make(0, ORR_GUEST_ARM);
    sim_console_clear();
}

static void destroy(struct domain **d)
{
    if ( *d )
        CU_ASSERT_EQUAL(domain_destroy(*d), 0);
    *d = NULL;
}

void gt_teardown(void)
{
    struct page_alloc_stats st;

    destroy(&a1);
    destroy(&u2);
    destroy(&u1);
    destroy(&d0);
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    if ( domain_leaks() != leaks_before )
        fprintf(stderr, "\nconsole:\n%s\n", sim_console_text());
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

void *gt_ptr(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(mfn_x(e.mfn) != mfn_x(INVALID_MFN));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

/* The guest's view of its shared frame holding entry @ref. */
static void *shared_entry(struct domain *d, grant_ref_t ref, size_t size)
{
    unsigned int per = PAGE_SIZE / size;
    mfn_t mfn;

    CU_ASSERT_FATAL(gnttab_get_frame(d, ref / per, false, &mfn) == 0);
    return (uint8_t *)arch_mfn_to_virt(mfn) + (ref % per) * size;
}

static grant_status_t *status_word(struct domain *d, grant_ref_t ref)
{
    mfn_t mfn;

    CU_ASSERT_FATAL(gnttab_get_frame(d, ref / GNTTAB_STATUS_PER_FRAME, true,
                                     &mfn) == 0);
    return (grant_status_t *)arch_mfn_to_virt(mfn) +
           ref % GNTTAB_STATUS_PER_FRAME;
}

void gt_grant_v1(struct domain *d, grant_ref_t ref, domid_t to,
                 uint32_t frame, uint16_t flags)
{
    struct grant_entry_v1 *e = shared_entry(d, ref, sizeof(*e));

    e->frame = frame;
    e->domid = to;
    e->flags = flags;           /* last: the guest publishes with it */
}

void gt_grant_v2(struct domain *d, grant_ref_t ref, domid_t to,
                 uint64_t frame, uint16_t flags)
{
    union grant_entry_v2 *e = shared_entry(d, ref, sizeof(*e));

    e->full_page.frame = frame;
    e->hdr.domid = to;
    e->hdr.flags = flags;
}

void gt_grant_v2_sub(struct domain *d, grant_ref_t ref, domid_t to,
                     uint64_t frame, uint16_t off, uint16_t len, bool ro)
{
    union grant_entry_v2 *e = shared_entry(d, ref, sizeof(*e));

    e->sub_page.frame = frame;
    e->sub_page.page_off = off;
    e->sub_page.length = len;
    e->hdr.domid = to;
    e->hdr.flags = GTF_permit_access | GTF_sub_page |
                   (ro ? GTF_readonly : 0);
}

void gt_grant_v2_trans(struct domain *d, grant_ref_t ref, domid_t to,
                       domid_t src, grant_ref_t src_ref)
{
    union grant_entry_v2 *e = shared_entry(d, ref, sizeof(*e));

    e->transitive.trans_domid = src;
    e->transitive.gref = src_ref;
    e->hdr.domid = to;
    e->hdr.flags = GTF_transitive;
}

uint16_t gt_flags(struct domain *d, grant_ref_t ref)
{
    if ( gnttab_version(d) == 2 )
        return *status_word(d, ref);
    return ((struct grant_entry_v1 *)shared_entry(
        d, ref, sizeof(struct grant_entry_v1)))->flags;
}

bool gt_revoke(struct domain *d, grant_ref_t ref)
{
    if ( gnttab_version(d) == 2 )
    {
        union grant_entry_v2 *e = shared_entry(d, ref, sizeof(*e));

        e->hdr.flags = 0;
        /* v2: the guest clears first, then checks the status frame. */
        return !(*status_word(d, ref) & (GTF_reading | GTF_writing));
    }
    else
    {
        struct grant_entry_v1 *e = shared_entry(d, ref, sizeof(*e));
        uint16_t old = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);

        if ( old & (GTF_reading | GTF_writing) )
            return false;
        return __atomic_compare_exchange_n(&e->flags, &old, 0, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST);
    }
}

int64_t gt_call(struct domain *d, uint64_t cmd, uint64_t uop, uint64_t count,
                bool *restart)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_grant_table_op, .args = { cmd, uop, count },
    };

    hypercall_dispatch(d->vcpu[0], &r);
    if ( restart )
        *restart = r.restart;
    else
        CU_ASSERT_FALSE(r.restart);
    return r.ret;
}

int64_t gt_op(struct domain *d, unsigned int cmd, void *ops, size_t size,
              unsigned int count)
{
    int64_t rc;

    CU_ASSERT_FATAL(size * count <= PAGE_SIZE);
    memcpy(gt_ptr(d, GT_ARG), ops, size * count);
    rc = gt_call(d, cmd, GT_ARG, count, NULL);
    memcpy(ops, gt_ptr(d, GT_ARG), size * count);
    return rc;
}

int16_t gt_map(struct domain *ld, struct domain *rd, grant_ref_t ref,
               uint64_t gfn, uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = gfn << PAGE_SHIFT, .flags = flags, .ref = ref,
        .dom = rd->domain_id,
    };

    CU_ASSERT_EQUAL(gt_op(ld, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    if ( handle )
        *handle = m.handle;
    return m.status;
}

int16_t gt_unmap(struct domain *ld, uint64_t gfn, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = gfn << PAGE_SHIFT, .handle = handle,
    };

    CU_ASSERT_EQUAL(gt_op(ld, GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1),
                    0);
    return u.status;
}

int16_t gt_copy(struct domain *d, const struct gnttab_copy *c)
{
    struct gnttab_copy op = *c;

    CU_ASSERT_EQUAL(gt_op(d, GNTTABOP_copy, &op, sizeof(op), 1), 0);
    return op.status;
}

int gt_set_version(struct domain *d, unsigned int version)
{
    struct gnttab_set_version sv = { .version = version };

    return (int)gt_op(d, GNTTABOP_set_version, &sv, sizeof(sv), 1);
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("table", gt_setup, gt_teardown, table_tests),
    ORR_SUITE_EACH("map", gt_setup, gt_teardown, map_tests),
    ORR_SUITE_EACH("map-errors", gt_setup, gt_teardown, map_error_tests),
    ORR_SUITE_EACH("copy", gt_setup, gt_teardown, copy_tests),
    ORR_SUITE_EACH("copy-batch", gt_setup, gt_teardown, copy_batch_tests),
    ORR_SUITE_EACH("v2", gt_setup, gt_teardown, v2_tests),
    ORR_SUITE_EACH("destroy", gt_setup, gt_teardown, destroy_tests),
    ORR_SUITE_EACH("hypercall", gt_setup, gt_teardown, hypercall_tests),
    ORR_SUITE_EACH("physmap", gt_setup, gt_teardown, physmap_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
