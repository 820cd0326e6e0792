/* SPDX-License-Identifier: MIT */
/*
 * Time on Arm64: the generic timer (Arm ARM D11). The system counter
 * CNTPCT_EL0, counting at CNTFRQ_EL0 Hz and common to all CPUs, is the
 * clock (arch_time_now); the EL2 physical timer's compare value
 * CNTHP_CVAL_EL2 is the per-CPU deadline (arch_timer_program). Its
 * interrupt is a level-sensitive PPI (26 on QEMU virt; the DTB says).
 *
 * Conversions use 32.32 fixed-point multipliers, as on x86, so no 128-bit
 * division is needed on the hot path.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/platform.h>
#include <asm/arm64.h>
#include <asm/platform_info.h>

#define CNTHP_CTL_ENABLE (1u << 0)

static uint64_t cnt_at_boot;
static uint64_t freq;
static uint64_t ns_per_tick_32;         /* (1e9 << 32) / freq */
static uint64_t ticks_per_ns_32;        /* (freq << 32) / 1e9 */

static uint64_t mul_shr32(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

static uint64_t counter(void)
{
    isb();                  /* no earlier instruction may read it later */
    return READ_SYSREG(cntpct_el0);
}

static void set_freq(uint64_t hz)
{
    freq = hz;
    ns_per_tick_32 = (1000000000ull << 32) / hz;
    ticks_per_ns_32 = (hz << 32) / 1000000000ull;
}

/* From the first C instruction: printk timestamps need the clock. The
 * firmware sets CNTFRQ_EL0; a DTB "clock-frequency" overrides it later
 * (arch_time_init) for firmware that does not. */
void time_early_init(void)
{
    uint64_t hz = READ_SYSREG(cntfrq_el0) & 0xffffffff;

    cnt_at_boot = counter();
    if ( hz )
        set_freq(hz);
}

s_time_t arch_time_now(void)
{
    if ( !freq )
        return 0;
    return (s_time_t)mul_shr32(counter() - cnt_at_boot, ns_per_tick_32);
}

void arch_time_init(void)
{
    if ( arm64_plat.timer_freq_dt )
        set_freq(arm64_plat.timer_freq_dt);
    if ( freq < 1000000 || freq > 10000000000ull )
        panic("time: implausible generic timer frequency %llu Hz "
              "(CNTFRQ_EL0, or the timer node's clock-frequency)",
              (unsigned long long)freq);
    WRITE_SYSREG(cnthp_ctl_el2, 0);
    printk("Time: generic timer %llu.%03llu MHz, EL2 physical timer "
           "(CNTHP) on PPI %u\n", (unsigned long long)(freq / 1000000),
           (unsigned long long)(freq / 1000 % 1000),
           arm64_plat.timer_intid);
}

void time_cpu_init(void)
{
    WRITE_SYSREG(cnthp_ctl_el2, 0);
}

void arch_timer_program(s_time_t deadline)
{
    if ( deadline == 0 )
    {
        WRITE_SYSREG(cnthp_ctl_el2, 0);
        isb();
        return;
    }
    if ( deadline < 0 )
        deadline = 0;
    /* A compare value in the past fires at once (the condition is
     * CNTPCT >= CVAL), which is what a late deadline wants. */
    WRITE_SYSREG(cnthp_cval_el2,
                 cnt_at_boot + mul_shr32((uint64_t)deadline,
                                         ticks_per_ns_32));
    WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
    isb();
}

/* The interrupt is level-sensitive: disable the timer so that the line
 * drops before the EOI; timer_interrupt() programs the next deadline. */
void timer_fired(void)
{
    WRITE_SYSREG(cnthp_ctl_el2, 0);
    isb();
}
