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
 * and runstates. A per-vCPU timer stands in for the guest's code: armed
 * at each switch-in for the moment the budget runs out, it blocks the
 * vCPU then if it is still running (a preempted vCPU is re-armed when it
 * comes back).
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

struct test_vcpu {
    struct vcpu *v;
    struct timer check;         /* on the CPU it last went in on */
    s_time_t budget;
    bool done;                  /* blocked for good */
};

/* CPU time @t's vCPU may still use, from now. */
static s_time_t budget_left(const struct test_vcpu *t, s_time_t now)
{
    s_time_t ran[NR_RUNSTATES];

    sched_unit_runstate(vcpu_sched_unit(t->v), now, ran);
    return t->budget - ran[RUNSTATE_running];
}

static void check_budget(void *data)
{
    struct test_vcpu *t = data;
    s_time_t now = NOW(), left = budget_left(t, now);

    if ( !vcpu_sched_unit(t->v)->running )
        return;         /* preempted: re-armed when switched back in */
    if ( left > 0 )
    {
        set_timer(&t->check, now + left);
        return;
    }
    {
        struct hypercall_regs r = {
            .nr = __HYPERVISOR_sched_op, .args = { SCHEDOP_block },
        };

        t->done = true;
        hypercall_dispatch(t->v, &r);
    }
}

/* The domain is being destroyed: its workload goes with it. */
void test_vcpu_free(struct test_vcpu *t)
{
    stop_timer(&t->check);
    xfree(t);
}

void test_vcpu_switched_in(struct vcpu *v)
{
    struct test_vcpu *t = vhc(v)->test;
    s_time_t now = NOW();

    if ( t->done )
        return;
    stop_timer(&t->check);
    init_timer(&t->check, check_budget, t, arch_cpu_id());
    set_timer(&t->check, now + MAX(budget_left(t, now), (s_time_t)0));
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
        vhc(d->vcpu[i])->test = t;
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
