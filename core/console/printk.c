/* SPDX-License-Identifier: MIT */
/*
 * printk: format, pick the level, timestamp each new line, and send the
 * text to the ring and (if the level passes) to the platform console.
 *
 * One lock serialises the ring, the console and the line state, taken
 * with interrupts off so that an interrupt handler's printk cannot spin on
 * a lock its own CPU holds. The CPU holding it is recorded: a printk that
 * re-enters on that CPU (a BUG_ON inside a console driver, a panic while
 * printing) writes directly to the console instead of deadlocking.
 */
#include <orrery/lib.h>
#include <orrery/platform.h>
#include <orrery/spinlock.h>
#include "private.h"

/* Bounded so that a stuck holder cannot stop a panic forever. */
#define PANIC_LOCK_SPINS (1u << 22)

static DEFINE_SPINLOCK(console_lock);
static int lock_cpu = -1;               /* CPU holding console_lock */

/* Formatting happens under the lock, so one static buffer serves. */
static char msg_buf[1024];

/* Line state. The two sinks track "at start of line" separately because
 * a filtered message reaches the ring but not the console. */
static bool ring_sol = true, cons_sol = true;
static int line_level = LOGL_INFO;      /* level of the open line */

unsigned long console_lock_irqsave(void)
{
    unsigned long flags;

    spin_lock_irqsave(&console_lock, flags);
    lock_cpu = arch_cpu_id();
    return flags;
}

void console_unlock_irqrestore(unsigned long flags)
{
    lock_cpu = -1;
    spin_unlock_irqrestore(&console_lock, flags);
}

/* Write @text to one sink, putting @stamp before each new line. */
static void put_lines(void (*sink)(const char *, size_t), bool *sol,
                      const char *stamp, size_t stamp_len, const char *text)
{
    while ( *text )
    {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) + 1 : strlen(text);

        if ( *sol )
            sink(stamp, stamp_len);
        sink(text, n);
        *sol = (text[n - 1] == '\n');
        text += n;
    }
}

/* "(ORR) [   12.345678] ": seconds and microseconds of arch_time_now(). */
static size_t make_stamp(char *buf, size_t size)
{
    s_time_t now = arch_time_now();
    uint64_t ns = now > 0 ? (uint64_t)now : 0;

    return snprintf(buf, size, "(ORR) [%5lu.%06lu] ",
                    (unsigned long)(ns / 1000000000),
                    (unsigned long)(ns % 1000000000 / 1000));
}

/* Re-entered on the CPU that holds the lock: bypass everything shared. */
static void emit_recursive(const char *fmt, va_list ap)
{
    char buf[256];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    arch_console_write("\n(ORR) [recursive] ", 19);
    arch_console_write(buf, MIN((size_t)MAX(n, 0), sizeof(buf) - 1));
}

void console_vemit(int level, bool force, const char *fmt, va_list ap)
{
    unsigned long flags = arch_irq_save();
    char stamp[40];
    size_t stamp_len;

    if ( __atomic_load_n(&lock_cpu, __ATOMIC_RELAXED) == (int)arch_cpu_id() )
    {
        emit_recursive(fmt, ap);
        arch_irq_restore(flags);
        return;
    }

    spin_lock(&console_lock);
    lock_cpu = arch_cpu_id();

    vsnprintf(msg_buf, sizeof(msg_buf), fmt, ap);
    if ( level == LEVEL_INHERIT )
        level = ring_sol ? LOGL_INFO : line_level;
    stamp_len = MIN(make_stamp(stamp, sizeof(stamp)), sizeof(stamp) - 1);

    put_lines(console_ring_put, &ring_sol, stamp, stamp_len, msg_buf);
    if ( force || level <= (int)console_get_loglvl() )
        put_lines(arch_console_write, &cons_sol, stamp, stamp_len, msg_buf);
    line_level = level;

    lock_cpu = -1;
    spin_unlock(&console_lock);
    arch_irq_restore(flags);
}

void console_emit(int level, bool force, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    console_vemit(level, force, fmt, ap);
    va_end(ap);
}

/* Strip a "<N>" level prefix (N in 0..3) from @*fmt. */
static int take_level(const char **fmt)
{
    const char *f = *fmt;

    if ( f[0] == '<' && f[1] >= '0' && f[1] <= '0' + LOGL_DEBUG &&
         f[2] == '>' )
    {
        *fmt = f + 3;
        return f[1] - '0';
    }
    return LEVEL_INHERIT;
}

void vprintk(const char *fmt, va_list ap)
{
    int level = take_level(&fmt);

    console_vemit(level, false, fmt, ap);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

static void break_lock(void)
{
    spin_lock_init(&console_lock);
    lock_cpu = -1;
}

void console_panic_begin(void)
{
    unsigned int i;

    if ( lock_cpu != (int)arch_cpu_id() )
    {
        for ( i = 0; i < PANIC_LOCK_SPINS; i++ )
        {
            if ( spin_trylock(&console_lock) )
            {
                spin_unlock(&console_lock);
                goto usable;
            }
            arch_cpu_relax();
        }
    }
    break_lock();
 usable:
    /* Start the panic on a line of its own. */
    if ( !cons_sol )
    {
        arch_console_write("\n", 1);
        cons_sol = true;
    }
    if ( !ring_sol )
    {
        console_ring_put("\n", 1);
        ring_sol = true;
    }
}

void console_force_unlock(void)
{
    break_lock();
    panic_reset();
}
