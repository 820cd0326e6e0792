/* SPDX-License-Identifier: MIT */
#include "ev_test.h"

struct domain *d0, *u1, *u2;
unsigned int upcalls;
struct vcpu *last_upcall;
static uint64_t free_before;
static unsigned int leaks_before;

static void upcall(struct vcpu *v)
{
    upcalls++;
    last_upcall = v;
}

static struct domain *make(uint32_t flags, unsigned int vcpus)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = vcpus,
        .max_pages = 16,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), 4) == 0);
    return d;
}

void ev_setup(void)
{
    static bool key_registered;
    struct page_alloc_stats st;

    sim_init(1, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    xsm_set_policy("dummy");
    if ( !key_registered )
    {
        evtchn_subsys_init();       /* hooks and debug key 'e' */
        key_registered = true;
    }
    else
        evtchn_register_domain_hooks();
    evtchn_set_upcall_hook(upcall);
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();

    d0 = make(ORR_CDF_privileged, 2);
    u1 = make(0, 2);
    u2 = make(0, 1);
    upcalls = 0;
    last_upcall = NULL;
    fg_reset();
    sim_console_clear();
}

void ev_teardown(void)
{
    struct page_alloc_stats st;

    if ( u2 )
        CU_ASSERT_EQUAL(domain_destroy(u2), 0);
    if ( u1 )
        CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    CU_ASSERT_EQUAL(domain_destroy(d0), 0);
    evtchn_set_upcall_hook(NULL);
    xsm_set_policy("dummy");
    CU_ASSERT_EQUAL(domain_count(), 0);
    if ( domain_leaks() != leaks_before )
        fprintf(stderr, "\nconsole:\n%s\n", sim_console_text());
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

evtchn_port_t ev_unbound(struct domain *d, struct domain *remote)
{
    struct evtchn_alloc_unbound a = {
        .dom = DOMID_SELF, .remote_dom = remote->domain_id,
    };

    CU_ASSERT_FATAL(evtchn_alloc_unbound(d, &a) == 0);
    return a.port;
}

evtchn_port_t ev_connect(struct domain *d, struct domain *remote,
                         evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain b = {
        .remote_dom = remote->domain_id, .remote_port = remote_port,
    };

    CU_ASSERT_FATAL(evtchn_bind_interdomain(d, &b) == 0);
    return b.local_port;
}

bool ev_pending(const struct domain *d, evtchn_port_t port)
{
    return d->shared_info->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

bool ev_sel(const struct domain *d, unsigned int vcpu, evtchn_port_t port)
{
    return d->shared_info->vcpu_info[vcpu].evtchn_pending_sel &
           (1ULL << (port / 64));
}

uint8_t ev_upcall_pending(const struct domain *d, unsigned int vcpu)
{
    return d->shared_info->vcpu_info[vcpu].evtchn_upcall_pending;
}

void ev_mask(struct domain *d, evtchn_port_t port)
{
    d->shared_info->evtchn_mask[port / 64] |= 1ULL << (port % 64);
}

void ev_ack_all(struct domain *d)
{
    unsigned int i;

    memset(d->shared_info->evtchn_pending, 0,
           sizeof(d->shared_info->evtchn_pending));
    for ( i = 0; i < XEN_LEGACY_MAX_VCPUS; i++ )
    {
        d->shared_info->vcpu_info[i].evtchn_pending_sel = 0;
        d->shared_info->vcpu_info[i].evtchn_upcall_pending = 0;
    }
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("bind", ev_setup, ev_teardown, bind_tests),
    ORR_SUITE_EACH("deliver", ev_setup, ev_teardown, deliver_tests),
    ORR_SUITE_EACH("errors", ev_setup, ev_teardown, error_tests),
    ORR_SUITE_EACH("hypercall", ev_setup, ev_teardown, hypercall_tests),
    ORR_SUITE_EACH("fifo-setup", ev_setup, ev_teardown, fifo_setup_tests),
    ORR_SUITE_EACH("fifo-queue", ev_setup, ev_teardown, fifo_queue_tests),
    ORR_SUITE_EACH("fifo-race", ev_setup, ev_teardown, fifo_race_tests),
    ORR_SUITE_EACH("fifo-switch", ev_setup, ev_teardown, fifo_switch_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
