/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks on the compiler's __atomic builtins, so they need
 * nothing from the platform but arch_cpu_relax() and interrupt masking.
 * Tickets make the lock fair: CPUs acquire it in arrival order.
 */
#ifndef ORRERY_SPINLOCK_H
#define ORRERY_SPINLOCK_H

#include <orrery/platform.h>

typedef union {
    uint32_t raw;
    struct {
        uint16_t next;      /* ticket handed to the next arrival */
        uint16_t owner;     /* ticket now holding the lock */
    };
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { .raw = 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
    l->raw = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while ( __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me )
        arch_cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    spinlock_t old, new;

    old.raw = __atomic_load_n(&l->raw, __ATOMIC_RELAXED);
    if ( old.next != old.owner )
        return false;
    new = old;
    new.next++;
    return __atomic_compare_exchange_n(&l->raw, &old.raw, new.raw, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#define spin_lock_irqsave(l, flags) \
    do { (flags) = arch_irq_save(); spin_lock(l); } while ( 0 )
#define spin_unlock_irqrestore(l, flags) \
    do { spin_unlock(l); arch_irq_restore(flags); } while ( 0 )

#endif /* ORRERY_SPINLOCK_H */
