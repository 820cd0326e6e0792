/* SPDX-License-Identifier: MIT */
/*
 * Where the bytes go: into the focus's in[] with its event, round the
 * ring, dropped when it is full, and guests that misbehave.
 */
#include "conin_test.h"

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

/* Bad input: the guest moved in_prod itself (to just before the 32-bit
 * index wraps). The hypervisor carries on from there: the index wraps,
 * the bytes stay inside in[]. */
static void test_guest_moves_in_prod(void)
{
    struct con *a = make("alpha");
    XENCONS_RING_IDX idx = 0xfffffffeu;
    struct xencons_interface r;

    CU_ASSERT_EQUAL(copy_to_guest(a->d->vcpu[0],
                                  RING_GA + offsetof(struct xencons_interface,
                                                     in_prod),
                                  &idx, sizeof(idx)), 0);
    guest_reads(a, idx);
    type(CTRL_A3 "xyz");
    r = ring_of(a);
    CU_ASSERT_EQUAL(r.in_prod, 1);
    CU_ASSERT_EQUAL(r.in[XENCONS_IN_SIZE - 2], 'x');
    CU_ASSERT_EQUAL(r.in[XENCONS_IN_SIZE - 1], 'y');
    CU_ASSERT_EQUAL(r.in[0], 'z');
    CU_ASSERT_TRUE(pending(a));
}

/* Bad input: the guest closed its console port and bound VIRQ_TIMER,
 * which got the same port number. Input must not fake a timer event. */
static void test_guest_rebinds_console_port(void)
{
    struct con *a = make("alpha");
    struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0 };

    CU_ASSERT_EQUAL(evtchn_close(a->d, a->port), 0);
    CU_ASSERT_EQUAL_FATAL(evtchn_bind_virq(a->d, &bind), 0);
    CU_ASSERT_EQUAL_FATAL(bind.port, a->port);
    type(CTRL_A3 "k");
    CU_ASSERT_EQUAL(ring_of(a).in_prod, 1);
    CU_ASSERT_FALSE(pending(a));
}

/* Bad input: HVM_PARAM_CONSOLE_EVTCHN names no port of the domain (never
 * allocated, past the limit, past 32 bits). The byte lands, nothing is
 * raised, nothing breaks. */
static void test_bogus_console_evtchn_param(void)
{
    static const uint64_t bogus[] = { 999, 4096, 1ULL << 31, 1ULL << 40 };
    struct con *a = make("alpha");

    type(CTRL_A3);
    for ( unsigned int i = 0; i < ARRAY_SIZE(bogus); i++ )
    {
        CU_ASSERT_EQUAL(hvm_param_write(a->d, HVM_PARAM_CONSOLE_EVTCHN,
                                        bogus[i]), 0);
        type("b");
        CU_ASSERT_EQUAL(ring_of(a).in_prod, i + 1);
        CU_ASSERT_FALSE(pending(a));
    }
}

/* Input into the ring holds a reference on its page only while writing:
 * the count is back where it was afterwards, and once the guest gives
 * the page back, the frame is freed (nothing keeps it) and not written. */
static void test_ring_page_reference(void)
{
    struct con *a = make("alpha");
    struct page_info *pg;
    struct p2m_entry e;
    unsigned int refs;

    p2m_get_entry(a->d, _gfn(RING_PFN), &e);
    pg = mfn_to_page(e.mfn);
    refs = page_refcount(pg);
    CU_ASSERT(refs > 0);
    type(CTRL_A3);
    type("abc");
    CU_ASSERT_EQUAL(ring_of(a).in_prod, 3);
    CU_ASSERT_EQUAL(page_refcount(pg), refs);
    CU_ASSERT_EQUAL(p2m_release_ram(a->d, _gfn(RING_PFN), 1), 0);
    CU_ASSERT_EQUAL(page_refcount(pg), 0);
    type("d");
    CU_ASSERT_EQUAL(((volatile struct xencons_interface *)
                     arch_mfn_to_virt(e.mfn))->in_prod, 0);
}

CU_TestInfo conin_ring_tests[] = {
    ORR_CASE(test_ring_page_reference),
    ORR_CASE(test_bytes_reach_focus_only),
    ORR_CASE(test_ring_wraps),
    ORR_CASE(test_ring_full_drops),
    ORR_CASE(test_guest_lies_about_in_cons),
    ORR_CASE(test_guest_closed_port),
    ORR_CASE(test_guest_moves_in_prod),
    ORR_CASE(test_guest_rebinds_console_port),
    ORR_CASE(test_bogus_console_evtchn_param),
    CU_TEST_INFO_NULL,
};
