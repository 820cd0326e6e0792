/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op: every subop and its argument, the port states a guest
 * sees through EVTCHNOP_status, and the FIFO ABI's shared structures
 * (reference/xen-abi-facts.md §1.1, §2.2). The hypercall is
 * event_channel_op(cmd, arg) with @arg pointing at the subop's struct;
 * struct evtchn_op is the older single-argument form.
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <public/xen.h>

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
#define EVTCHNOP_reset_cont       14  /* reset, resumed after preemption */

/* Allocate a port in @dom that @remote_dom may bind to. OUT: @port. */
struct evtchn_alloc_unbound {
    xen_domid_t dom;
    xen_domid_t remote_dom;
    xen_evtchn_port_t port;
};

/* Connect a new local port to @remote_port, which @remote_dom allocated
 * unbound for us. OUT: @local_port. */
struct evtchn_bind_interdomain {
    xen_domid_t remote_dom;
    uint16_t pad;
    xen_evtchn_port_t remote_port;
    xen_evtchn_port_t local_port;
};

/* Bind VIRQ_* @virq on @vcpu. OUT: @port. */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    xen_evtchn_port_t port;
};

#define BIND_PIRQ__WILL_SHARE 1

struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;              /* BIND_PIRQ__* */
    xen_evtchn_port_t port;
};

/* A port for inter-vCPU notifications, delivered to @vcpu. */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    xen_evtchn_port_t port;
};

struct evtchn_close {
    xen_evtchn_port_t port;
};

struct evtchn_send {
    xen_evtchn_port_t port;
};

#define EVTCHNSTAT_closed      0  /* free */
#define EVTCHNSTAT_unbound     1  /* waiting for bind_interdomain */
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

struct evtchn_status {
    xen_domid_t dom;
    uint16_t pad;
    xen_evtchn_port_t port;
    uint32_t status;             /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;               /* OUT: the vCPU notified */
    union {
        struct {
            xen_domid_t dom;
        } unbound;
        struct {
            xen_domid_t dom;
            uint16_t pad;
            xen_evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

/* Notify @vcpu instead (IPI and VIRQ_TIMER-style per-vCPU ports keep
 * theirs). */
struct evtchn_bind_vcpu {
    xen_evtchn_port_t port;
    uint32_t vcpu;
};

struct evtchn_unmask {
    xen_evtchn_port_t port;
};

/* Close every port of @dom and go back to the 2-level ABI. Another
 * domain's ports only while it is paused. EVTCHNOP_reset_cont takes the
 * same struct and carries on a reset that was preempted. */
struct evtchn_reset {
    xen_domid_t dom;
};

/* FIFO: the control block of @vcpu lives at @offset in @control_gfn
 * (8-byte aligned, wholly inside the page). The first call switches the
 * domain from the 2-level ABI; bound ports and pending events carry
 * over. OUT: @link_bits (EVTCHN_FIFO_LINK_BITS). */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;           /* OUT */
    uint8_t pad[7];
};

/* FIFO: add @array_gfn as the next page of event words (ports
 * n*1024 .. n*1024+1023 for the n-th page). */
struct evtchn_expand_array {
    uint64_t array_gfn;
};

/* FIFO: @port's queue, EVTCHN_FIFO_PRIORITY_MAX (0) .. _MIN (15). */
struct evtchn_set_priority {
    xen_evtchn_port_t port;
    uint32_t priority;
};

struct evtchn_op {
    uint32_t cmd;                /* EVTCHNOP_* */
    uint32_t pad;
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
        struct evtchn_init_control init_control;
        struct evtchn_expand_array expand_array;
        struct evtchn_set_priority set_priority;
    } u;
};

/* 2-level: 64 selector bits x 64 port bits (1024 for 32-bit guests). */
#define EVTCHN_2L_NR_CHANNELS 4096

/* ---- FIFO ABI (§2.2) ---------------------------------------------------- */

#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN    15
#define EVTCHN_FIFO_MAX_QUEUES      (EVTCHN_FIFO_PRIORITY_MIN + 1)

typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1U << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1U << EVTCHN_FIFO_LINK_BITS)
/* Event words per 4 KiB array page, and pages for every channel. */
#define EVTCHN_FIFO_EVENT_WORDS_PER_PAGE (4096 / sizeof(event_word_t))
#define EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES \
    (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_EVENT_WORDS_PER_PAGE)

struct evtchn_fifo_control_block {
    uint32_t ready;              /* bit per priority with a non-empty queue */
    uint32_t rsvd;
    event_word_t head[EVTCHN_FIFO_MAX_QUEUES];
};

XEN_ABI_SIZE(evtchn_alloc_unbound, 8);
XEN_ABI_CHECK(evtchn_alloc_unbound, remote_dom, 2);
XEN_ABI_CHECK(evtchn_alloc_unbound, port, 4);
XEN_ABI_SIZE(evtchn_bind_interdomain, 12);
XEN_ABI_CHECK(evtchn_bind_interdomain, remote_port, 4);
XEN_ABI_CHECK(evtchn_bind_interdomain, local_port, 8);
XEN_ABI_SIZE(evtchn_bind_virq, 12);
XEN_ABI_CHECK(evtchn_bind_virq, vcpu, 4);
XEN_ABI_CHECK(evtchn_bind_virq, port, 8);
XEN_ABI_SIZE(evtchn_bind_pirq, 12);
XEN_ABI_SIZE(evtchn_bind_ipi, 8);
XEN_ABI_CHECK(evtchn_bind_ipi, port, 4);
XEN_ABI_SIZE(evtchn_close, 4);
XEN_ABI_SIZE(evtchn_send, 4);
XEN_ABI_SIZE(evtchn_status, 24);
XEN_ABI_CHECK(evtchn_status, port, 4);
XEN_ABI_CHECK(evtchn_status, status, 8);
XEN_ABI_CHECK(evtchn_status, vcpu, 12);
XEN_ABI_CHECK(evtchn_status, u, 16);
XEN_ABI_SIZE(evtchn_bind_vcpu, 8);
XEN_ABI_SIZE(evtchn_unmask, 4);
XEN_ABI_SIZE(evtchn_reset, 2);
XEN_ABI_SIZE(evtchn_init_control, 24);
XEN_ABI_CHECK(evtchn_init_control, offset, 8);
XEN_ABI_CHECK(evtchn_init_control, vcpu, 12);
XEN_ABI_CHECK(evtchn_init_control, link_bits, 16);
XEN_ABI_SIZE(evtchn_expand_array, 8);
XEN_ABI_SIZE(evtchn_set_priority, 8);
XEN_ABI_SIZE(evtchn_op, 32);
XEN_ABI_CHECK(evtchn_op, u, 8);
XEN_ABI_SIZE(evtchn_fifo_control_block, 72);
XEN_ABI_CHECK(evtchn_fifo_control_block, head, 8);

#endif /* PUBLIC_EVENT_CHANNEL_H */
