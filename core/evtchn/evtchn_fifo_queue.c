/* SPDX-License-Identifier: MIT */
/*
 * FIFO event words and queues (reference/xen-abi-facts.md §2.2).
 *
 * Each port has a 32-bit event word in the guest's event array: PENDING
 * (31), MASKED (30), LINKED (29), BUSY (28) and a 17-bit LINK to the next
 * port of its queue. Each vCPU has 16 queues, one per priority (0 is the
 * highest); the control block holds each queue's head and a READY bit per
 * non-empty queue. Raising an event:
 *
 *   1. set PENDING;
 *   2. if the word is neither MASKED nor LINKED, set LINKED and append
 *      the port to its queue: write it into the tail's LINK if the tail
 *      is still LINKED, else (the guest has drained the queue) into the
 *      queue's head;
 *   3. a queue that was empty gets its READY bit; if that bit was newly
 *      set, the vCPU's evtchn_upcall_pending is set (and the upcall hook
 *      called, as for 2-level).
 *
 * A masked event stays PENDING but unlinked; unmask clears MASKED and
 * links the event if it is pending.
 *
 * The guest consumes events concurrently. On a LINKED word it may only
 * set or clear MASKED, clear PENDING, or clear LINKED together with LINK;
 * so the hypervisor writes LINK with a compare-exchange that insists on
 * LINKED, and if the guest keeps changing the word it sets BUSY, under
 * which a guest must not clear MASKED, leaving it a bounded number of
 * changes. A guest that breaks even that only loses its own event.
 */
#include <orrery/console.h>
#include <orrery/errno.h>

#include "evtchn_fifo_private.h"

#define WORDS_PER_PAGE EVTCHN_FIFO_EVENT_WORDS_PER_PAGE
#define BIT(n) (1U << (n))

/* Attempts at the LINK field once BUSY is set: one per change a guest may
 * still make to a BUSY, LINKED word (set MASKED, clear PENDING, unlink),
 * plus the one that succeeds. */
#define LINK_TRIES_BUSY 4

static evtchn_fifo_race_fn *race_hook;

evtchn_fifo_race_fn *evtchn_fifo_set_race_hook(evtchn_fifo_race_fn *fn)
{
    evtchn_fifo_race_fn *old = race_hook;

    race_hook = fn;
    return old;
}

event_word_t *evtchn_fifo_word(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_fifo_domain *f = d->evtchn->fifo;

    if ( !f || port >= f->nr_pages * WORDS_PER_PAGE )
        return NULL;
    return &f->array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static bool word_test(event_word_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & BIT(bit);
}

static bool word_test_and_set(event_word_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, BIT(bit), __ATOMIC_SEQ_CST) & BIT(bit);
}

static void word_clear(event_word_t *w, unsigned int bit)
{
    __atomic_fetch_and(w, ~BIT(bit), __ATOMIC_SEQ_CST);
}

/*
 * Point @word's LINK at @port if the word is still LINKED: 1 done, 0 not
 * LINKED (the guest consumed it), -EAGAIN the guest changed the word
 * since *@w was read (*@w then holds what is there now). BUSY is cleared
 * with the same write.
 */
static int try_set_link(event_word_t *word, event_word_t *w,
                        evtchn_port_t port)
{
    event_word_t new;

    if ( !(*w & BIT(EVTCHN_FIFO_LINKED)) )
        return 0;
    new = (*w & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;
    if ( race_hook )
        race_hook(word);        /* tests: the guest's concurrent write */
    return __atomic_compare_exchange_n(word, w, new, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
           ? 1 : -EAGAIN;
}

/* Append @port after the tail whose word is @word; false if the tail
 * is no longer LINKED (its queue has been drained). */
static bool set_link(const struct domain *d, event_word_t *word,
                     evtchn_port_t port)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    unsigned int i;
    int rc;

    rc = try_set_link(word, &w, port);
    if ( rc >= 0 )
        return rc;

    /* The guest raced us: hold it off unmasking while we retry. */
    __atomic_fetch_or(word, BIT(EVTCHN_FIFO_BUSY), __ATOMIC_SEQ_CST);
    w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for ( i = 0; i < LINK_TRIES_BUSY; i++ )
    {
        rc = try_set_link(word, &w, port);
        if ( rc == 1 )
            return true;
        if ( rc == 0 )
        {
            word_clear(word, EVTCHN_FIFO_BUSY);
            return false;
        }
    }
    /* Still changing under BUSY: the guest breaks the ABI, and loses this
     * event from its queue (it stays PENDING and LINKED). */
    word_clear(word, EVTCHN_FIFO_BUSY);
    printk(LOG_WARNING "d%u: FIFO port %u not linked: guest keeps "
           "changing its queue's tail\n", d->domain_id, port);
    return true;
}

/* Steps 2 and 3 for @port of @v's domain, PENDING and neither MASKED nor
 * LINKED. Caller holds d->evtchn->lock. */
static void link_event(struct vcpu *v, struct evtchn *chn,
                       evtchn_port_t port, event_word_t *word)
{
    struct domain *d = v->domain;
    struct evtchn_fifo_vcpu *fv = v->evtchn->fifo, *old;
    unsigned int prio = chn->priority;
    event_word_t *tail;
    bool linked = false;

    /* No control block for this vCPU yet: the event stays pending, and
     * is linked when the guest unmasks it. */
    if ( !fv->cb )
        return;
    if ( word_test_and_set(word, EVTCHN_FIFO_LINKED) )
        return;

    /*
     * The port was last linked on another queue (bind_vcpu, set_priority)
     * or this one. If it was that queue's tail, the guest has since
     * consumed it (it was not LINKED), so that queue is empty: forget its
     * tail, or the next event there would be linked after this one.
     */
    old = d->vcpu[chn->last_vcpu_id]->evtchn->fifo;
    if ( old->tail[chn->last_priority] == port )
        old->tail[chn->last_priority] = 0;

    /* A tail always has its word: the array only grows while FIFO. */
    tail = fv->tail[prio] ? evtchn_fifo_word(d, fv->tail[prio]) : NULL;
    if ( tail )
        linked = set_link(d, tail, port);
    if ( !linked )
        __atomic_store_n(&fv->cb->head[prio], port, __ATOMIC_SEQ_CST);
    fv->tail[prio] = port;
    chn->last_vcpu_id = v->vcpu_id;
    chn->last_priority = prio;

    if ( !linked &&
         !(__atomic_fetch_or(&fv->cb->ready, BIT(prio), __ATOMIC_SEQ_CST) &
           BIT(prio)) )
        evtchn_mark_vcpu_pending(v);
}

static void fifo_set_pending(struct vcpu *v, evtchn_port_t port)
{
    struct domain *d = v->domain;
    struct evtchn *chn = evtchn_from_port(d, port);
    event_word_t *word = evtchn_fifo_word(d, port);

    if ( !chn )
        return;
    if ( !word )
    {
        chn->fifo_pending = true;   /* delivered by expand_array */
        return;
    }
    word_test_and_set(word, EVTCHN_FIFO_PENDING);
    if ( word_test(word, EVTCHN_FIFO_MASKED) ||
         word_test(word, EVTCHN_FIFO_LINKED) )
        return;
    link_event(v, chn, port, word);
}

static void fifo_clear_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);
    event_word_t *word = evtchn_fifo_word(d, port);

    if ( chn )
        chn->fifo_pending = false;
    /* A LINKED word stays on its queue: the guest skips it there. */
    if ( word )
        word_clear(word, EVTCHN_FIFO_PENDING);
}

static void fifo_unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);
    event_word_t *word = evtchn_fifo_word(d, port);

    if ( !word || !chn )
        return;
    word_clear(word, EVTCHN_FIFO_MASKED);
    if ( word_test(word, EVTCHN_FIFO_PENDING) &&
         chn->notify_vcpu_id < d->max_vcpus )
        fifo_set_pending(d->vcpu[chn->notify_vcpu_id], port);
}

static bool fifo_is_pending(const struct domain *d, evtchn_port_t port)
{
    event_word_t *word = evtchn_fifo_word(d, port);
    const struct evtchn *chn;

    if ( word )
        return word_test(word, EVTCHN_FIFO_PENDING);
    chn = evtchn_from_port(d, port);
    return chn && chn->fifo_pending;
}

static bool fifo_is_masked(const struct domain *d, evtchn_port_t port)
{
    event_word_t *word = evtchn_fifo_word(d, port);

    /* No word: nothing can be delivered, as if masked (Xen). */
    return !word || word_test(word, EVTCHN_FIFO_MASKED);
}

const struct evtchn_port_ops evtchn_fifo_ops = {
    .name = "FIFO",
    .max_ports = EVTCHN_FIFO_NR_CHANNELS,
    .set_pending = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .is_pending = fifo_is_pending,
    .is_masked = fifo_is_masked,
    .set_priority = evtchn_fifo_set_priority,
};
