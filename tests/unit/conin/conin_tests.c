/* SPDX-License-Identifier: MIT */
/*
 * Serial input focus (core/console/input.c) with the domains' console
 * rings (core/domain/console_ring.c) on the sim platform. Every byte is
 * typed through the platform upcall console_rx_char() and runs in
 * KEYPRESS_SOFTIRQ, the path a UART takes. Domains are set up as
 * pvh_build's setup_console() does: a ring page at a guest frame, an
 * unbound console event channel, HVM_PARAM_CONSOLE_EVTCHN.
 */
#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/keyhandler.h>
#include <orrery/p2m.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <public/sched.h>
#include <sim/sim.h>
#include <string.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define RING_PFN 0x200u
#define RING_GA  ((uint64_t)RING_PFN << 12)

struct con {
    struct domain *d;
    evtchn_port_t port;
};

static struct con doms[3];
static unsigned int ndoms;

static unsigned int ctrl_a_keys;
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

/* A domain with a console ring, as the PVH builder makes it. */
static struct con *make(const char *name)
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

static struct xencons_interface ring_of(const struct con *c)
{
    struct xencons_interface intf;

    CU_ASSERT_EQUAL(copy_from_guest(c->d->vcpu[0], &intf, RING_GA,
                                    sizeof(intf)), 0);
    return intf;
}

/* The guest side: consume everything (in_cons = in_prod). */
static void guest_reads(const struct con *c, XENCONS_RING_IDX cons)
{
    CU_ASSERT_EQUAL(copy_to_guest(c->d->vcpu[0],
                                  RING_GA + offsetof(struct xencons_interface,
                                                     in_cons),
                                  &cons, sizeof(cons)), 0);
}

static bool pending(const struct con *c)
{
    return c->d->evtchn->ops->is_pending(c->d, c->port);
}

static void clear_pending(const struct con *c)
{
    c->d->evtchn->ops->clear_pending(c->d, c->port);
}

static const char *type(const char *keys)
{
    sim_console_clear();
    sim_console_input(keys);
    do_softirq();
    return sim_console_text();
}

#define CTRL_A3 "\x01\x01\x01"

/* What the last type() printed (the assertion macros evaluate their
 * arguments twice: never type inside one). */
static const char *typed;

static void test_no_domains_stays_in_hypervisor(void)
{
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, "*** Serial input to Orrery "
                        "(type 'CTRL-a' three times to switch input)\n");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
    typed = type("h");
    ORR_ASSERT_CONTAINS(typed, "Debug keys:");
}

/* Hypervisor -> each domain in id order -> hypervisor. */
static void test_switch_order(void)
{
    struct con *a = make("alpha"), *b = make("beta");
    char want[128];

    snprintf(want, sizeof(want), "*** Serial input to DOM%u (alpha) "
             "(type 'CTRL-a' three times to switch input)\n",
             a->d->domain_id);
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, want);
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
    snprintf(want, sizeof(want), "*** Serial input to DOM%u (beta) ",
             b->d->domain_id);
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, want);
    CU_ASSERT_EQUAL(console_input_focus(), b->d->domain_id);
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, "*** Serial input to Orrery ");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
    /* Six in a row are two switches, with nothing delivered. */
    type(CTRL_A3 CTRL_A3);
    CU_ASSERT_EQUAL(console_input_focus(), b->d->domain_id);
    CU_ASSERT_EQUAL(ring_of(a).in_prod, 0);
    CU_ASSERT_EQUAL(ctrl_a_keys, 0);
}

/* One or two Ctrl-a's then another byte: Xen passes them on first. */
static void test_one_or_two_then_other_byte(void)
{
    struct con *a = make("alpha");
    struct xencons_interface r;

    typed = type("\x01h");
    ORR_ASSERT_CONTAINS(typed, "Debug keys:");
    CU_ASSERT_EQUAL(ctrl_a_keys, 1);
    type("\x01\x01q");
    CU_ASSERT_EQUAL(ctrl_a_keys, 3);
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);

    type(CTRL_A3 "\x01x\x01\x01y");
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
    r = ring_of(a);
    CU_ASSERT_EQUAL(r.in_prod, 5);
    CU_ASSERT_EQUAL(memcmp(r.in, "\x01x\x01\x01y", 5), 0);
    CU_ASSERT_EQUAL(ctrl_a_keys, 3);
    /* The count restarts after the passed-on bytes: two more and one
     * split by a byte do not switch. */
    type("\x01\x01z\x01");
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
    type("\x01\x01");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
}

/* Bytes land in the focus's in[], its event channel is pending, the other
 * domain gets nothing. */
static void test_bytes_reach_focus_only(void)
{
    struct con *a = make("alpha"), *b = make("beta");
    struct xencons_interface r;

    type(CTRL_A3 CTRL_A3);
    CU_ASSERT_EQUAL(console_input_focus(), b->d->domain_id);
    CU_ASSERT_FALSE(pending(b));
    typed = type("hello orrery\r");
    ORR_ASSERT_STREQ(typed, "");
    r = ring_of(b);
    CU_ASSERT_EQUAL(r.in_prod, 13);
    CU_ASSERT_EQUAL(r.in_cons, 0);
    CU_ASSERT_EQUAL(memcmp(r.in, "hello orrery\r", 13), 0);
    CU_ASSERT_TRUE(pending(b));
    CU_ASSERT_EQUAL(ring_of(a).in_prod, 0);
    CU_ASSERT_FALSE(pending(a));
    /* Debug keys are not run while a domain has the input. */
    typed = type("h");
    ORR_ASSERT_NOT_CONTAINS(typed, "Debug keys:");
    CU_ASSERT_EQUAL(ring_of(b).in_prod, 14);
}

/* The index wraps: the guest consumed, the next bytes go round in[]. */
static void test_ring_wraps(void)
{
    struct con *a = make("alpha");
    char chunk[201];
    struct xencons_interface r;

    memset(chunk, 'w', 200);
    chunk[200] = '\0';
    type(CTRL_A3);
    for ( unsigned int i = 0; i < 5; i++ )
        type(chunk);
    guest_reads(a, 1000);
    type("0123456789abcdefghijklmnopqrstuvwxyz");
    r = ring_of(a);
    CU_ASSERT_EQUAL(r.in_prod, 1036);
    CU_ASSERT_EQUAL(memcmp(r.in + 1000, "0123456789abcdefghijklmn", 24), 0);
    CU_ASSERT_EQUAL(memcmp(r.in, "opqrstuvwxyz", 12), 0);
}

/* A full ring drops the byte, warns once, still notifies; once the guest
 * reads, bytes land again. */
static void test_ring_full_drops(void)
{
    struct con *a = make("alpha");
    char chunk[257];
    struct xencons_interface r;
    const char *out;

    memset(chunk, 'f', 256);
    chunk[256] = '\0';
    type(CTRL_A3);
    for ( unsigned int i = 0; i < 4; i++ )
        type(chunk);
    CU_ASSERT_EQUAL(ring_of(a).in_prod, XENCONS_IN_SIZE);
    clear_pending(a);
    out = type("XY");
    ORR_ASSERT_CONTAINS(out, "console input is full");
    CU_ASSERT_EQUAL(ring_of(a).in_prod, XENCONS_IN_SIZE);
    CU_ASSERT_TRUE(pending(a));
    typed = type("Z");
    ORR_ASSERT_NOT_CONTAINS(typed, "console input is full");
    guest_reads(a, 1);
    typed = type("!");
    ORR_ASSERT_STREQ(typed, "");
    r = ring_of(a);
    CU_ASSERT_EQUAL(r.in_prod, XENCONS_IN_SIZE + 1);
    CU_ASSERT_EQUAL(r.in[0], '!');
}

/* Bad input: a guest that claims in_cons ahead of in_prod sees a full
 * ring; nothing is written outside in[] or into its neighbour. */
static void test_guest_lies_about_in_cons(void)
{
    struct con *a = make("alpha"), *b = make("beta");
    struct xencons_interface before = ring_of(a), after;

    guest_reads(a, 7);
    before = ring_of(a);
    typed = type(CTRL_A3 "abc");
    ORR_ASSERT_CONTAINS(typed, "console input is full");
    after = ring_of(a);
    CU_ASSERT_EQUAL(memcmp(&before, &after, sizeof(before)), 0);
    CU_ASSERT_EQUAL(ring_of(b).in_prod, 0);
}

/* Bad input: the guest closed its console port. The byte still lands;
 * nothing is raised on a port that is no longer the console's. */
static void test_guest_closed_port(void)
{
    struct con *a = make("alpha");

    CU_ASSERT_EQUAL(evtchn_close(a->d, a->port), 0);
    type(CTRL_A3 "k");
    CU_ASSERT_EQUAL(ring_of(a).in_prod, 1);
    CU_ASSERT_EQUAL(evtchn_notify_unbound(a->d, a->port), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_notify_unbound(a->d, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_notify_unbound(a->d, 1u << 30), -EINVAL);
}

/* A domain that shuts down with the focus gives it back; the byte typed
 * for it is dropped, not run as a debug key. */
static void test_domain_dies_with_focus(void)
{
    struct con *a = make("alpha");
    const char *out;
    char want[32];

    type(CTRL_A3);
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
    CU_ASSERT_EQUAL(domain_shutdown(a->d, SHUTDOWN_poweroff), 0);
    out = type("h");
    snprintf(want, sizeof(want), "*** DOM%u is gone\n", a->d->domain_id);
    ORR_ASSERT_CONTAINS(out, want);
    ORR_ASSERT_CONTAINS(out, "*** Serial input to Orrery ");
    ORR_ASSERT_NOT_CONTAINS(out, "Debug keys:");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
    typed = type("h");
    ORR_ASSERT_CONTAINS(typed, "Debug keys:");
    /* A shut-down domain is skipped by the rotation. */
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, "*** Serial input to Orrery ");
}

/* Destroyed with the focus: the ring poll hands it back without a key. */
static void test_domain_destroyed_with_focus(void)
{
    struct con *a = make("alpha");

    type(CTRL_A3);
    CU_ASSERT_EQUAL(domain_destroy(a->d), 0);
    sim_console_clear();
    sim_advance(20000000);                  /* two polls */
    do_softirq();
    ORR_ASSERT_CONTAINS(sim_console_text(), "*** Serial input to Orrery ");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
}

/* The rotation skips the dead one in the middle. */
static void test_switch_skips_dead_domain(void)
{
    struct con *a = make("alpha"), *b = make("beta"), *c = make("gamma");

    CU_ASSERT_EQUAL(domain_shutdown(b->d, SHUTDOWN_crash), 0);
    type(CTRL_A3);
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
    typed = type(CTRL_A3);
    ORR_ASSERT_CONTAINS(typed, "(gamma)");
    CU_ASSERT_EQUAL(console_input_focus(), c->d->domain_id);
    type(CTRL_A3);
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
}

/* End of boot: input to the first domain, as Xen gives it to dom0;
 * conswitch=ax keeps it in the hypervisor. */
static void test_endboot(void)
{
    struct con *a = make("alpha");
    char want[48];

    snprintf(want, sizeof(want), "*** Serial input to DOM%u (alpha)",
             a->d->domain_id);
    sim_console_clear();
    console_input_endboot();
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);

    console_input_reset();
    CU_ASSERT_EQUAL(console_input_set_conswitch("ax"), 0);
    sim_console_clear();
    console_input_endboot();
    ORR_ASSERT_CONTAINS(sim_console_text(), "*** Serial input to Orrery ");
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
}

/* conswitch=b: Ctrl-b switches, Ctrl-a is an ordinary byte. Bad values
 * change nothing. */
static void test_conswitch(void)
{
    struct con *a = make("alpha");

    CU_ASSERT_EQUAL(console_input_set_conswitch(""), -EINVAL);
    CU_ASSERT_EQUAL(console_input_set_conswitch("A"), -EINVAL);
    CU_ASSERT_EQUAL(console_input_set_conswitch("1"), -EINVAL);
    CU_ASSERT_EQUAL(console_input_set_conswitch("abc"), -EINVAL);
    CU_ASSERT_EQUAL(console_input_set_conswitch("b"), 0);
    type(CTRL_A3);
    CU_ASSERT_EQUAL(ctrl_a_keys, 3);
    CU_ASSERT_EQUAL(console_input_focus(), CONSOLE_INPUT_HYPERVISOR);
    typed = type("\x02\x02\x02");
    ORR_ASSERT_CONTAINS(typed,
                        "(type 'CTRL-b' three times to switch input)");
    CU_ASSERT_EQUAL(console_input_focus(), a->d->domain_id);
}

static CU_TestInfo tests[] = {
    ORR_CASE(test_no_domains_stays_in_hypervisor),
    ORR_CASE(test_switch_order),
    ORR_CASE(test_one_or_two_then_other_byte),
    ORR_CASE(test_bytes_reach_focus_only),
    ORR_CASE(test_ring_wraps),
    ORR_CASE(test_ring_full_drops),
    ORR_CASE(test_guest_lies_about_in_cons),
    ORR_CASE(test_guest_closed_port),
    ORR_CASE(test_domain_dies_with_focus),
    ORR_CASE(test_domain_destroyed_with_focus),
    ORR_CASE(test_switch_skips_dead_domain),
    ORR_CASE(test_endboot),
    ORR_CASE(test_conswitch),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("conin", setup, teardown, tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
