/* SPDX-License-Identifier: MIT */
/*
 * The guest's concurrent writes to a FIFO event word, modelled
 * sequentially: the race hook (evtchn_fifo_set_race_hook) plays the
 * guest's write just before each compare-exchange that links an event,
 * so every path of the LINK/BUSY protocol (reference/xen-abi-facts.md
 * §2.2; evtchn_fifo_queue.c) is taken: the tail consumed under us,
 * masked or unmasked once, unlinked during the BUSY retries, and a guest
 * that never stops.
 */
#include "ev_test.h"

#define P(bit) (1U << EVTCHN_FIFO_##bit)

static unsigned int race_calls;
static uint32_t race_set, race_clear;
static unsigned int race_times;
/* Calls at which the word had BUSY set: the guest sees it while the
 * hypervisor retries, and must not clear MASKED then. */
static unsigned int race_busy;

static void race(event_word_t *w)
{
    race_calls++;
    if ( *w & P(BUSY) )
        race_busy |= 1U << race_calls;
    if ( race_calls > race_times )
        return;
    __atomic_fetch_or(w, race_set, __ATOMIC_SEQ_CST);
    __atomic_fetch_and(w, ~race_clear, __ATOMIC_SEQ_CST);
    /* Toggle MASKED so that each attempt sees a changed word. */
    if ( !race_set && !race_clear )
        __atomic_fetch_xor(w, P(MASKED), __ATOMIC_SEQ_CST);
}

static void arm_race(uint32_t set, uint32_t clear, unsigned int times)
{
    race_calls = 0;
    race_busy = 0;
    race_set = set;
    race_clear = clear;
    race_times = times;
    evtchn_fifo_set_race_hook(race);
}

/* The guest unlinks the tail just as we link after it: we see the word
 * is no longer LINKED, and the new event goes to the head instead. */
static void test_race_tail_consumed(void)
{
    evtchn_port_t l[2], r[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    arm_race(0, P(LINKED) | EVTCHN_FIFO_LINK_MASK, 1);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    evtchn_fifo_set_race_hook(NULL);
    CU_ASSERT_EQUAL(race_calls, 1);
    CU_ASSERT_FALSE(fg_bit(u1, l[0], EVTCHN_FIFO_BUSY));
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]) & EVTCHN_FIFO_LINK_MASK, 0);
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[1]);
}

/* The guest masks the tail once: the retry (under BUSY) links, and BUSY
 * is gone afterwards. */
static void test_race_tail_masked(void)
{
    evtchn_port_t l[2], r[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    arm_race(P(MASKED), 0, 1);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    evtchn_fifo_set_race_hook(NULL);
    CU_ASSERT_EQUAL(race_calls, 2);
    CU_ASSERT_EQUAL(race_busy, 1U << 2);    /* the retry, under BUSY */
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]),
                    P(PENDING) | P(LINKED) | P(MASKED) | l[1]);
}

/* The guest unmasks the tail (MASKED toggled) once: the retry links. */
static void test_race_tail_unmasked(void)
{
    evtchn_port_t l[2], r[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    arm_race(0, 0, 1);          /* first attempt: MASKED toggled */
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    /* Toggled once, then the retry linked. */
    CU_ASSERT_EQUAL(*fg_word(u1, l[0]) & EVTCHN_FIFO_LINK_MASK, l[1]);
    evtchn_fifo_set_race_hook(NULL);
    CU_ASSERT_FALSE(fg_bit(u1, l[0], EVTCHN_FIFO_BUSY));
}

static void unlink_second(event_word_t *w)
{
    if ( *w & P(BUSY) )
        race_busy |= 1U << (race_calls + 1);
    if ( ++race_calls == 2 )
        __atomic_fetch_and(w, ~(P(LINKED) | EVTCHN_FIFO_LINK_MASK),
                           __ATOMIC_SEQ_CST);
    else if ( race_calls == 1 )
        __atomic_fetch_xor(w, P(MASKED), __ATOMIC_SEQ_CST);
}

/* The guest unlinks the tail during the BUSY retries: BUSY is cleared
 * again and the event goes to the head. */
static void test_race_unlink_during_retry(void)
{
    evtchn_port_t l[2], r[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    race_calls = 0;
    race_busy = 0;
    evtchn_fifo_set_race_hook(unlink_second);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    evtchn_fifo_set_race_hook(NULL);
    CU_ASSERT_EQUAL(race_busy, 1U << 2);
    CU_ASSERT_FALSE(fg_bit(u1, l[0], EVTCHN_FIFO_BUSY));
    CU_ASSERT_FALSE(fg_bit(u1, l[0], EVTCHN_FIFO_LINKED));
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[1]);
}

/* A guest that never stops changing the tail loses the event from its
 * queue, gets a warning, and the hypervisor does not loop. */
static void test_race_guest_never_stops(void)
{
    evtchn_port_t l[2], r[2];

    fg_pair(2, l, r);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[0]), 0);
    sim_console_clear();
    arm_race(0, 0, 1000);
    CU_ASSERT_EQUAL(evtchn_send(d0, r[1]), 0);
    evtchn_fifo_set_race_hook(NULL);
    CU_ASSERT_EQUAL(race_calls, 5);
    CU_ASSERT_EQUAL(race_busy, 0x3cU);      /* calls 2..5 */
    CU_ASSERT_FALSE(fg_bit(u1, l[0], EVTCHN_FIFO_BUSY));
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_console_text(), "not linked"));
    CU_ASSERT_EQUAL(fg_cb(u1, 0)->head[7], l[0]);
}

CU_TestInfo fifo_race_tests[] = {
    ORR_CASE(test_race_tail_consumed),
    ORR_CASE(test_race_tail_masked),
    ORR_CASE(test_race_tail_unmasked),
    ORR_CASE(test_race_unlink_during_retry),
    ORR_CASE(test_race_guest_never_stops),
    CU_TEST_INFO_NULL,
};
