/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU timer heaps. heap[1] is the earliest timer; a timer's heap_pos
 * is its slot, so stop_timer() removes it in O(log n) without a search.
 */
#include <orrery/console.h>
#include <orrery/mm.h>
#include <orrery/softirq.h>
#include <orrery/spinlock.h>
#include <orrery/timer.h>

struct timer_heap {
    spinlock_t lock;
    struct timer **slot;        /* slot[1..nr]; slot[0] unused */
    unsigned int nr, size;
    struct timer *running;      /* whose callback runs now (kill_timer) */
};

static struct timer_heap heaps[NR_CPUS];

static void heap_swap(struct timer_heap *h, unsigned int a, unsigned int b)
{
    struct timer *t = h->slot[a];

    h->slot[a] = h->slot[b];
    h->slot[b] = t;
    h->slot[a]->heap_pos = a;
    h->slot[b]->heap_pos = b;
}

static void sift_up(struct timer_heap *h, unsigned int i)
{
    while ( i > 1 && h->slot[i]->expires < h->slot[i / 2]->expires )
    {
        heap_swap(h, i, i / 2);
        i /= 2;
    }
}

static void sift_down(struct timer_heap *h, unsigned int i)
{
    for ( ;; )
    {
        unsigned int l = 2 * i, r = l + 1, m = i;

        if ( l <= h->nr && h->slot[l]->expires < h->slot[m]->expires )
            m = l;
        if ( r <= h->nr && h->slot[r]->expires < h->slot[m]->expires )
            m = r;
        if ( m == i )
            return;
        heap_swap(h, i, m);
        i = m;
    }
}

static void heap_remove(struct timer_heap *h, struct timer *t)
{
    unsigned int i = t->heap_pos;

    t->heap_pos = 0;
    if ( i != h->nr )
    {
        h->slot[i] = h->slot[h->nr];
        h->slot[i]->heap_pos = i;
        h->nr--;
        sift_up(h, i);
        sift_down(h, h->slot[i]->heap_pos);
    }
    else
        h->nr--;
}

/* Grow with the lock dropped: xmalloc must not run under a heap lock
 * that its own timers could need. Returns with the lock held again. */
static void heap_reserve(struct timer_heap *h, unsigned long *flags)
{
    while ( h->nr + 1 >= h->size )
    {
        unsigned int size = h->size ? h->size * 2 : 16;
        struct timer **slot, **old;

        spin_unlock_irqrestore(&h->lock, *flags);
        slot = xmalloc_array(struct timer *, size);
        if ( !slot )
            panic("timer: cannot grow heap to %u entries", size);
        spin_lock_irqsave(&h->lock, *flags);
        if ( size <= h->size )
        {
            xfree(slot);        /* someone else grew it meanwhile */
            continue;
        }
        for ( unsigned int i = 1; i <= h->nr; i++ )
            slot[i] = h->slot[i];
        old = h->slot;
        h->slot = slot;
        h->size = size;
        spin_unlock_irqrestore(&h->lock, *flags);
        xfree(old);
        spin_lock_irqsave(&h->lock, *flags);
    }
}

/* The deadline to program: the earliest expiry, or 0 for none. An expiry
 * at or before time 0 is still due, so it becomes 1, not "none". */
static s_time_t heap_next(const struct timer_heap *h)
{
    return h->nr ? MAX(h->slot[1]->expires, (s_time_t)1) : 0;
}

/* Called with the heap's lock held after its earliest entry changed. */
static void heap_reprogram(struct timer_heap *h, unsigned int cpu)
{
    if ( cpu == arch_cpu_id() )
        arch_timer_program(heap_next(h));
    else
        cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    t->expires = 0;
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->heap_pos = 0;
    t->killed = false;
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_heap *h = &heaps[t->cpu];
    unsigned long flags;
    s_time_t before;

    spin_lock_irqsave(&h->lock, flags);
    if ( t->killed )
    {
        spin_unlock_irqrestore(&h->lock, flags);
        return;
    }
    heap_reserve(h, &flags);
    before = heap_next(h);
    if ( t->heap_pos )
        heap_remove(h, t);
    t->expires = expires;
    h->slot[++h->nr] = t;
    t->heap_pos = h->nr;
    sift_up(h, h->nr);
    if ( heap_next(h) != before )
        heap_reprogram(h, t->cpu);
    spin_unlock_irqrestore(&h->lock, flags);
}

void stop_timer(struct timer *t)
{
    struct timer_heap *h = &heaps[t->cpu];
    unsigned long flags;

    spin_lock_irqsave(&h->lock, flags);
    if ( t->heap_pos )
        heap_remove(h, t);
    spin_unlock_irqrestore(&h->lock, flags);
}

void kill_timer(struct timer *t)
{
    struct timer_heap *h = &heaps[t->cpu];
    unsigned long flags;

    spin_lock_irqsave(&h->lock, flags);
    t->killed = true;
    if ( t->heap_pos )
        heap_remove(h, t);
    /* Its callback may be running on its CPU right now: wait for it. */
    while ( h->running == t && t->cpu != arch_cpu_id() )
    {
        spin_unlock_irqrestore(&h->lock, flags);
        arch_cpu_relax();
        spin_lock_irqsave(&h->lock, flags);
    }
    spin_unlock_irqrestore(&h->lock, flags);
}

bool timer_is_active(const struct timer *t)
{
    return __atomic_load_n(&t->heap_pos, __ATOMIC_RELAXED) != 0;
}

static void timer_softirq(void)
{
    unsigned int cpu = arch_cpu_id();
    struct timer_heap *h = &heaps[cpu];
    unsigned long flags;

    spin_lock_irqsave(&h->lock, flags);
    while ( h->nr && h->slot[1]->expires <= NOW() )
    {
        struct timer *t = h->slot[1];

        heap_remove(h, t);
        h->running = t;
        /* The callback may re-arm or stop timers, including this one,
         * or free it after kill_timer() (so t is not touched after). */
        spin_unlock_irqrestore(&h->lock, flags);
        t->fn(t->data);
        spin_lock_irqsave(&h->lock, flags);
        h->running = NULL;
    }
    arch_timer_program(heap_next(h));
    spin_unlock_irqrestore(&h->lock, flags);
}

/* Upcall from the platform: this CPU's one-shot timer fired. */
void timer_interrupt(void)
{
    raise_softirq(TIMER_SOFTIRQ);
}

void timer_init(void)
{
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        spin_lock_init(&heaps[cpu].lock);
    open_softirq(TIMER_SOFTIRQ, timer_softirq);
}

void timer_dump(void)
{
    s_time_t now = NOW();

    printk("Timers (now %lld ns):\n", (long long)now);
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct timer_heap *h = &heaps[cpu];
        unsigned long flags;

        spin_lock_irqsave(&h->lock, flags);
        if ( h->nr )
            printk("  CPU%u: %u pending\n", cpu, h->nr);
        for ( unsigned int i = 1; i <= h->nr; i++ )
            printk("    ex=%+lldus fn=%p data=%p\n",
                   (long long)(h->slot[i]->expires - now) / 1000,
                   (void *)h->slot[i]->fn, h->slot[i]->data);
        spin_unlock_irqrestore(&h->lock, flags);
    }
}
