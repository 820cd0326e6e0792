/* SPDX-License-Identifier: MIT */
/*
 * Domains and vCPUs: the canonical struct domain and struct vcpu that
 * every other subsystem (p2m, event channels, hypercalls, the scheduler)
 * hangs its per-domain state from.
 *
 * Life of a domain:
 *
 *     domain_create(&cfg, &d)     id, vCPUs, shared_info, p2m; paused once
 *     domain_unpause(d)           runnable when every pause is undone
 *     domain_shutdown(d, reason)  the guest (or the controller) stops it
 *     domain_destroy(d)           dying: every resource returned, the
 *                                 ledger checked; freed at the last put
 *
 * The ledger counts what a domain holds (guest pages, hypervisor pages,
 * event-channel ports, foreign/grant mappings, vCPUs). Each subsystem
 * charges what it allocates and credits what it frees; destroy checks that
 * every count is back to zero and counts the domain as leaking otherwise,
 * which the tests read (domain_leaks()).
 */
#ifndef ORRERY_DOMAIN_H
#define ORRERY_DOMAIN_H

#include <orrery/list.h>
#include <orrery/spinlock.h>
#include <orrery/types.h>

#include <public/domctl.h>
#include <public/xen.h>

struct p2m_domain;
struct domain_memmap;
struct p2m_backend_ops;
struct evtchn_domain;
struct evtchn_vcpu;
struct grant_table;

/* Domain ids handed out automatically are 1 .. DOMID_FIRST_RESERVED-1;
 * 0 only on request (the boot-time control domain). */
#define DOMAIN_MAX_VCPUS 128

enum ledger_kind {
    LEDGER_GUEST_PAGES,     /* guest RAM (tot_pages) */
    LEDGER_XEN_PAGES,       /* hypervisor pages kept for the domain */
    LEDGER_PORTS,           /* event-channel ports not free */
    LEDGER_MAPPINGS,        /* grant / foreign mappings in its p2m */
    LEDGER_VCPUS,
    NR_LEDGER_KINDS,
};

struct domain_ledger {
    uint64_t count[NR_LEDGER_KINDS];
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;

    /* Where this vCPU's event and time state lives: inside shared_info
     * for ids below XEN_LEGACY_MAX_VCPUS, NULL for the others until the
     * guest registers one (VCPUOP_register_vcpu_info). */
    struct vcpu_info *vcpu_info;

    unsigned int pause_count;   /* vcpu_pause() nesting */
    bool is_up;                 /* VCPUOP_up/down; vCPU 0 starts up */

    struct evtchn_vcpu *evtchn; /* VIRQ bindings (core/evtchn) */

    /*
     * The scheduler's handle on this vCPU (core/sched attaches its
     * struct sched_unit here through domain_set_sched_hooks()); core/domain
     * never looks inside it.
     */
    void *sched_priv;
    /* core/hypercall's vcpu_op state: timers, registered guest areas. */
    void *hc_priv;
    /* The platform's state for running it (the VMCB on x86); NULL for
     * vCPUs with no guest code (sim, test domains). */
    void *arch_priv;
};

#define DOMAIN_NAME_LEN 32

struct domain {
    domid_t domain_id;
    char name[DOMAIN_NAME_LEN]; /* for people: console prefixes, dumps */
    unsigned int guest_type;    /* ORR_GUEST_* */
    bool is_privileged;         /* a control domain */

    bool is_dying;              /* destroy started: no new references */
    bool is_shut_down;
    unsigned int shutdown_reason;   /* SHUTDOWN_*, valid if is_shut_down */

    unsigned int pause_count;   /* domain_pause() nesting */

    unsigned int max_vcpus;
    struct vcpu **vcpu;         /* [max_vcpus] */

    uint64_t max_pages;         /* guest RAM limit, in pages */
    struct domain_ledger ledger;

    /* core/mm: the pages this domain owns (linked through page_info.list)
     * and the memory map XENMEM_memory_map reports (NULL: none set). */
    struct list_head page_list;
    struct domain_memmap *memmap;

    struct shared_info *shared_info;    /* one hypervisor page */
    struct p2m_domain *p2m;             /* core/p2m */
    struct evtchn_domain *evtchn;       /* core/evtchn */
    uint32_t max_evtchn_port;           /* ports 0 .. max-1 */
    struct grant_table *grant_table;    /* core/grant */

    /* console_io rate limit for unprivileged writers (token bucket). */
    struct {
        bool started;           /* tokens valid (first write seen) */
        s_time_t refilled;      /* when tokens was last topped up */
        uint64_t tokens;        /* bytes that may be written now */
        uint64_t dropped;       /* bytes dropped over the limit */
    } console;

    void *sched_priv;           /* core/sched's per-domain data */
    void *hc_priv;              /* core/hypercall's: HVM params ... */
    /* The platform's per-domain state (x86: a type=hvm domain's device
     * models); NULL for none. core/ never looks inside. */
    void *arch_priv;
    unsigned int nr_hooks_done; /* domain_hooks inits that succeeded */

    spinlock_t lock;
    unsigned int refcnt;        /* domain_get() references + 1 while live */
    struct list_head list;      /* the domain list, sorted by id */
};

struct domain_create_config {
    domid_t domid;              /* DOMID_INVALID: pick the lowest free */
    uint32_t flags;             /* ORR_CDF_* */
    unsigned int guest_type;    /* ORR_GUEST_* */
    unsigned int max_vcpus;     /* 1 .. DOMAIN_MAX_VCPUS */
    uint64_t max_pages;
    uint32_t max_evtchn_port;   /* 0: the 2-level ABI's 4096 */
    /* The p2m's table format: NULL for the software radix (sim); the
     * arch passes its hardware format (NPT, stage-2) for real guests. */
    const struct p2m_backend_ops *p2m_ops;
    const char *name;           /* NULL: "d<id>" */
};

/*
 * Create a domain, paused once (the builder unpauses it when ready).
 * -EINVAL: bad flags, guest type, vCPU count or requested id; -EEXIST:
 * the id is taken; -ENOSPC: no id left; -ENOMEM. Nothing is left behind
 * on failure.
 */
int domain_create(const struct domain_create_config *cfg, struct domain **out);

/*
 * Start destroying @d: mark it dying, shut down its vCPUs, return every
 * resource (event channels, p2m and its pages, shared_info, vCPUs) and
 * check the ledger. The struct itself goes at the last domain_put().
 * -EINVAL if already dying.
 */
int domain_destroy(struct domain *d);

/* A live domain by id with a reference, or NULL (none, or dying). */
struct domain *domain_get(domid_t id);
/* Take another reference on a domain the caller already holds. */
void domain_get_ref(struct domain *d);
void domain_put(struct domain *d);

/*
 * The domain a hypercall from @caller names with @id: DOMID_SELF and the
 * caller's own id give the caller, with a reference. -ESRCH for an id
 * with no live domain (reserved ids included), or a dying one.
 */
int domain_lookup(struct domain *caller, domid_t id, struct domain **out);

/* Counted pause: runnable only when every pause is matched. Unpausing a
 * domain that is not paused is -EINVAL and changes nothing. */
void domain_pause(struct domain *d);
int domain_unpause(struct domain *d);
void vcpu_pause(struct vcpu *v);
int vcpu_unpause(struct vcpu *v);

/*
 * Shut @d down with @reason (SHUTDOWN_*; -EINVAL otherwise). The first
 * reason sticks: a second shutdown returns 0 and keeps it, as Xen does.
 * A shut-down domain stays until destroyed.
 */
int domain_shutdown(struct domain *d, unsigned int reason);

/* May @v run now? (up, not paused, domain neither paused nor shut down) */
bool vcpu_runnable(const struct vcpu *v);

/* ---- Ledger ------------------------------------------------------------- */

/* Add @delta (may be negative) to @d's count of @kind; a count going
 * below zero is a bug in the caller and panics. */
void ledger_charge(struct domain *d, enum ledger_kind kind, int64_t delta);
uint64_t ledger_read(const struct domain *d, enum ledger_kind kind);
/* Domains destroyed with a non-zero ledger since boot. */
unsigned int domain_leaks(void);
/* Live domains (dying ones included until their last put). */
unsigned int domain_count(void);

/* ---- Hooks for subsystems that keep per-domain state -------------------- */

/*
 * A subsystem (event channels, grant tables, the scheduler) registers one
 * of these; domain_create() calls every init in registration order and
 * unwinds with teardown on failure; domain_destroy() calls teardown in
 * reverse order. Registration happens at init, before any domain exists.
 */
struct domain_hooks {
    const char *name;
    int (*domain_init)(struct domain *d);
    void (*domain_teardown)(struct domain *d);
    /* Optional: @d shut down (once, at its first reason) or its destroy
     * started (Xen raises VIRQ_DOM_EXC for both). */
    void (*domain_exception)(struct domain *d);
};

#define MAX_DOMAIN_HOOKS 8
/* -ENOSPC when the table is full, -EBUSY once a domain exists. */
int domain_register_hooks(const struct domain_hooks *h);

/*
 * Drain @d's console ring (the page at @gfn) to the serial line, each
 * line prefixed with its name, until the domain dies. -ENOSPC when too
 * many rings are attached already.
 */
int console_ring_attach(struct domain *d, gfn_t gfn);
/* Tests: forget every ring and the poll timer (after timer_init()). */
void console_ring_reset(void);

/* Debug key 'q' and any other boot-time setup. */
void domain_subsys_init(void);

/* Call @fn on every domain (dying ones included), in id order, with the
 * domain list locked: @fn must not create, destroy or look up domains. */
void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg);

/* Print every domain (debug key 'q'). */
void domain_dump(void);

/* Test support: forget every hook registration. Only with no domains. */
void domain_reset_hooks(void);

/* __HYPERVISOR_domctl (core/domain/domctl.c; include/public/domctl.h). */
struct hypercall_regs;
int64_t do_domctl(struct vcpu *v, struct hypercall_regs *r);

#endif /* ORRERY_DOMAIN_H */
