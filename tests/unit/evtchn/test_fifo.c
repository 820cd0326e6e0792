/* SPDX-License-Identifier: MIT */
/*
 * FIFO set-up (reference/xen-abi-facts.md §2.2): init_control and
 * expand_array, their bad input one case per test, the limits, page
 * references, and per-domain port limits under each ABI.
 */
#include "ev_test.h"

static struct page_info *page_of(struct domain *d, uint64_t gfn)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    return mfn_to_page(e.mfn);
}

static bool is_fifo(const struct domain *d)
{
    return d->evtchn->ops == &evtchn_fifo_ops;
}

static void test_init_control_switches(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = 0, .vcpu = 0, .link_bits = 0,
    };

    CU_ASSERT_FALSE(is_fifo(u1));
    CU_ASSERT_EQUAL(u1->evtchn->max_ports, EVTCHN_2L_NR_CHANNELS);
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), 0);
    CU_ASSERT_EQUAL(c.link_bits, EVTCHN_FIFO_LINK_BITS);
    CU_ASSERT_TRUE(is_fifo(u1));
    /* The domain's own limit (4096 by default) still applies. */
    CU_ASSERT_EQUAL(u1->evtchn->max_ports, EVTCHN_2L_NR_CHANNELS);
    /* The other domains are untouched. */
    CU_ASSERT_FALSE(is_fifo(u2));
    CU_ASSERT_FALSE(is_fifo(d0));
}

/* The highest offset that keeps the 72-byte block in the page works. */
static void test_init_control_last_offset(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = PAGE_SIZE - 72, .vcpu = 1,
    };

    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), 0);
}

static void test_init_control_offset_crosses_page(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = PAGE_SIZE - 64, .vcpu = 0,
    };

    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    c.offset = 0xfffffff8;      /* no wrap-around either */
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_FALSE(is_fifo(u1));
}

static void test_init_control_offset_unaligned(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = 4, .vcpu = 0,
    };

    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_EQUAL(c.link_bits, 0);    /* nothing written on failure */
    CU_ASSERT_FALSE(is_fifo(u1));
}

static void test_init_control_bad_vcpu(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = 0, .vcpu = 2,
    };

    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -ENOENT);
    c.vcpu = 0xffffffff;
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -ENOENT);
    CU_ASSERT_FALSE(is_fifo(u1));
}

/* A frame that is not mapped: -EINVAL, still 2-level, nothing leaked. */
static void test_init_control_unmapped_frame(void)
{
    struct evtchn_init_control c = { .control_gfn = 9, .vcpu = 0 };

    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    c.control_gfn = 1ULL << 40;         /* past the guest address width */
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    c.control_gfn = ~0ULL;
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_FALSE(is_fifo(u1));
    CU_ASSERT_PTR_NULL(u1->evtchn->fifo);
    CU_ASSERT_PTR_NULL(u1->vcpu[0]->evtchn->fifo);
}

/* MMIO is not RAM the hypervisor may write into. */
static void test_init_control_mmio_frame(void)
{
    struct evtchn_init_control c = { .control_gfn = 10, .vcpu = 0 };

    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(10), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_EQUAL(p2m_remove_range(u1, _gfn(10), 1), 0);
    CU_ASSERT_FALSE(is_fifo(u1));
}

/* Read-only access to RAM: the hypervisor must not write through it. */
static void test_init_control_readonly_frame(void)
{
    struct evtchn_init_control c = { .control_gfn = 3, .vcpu = 0 };
    struct p2m_entry e;

    p2m_get_entry(u1, _gfn(3), &e);
    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(3), e.mfn, p2m_ram_rw,
                                  p2m_access_r), 0);
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(3), e.mfn, p2m_ram_rw,
                                  p2m_access_rw), 0);
}

/* One control block per vCPU: a second init_control is -EINVAL. */
static void test_init_control_twice(void)
{
    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(fg_init(u1, 0), -EINVAL);
    CU_ASSERT_EQUAL(fg_init(u1, 1), 0);
    CU_ASSERT_EQUAL(fg_init(u1, 1), -EINVAL);
}

/* A later vCPU's bad frame leaves the domain FIFO with what it had. */
static void test_init_control_second_vcpu_bad_frame(void)
{
    struct evtchn_init_control c = { .control_gfn = 9, .vcpu = 1 };

    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(evtchn_init_control(u1, &c), -EINVAL);
    CU_ASSERT_TRUE(is_fifo(u1));
    CU_ASSERT_EQUAL(fg_init(u1, 1), 0);
}

/* The page in use is referenced: owner + one per mapping, dropped at
 * reset (and at destroy, which ev_teardown checks leaves nothing). */
static void test_pages_referenced(void)
{
    struct page_info *cb = page_of(u1, FG_CB_GFN);
    struct page_info *arr = page_of(u1, FG_ARRAY_GFN);

    CU_ASSERT_EQUAL(page_refcount(cb), 1);
    fg_setup(u1);               /* two control blocks in one page */
    CU_ASSERT_EQUAL(page_refcount(cb), 3);
    CU_ASSERT_EQUAL(page_refcount(arr), 2);
    CU_ASSERT_EQUAL(evtchn_reset(u1, DOMID_SELF), 0);
    CU_ASSERT_EQUAL(page_refcount(cb), 1);
    CU_ASSERT_EQUAL(page_refcount(arr), 1);
}

/* The guest gives the page back while it is a control block: the frame
 * stays allocated (our reference) until FIFO lets go of it. */
static void test_page_released_while_in_use(void)
{
    struct page_info *cb = page_of(u1, FG_CB_GFN);

    fg_setup(u1);
    CU_ASSERT_EQUAL(p2m_release_ram(u1, _gfn(FG_CB_GFN), 1), 0);
    CU_ASSERT_EQUAL(page_refcount(cb), 2);
    /* Still delivered into the (no longer mapped) frame, harmlessly. */
    CU_ASSERT_EQUAL(evtchn_reset(u1, DOMID_SELF), 0);
    CU_ASSERT_EQUAL(page_refcount(cb), 0);
}

static void test_expand_array_needs_fifo(void)
{
    struct evtchn_expand_array e = { .array_gfn = FG_ARRAY_GFN };

    CU_ASSERT_EQUAL(evtchn_expand_array(u1, &e), -EOPNOTSUPP);
}

static void test_expand_array_bad_frame(void)
{
    struct evtchn_expand_array e = { .array_gfn = 9 };

    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(evtchn_expand_array(u1, &e), -EINVAL);
    e.array_gfn = ~0ULL;
    CU_ASSERT_EQUAL(evtchn_expand_array(u1, &e), -EINVAL);
    /* Nothing was added: the next page is still the first. */
    CU_ASSERT_EQUAL(fg_expand(u1, FG_ARRAY_GFN), 0);
    {
        evtchn_port_t l = ev_unbound(u1, d0), r = ev_connect(d0, u1, l);

        fg_clear_mask(u1, l);
        CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
        CU_ASSERT_TRUE(fg_bit(u1, l, EVTCHN_FIFO_LINKED));
    }
}

/* 128 pages = 2^17 ports; the 129th is -ENOSPC. */
static void test_expand_array_limit(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = 160,
        .max_evtchn_port = EVTCHN_FIFO_NR_CHANNELS,
    };
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF };
    struct domain *d;
    unsigned int i;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), 140) == 0);
    a.remote_dom = d0->domain_id;
    /* Under 2-level the ABI's 4096 bounds the domain's 2^17. */
    CU_ASSERT_EQUAL(d->evtchn->max_ports, EVTCHN_2L_NR_CHANNELS);
    CU_ASSERT_EQUAL(fg_init(d, 0), 0);
    CU_ASSERT_EQUAL(d->evtchn->max_ports, EVTCHN_FIFO_NR_CHANNELS);
    for ( i = 0; i < EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES; i++ )
        CU_ASSERT_EQUAL(fg_expand(d, 2 + i), 0);
    CU_ASSERT_EQUAL(fg_expand(d, 2 + i), -ENOSPC);

    /* A port past 2-level's 4096 works end to end. */
    for ( i = 1; i < 4999; i++ )
        CU_ASSERT_EQUAL_FATAL(evtchn_alloc_unbound(d, &a), 0);
    a.remote_dom = d->domain_id;
    CU_ASSERT_EQUAL_FATAL(evtchn_alloc_unbound(d, &a), 0);
    CU_ASSERT_EQUAL(a.port, 4999);
    {
        evtchn_port_t l = ev_connect(d, d, a.port);
        event_word_t *w = (event_word_t *)fg_frame(d, 2 + l / 1024) +
                          l % 1024;

        *w = 0;                 /* unmask */
        CU_ASSERT_EQUAL(evtchn_send(d, a.port), 0);
        CU_ASSERT_TRUE(*w & (1U << EVTCHN_FIFO_PENDING));
        CU_ASSERT_TRUE(*w & (1U << EVTCHN_FIFO_LINKED));
    }
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* The domain's own max_evtchn_port bounds FIFO as it does 2-level. */
static void test_fifo_port_limit(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = 8,
        .max_evtchn_port = 8,
    };
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF };
    struct domain *d;
    unsigned int i;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), 4) == 0);
    a.remote_dom = d0->domain_id;
    fg_setup(d);
    CU_ASSERT_EQUAL(d->evtchn->max_ports, 8);
    for ( i = 1; i < 8; i++ )
        CU_ASSERT_EQUAL(evtchn_alloc_unbound(d, &a), 0);
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(d, &a), -ENOSPC);
    CU_ASSERT_EQUAL(evtchn_send(d, 8), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_unmask(d, 8), -EINVAL);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* The create config accepts up to 2^17 ports, no more. */
static void test_config_limit(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1,
        .max_evtchn_port = EVTCHN_FIFO_NR_CHANNELS + 1,
    };
    struct domain *d;

    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
}

static void test_set_priority_errors(void)
{
    evtchn_port_t p = ev_unbound(u1, d0);
    struct evtchn_set_priority s = { .port = p, .priority = 3 };

    /* 2-level has no priorities. */
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), -ENOSYS);
    fg_setup(u1);
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), 0);
    CU_ASSERT_EQUAL(evtchn_from_port(u1, p)->priority, 3);
    s.priority = EVTCHN_FIFO_PRIORITY_MIN + 1;
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), -EINVAL);
    s.priority = 0xffffffff;
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_from_port(u1, p)->priority, 3);
    s.priority = 1;
    s.port = u1->evtchn->max_ports;
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), -EINVAL);
    s.port = 0xffffffff;
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), -EINVAL);
}

/* Bad ports under FIFO get the same errors as under 2-level. */
static void test_bad_ports(void)
{
    struct evtchn_bind_vcpu bv = { .port = 4095, .vcpu = 0 };

    fg_setup(u1);
    CU_ASSERT_EQUAL(evtchn_send(u1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(u1, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(u1, 5), -EINVAL);   /* free */
    CU_ASSERT_EQUAL(evtchn_close(u1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, 0xffffffff), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), -EINVAL);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
}

CU_TestInfo fifo_setup_tests[] = {
    ORR_CASE(test_init_control_switches),
    ORR_CASE(test_init_control_last_offset),
    ORR_CASE(test_init_control_offset_crosses_page),
    ORR_CASE(test_init_control_offset_unaligned),
    ORR_CASE(test_init_control_bad_vcpu),
    ORR_CASE(test_init_control_unmapped_frame),
    ORR_CASE(test_init_control_mmio_frame),
    ORR_CASE(test_init_control_readonly_frame),
    ORR_CASE(test_init_control_twice),
    ORR_CASE(test_init_control_second_vcpu_bad_frame),
    ORR_CASE(test_pages_referenced),
    ORR_CASE(test_page_released_while_in_use),
    ORR_CASE(test_expand_array_needs_fifo),
    ORR_CASE(test_expand_array_bad_frame),
    ORR_CASE(test_expand_array_limit),
    ORR_CASE(test_fifo_port_limit),
    ORR_CASE(test_config_limit),
    ORR_CASE(test_set_priority_errors),
    ORR_CASE(test_bad_ports),
    CU_TEST_INFO_NULL,
};
