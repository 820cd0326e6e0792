/* SPDX-License-Identifier: MIT */
/* Shared between the files of core/console; not a public interface. */
#ifndef CORE_CONSOLE_PRIVATE_H
#define CORE_CONSOLE_PRIVATE_H

#include <orrery/console.h>

/* A message with no "<N>" prefix takes the level of the line it continues,
 * or LOGL_INFO at the start of a line. */
#define LEVEL_INHERIT (-2)

/*
 * Format and emit one message: always into the ring, onto the console when
 * @level passes the threshold or @force is set (panic). Takes the console
 * lock itself; re-entered on the same CPU it writes straight to the
 * platform console instead of deadlocking.
 */
void console_vemit(int level, bool force, const char *fmt, va_list ap);
void console_emit(int level, bool force, const char *fmt, ...) __printf(3, 4);

/* Make the console usable for a panic: break the lock when this CPU holds
 * it or when it stays held past a bounded spin. */
void console_panic_begin(void);

/* The panic state, reset by console_force_unlock(). */
void panic_reset(void);

/* Ring writes, called under the console lock. */
void console_ring_put(const char *s, size_t n);

/* The ring's lock discipline is the console lock's. */
unsigned long console_lock_irqsave(void);
void console_unlock_irqrestore(unsigned long flags);

#endif /* CORE_CONSOLE_PRIVATE_H */
