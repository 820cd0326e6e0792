/* SPDX-License-Identifier: MIT */
/*
 * schedop: sched_op from inside guests (xen-abi-facts §1.1). One kernel,
 * several roles, chosen by `role=` on its command line:
 *
 *   main  (peer=<pong's domid>) yields in a ping-pong with pong, then
 *         block and poll (wait.c), shutdown's and shutdown_code's errors,
 *         and last SCHEDOP_shutdown_code(suspend) (a second code is
 *         ignored: the first sticks), so the poweroff the library ends
 *         with is reported as suspend in the hypervisor's log;
 *   pong  (peer=<main's domid>) the other end of the ping-pong;
 *   reboot, crash
 *         SCHEDOP_shutdown with that reason at once: the log must name
 *         it, and the domain must never run again (Orrery does not
 *         restart a domain that asks for a reboot; it stays shut down,
 *         as Xen's with on_reboot=destroy);
 *   watchdog
 *         arms a 1 s SCHEDOP_watchdog, renews it once, then blocks for
 *         good: the hypervisor shuts it down with SHUTDOWN_watchdog.
 *
 * main also checks SCHEDOP_watchdog's ids (two, then -ENOSPC) and errors.
 *
 * The ping-pong is the yield test. The boot runs on one pCPU, so main
 * and pong share it; each waits for the other's event spinning on
 * SCHEDOP_yield. If yield let the other run only when the yielder's
 * credit slice (30 ms) ran out, a round trip would take two slices; a
 * working yield hands the pCPU over at once (under 1 ms under TCG; the
 * bound is half a slice, for a loaded host). With two pCPUs the test
 * would prove nothing, and QEMU's TCG makes cross-vCPU ping-pong slow.
 */
#include <orrery/lib.h>

#include "schedop.h"

const char test_title[] = "schedop: yield, block, poll, shutdown reasons";

#define ROUNDS 50
#define BAD_PTR 0x7fff00000000ULL

static domid_t peer;
static unsigned long yields;

static void yield(void)
{
    long rc = sched_op(SCHEDOP_yield, NULL);

    if ( rc )
        check(false, "SCHEDOP_yield gave %ld", rc);
    yields++;
}

/* Spin on yield until @port is pending (then clear it), at most 10 s. */
static void yield_until(evtchn_port_t port, const char *what)
{
    uint64_t deadline = now_ns() + MS(10000);

    while ( !evtchn_is_pending(port) )
    {
        if ( now_ns() > deadline )
            panic("timed out waiting for %s", what);
        yield();
    }
    evtchn_clear(port);
}

/* main: offer a port to pong, wait until it is bound, then lead. */
static void ping(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = peer };
    struct evtchn_status st;
    uint64_t deadline, t0, t;

    if ( evtchn_op(EVTCHNOP_alloc_unbound, &a) )
        panic("alloc_unbound for d%u", peer);
    deadline = now_ns() + MS(10000);
    do {
        if ( now_ns() > deadline )
            panic("d%u never bound port %u", peer, a.port);
        yield();
        st = (struct evtchn_status){ .dom = DOMID_SELF, .port = a.port };
        evtchn_op(EVTCHNOP_status, &st);
    } while ( st.status != EVTCHNSTAT_interdomain );

    yields = 0;
    t0 = now_ns();
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        evtchn_notify(a.port);
        yield_until(a.port, "pong's reply");
    }
    t = (now_ns() - t0) / ROUNDS;
    printf("yield ping-pong: %u round trips, %llu us each, %lu yields\n",
           ROUNDS, (unsigned long long)(t / 1000), yields);
    check(t < MS(15), "a yield round trip took %llu us: yield does not "
          "hand the pCPU over", (unsigned long long)(t / 1000));
}

/* pong: find main's port by binding to each of its first ports. */
static void pong(void)
{
    struct evtchn_bind_interdomain b = { .remote_dom = peer };
    uint64_t deadline = now_ns() + MS(10000);

    for ( ;; )
    {
        for ( b.remote_port = 1; b.remote_port < 64; b.remote_port++ )
            if ( evtchn_op(EVTCHNOP_bind_interdomain, &b) == 0 )
                goto bound;
        if ( now_ns() > deadline )
            panic("d%u offered no port", peer);
        yield();
    }
 bound:
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        yield_until(b.local_port, "main's ping");
        evtchn_notify(b.local_port);
    }
}

static long shutdown_with(unsigned int cmd, uint32_t reason)
{
    struct sched_shutdown s = { .reason = reason };

    return sched_op(cmd, &s);
}

static long watchdog(uint32_t id, uint32_t timeout)
{
    struct sched_watchdog w = { .id = id, .timeout = timeout };

    return sched_op(SCHEDOP_watchdog, &w);
}

/* Two watchdogs, ids 1 and 2; a free one is -EINVAL; all freed again. */
static void test_watchdog_ids(void)
{
    long rc;

    rc = watchdog(0, 60);
    check(rc == 1, "the first watchdog got id %ld", rc);
    rc = watchdog(0, 60);
    check(rc == 2, "the second watchdog got id %ld", rc);
    rc = watchdog(0, 60);
    check(rc == -ENOSPC, "a third watchdog gave %ld", rc);
    rc = watchdog(1, 120);
    check(rc == 0, "renewing watchdog 1 gave %ld", rc);
    check(watchdog(1, 0) == 0 && watchdog(2, 0) == 0, "freeing them");
    rc = watchdog(1, 0);
    check(rc == -EINVAL, "freeing a free watchdog gave %ld", rc);
    rc = watchdog(2, 10);
    check(rc == -EINVAL, "renewing a free watchdog gave %ld", rc);
    rc = watchdog(3, 10);
    check(rc == -EINVAL, "watchdog id 3 gave %ld", rc);
    rc = sched_op(SCHEDOP_watchdog, (void *)BAD_PTR);
    check(rc == -EFAULT, "watchdog with a bad pointer gave %ld", rc);
}

/* watchdog: not renewed after the first second, it must fire. */
static void watchdog_role(void)
{
    struct sched_poll p = { .nr_ports = 0 };
    long rc = watchdog(0, 1);

    check(rc == 1, "SCHEDOP_watchdog(0, 1 s) gave %ld", rc);
    p.timeout = now_ns() + MS(500);
    sched_op(SCHEDOP_poll, &p);
    rc = watchdog(1, 1);
    check(rc == 0, "renewing the watchdog gave %ld", rc);
    printf("watchdog 1 renewed for 1 s; blocking\n");
    for ( ;; )
        sched_op(SCHEDOP_block, NULL);
}

static void test_errors(void)
{
    struct sched_remote_shutdown rs = { .domain_id = peer,
                                        .reason = SHUTDOWN_poweroff };
    long rc;

    rc = shutdown_with(SCHEDOP_shutdown, SHUTDOWN_MAX + 1);
    check(rc == -EINVAL, "shutdown(reason 6) gave %ld", rc);
    rc = shutdown_with(SCHEDOP_shutdown, 0xffffffffu);
    check(rc == -EINVAL, "shutdown(reason ~0) gave %ld", rc);
    rc = sched_op(SCHEDOP_shutdown, (void *)BAD_PTR);
    check(rc == -EFAULT, "shutdown with a bad pointer gave %ld", rc);
    rc = shutdown_with(SCHEDOP_shutdown_code, SHUTDOWN_MAX + 1);
    check(rc == -EINVAL, "shutdown_code(reason 6) gave %ld", rc);
    rc = sched_op(SCHEDOP_shutdown_code, (void *)BAD_PTR);
    check(rc == -EFAULT, "shutdown_code with a bad pointer gave %ld", rc);
    /* Only a control domain may shut another down. */
    rc = sched_op(SCHEDOP_remote_shutdown, &rs);
    check(rc == -EPERM, "remote_shutdown of d%u from a domU gave %ld", peer,
          rc);
    rc = sched_op(99, NULL);
    check(rc == -ENOSYS, "sched_op 99 gave %ld", rc);
    /* Still here: none of them shut us down. */
    check(sched_op(SCHEDOP_yield, NULL) == 0, "yield after the errors");
}

/* reboot, crash: shut down now; running on is a failure. */
static void shutdown_now(const char *name, uint32_t reason)
{
    long rc;

    printf("asking for SHUTDOWN_%s\n", name);
    rc = shutdown_with(SCHEDOP_shutdown, reason);
    check(false, "SHUTDOWN_%s returned %ld and the domain ran on", name, rc);
}

static void get_peer(const char *cmdline)
{
    unsigned long n;

    if ( !cmdline_number(cmdline, "peer=", &n) )
        panic("role=main|pong needs peer=DOMID");
    peer = (domid_t)n;
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    long rc;

    if ( cmdline_find(cmdline, "role=reboot") )
        shutdown_now("reboot", SHUTDOWN_reboot);
    else if ( cmdline_find(cmdline, "role=crash") )
        shutdown_now("crash", SHUTDOWN_crash);
    else if ( cmdline_find(cmdline, "role=watchdog") )
        watchdog_role();
    else if ( cmdline_find(cmdline, "role=pong") )
    {
        get_peer(cmdline);
        pong();
    }
    else if ( cmdline_find(cmdline, "role=main") )
    {
        get_peer(cmdline);
        ping();
        test_block();
        test_poll();
        test_errors();
        test_watchdog_ids();
        /* The reason the coming poweroff reports; the second is ignored. */
        rc = shutdown_with(SCHEDOP_shutdown_code, SHUTDOWN_suspend);
        check(rc == 0, "shutdown_code(suspend) gave %ld", rc);
        rc = shutdown_with(SCHEDOP_shutdown_code, SHUTDOWN_watchdog);
        check(rc == 0, "a second shutdown_code gave %ld", rc);
    }
    else
        panic("role= must be main, pong, reboot, crash or watchdog");
}
