/* SPDX-License-Identifier: MIT */
/*
 * Serial input focus (core/console/input.c) with the domains' console
 * rings (core/domain/console_ring.c) on the sim platform. Every byte is
 * typed through the platform upcall console_rx_char() and runs in
 * KEYPRESS_SOFTIRQ, the path a UART takes. Domains are set up as
 * pvh_build's setup_console() does: a ring page at a guest frame, an
 * unbound console event channel, HVM_PARAM_CONSOLE_EVTCHN.
 */
#include "conin_test.h"

static struct con doms[3];
static unsigned int ndoms;

unsigned int ctrl_a_keys;
static void count_ctrl_a(unsigned char key)
{
    (void)key;
    ctrl_a_keys++;
}

static void setup(void)
{
    static bool once;

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    timer_init();
    if ( !once )
    {
        keyhandler_init();
        /* Makes a Ctrl-a that reaches the hypervisor visible. */
        register_keyhandler(0x01, count_ctrl_a, "count Ctrl-a (test)");
        once = true;
    }
    console_ring_reset();
    console_input_reset();
    domain_reset_hooks();
    evtchn_register_domain_hooks();
    CU_ASSERT_FATAL(vcpu_ops_register() == 0);
    ndoms = 0;
    ctrl_a_keys = 0;
}

static void teardown(void)
{
    for ( unsigned int i = 0; i < ndoms; i++ )
        if ( doms[i].d && !doms[i].d->is_dying )
            CU_ASSERT_EQUAL(domain_destroy(doms[i].d), 0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), 0);
}

struct con *make(const char *name)
{
    struct domain_create_config dc = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_PVH,
        .max_vcpus = 1, .max_pages = 4, .name = name,
    };
    struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF,
                                          .remote_dom = DOMID_SELF };
    struct con *c = &doms[ndoms];

    CU_ASSERT_FATAL(ndoms < ARRAY_SIZE(doms));
    CU_ASSERT_EQUAL_FATAL(domain_create(&dc, &c->d), 0);
    ndoms++;
    CU_ASSERT_EQUAL_FATAL(p2m_populate_ram(c->d, _gfn(RING_PFN), 1), 0);
    CU_ASSERT_EQUAL_FATAL(evtchn_alloc_unbound(c->d, &alloc), 0);
    c->port = alloc.port;
    CU_ASSERT_EQUAL_FATAL(hvm_param_write(c->d, HVM_PARAM_CONSOLE_EVTCHN,
                                          c->port), 0);
    CU_ASSERT_EQUAL_FATAL(console_ring_attach(c->d, _gfn(RING_PFN)), 0);
    return c;
}

struct xencons_interface ring_of(const struct con *c)
{
    struct xencons_interface intf;

    CU_ASSERT_EQUAL(copy_from_guest(c->d->vcpu[0], &intf, RING_GA,
                                    sizeof(intf)), 0);
    return intf;
}

/* The guest side: consume everything (in_cons = in_prod). */
void guest_reads(const struct con *c, XENCONS_RING_IDX cons)
{
    CU_ASSERT_EQUAL(copy_to_guest(c->d->vcpu[0],
                                  RING_GA + offsetof(struct xencons_interface,
                                                     in_cons),
                                  &cons, sizeof(cons)), 0);
}

bool pending(const struct con *c)
{
    return c->d->evtchn->ops->is_pending(c->d, c->port);
}

void clear_pending(const struct con *c)
{
    c->d->evtchn->ops->clear_pending(c->d, c->port);
}

const char *type(const char *keys)
{
    sim_console_clear();
    sim_console_input(keys);
    do_softirq();
    return sim_console_text();
}

const char *typed;

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("switch", setup, teardown, conin_switch_tests),
    ORR_SUITE_EACH("ring", setup, teardown, conin_ring_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
