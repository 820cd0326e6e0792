/* SPDX-License-Identifier: MIT */
#include <orrery/console.h>
#include <orrery/event.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/smp.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/xsm.h>
#include <sim/sim.h>

#include "ctl_test.h"
#include "orr_sim_heap.h"

struct domain *ctl_d0, *ctl_u1;
static uint64_t free_before;
static unsigned int leaks_before;

static struct domain *new_domain(uint32_t flags)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = CTL_VCPUS,
        .max_pages = 64,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), CTL_RAM_PAGES) == 0);
    CU_ASSERT_FATAL(domain_unpause(d) == 0);
    return d;
}

void ctl_setup(void)
{
    struct page_alloc_stats st;

    sim_init(CTL_CPUS, 0);
    orr_sim_heap_init_once(32 << 20);
    console_set_loglvl("all");
    timer_init();
    domain_reset_hooks();
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    for ( unsigned int cpu = 0; cpu < CTL_CPUS; cpu++ )
        smp_mark_online(cpu);
    CU_ASSERT_FATAL(sched_init("credit", cpumask_of(0)) == 0);
    CU_ASSERT_FATAL(domain_sched_register(0) == 0);
    evtchn_register_domain_hooks();

    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();
    ctl_d0 = new_domain(ORR_CDF_privileged);
    ctl_u1 = new_domain(0);
}

void ctl_teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_destroy(ctl_u1), 0);
    CU_ASSERT_EQUAL(domain_destroy(ctl_d0), 0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

static void *guest_ptr(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(mfn_x(e.mfn) != mfn_x(INVALID_MFN));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

void ctl_poke(struct domain *d, uint64_t gaddr, const void *src, size_t len)
{
    memcpy(guest_ptr(d, gaddr), src, len);
}

void ctl_peek(struct domain *d, uint64_t gaddr, void *dst, size_t len)
{
    memcpy(dst, guest_ptr(d, gaddr), len);
}

int64_t ctl_call(struct domain *caller, uint64_t nr, uint64_t gaddr)
{
    struct hypercall_regs r = { .nr = nr, .args = { gaddr } };

    hypercall_dispatch(caller->vcpu[0], &r);
    CU_ASSERT_FALSE(r.restart);
    return r.ret;
}

int64_t ctl_domctl(struct domain *caller, struct orr_domctl *op)
{
    int64_t rc;

    if ( !op->interface_version )
        op->interface_version = ORRERY_DOMCTL_INTERFACE_VERSION;
    ctl_poke(caller, CTL_ARG, op, sizeof(*op));
    rc = ctl_call(caller, __HYPERVISOR_domctl, CTL_ARG);
    ctl_peek(caller, CTL_ARG, op, sizeof(*op));
    return rc;
}

int64_t ctl_sysctl(struct domain *caller, struct orr_sysctl *op)
{
    int64_t rc;

    if ( !op->interface_version )
        op->interface_version = ORRERY_SYSCTL_INTERFACE_VERSION;
    ctl_poke(caller, CTL_ARG, op, sizeof(*op));
    rc = ctl_call(caller, __HYPERVISOR_sysctl, CTL_ARG);
    ctl_peek(caller, CTL_ARG, op, sizeof(*op));
    return rc;
}

int64_t ctl_pool(uint32_t op, uint32_t poolid, uint32_t sched_id,
                 uint32_t domid, uint32_t cpu)
{
    struct orr_sysctl s = {
        .cmd = ORR_SYSCTL_cpupool_op,
        .u.cpupool_op = { .op = op, .cpupool_id = poolid,
                          .sched_id = sched_id, .domid = domid, .cpu = cpu },
    };

    return ctl_sysctl(ctl_d0, &s);
}

struct orr_sysctl_cpupool_op ctl_pool_info(uint32_t poolid)
{
    struct orr_sysctl s = {
        .cmd = ORR_SYSCTL_cpupool_op,
        .u.cpupool_op = { .op = ORR_SYSCTL_CPUPOOL_OP_INFO,
                          .cpupool_id = poolid },
    };

    CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &s), 0);
    return s.u.cpupool_op;
}

void ctl_pool_with_u1(uint32_t poolid, uint32_t sched_id)
{
    CU_ASSERT_FATAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_CREATE, poolid, sched_id,
                             0, 0) == 0);
    CU_ASSERT_FATAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_ADDCPU, poolid, 0, 0, 1)
                    == 0);
    CU_ASSERT_FATAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, poolid, 0,
                             ctl_u1->domain_id, 0) == 0);
}

void ctl_pool_drop(uint32_t poolid)
{
    CU_ASSERT_EQUAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0,
                             ctl_u1->domain_id, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_DESTROY, poolid, 0, 0, 0),
                    0);
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("domctl", ctl_setup, ctl_teardown, domctl_tests),
    ORR_SUITE_EACH("domctl_sched", ctl_setup, ctl_teardown,
                   domctl_sched_tests),
    ORR_SUITE_EACH("sysctl", ctl_setup, ctl_teardown, sysctl_tests),
    ORR_SUITE_EACH("cpupool", ctl_setup, ctl_teardown, cpupool_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
