/* SPDX-License-Identifier: MIT */
/*
 * The scheduler framework: what the rest of the hypervisor (domains,
 * hypercalls, the idle loop) and the simulation harness call.
 *
 * Scheduling is per cpupool: every pCPU in a pool runs that pool's
 * scheduler instance; a domain lives in one pool. The scheduled entity is
 * the struct sched_unit -- today one vCPU, shaped (as Xen's sched_unit) so
 * that a unit of several vCPUs (core scheduling) can come later.
 *
 * These structs are the scheduler's side of domains and vCPUs. The domain
 * code embeds one struct sched_domain per domain and one struct sched_unit
 * per vCPU and sets the back pointers; the framework never looks behind
 * them.
 *
 * Time is passed in (@now, ns on the arch_time_now() base): the hypervisor
 * passes NOW(), schedsim its virtual clock, so the same code runs both.
 * The pool lock serialises every call on a pool; callers must not hold it.
 */
#ifndef ORRERY_SCHED_H
#define ORRERY_SCHED_H

#include <orrery/list.h>
#include <orrery/platform.h>
#include <orrery/spinlock.h>

/* ---- CPU masks: NR_CPUS bits ------------------------------------------- */

typedef struct { uint64_t bits; } cpumask_t;
BUILD_BUG_ON(NR_CPUS > 64);

#define CPUMASK_NONE ((cpumask_t){ 0 })
#define CPUMASK_ALL  ((cpumask_t){ ~0ULL })

static inline cpumask_t cpumask_of(unsigned int cpu)
{
    return (cpumask_t){ 1ULL << cpu };
}
static inline bool cpumask_test(const cpumask_t *m, unsigned int cpu)
{
    return cpu < NR_CPUS && (m->bits >> cpu) & 1;
}
static inline void cpumask_set(cpumask_t *m, unsigned int cpu)
{
    m->bits |= 1ULL << cpu;
}
static inline void cpumask_clear(cpumask_t *m, unsigned int cpu)
{
    m->bits &= ~(1ULL << cpu);
}
static inline cpumask_t cpumask_and(cpumask_t a, cpumask_t b)
{
    return (cpumask_t){ a.bits & b.bits };
}
static inline bool cpumask_empty(cpumask_t m)
{
    return m.bits == 0;
}
static inline unsigned int cpumask_weight(cpumask_t m)
{
    return (unsigned int)__builtin_popcountll(m.bits);
}
/* The first CPU of @m at or after @from, wrapping; NR_CPUS if empty. */
static inline unsigned int cpumask_cycle(cpumask_t m, unsigned int from)
{
    uint64_t hi;

    if ( !m.bits )
        return NR_CPUS;
    hi = from < NR_CPUS ? m.bits & (~0ULL << from) : 0;
    return (unsigned int)__builtin_ctzll(hi ? hi : m.bits);
}
#define for_each_cpu(cpu, m) \
    for ( (cpu) = 0; (cpu) < NR_CPUS; (cpu)++ ) \
        if ( cpumask_test(&(m), (cpu)) )

/* ---- Runstates: the values of Xen's public vcpu.h runstate area -------- */

enum runstate {
    RUNSTATE_running  = 0,  /* on a pCPU */
    RUNSTATE_runnable = 1,  /* wants a pCPU, waits for one */
    RUNSTATE_blocked  = 2,  /* waits for an event */
    RUNSTATE_offline  = 3,  /* neither: paused or down */
};
#define NR_RUNSTATES 4

struct runstate_info {
    enum runstate state;
    s_time_t entry_time;            /* when @state was entered */
    s_time_t time[NR_RUNSTATES];    /* ns spent in each, before entry_time */
};

/* Scheduler ids: Xen's XEN_SCHEDULER_* (public/domctl.h). */
#define XEN_SCHEDULER_CREDIT    5
#define XEN_SCHEDULER_CREDIT2   6
#define XEN_SCHEDULER_ARINC653  7
#define XEN_SCHEDULER_RTDS      8
#define XEN_SCHEDULER_NULL      9

struct cpupool;
struct domain;
struct vcpu;

struct sched_domain {
    domid_t domid;
    struct domain *domain;          /* back pointer, owned by core/domain */
    struct cpupool *pool;
    struct list_head units;         /* struct sched_unit.dom_list */
    struct list_head pool_list;     /* in pool->domains */
    unsigned int nr_units;
    void *priv;                     /* the pool scheduler's domain data */
};

struct sched_unit {
    unsigned int unit_id;           /* = the first vCPU's id */
    struct vcpu *vcpu;              /* back pointer, owned by core/domain */
    struct sched_domain *dom;
    struct list_head dom_list;

    /* Why the unit cannot run (Xen's pause_flags and pause_count). */
    unsigned int pause_count;
    bool blocked;                   /* waits for an event */
    bool down;                      /* vCPU offline (not brought up) */

    unsigned int res;               /* pCPU it is queued on or runs on */
    bool running;                   /* on pCPU @res right now */
    unsigned int last_cpu;          /* where it last ran; NR_CPUS: never */
    s_time_t last_start;            /* when it last went on a pCPU */

    cpumask_t hard_affinity;        /* may only run here */
    cpumask_t soft_affinity;        /* prefers to run here */

    struct runstate_info runstate;
    uint64_t nr_switches_in;        /* times it was put on a pCPU */
    uint64_t nr_migrations;         /* ... on another pCPU than last time */

    void *priv;                     /* the pool scheduler's unit data */
};

/* Can @u use a pCPU? (Xen's vcpu_runnable.) */
static inline bool sched_unit_runnable(const struct sched_unit *u)
{
    return !u->pause_count && !u->blocked && !u->down;
}

/* ---- Boot and pools ----------------------------------------------------- */

#define CPUPOOL_ID_NONE (~0U)

/*
 * Start the framework afresh (forgetting any earlier state, so that
 * schedsim can run many scenarios in one process) with pool 0 on
 * @cpus, running @sched_name (NULL: the one sched= names, see
 * sched_default_name). Returns 0 or -errno (-EINVAL: unknown name).
 */
int sched_init(const char *sched_name, cpumask_t cpus);

/* Boot: sched_init() over the online CPUs and debug key 'r' (core/boot
 * calls it once every CPU is up). Panics if the pool cannot be made. */
void sched_subsys_init(void);
/* The name sched= chose (a registered one; warned about if unknown). */
const char *sched_default_name(void);

int cpupool_create(unsigned int poolid, const char *sched_name);
int cpupool_destroy(unsigned int poolid);
int cpupool_add_cpu(unsigned int poolid, unsigned int cpu, s_time_t now);
int cpupool_remove_cpu(unsigned int poolid, unsigned int cpu, s_time_t now);
int cpupool_move_domain(struct sched_domain *d, unsigned int poolid,
                        s_time_t now);
/* The pool id of @cpu, CPUPOOL_ID_NONE when in no pool. */
unsigned int cpupool_of_cpu(unsigned int cpu);
/* The name of @poolid's scheduler, NULL for an unknown pool. */
const char *cpupool_sched_name(unsigned int poolid);

/* ---- Domains and units -------------------------------------------------- */

/* A new domain in pool @poolid: -ESRCH unknown pool, -ENOMEM. */
int sched_domain_init(struct sched_domain *d, domid_t domid,
                      unsigned int poolid);
/* Every unit must have been destroyed first. */
void sched_domain_destroy(struct sched_domain *d);

/*
 * A new unit for vCPU @unit_id of @d, created down (RUNSTATE_offline);
 * sched_unit_up() makes it runnable. Affinity starts as "everywhere".
 */
int sched_unit_init(struct sched_unit *u, struct sched_domain *d,
                    unsigned int unit_id, s_time_t now);
void sched_unit_destroy(struct sched_unit *u, s_time_t now);

void sched_unit_up(struct sched_unit *u, s_time_t now);
void sched_unit_down(struct sched_unit *u, s_time_t now);
/* The unit waits for an event / the event came. */
void sched_unit_block(struct sched_unit *u, s_time_t now);
void sched_unit_wake(struct sched_unit *u, s_time_t now);
/* Give the pCPU up to another runnable unit, if any. */
void sched_unit_yield(struct sched_unit *u, s_time_t now);
/* Counted: the unit runs again when every pause has been undone. */
void sched_unit_pause(struct sched_unit *u, s_time_t now);
void sched_unit_unpause(struct sched_unit *u, s_time_t now);
/*
 * Set affinities (NULL: leave as is). The hard mask must share a pCPU
 * with the unit's pool: else -EINVAL and nothing changes.
 */
int sched_unit_set_affinity(struct sched_unit *u, const cpumask_t *hard,
                            const cpumask_t *soft, s_time_t now);

/* Runstate times up to @now (the current state's time included). */
void sched_unit_runstate(const struct sched_unit *u, s_time_t now,
                         s_time_t time[NR_RUNSTATES]);

/* ---- Control: the domctl/sysctl scheduler operations -------------------- */

/* Per-domain parameters (XEN_DOMCTL_SCHEDOP_getinfo/putinfo). */
struct sched_dom_params {
    unsigned int sched_id;          /* must match the pool's scheduler */
    union {
        struct {
            uint32_t weight;        /* 1 .. 65535; default 256 */
            uint32_t cap;           /* % of one pCPU; 0: no cap */
        } credit;
        struct {
            uint32_t weight;        /* 1 .. 65535; default 256 */
            uint32_t cap;           /* % of one pCPU; 0: no cap */
        } credit2;
        /* Put: every vCPU of the domain; get: vCPU 0's (as Xen does). */
        struct {
            uint32_t period_us;     /* >= 10 (Xen's RTDS_MIN_PERIOD; Xen's
                                       maximum, STIME_DELTA_MAX, is past
                                       any u32 us value) */
            uint32_t budget_us;     /* 10 .. period_us */
            bool extratime;         /* may run on idle time past budget */
        } rtds;
    } u;
};

/* Per-unit parameters (XEN_DOMCTL_SCHEDOP_getvcpuinfo/putvcpuinfo). */
struct sched_unit_params {
    unsigned int sched_id;
    union {
        struct {
            uint32_t period_us;
            uint32_t budget_us;
            bool extratime;
        } rtds;
    } u;
};

/* ARINC653: a major frame of minor frames, each one (domain, vCPU) and
 * its run time, in order (XEN_SYSCTL_SCHEDOP_putinfo for arinc653). */
#define ARINC653_MAX_ENTRIES 64
struct arinc653_entry {
    domid_t domid;
    unsigned int vcpu_id;
    s_time_t runtime;               /* ns, > 0 */
};

/* credit2 runqueue arrangement: one runqueue per ... */
enum credit2_runqueue {
    CREDIT2_RQ_CPU,
    CREDIT2_RQ_CORE,
    CREDIT2_RQ_SOCKET,              /* Xen's default */
    CREDIT2_RQ_NODE,
    CREDIT2_RQ_ALL,
};

/* Per-pool parameters (XEN_SYSCTL_SCHEDOP_getinfo/putinfo). */
struct sched_pool_params {
    unsigned int sched_id;
    union {
        struct {
            uint32_t tslice_ms;     /* 1 .. 1000 */
            uint32_t ratelimit_us;  /* 0 (off) or 100 .. 500000, <= tslice */
        } credit;
        struct {
            uint32_t ratelimit_us;  /* 0 (off) or 100 .. 500000 */
            enum credit2_runqueue runqueue; /* fixed while CPUs are in */
        } credit2;
        struct {
            s_time_t major_frame;   /* ns; >= the sum of the runtimes */
            unsigned int nr_entries;        /* 0 .. ARINC653_MAX_ENTRIES */
            struct arinc653_entry entry[ARINC653_MAX_ENTRIES];
        } arinc653;
    } u;
};

/* Where a pCPU sits, for schedulers that group CPUs (credit2 runqueues,
 * load balancing). The platform or schedsim sets it before the CPU joins
 * a pool; unset CPUs are each their own core, socket and node 0. */
struct cpu_topology {
    uint16_t thread, core, socket, node;
};
void sched_set_cpu_topology(unsigned int cpu, const struct cpu_topology *t);
struct cpu_topology sched_cpu_topology(unsigned int cpu);

/*
 * Read or change @d's parameters. -EINVAL: wrong sched_id or a value out
 * of range (weight 0, cap above 100 per vCPU); -EOPNOTSUPP: the scheduler
 * has no parameters.
 */
int sched_domain_get_params(struct sched_domain *d,
                            struct sched_dom_params *p);
int sched_domain_set_params(struct sched_domain *d,
                            const struct sched_dom_params *p);
/* The same for one unit (RTDS); -EOPNOTSUPP for schedulers without. */
int sched_unit_get_params(struct sched_unit *u, struct sched_unit_params *p);
int sched_unit_set_params(struct sched_unit *u,
                          const struct sched_unit_params *p);
/* The same for a pool; -ESRCH for an unknown pool. */
int sched_pool_get_params(unsigned int poolid, struct sched_pool_params *p);
int sched_pool_set_params(unsigned int poolid,
                          const struct sched_pool_params *p);
/* The id of a registered scheduler name, -ENOENT if none. */
int sched_id_of(const char *name);

/* ---- Per-pCPU: what the idle loop / schedsim calls ---------------------- */

/*
 * Pick what @cpu runs from @now on and switch to it: the unit (NULL:
 * idle) and the time at which sched_schedule() must be called again on
 * this CPU (S_TIME_NEVER: only when sched_need_resched() says so).
 * @cpu in no pool runs idle.
 */
#define S_TIME_NEVER ((s_time_t)INT64_MAX)
struct sched_unit *sched_schedule(unsigned int cpu, s_time_t now,
                                  s_time_t *next);
/* The unit running on @cpu, NULL for idle. */
struct sched_unit *sched_curr(unsigned int cpu);
/* Something changed that wants sched_schedule() on @cpu. */
bool sched_need_resched(unsigned int cpu);

/*
 * Called whenever a scheduler asks for a reschedule of @cpu (a wake-up
 * preempts it, a unit moved there). The hypervisor raises its schedule
 * softirq; schedsim queues an event. NULL: nobody is told (poll).
 */
void sched_set_resched_hook(void (*fn)(unsigned int cpu));

/*
 * The hypervisor's drive (core/sched/sched_softirq.c): open
 * SCHEDULE_SOFTIRQ, make the resched hook raise it, and arm a per-CPU
 * timer at each `next` sched_schedule() returns. Boot calls it once the
 * timers exist; tests may call it again.
 */
void sched_softirq_init(void);
/* Called on @cpu when its unit changed from @prev to @next (NULL: idle),
 * from the schedule softirq, after the runstates were switched. */
typedef void sched_switch_fn(unsigned int cpu, struct sched_unit *prev,
                             struct sched_unit *next);
void sched_set_switch_hook(sched_switch_fn *fn);

/* Counters since sched_init(). */
struct sched_stats {
    uint64_t schedules;             /* sched_schedule() calls */
    uint64_t switches;              /* ... that changed the running unit */
    uint64_t migrations;
};
void sched_get_stats(struct sched_stats *st);

/* Debug key output: every pool, its pCPUs and runqueues. */
void sched_dump(void);

/* __HYPERVISOR_sysctl (core/sched/sysctl*.c; include/public/sysctl.h). */
struct hypercall_regs;
int64_t do_sysctl(struct vcpu *v, struct hypercall_regs *r);

#endif /* ORRERY_SCHED_H */
