/* SPDX-License-Identifier: MIT */
/* Creating, finding and destroying domains; the ledger; subsystem hooks. */
#include <orrery/keyhandler.h>

#include "dom_test.h"

static void test_create_sets_up_vcpus_and_shared_info(void)
{
    struct domain *d = dom_new(0, 33, 16);
    unsigned int i;

    CU_ASSERT(d->domain_id >= 1 && d->domain_id < DOMID_FIRST_RESERVED);
    CU_ASSERT_EQUAL(d->max_vcpus, 33);
    CU_ASSERT_EQUAL(d->pause_count, 1);     /* the builder unpauses */
    CU_ASSERT_FALSE(d->is_privileged);
    CU_ASSERT_PTR_NOT_NULL(d->shared_info);
    CU_ASSERT_PTR_NOT_NULL(d->p2m);
    for ( i = 0; i < 33; i++ )
    {
        CU_ASSERT_EQUAL(d->vcpu[i]->vcpu_id, i);
        CU_ASSERT_PTR_EQUAL(d->vcpu[i]->domain, d);
        CU_ASSERT_EQUAL(d->vcpu[i]->is_up, i == 0);
    }
    /* vcpu_info of the first 32 vCPUs lives in shared_info (§1.5). */
    CU_ASSERT_PTR_EQUAL(d->vcpu[31]->vcpu_info,
                        &d->shared_info->vcpu_info[31]);
    CU_ASSERT_PTR_NULL(d->vcpu[32]->vcpu_info);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_VCPUS), 33);
    /* shared_info and the p2m's root table. */
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_XEN_PAGES), 2);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 0);
    dom_kill(d);
}

static void test_ids_are_not_reused_at_once(void)
{
    struct domain *a = dom_new(0, 1, 0), *b;
    domid_t first = a->domain_id;

    dom_kill(a);
    b = dom_new(0, 1, 0);
    CU_ASSERT_NOT_EQUAL(b->domain_id, first);
    dom_kill(b);
}

static void test_requested_ids(void)
{
    struct domain_create_config cfg = {
        .domid = 0, .flags = ORR_CDF_privileged, .max_vcpus = 1,
    };
    struct domain *d0, *dup = (struct domain *)1;

    CU_ASSERT_EQUAL(domain_create(&cfg, &d0), 0);
    CU_ASSERT_EQUAL(d0->domain_id, 0);
    CU_ASSERT_TRUE(d0->is_privileged);
    /* The same id twice: -EEXIST, and nothing half-made stays. */
    CU_ASSERT_EQUAL(domain_create(&cfg, &dup), -EEXIST);
    CU_ASSERT_PTR_NULL(dup);
    CU_ASSERT_EQUAL(domain_count(), 1);
    /* Reserved ids cannot be created. */
    cfg.domid = DOMID_SELF;
    CU_ASSERT_EQUAL(domain_create(&cfg, &dup), -EINVAL);
    cfg.domid = DOMID_IDLE;
    CU_ASSERT_EQUAL(domain_create(&cfg, &dup), -EINVAL);
    dom_kill(d0);
}

static void test_bad_config_is_einval(void)
{
    struct domain_create_config ok = {
        .domid = DOMID_INVALID, .max_vcpus = 1,
    }, cfg;
    struct domain *d;

    cfg = ok;
    cfg.flags = 1U << 7;
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
    cfg = ok;
    cfg.guest_type = ORR_GUEST_TYPES;
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
    cfg = ok;
    cfg.max_vcpus = 0;
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
    cfg.max_vcpus = DOMAIN_MAX_VCPUS + 1;
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
    cfg = ok;
    cfg.max_evtchn_port = (1U << 17) + 1;    /* past FIFO's 2^17 ports */
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -EINVAL);
    CU_ASSERT_EQUAL(domain_count(), 0);
}

/* Destroy gives back guest RAM, p2m tables, shared_info and vCPUs:
 * dom_teardown checks that every page is free again. */
static void test_destroy_returns_everything(void)
{
    struct domain *d = dom_new(0, 4, 300);

    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(0), 256), 0);
    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(0x12345), 3), 0);
    /* An MMIO range far away needs tables at every level. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0xfee00), _mfn(0xfee00), 512,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 259);
    CU_ASSERT(ledger_read(d, LEDGER_XEN_PAGES) > 2);
    dom_kill(d);
}

static void test_lookup(void)
{
    struct domain *a = dom_new(0, 1, 0), *b = dom_new(0, 1, 0), *r;

    CU_ASSERT_EQUAL(domain_lookup(a, DOMID_SELF, &r), 0);
    CU_ASSERT_PTR_EQUAL(r, a);
    domain_put(r);
    CU_ASSERT_EQUAL(domain_lookup(a, a->domain_id, &r), 0);
    CU_ASSERT_PTR_EQUAL(r, a);
    domain_put(r);
    CU_ASSERT_EQUAL(domain_lookup(a, b->domain_id, &r), 0);
    CU_ASSERT_PTR_EQUAL(r, b);
    domain_put(r);
    /* No such domain; reserved ids are never domains. */
    CU_ASSERT_EQUAL(domain_lookup(a, 4000, &r), -ESRCH);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_EQUAL(domain_lookup(a, DOMID_IO, &r), -ESRCH);
    CU_ASSERT_EQUAL(domain_lookup(a, DOMID_INVALID, &r), -ESRCH);
    CU_ASSERT_EQUAL(domain_lookup(NULL, DOMID_SELF, &r), -ESRCH);
    dom_kill(a);
    dom_kill(b);
}

/* A dying domain cannot be found, but its holders keep a valid struct,
 * and its resources are gone already. */
static void test_dying_domain(void)
{
    struct domain *a = dom_new(0, 1, 8), *b = dom_new(0, 1, 0), *r;
    domid_t id = a->domain_id;

    CU_ASSERT_EQUAL(p2m_populate_ram(a, _gfn(0), 8), 0);
    domain_get_ref(a);
    dom_kill(a);
    CU_ASSERT_TRUE(a->is_dying);
    CU_ASSERT_PTR_NULL(a->p2m);
    ORR_ASSERT_EQ_U64(ledger_read(a, LEDGER_GUEST_PAGES), 0);
    CU_ASSERT_EQUAL(domain_lookup(b, id, &r), -ESRCH);
    CU_ASSERT_EQUAL(domain_lookup(a, DOMID_SELF, &r), -ESRCH);
    CU_ASSERT_PTR_NULL(domain_get(id));
    CU_ASSERT_EQUAL(domain_destroy(a), -EINVAL);
    CU_ASSERT_EQUAL(domain_count(), 2);
    domain_put(a);
    CU_ASSERT_EQUAL(domain_count(), 1);
    dom_kill(b);
}

/* ---- Subsystem hooks ---------------------------------------------------- */

static unsigned int inits, teardowns;

static int hook_init(struct domain *d)
{
    inits++;
    ledger_charge(d, LEDGER_PORTS, 5);
    return 0;
}

static void hook_teardown(struct domain *d)
{
    teardowns++;
    ledger_charge(d, LEDGER_PORTS, -5);
}

static int hook_fail(struct domain *d)
{
    (void)d;
    return -ENOMEM;
}

static void hook_leaky_teardown(struct domain *d)
{
    (void)d;
    teardowns++;
}

static const struct domain_hooks good = {
    .name = "good", .domain_init = hook_init,
    .domain_teardown = hook_teardown,
};
static const struct domain_hooks failing = {
    .name = "failing", .domain_init = hook_fail,
};
static const struct domain_hooks leaky = {
    .name = "leaky", .domain_init = hook_init,
    .domain_teardown = hook_leaky_teardown,
};

static void test_hooks_run_and_unwind(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 2,
    };
    struct domain *d;

    inits = teardowns = 0;
    CU_ASSERT_EQUAL(domain_register_hooks(&good), 0);
    d = dom_new(0, 1, 0);
    CU_ASSERT_EQUAL(inits, 1);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_PORTS), 5);
    /* Too late to register: d would miss the init. */
    CU_ASSERT_EQUAL(domain_register_hooks(&failing), -EBUSY);
    dom_kill(d);
    CU_ASSERT_EQUAL(teardowns, 1);

    /* The second subsystem fails: the first is unwound, nothing stays. */
    CU_ASSERT_EQUAL(domain_register_hooks(&failing), 0);
    CU_ASSERT_EQUAL(domain_create(&cfg, &d), -ENOMEM);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(inits, 2);
    CU_ASSERT_EQUAL(teardowns, 2);
}

static void test_hook_table_full(void)
{
    unsigned int i;

    for ( i = 0; i < MAX_DOMAIN_HOOKS; i++ )
        CU_ASSERT_EQUAL(domain_register_hooks(&good), 0);
    CU_ASSERT_EQUAL(domain_register_hooks(&good), -ENOSPC);
}

/* The ledger catches a subsystem that forgets to give a resource back. */
static void test_ledger_sees_a_leak(void)
{
    struct domain *d;

    CU_ASSERT_EQUAL(domain_register_hooks(&leaky), 0);
    d = dom_new(0, 1, 0);
    sim_console_clear();
    dom_kill(d);
    dom_expected_leaks = 1;
    ORR_ASSERT_CONTAINS(sim_console_text(), "holding 5 event channels");
}

static void test_debug_key_q(void)
{
    static bool registered;
    struct domain *d = dom_new(ORR_CDF_privileged, 2, 4);

    if ( !registered )
    {
        domain_subsys_init();
        registered = true;
    }
    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(0), 3), 0);
    domain_shutdown(d, SHUTDOWN_crash);
    sim_console_clear();
    handle_keypress('q');
    ORR_ASSERT_CONTAINS(sim_console_text(), "Domains (1, leaked");
    ORR_ASSERT_CONTAINS(sim_console_text(), "pvh privileged shutdown");
    ORR_ASSERT_CONTAINS(sim_console_text(), "pages 3/4");
    ORR_ASSERT_CONTAINS(sim_console_text(), "shutdown reason 3");
    ORR_ASSERT_CONTAINS(sim_console_text(), "v1: down");
    dom_kill(d);
}

CU_TestInfo lifecycle_tests[] = {
    ORR_CASE(test_create_sets_up_vcpus_and_shared_info),
    ORR_CASE(test_ids_are_not_reused_at_once),
    ORR_CASE(test_requested_ids),
    ORR_CASE(test_bad_config_is_einval),
    ORR_CASE(test_destroy_returns_everything),
    ORR_CASE(test_lookup),
    ORR_CASE(test_dying_domain),
    ORR_CASE(test_hooks_run_and_unwind),
    ORR_CASE(test_hook_table_full),
    ORR_CASE(test_ledger_sees_a_leak),
    ORR_CASE(test_debug_key_q),
    CU_TEST_INFO_NULL,
};
