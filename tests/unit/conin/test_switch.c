/* SPDX-License-Identifier: MIT */
/*
 * Who has the focus: the rotation, the switch characters passed on, the
 * end of boot, conswitch=, and domains that die with the focus.
 */
#include "conin_test.h"

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

CU_TestInfo conin_switch_tests[] = {
    ORR_CASE(test_no_domains_stays_in_hypervisor),
    ORR_CASE(test_switch_order),
    ORR_CASE(test_one_or_two_then_other_byte),
    ORR_CASE(test_domain_dies_with_focus),
    ORR_CASE(test_domain_destroyed_with_focus),
    ORR_CASE(test_switch_skips_dead_domain),
    ORR_CASE(test_endboot),
    ORR_CASE(test_conswitch),
    CU_TEST_INFO_NULL,
};
