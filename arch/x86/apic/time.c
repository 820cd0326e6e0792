/* SPDX-License-Identifier: MIT */
/*
 * Time on x86: the TSC is the clock (arch_time_now), the local APIC timer
 * in one-shot mode is the per-CPU deadline (arch_timer_program). Both are
 * calibrated once against PIT channel 2, whose 1.193182 MHz input is
 * architectural (Intel 8254 datasheet; the gate and output of channel 2
 * are bits 0 and 5 of port 0x61).
 *
 * Conversions use 32.32 fixed-point multipliers so that no 128-bit
 * division (a libgcc call) is needed on the hot path.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/platform.h>
#include <asm/x86.h>

#include "apic.h"

#define PIT_HZ          1193182u
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61
#define CALIBRATE_MS    20

static uint64_t tsc_at_boot;
static uint64_t tsc_hz, lapic_hz;
static uint64_t ns_per_tsc_32;          /* (1e9 << 32) / tsc_hz */
static uint64_t lapic_per_ns_32;        /* (lapic_hz << 32) / 1e9 */

static uint64_t mul_shr32(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

s_time_t arch_time_now(void)
{
    if ( !ns_per_tsc_32 )
        return 0;               /* not calibrated yet: early printk */
    return (s_time_t)mul_shr32(rdtsc() - tsc_at_boot, ns_per_tsc_32);
}

s_time_t x86_tsc_to_ns(uint64_t tsc)
{
    return (s_time_t)mul_shr32(tsc - tsc_at_boot, ns_per_tsc_32);
}

void x86_tsc_scale(uint32_t *mul, int8_t *shift)
{
    uint64_t m = ns_per_tsc_32;
    int8_t s = 0;

    /* ns = ((delta << shift) * mul) >> 32 with mul below 2^32: a TSC
     * slower than 1 GHz needs a positive shift. */
    while ( m >> 32 )
    {
        m >>= 1;
        s++;
    }
    *mul = (uint32_t)m;
    *shift = s;
}

/* Busy-wait @ms milliseconds on PIT channel 2 (mode 0, one shot). */
static void pit_wait_ms(unsigned int ms)
{
    uint32_t count = PIT_HZ * ms / 1000;

    outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);   /* gate on, no spkr */
    outb(PIT_MODE, 0xb0);                 /* ch2, lo/hi byte, mode 0 */
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, (count >> 8) & 0xff);
    while ( !(inb(PIT_GATE) & 0x20) )     /* OUT2 goes high at zero */
        arch_cpu_relax();
}

void udelay(unsigned int us)
{
    s_time_t end = arch_time_now() + MICROSECS(us);

    if ( !ns_per_tsc_32 )
    {
        pit_wait_ms(us / 1000 + 1);
        return;
    }
    while ( arch_time_now() < end )
        arch_cpu_relax();
}

void arch_time_init(void)
{
    uint64_t t0, t1;
    uint32_t apic_left;

    lapic_timer_oneshot(0xffffffff);
    t0 = rdtsc();
    pit_wait_ms(CALIBRATE_MS);
    t1 = rdtsc();
    apic_left = lapic_timer_current();
    lapic_timer_oneshot(0);

    tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
    lapic_hz = (uint64_t)(0xffffffffu - apic_left) * 1000 / CALIBRATE_MS;
    if ( tsc_hz < 1000000 || lapic_hz < 10000 )
        panic("time: calibration against the PIT failed (TSC %llu Hz, "
              "APIC timer %llu Hz)", (unsigned long long)tsc_hz,
              (unsigned long long)lapic_hz);
    ns_per_tsc_32 = (1000000000ull << 32) / tsc_hz;
    lapic_per_ns_32 = (lapic_hz << 32) / 1000000000ull;
    tsc_at_boot = t0;

    printk("Time: TSC %llu.%03llu MHz, APIC timer %llu.%03llu MHz "
           "(calibrated against the PIT over %u ms)\n",
           (unsigned long long)(tsc_hz / 1000000),
           (unsigned long long)(tsc_hz / 1000 % 1000),
           (unsigned long long)(lapic_hz / 1000000),
           (unsigned long long)(lapic_hz / 1000 % 1000), CALIBRATE_MS);
}

void arch_timer_program(s_time_t deadline)
{
    s_time_t delta;
    uint64_t count;

    if ( deadline == 0 )
    {
        lapic_timer_oneshot(0);
        return;
    }
    delta = deadline - arch_time_now();
    if ( delta < 1000 )
        delta = 1000;           /* already due: fire almost at once */
    count = mul_shr32((uint64_t)delta, lapic_per_ns_32);
    if ( count == 0 )
        count = 1;
    /* A far deadline fires early; the timer softirq just re-arms. */
    lapic_timer_oneshot(count > 0xffffffffu ? 0xffffffffu : (uint32_t)count);
}
