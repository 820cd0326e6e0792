/* SPDX-License-Identifier: MIT */
/*
 * printk, log levels, the in-memory console ring and panic.
 *
 * Messages carry a level prefix as their first characters (XENLOG_* style):
 *     printk(LOG_WARNING "cmdline: unknown option '%s'\n", opt);
 * Every message goes into the ring (read later by `xl dmesg` and debug key
 * 'w'); the console prints those at or above the threshold set by loglvl=.
 */
#ifndef ORRERY_CONSOLE_H
#define ORRERY_CONSOLE_H

#include <orrery/types.h>

#define LOG_ERR     "<0>"
#define LOG_WARNING "<1>"
#define LOG_INFO    "<2>"
#define LOG_DEBUG   "<3>"

/* LOGL_NONE is only a threshold ("loglvl=none"): it shows nothing. */
enum log_level { LOGL_NONE = -1, LOGL_ERR, LOGL_WARNING, LOGL_INFO,
                 LOGL_DEBUG };

#define CONSOLE_RING_SIZE (64 * 1024)

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/*
 * Set the console threshold from a loglvl= value: "none", "error",
 * "warning", "info", "debug", "all", or a digit 0-3. Returns false (and
 * leaves the level unchanged) for anything else.
 */
bool console_set_loglvl(const char *s);
enum log_level console_get_loglvl(void);

/* Copy the ring's oldest-to-newest contents into @buf (NUL-terminated,
 * keeping the newest bytes when it does not fit); returns bytes copied. */
size_t console_ring_read(char *buf, size_t size);

/* Empty the ring (xl dmesg -c). */
void console_ring_clear(void);

/*
 * Take the console lock away from whoever holds it and reset printk's
 * recursion and panic state. For panic and NMI paths, where the holder
 * will never run again; on sim, also what a test calls after it caught a
 * halt (SIM_CATCH_HALT) so the console is usable again.
 */
void console_force_unlock(void);

/* Print a message with registers and backtrace, stop the other CPUs and
 * halt. Safe to call before the console is initialised. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond) \
    do { if ( unlikely(cond) ) panic("BUG_ON(%s) at %s:%d", #cond, \
                                     __FILE__, __LINE__); } while ( 0 )
#define ASSERT(cond) BUG_ON(!(cond))

#endif /* ORRERY_CONSOLE_H */
