/* SPDX-License-Identifier: MIT */
/*
 * Test domains built at boot, to watch the scheduler drive the pCPUs
 * before there are real guests (issue 7 brings guest contexts):
 *
 *   testdoms=N        N domUs (default 0: none)
 *   testdom_vcpus=V   vCPUs each, all brought up (default 2)
 *   testdom_ms=T      CPU time each vCPU burns, in ms (default 50)
 *
 * Each vCPU plays a CPU-bound guest that runs until it has used T ms of
 * CPU and then goes idle the way a guest does, with SCHEDOP_block
 * through the hypercall entry path; nothing wakes it after that, so the
 * machine settles. Debug keys 'r' and 'q' show the domains, their units
 * and runstates. A per-vCPU timer stands in for the guest's code: it
 * fires when the budget would be used up if the vCPU kept running, and
 * checks again later if it was preempted meanwhile.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/param.h>
#include <orrery/timer.h>
#include <orrery/vcpu_sched.h>

#include <public/sched.h>

#include "vcpu_hc.h"

static unsigned int opt_testdoms;
static unsigned int opt_vcpus = 2;
static unsigned int opt_ms = 50;
integer_param("testdoms", opt_testdoms);
integer_param("testdom_vcpus", opt_vcpus);
integer_param("testdom_ms", opt_ms);

/* While preempted, look again this often. */
#define TEST_RECHECK_NS 1000000LL

struct test_vcpu {
    struct vcpu *v;
    struct timer check;
    s_time_t budget;
};

static void check_budget(void *data)
{
    struct test_vcpu *t = data;
    const struct sched_unit *u = vcpu_sched_unit(t->v);
    s_time_t ran[NR_RUNSTATES], now = NOW();

    sched_unit_runstate(u, now, ran);
    if ( ran[RUNSTATE_running] >= t->budget && u->running )
    {
        struct hypercall_regs r = {
            .nr = __HYPERVISOR_sched_op, .args = { SCHEDOP_block },
        };

        hypercall_dispatch(t->v, &r);
        return;
    }
    if ( u->running )
        set_timer(&t->check, now + (t->budget - ran[RUNSTATE_running]));
    else
        set_timer(&t->check, now + TEST_RECHECK_NS);
}

static int make_one(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_PVH,
        .max_vcpus = opt_vcpus,
    };
    struct domain *d;
    int rc = domain_create(&cfg, &d);

    if ( rc )
        return rc;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct test_vcpu *t = xzalloc(struct test_vcpu);

        if ( !t )
            return -ENOMEM;     /* the domain stays, smaller: a demo */
        t->v = d->vcpu[i];
        t->budget = MILLISECS(opt_ms);
        init_timer(&t->check, check_budget, t, 0);
        set_timer(&t->check, NOW() + t->budget);
        vcpu_up(d->vcpu[i]);
    }
    printk("Test domain d%u: %u vCPUs, %u ms of CPU each\n", d->domain_id,
           d->max_vcpus, opt_ms);
    return domain_unpause(d);
}

void test_domains_create(void)
{
    if ( opt_vcpus == 0 || opt_vcpus > DOMAIN_MAX_VCPUS )
    {
        printk(LOG_WARNING "testdom_vcpus=%u: want 1..%u\n", opt_vcpus,
               DOMAIN_MAX_VCPUS);
        return;
    }
    for ( unsigned int i = 0; i < opt_testdoms; i++ )
    {
        int rc = make_one();

        if ( rc )
        {
            printk(LOG_WARNING "Test domain %u of %u: %d\n", i + 1,
                   opt_testdoms, rc);
            return;
        }
    }
}
