/* SPDX-License-Identifier: MIT */
/*
 * The sim platform checked on its own: timer upcalls in time order across
 * CPUs, IPI delivery, idle, memory translation bounds, halt catching. The
 * upcalls are defined here and record what they saw.
 */
#include <string.h>
#include <orrery/spinlock.h>
#include <sim/sim.h>
#include <orr_test.h>

struct event {
    char what;              /* 'T' timer, 'I' IPI, 'C' console byte */
    unsigned int cpu;
    s_time_t when;
    int arg;
    bool irqs;              /* interrupts enabled during the upcall? */
};

static struct event log_[64];
static unsigned int nlog;
static s_time_t rearm_delta;    /* timer handler re-arms by this, if set */
static int send_ipi_to = -1;    /* timer handler sends an IPI there */

static void record(char what, int arg)
{
    if ( nlog < ARRAY_SIZE(log_) )
        log_[nlog++] = (struct event){ what, arch_cpu_id(), arch_time_now(),
                                       arg, arch_irqs_enabled() };
}

void timer_interrupt(void)
{
    record('T', 0);
    if ( rearm_delta )
        arch_timer_program(arch_time_now() + rearm_delta);
    if ( send_ipi_to >= 0 )
    {
        arch_send_ipi(send_ipi_to, IPI_CALL);
        send_ipi_to = -1;
    }
}

void ipi_interrupt(enum ipi_kind kind)
{
    record('I', kind);
}

void console_rx_char(char c)
{
    record('C', c);
}

static void setup(void)
{
    sim_init(4, 0);
    nlog = 0;
    rearm_delta = 0;
    send_ipi_to = -1;
}

static void teardown(void)
{
    sim_halt_disarm();
}

/* ---- CPUs and interrupt flags ------------------------------------------- */

static void test_cpus_and_irq_flags(void)
{
    unsigned long f;

    CU_ASSERT_EQUAL(sim_nr_cpus(), 4);
    CU_ASSERT_EQUAL(arch_cpu_id(), 0);
    CU_ASSERT_FALSE(arch_irqs_enabled());       /* as after reset */
    arch_irq_enable();
    CU_ASSERT_TRUE(arch_irqs_enabled());

    /* Flags are per CPU. */
    sim_set_cpu(2);
    CU_ASSERT_EQUAL(arch_cpu_id(), 2);
    CU_ASSERT_FALSE(arch_irqs_enabled());
    sim_set_cpu(0);
    CU_ASSERT_TRUE(arch_irqs_enabled());

    f = arch_irq_save();
    CU_ASSERT_FALSE(arch_irqs_enabled());
    arch_irq_restore(f);
    CU_ASSERT_TRUE(arch_irqs_enabled());
    arch_irq_disable();
    f = arch_irq_save();
    arch_irq_restore(f);
    CU_ASSERT_FALSE(arch_irqs_enabled());
}

/* ---- time --------------------------------------------------------------- */

static void test_timers_in_time_order(void)
{
    sim_set_cpu(0);
    arch_timer_program(300);
    sim_set_cpu(1);
    arch_timer_program(100);
    arch_irq_enable();
    sim_set_cpu(2);
    arch_timer_program(200);
    sim_set_cpu(3);
    arch_timer_program(200);            /* tie with CPU2: lower CPU first */
    sim_set_cpu(1);

    sim_advance(250);
    CU_ASSERT_EQUAL(nlog, 3);
    CU_ASSERT(log_[0].cpu == 1 && log_[0].when == 100);
    CU_ASSERT(log_[1].cpu == 2 && log_[1].when == 200);
    CU_ASSERT(log_[2].cpu == 3 && log_[2].when == 200);
    CU_ASSERT_FALSE(log_[0].irqs);      /* upcalls run masked */
    CU_ASSERT_EQUAL(sim_now(), 250);
    CU_ASSERT_EQUAL(arch_cpu_id(), 1);  /* restored */
    CU_ASSERT_TRUE(arch_irqs_enabled());
    CU_ASSERT_EQUAL(sim_timer_deadline(1), 0);     /* one-shot */
    CU_ASSERT_EQUAL(sim_timer_deadline(0), 300);

    sim_advance(50);                    /* exactly at the deadline */
    CU_ASSERT_EQUAL(nlog, 4);
    CU_ASSERT(log_[3].cpu == 0 && log_[3].when == 300);
}

static void test_timer_cancel_past_and_rearm(void)
{
    sim_advance(1000);
    arch_timer_program(5000);
    arch_timer_program(0);              /* cancel */
    sim_advance(10000);
    CU_ASSERT_EQUAL(nlog, 0);

    arch_timer_program(10);             /* in the past: fires at once */
    sim_advance(0);
    CU_ASSERT_EQUAL(nlog, 1);
    CU_ASSERT_EQUAL(log_[0].when, 11000);

    /* A periodic handler: re-arms itself every 100 ns. */
    rearm_delta = 100;
    arch_timer_program(sim_now() + 100);
    sim_advance(1000);
    CU_ASSERT_EQUAL(nlog, 11);
    CU_ASSERT_EQUAL(log_[10].when, 12000);
    CU_ASSERT_EQUAL(sim_timer_deadline(0), 12100);
}

static void test_idle_jumps_to_next_deadline(void)
{
    sim_set_cpu(3);
    arch_timer_program(7777);
    sim_set_cpu(0);
    arch_cpu_idle();
    CU_ASSERT_EQUAL(sim_now(), 7777);
    CU_ASSERT_EQUAL(nlog, 1);
    CU_ASSERT_EQUAL(log_[0].cpu, 3);
    CU_ASSERT_EQUAL(arch_cpu_id(), 0);
    CU_ASSERT_FALSE(arch_irqs_enabled());

    /* Nothing programmed anywhere: a deadlock, reported as a fault. */
    if ( SIM_CATCH_HALT() == 0 )
    {
        arch_cpu_idle();
        CU_FAIL("idle returned with nothing to wait for");
    }
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_FAULT);
    ORR_ASSERT_CONTAINS(sim_fault_message(), "deadlocked");
}

static void test_time_cannot_go_back(void)
{
    if ( SIM_CATCH_HALT() == 0 )
        sim_advance(-1);
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_FAULT);
}

/* ---- IPIs --------------------------------------------------------------- */

static void test_ipis(void)
{
    sim_set_cpu(0);
    arch_send_ipi(2, IPI_CALL);
    arch_send_ipi(1, IPI_STOP);
    arch_send_ipi(2, IPI_CALL);         /* coalesces with the first */
    arch_send_ipi(2, IPI_SOFTIRQ);
    arch_send_ipi(0, IPI_SOFTIRQ);      /* to self */
    CU_ASSERT_EQUAL(nlog, 0);           /* queued, not delivered */

    CU_ASSERT_EQUAL(sim_deliver_ipis(), 4);
    CU_ASSERT_EQUAL(nlog, 4);
    CU_ASSERT(log_[0].cpu == 0 && log_[0].arg == IPI_SOFTIRQ);
    CU_ASSERT(log_[1].cpu == 1 && log_[1].arg == IPI_STOP);
    CU_ASSERT(log_[2].cpu == 2 && log_[2].arg == IPI_SOFTIRQ);
    CU_ASSERT(log_[3].cpu == 2 && log_[3].arg == IPI_CALL);
    CU_ASSERT_EQUAL(arch_cpu_id(), 0);
    CU_ASSERT_EQUAL(sim_deliver_ipis(), 0);

    /* Delivered by sim_advance too, and ones a timer handler sends. */
    arch_send_ipi(3, IPI_CALL);
    send_ipi_to = 1;
    arch_timer_program(50);
    sim_advance(100);
    CU_ASSERT_EQUAL(nlog, 7);
    CU_ASSERT(log_[4].what == 'I' && log_[4].cpu == 3 && log_[4].when == 0);
    CU_ASSERT(log_[5].what == 'T' && log_[5].when == 50);
    CU_ASSERT(log_[6].what == 'I' && log_[6].cpu == 1 && log_[6].when == 50);

    /* A pending IPI wakes an idle CPU without moving time. */
    arch_send_ipi(2, IPI_SOFTIRQ);
    arch_cpu_idle();
    CU_ASSERT_EQUAL(nlog, 8);
    CU_ASSERT_EQUAL(sim_now(), 100);

    if ( SIM_CATCH_HALT() == 0 )
        arch_send_ipi(4, IPI_CALL);     /* only CPUs 0..3 exist */
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_FAULT);
    ORR_ASSERT_CONTAINS(sim_fault_message(), "CPU4");
}

/* ---- memory ------------------------------------------------------------- */

static void test_memory_translation(void)
{
    struct memmap map;
    unsigned char *p;
    uint64_t first;

    sim_memory_init(10 * PAGE_SIZE + 1);            /* rounds up */
    CU_ASSERT_EQUAL(sim_memory_size(), 11 * PAGE_SIZE);
    CU_ASSERT_EQUAL(sim_memory_base(), SIM_MEMORY_DEFAULT_BASE);
    first = SIM_MEMORY_DEFAULT_BASE >> PAGE_SHIFT;

    p = arch_mfn_to_virt(_mfn(first));
    CU_ASSERT_EQUAL(((uintptr_t)p) & (PAGE_SIZE - 1), 0);
    CU_ASSERT_EQUAL(p[0], 0);                       /* zeroed */
    CU_ASSERT_PTR_EQUAL(arch_mfn_to_virt(_mfn(first + 10)),
                        p + 10 * PAGE_SIZE);
    CU_ASSERT_EQUAL(mfn_x(arch_virt_to_mfn(p)), first);
    CU_ASSERT_EQUAL(mfn_x(arch_virt_to_mfn(p + 3 * PAGE_SIZE + 17)),
                    first + 3);

    sim_memory_map(&map);
    CU_ASSERT_EQUAL(map.nr, 1);
    CU_ASSERT_EQUAL(map.e[0].addr, SIM_MEMORY_DEFAULT_BASE);
    CU_ASSERT_EQUAL(map.e[0].size, 11 * PAGE_SIZE);
    CU_ASSERT_EQUAL(map.e[0].type, MEMMAP_RAM);
}

static void expect_fault(void (*fn)(void), const char *text)
{
    if ( SIM_CATCH_HALT() == 0 )
    {
        fn();
        CU_FAIL("no fault");
    }
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_FAULT);
    ORR_ASSERT_CONTAINS(sim_fault_message(), text);
}

static void mfn_zero(void) { arch_mfn_to_virt(_mfn(0)); }
static void mfn_below(void)
{
    arch_mfn_to_virt(_mfn((SIM_MEMORY_DEFAULT_BASE >> PAGE_SHIFT) - 1));
}
static void mfn_past_end(void)
{
    arch_mfn_to_virt(_mfn((SIM_MEMORY_DEFAULT_BASE >> PAGE_SHIFT) + 4));
}
static void mfn_invalid(void) { arch_mfn_to_virt(INVALID_MFN); }
static void va_outside(void)
{
    static char not_sim_memory;

    arch_virt_to_mfn(&not_sim_memory);
}

static void test_memory_bounds(void)
{
    sim_memory_init(4 * PAGE_SIZE);
    expect_fault(mfn_zero, "arch_mfn_to_virt(0)");
    expect_fault(mfn_below, "frame outside simulated memory");
    expect_fault(mfn_past_end, "arch_mfn_to_virt(0x104)");
    expect_fault(mfn_invalid, "frame outside simulated memory");
    expect_fault(va_outside, "not in simulated memory");

    /* Another base moves the frames. */
    sim_memory_set_base(0x40000000);
    sim_memory_init(PAGE_SIZE);
    CU_ASSERT_EQUAL(mfn_x(arch_virt_to_mfn(arch_mfn_to_virt(
        _mfn(0x40000)))), 0x40000);
    expect_fault(mfn_past_end, "frame outside");
    sim_memory_set_base(SIM_MEMORY_DEFAULT_BASE);
    sim_memory_init(0);
    CU_ASSERT_EQUAL(sim_memory_size(), 0);
}

/* ---- console, halt ------------------------------------------------------ */

static void test_console_capture_and_input(void)
{
    arch_console_write("abc", 3);
    arch_console_write("defg", 2);
    ORR_ASSERT_STREQ(sim_console_text(), "abcde");
    sim_console_clear();
    ORR_ASSERT_STREQ(sim_console_text(), "");

    sim_set_cpu(2);
    sim_console_input("hi");
    CU_ASSERT_EQUAL(nlog, 2);
    CU_ASSERT(log_[0].what == 'C' && log_[0].arg == 'h' &&
              log_[0].cpu == 2 && !log_[0].irqs);
    CU_ASSERT(log_[1].arg == 'i');
}

static void test_halt_catching(void)
{
    volatile int reached = 0;

    if ( SIM_CATCH_HALT() == 0 )
    {
        reached = 1;
        arch_halt();
    }
    CU_ASSERT_EQUAL(reached, 1);
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED);

    switch ( SIM_CATCH_HALT() )
    {
    case 0:
        arch_reboot();
    case SIM_REBOOTED:
        reached = 2;
        break;
    default:
        CU_FAIL("wrong stop");
    }
    CU_ASSERT_EQUAL(reached, 2);

    arch_stop_other_cpus();
    arch_stop_other_cpus();
    CU_ASSERT_EQUAL(sim_stop_requests(), 2);
    arch_dump_state();
    ORR_ASSERT_CONTAINS(sim_console_text(), "(sim) CPU0 state: time 0 ns");
}

/* Two simulated CPUs on one host thread cannot both spin on a lock. */
static void test_contended_lock_is_a_fault(void)
{
    static DEFINE_SPINLOCK(l);

    spin_lock(&l);
    sim_set_cpu(1);
    if ( SIM_CATCH_HALT() == 0 )
        spin_lock(&l);
    CU_ASSERT_EQUAL(sim_last_stop(), SIM_FAULT);
    ORR_ASSERT_CONTAINS(sim_fault_message(), "can never be released");
}

static CU_TestInfo sim_tests[] = {
    ORR_CASE(test_cpus_and_irq_flags),
    ORR_CASE(test_timers_in_time_order),
    ORR_CASE(test_timer_cancel_past_and_rearm),
    ORR_CASE(test_idle_jumps_to_next_deadline),
    ORR_CASE(test_time_cannot_go_back),
    ORR_CASE(test_ipis),
    ORR_CASE(test_memory_translation),
    ORR_CASE(test_memory_bounds),
    ORR_CASE(test_console_capture_and_input),
    ORR_CASE(test_halt_catching),
    ORR_CASE(test_contended_lock_is_a_fault),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("sim", setup, teardown, sim_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
