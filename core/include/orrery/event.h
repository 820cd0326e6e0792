/* SPDX-License-Identifier: MIT */
/*
 * Event channels: ports, their states and bindings, and delivery into the
 * guest's shared_info / vcpu_info (reference/xen-abi-facts.md §1.5, §2.2).
 *
 * The port table and the operations (alloc_unbound, bind_*, send, close,
 * status, unmask, reset) are ABI-neutral; how "pending" and "masked" are
 * recorded in guest memory is an evtchn_port_ops table: the 2-level ABI,
 * or FIFO once the guest calls init_control (then expand_array and
 * set_priority; reset goes back to 2-level).
 *
 * When a vCPU's evtchn_upcall_pending goes from 0 to 1 the upcall hook is
 * called, for the arch to inject the callback vector or kick the vCPU.
 * No hook set: nothing is called and the guest sees the flag when it next
 * runs (sim tests read the flags directly).
 */
#ifndef ORRERY_EVENT_H
#define ORRERY_EVENT_H

#include <orrery/spinlock.h>
#include <orrery/types.h>

#include <public/event_channel.h>

struct domain;
struct vcpu;

enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,               /* port 0: never bound */
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_PIRQ,
    ECS_VIRQ,
    ECS_IPI,
};

struct evtchn {
    uint8_t state;              /* enum evtchn_state */
    uint8_t priority;           /* FIFO only */
    /* FIFO: pending while the port has no event word yet (before the
     * array page holding it is added), delivered when it gets one. */
    bool fifo_pending;
    /* FIFO: the queue (vCPU, priority) the port was last linked on. */
    uint8_t last_priority;
    uint32_t last_vcpu_id;
    uint32_t notify_vcpu_id;
    union {
        struct {
            domid_t remote_domid;
        } unbound;
        struct {
            struct domain *remote_dom;
            evtchn_port_t remote_port;
        } interdomain;
        uint32_t virq;
        uint32_t pirq;
    } u;
};

/* How an ABI records events in guest memory (2-level, FIFO). */
struct evtchn_port_ops {
    const char *name;
    unsigned int max_ports;
    void (*set_pending)(struct vcpu *v, evtchn_port_t port);
    void (*clear_pending)(struct domain *d, evtchn_port_t port);
    void (*unmask)(struct domain *d, evtchn_port_t port);
    bool (*is_pending)(const struct domain *d, evtchn_port_t port);
    bool (*is_masked)(const struct domain *d, evtchn_port_t port);
    /* NULL: the ABI has no priorities (EVTCHNOP_set_priority -ENOSYS). */
    int (*set_priority)(struct domain *d, struct evtchn *chn,
                        unsigned int priority);
};

extern const struct evtchn_port_ops evtchn_2l_ops;
extern const struct evtchn_port_ops evtchn_fifo_ops;

#define EVTCHN_BUCKET_PORTS 128
#define EVTCHN_MAX_BUCKETS (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_BUCKET_PORTS)

struct evtchn_fifo_domain;
struct evtchn_fifo_vcpu;

struct evtchn_domain {
    const struct evtchn_port_ops *ops;
    struct evtchn *bucket[EVTCHN_MAX_BUCKETS];  /* allocated on demand */
    uint32_t max_ports;         /* min(domain limit, ABI limit) */
    struct evtchn_fifo_domain *fifo;    /* FIFO ABI state, or NULL */
    evtchn_port_t reset_next;   /* a preempted reset resumes here */
    spinlock_t lock;
};

struct evtchn_vcpu {
    evtchn_port_t virq_to_port[NR_VIRQS];
    struct evtchn_fifo_vcpu *fifo;      /* FIFO queues, or NULL */
};

/* ---- Operations: the hypercall's subops, for in-hypervisor callers ------ */

/* Each returns 0 or a negative Xen errno; ports are written on success. */
int evtchn_alloc_unbound(struct domain *caller,
                         struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct domain *caller,
                            struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct domain *caller, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct domain *caller, struct evtchn_bind_ipi *b);
int evtchn_bind_vcpu(struct domain *caller, struct evtchn_bind_vcpu *b);
int evtchn_send(struct domain *caller, evtchn_port_t port);
int evtchn_close(struct domain *caller, evtchn_port_t port);
int evtchn_status(struct domain *caller, struct evtchn_status *s);
int evtchn_unmask(struct domain *caller, evtchn_port_t port);
int evtchn_reset(struct domain *caller, domid_t dom);
/* FIFO ABI: EVTCHNOP_init_control (@c->link_bits written on success),
 * expand_array, set_priority. */
int evtchn_init_control(struct domain *caller,
                        struct evtchn_init_control *c);
int evtchn_expand_array(struct domain *caller,
                        const struct evtchn_expand_array *e);
int evtchn_set_priority(struct domain *caller,
                        const struct evtchn_set_priority *s);

/* Raise @virq (a per-vCPU one) on @v, or a global one on @d's vCPU. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);
/*
 * The hypervisor, as the back end of @d's unbound @port (the console
 * ring's event channel), raises it: 0, or -EINVAL when @port is not an
 * unbound port of @d (the guest closed or rebound it).
 */
int evtchn_notify_unbound(struct domain *d, evtchn_port_t port);

/* The hypercall: event_channel_op(cmd, arg). */
struct hypercall_regs;
int64_t do_event_channel_op(struct vcpu *v, struct hypercall_regs *r);

/* Called when @v's evtchn_upcall_pending goes 0 -> 1 (any CPU). */
typedef void evtchn_upcall_fn(struct vcpu *v);
/* Set the hook (NULL: none); returns the old one. */
evtchn_upcall_fn *evtchn_set_upcall_hook(evtchn_upcall_fn *fn);

/* Boot: register the per-domain hooks and debug key 'e'. */
void evtchn_subsys_init(void);
/* Just the per-domain hooks (tests that reset the hook table). */
void evtchn_register_domain_hooks(void);
/* Print every domain's ports (debug key 'e'). */
void evtchn_dump(void);

/*
 * Test support: called with the event word just before each
 * compare-exchange that links a FIFO event, so a sequential test can play
 * the guest's concurrent write there. NULL: none. Returns the old one.
 */
typedef void evtchn_fifo_race_fn(event_word_t *word);
evtchn_fifo_race_fn *evtchn_fifo_set_race_hook(evtchn_fifo_race_fn *fn);

/* The channel behind @port of @d, or NULL if out of range / unallocated. */
struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port);

#endif /* ORRERY_EVENT_H */
