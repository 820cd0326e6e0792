/* SPDX-License-Identifier: MIT */
/*
 * Between the FIFO files of core/evtchn (reference/xen-abi-facts.md §2.2):
 *
 *   evtchn_fifo_page.c   guest pages: control blocks, the event array,
 *                        switching a domain to FIFO and back
 *   evtchn_fifo_queue.c  event words and the per-vCPU queues
 *   evtchn_fifo_prio.c   priorities
 *
 * The guest owns the event words and control blocks and changes them
 * while the hypervisor does; the hypervisor keeps what it must be able to
 * trust (which pages, each queue's tail) in its own memory.
 */
#ifndef EVTCHN_FIFO_PRIVATE_H
#define EVTCHN_FIFO_PRIVATE_H

#include "evtchn_private.h"

/* A guest frame the hypervisor keeps mapped, with a reference on it. */
struct evtchn_fifo_page {
    void *va;
    mfn_t mfn;
};

struct evtchn_fifo_vcpu {
    /* NULL until the guest's init_control for this vCPU. */
    struct evtchn_fifo_control_block *cb;
    struct evtchn_fifo_page cb_page;
    /* The last port linked on each queue (0: none). The guest's head
     * can be trusted for nothing, so the tail is the hypervisor's. */
    evtchn_port_t tail[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain {
    unsigned int nr_pages;      /* event array pages added so far */
    event_word_t *array[EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES];
    struct evtchn_fifo_page pages[EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES];
};

/* @port's event word, or NULL while its array page is not there. */
event_word_t *evtchn_fifo_word(const struct domain *d, evtchn_port_t port);

/* evtchn_fifo_ops.set_priority: 0 (highest) .. 15, else -EINVAL. */
int evtchn_fifo_set_priority(struct domain *d, struct evtchn *chn,
                             unsigned int priority);

/* Map guest frame @gfn of @d and take a reference: RAM of @d's own that
 * it may write, else -EINVAL (Xen's map_guest_page). */
int evtchn_fifo_page_get(struct domain *d, uint64_t gfn,
                         struct evtchn_fifo_page *pg);
void evtchn_fifo_page_put(struct evtchn_fifo_page *pg);

/*
 * Leave FIFO: drop every control block and array page and go back to
 * the 2-level ABI. Caller holds d->evtchn->lock and has closed every
 * port (reset, teardown). Nothing to do for a 2-level domain.
 */
void evtchn_fifo_destroy(struct domain *d);

#endif
