/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "vo_test.h"

struct domain *vo_d0, *vo_u1;
static uint64_t free_before;
static unsigned int leaks_before;

struct domain *vo_domain(uint32_t flags, unsigned int vcpus)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .flags = flags, .max_vcpus = vcpus,
        .max_pages = 64,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), VO_RAM_PAGES) == 0);
    CU_ASSERT_FATAL(domain_unpause(d) == 0);
    return d;
}

/* orr_sim_heap_init_once()'s "once" is per file: call it from here only. */
void vo_heap(void)
{
    orr_sim_heap_init_once(32 << 20);
}

void vo_setup_cpus(unsigned int cpus)
{
    struct page_alloc_stats st;

    sim_init(cpus, 0);
    vo_heap();
    console_set_loglvl("all");
    timer_init();
    domain_reset_hooks();
    xsm_set_policy("dummy");
    hypercall_set_budget(0);
    CU_ASSERT_FATAL(sched_init("credit", (cpumask_t){ (1ULL << cpus) - 1 })
                    == 0);
    sched_softirq_init();
    CU_ASSERT_FATAL(domain_sched_register(0) == 0);
    evtchn_register_domain_hooks();
    CU_ASSERT_FATAL(vcpu_ops_register() == 0);

    /* Each CPU's timer heap is allocated at its first timer and kept:
     * grow them now, so that the page count below sees only the test. */
    for ( unsigned int cpu = 0; cpu < cpus; cpu++ )
    {
        static struct timer warm[NR_CPUS];

        init_timer(&warm[cpu], (void (*)(void *))abort, NULL, cpu);
        set_timer(&warm[cpu], (s_time_t)1 << 62);
        stop_timer(&warm[cpu]);
    }
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();
    vo_d0 = vo_domain(ORR_CDF_privileged, VO_VCPUS);
    vo_u1 = vo_domain(0, VO_VCPUS);
    sim_console_clear();
}

void vo_setup(void)
{
    vo_setup_cpus(VO_CPUS);
}

void vo_teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_destroy(vo_u1), 0);
    CU_ASSERT_EQUAL(domain_destroy(vo_d0), 0);
    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    vo_settle();
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

void *vo_guest_ptr(struct domain *d, uint64_t gaddr)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gaddr >> PAGE_SHIFT), &e);
    CU_ASSERT_FATAL(mfn_x(e.mfn) != mfn_x(INVALID_MFN));
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + (gaddr & (PAGE_SIZE - 1));
}

void vo_poke(struct domain *d, uint64_t gaddr, const void *src, size_t len)
{
    memcpy(vo_guest_ptr(d, gaddr), src, len);
}

int64_t vo_call(struct domain *d, unsigned int vcpu, uint64_t nr,
                uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct hypercall_regs r = {
        .nr = nr, .args = { a0, a1, a2, 0, 0 },
    };

    hypercall_dispatch(d->vcpu[vcpu], &r);
    CU_ASSERT_FALSE(r.restart);
    return r.ret;
}

/* Run every CPU's pending softirqs, each on its CPU. */
static void softirqs(void)
{
    for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        sim_set_cpu(cpu);
        do_softirq();
    }
    sim_set_cpu(0);
}

void vo_settle(void)
{
    /* Twice: a CPU's softirq may raise another's (a wake-up's IPI). */
    for ( unsigned int i = 0; i < 2; i++ )
    {
        sim_advance(0);
        softirqs();
    }
}

void vo_run_until(s_time_t t)
{
    vo_settle();
    while ( sim_now() < t )
    {
        s_time_t next = t;

        for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
        {
            s_time_t dl = sim_timer_deadline(cpu);

            if ( dl && dl > sim_now() && dl < next )
                next = dl;
        }
        sim_advance(next - sim_now());
        softirqs();
        vo_settle();
    }
}

evtchn_port_t vo_bind_virq(struct domain *d, unsigned int virq,
                           unsigned int vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };

    CU_ASSERT_FATAL(evtchn_bind_virq(d, &b) == 0);
    return b.port;
}

evtchn_port_t vo_bind_ipi(struct domain *d, unsigned int vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };

    CU_ASSERT_FATAL(evtchn_bind_ipi(d, &b) == 0);
    return b.port;
}

bool vo_port_pending(const struct domain *d, evtchn_port_t port)
{
    return d->evtchn->ops->is_pending(d, port);
}

void vo_clear_port(struct domain *d, evtchn_port_t port)
{
    d->evtchn->ops->clear_pending(d, port);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i]->vcpu_info )
        {
            d->vcpu[i]->vcpu_info->evtchn_upcall_pending = 0;
            d->vcpu[i]->vcpu_info->evtchn_pending_sel = 0;
        }
}

void vo_check_join(const struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        const struct vcpu *v = d->vcpu[i];
        const struct sched_unit *u = vcpu_sched_unit(v);

        CU_ASSERT_FATAL(u != NULL);
        ORR_ASSERT_EQ_U64(u->pause_count, d->pause_count + v->pause_count +
                          (d->is_shut_down ? 1 : 0));
        CU_ASSERT_EQUAL(u->down, !v->is_up);
        CU_ASSERT_EQUAL(vcpu_runnable(v), sched_unit_runnable(u));
        CU_ASSERT_EQUAL(sched_unit_vcpu(u), v);
    }
}

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("join", vo_setup, vo_teardown, join_tests),
    ORR_SUITE_EACH("sched_op", vo_setup, vo_teardown, sched_op_tests),
    ORR_SUITE_EACH("poll", vo_setup, vo_teardown, poll_tests),
    ORR_SUITE_EACH("vcpu_op", vo_setup, vo_teardown, vcpu_op_tests),
    ORR_SUITE_EACH("timers", vo_setup, vo_teardown, timer_tests),
    ORR_SUITE_EACH("areas", vo_setup, vo_teardown, area_tests),
    ORR_SUITE_EACH("hvm_op", vo_setup, vo_teardown, hvm_op_tests),
    ORR_SUITE_EACH("join-fail", vo_fail_setup, vo_fail_teardown,
                   join_fail_tests),
    ORR_SUITE_EACH("smp", vo_setup_smp, vo_teardown, smp_tests),
    ORR_SUITE_EACH("vcpu_init", vo_setup, vo_teardown, vcpu_init_tests),
    ORR_SUITE_EACH("vcpu_init_ipi", vo_setup, vo_teardown,
                   vcpu_init_ipi_tests),
    ORR_SUITE_EACH("watchdog", vo_setup, vo_teardown, watchdog_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
