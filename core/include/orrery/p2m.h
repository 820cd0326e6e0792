/* SPDX-License-Identifier: MIT */
/*
 * The p2m: each domain's map from guest frames to machine frames, with a
 * type and an access right per entry (reference/xen-abi-facts.md §2.4).
 *
 * The logic (types, ranges, superpages, teardown, the ledger) is here and
 * in core/p2m; the page-table format is a backend behind struct
 * p2m_backend_ops. On sim the software radix backend is used; the arch
 * issues add AMD NPT and Arm stage-2 backends, whose tables the hardware
 * walks, behind the same ops.
 *
 * Guest memory is only ever reached by looking up the p2m and then
 * arch_mfn_to_virt() on the frame found.
 */
#ifndef ORRERY_P2M_H
#define ORRERY_P2M_H

#include <orrery/spinlock.h>
#include <orrery/types.h>

struct domain;

/* Xen's numbering (§2.4), so that traces and dumps read the same. */
typedef enum {
    p2m_ram_rw = 0,
    p2m_invalid = 1,
    p2m_ram_logdirty = 2,
    p2m_ram_ro = 3,
    p2m_mmio_dm = 4,            /* emulated by a device model */
    p2m_mmio_direct = 5,        /* a machine MMIO frame passed through */
    p2m_populate_on_demand = 6,
    p2m_grant_map_rw = 7,
    p2m_grant_map_ro = 8,
    p2m_ram_paging_out = 9,
    p2m_ram_paged = 10,
    p2m_ram_paging_in = 11,
    p2m_ram_shared = 12,
    p2m_ram_broken = 13,
    p2m_map_foreign = 14,
    p2m_ioreq_server = 15,
    NR_P2M_TYPES
} p2m_type_t;

typedef enum {
    p2m_access_n = 0,
    p2m_access_r = 1,
    p2m_access_w = 2,
    p2m_access_rw = 3,
    p2m_access_x = 4,
    p2m_access_rx = 5,
    p2m_access_wx = 6,
    p2m_access_rwx = 7,
    NR_P2M_ACCESS
} p2m_access_t;

/* Guest-physical addresses are 48 bits wide (four 9-bit levels). */
#define P2M_GFN_BITS 36
#define P2M_MAX_GFN ((1ULL << P2M_GFN_BITS) - 1)
#define INVALID_GFN _gfn(~0ULL)

/* Orders a backend may map in one entry: 4 KiB, 2 MiB, 1 GiB. */
#define P2M_ORDER_4K 0
#define P2M_ORDER_2M 9
#define P2M_ORDER_1G 18

/* Does the type map a frame the domain owns as RAM (freed at teardown)? */
static inline bool p2m_is_ram(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_ro || t == p2m_ram_logdirty;
}
/* Grant and foreign mappings: someone else's frame, counted as mappings. */
static inline bool p2m_is_foreign_mapping(p2m_type_t t)
{
    return t == p2m_grant_map_rw || t == p2m_grant_map_ro ||
           t == p2m_map_foreign;
}
/* May the hypervisor write guest data here on the guest's behalf? */
static inline bool p2m_is_writable(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_logdirty ||
           t == p2m_grant_map_rw;
}
/* May the hypervisor read guest data here? */
static inline bool p2m_is_readable(p2m_type_t t)
{
    return p2m_is_ram(t) || t == p2m_grant_map_rw || t == p2m_grant_map_ro;
}

/* One lookup result. @order is the size of the entry @gfn falls in. */
struct p2m_entry {
    mfn_t mfn;                  /* of @gfn itself, not of the entry's base */
    p2m_type_t type;
    p2m_access_t access;
    unsigned int order;
};

struct p2m_domain;

/*
 * A page-table format. set_entry maps 2^@order frames at @gfn (both
 * aligned to the order, order one the backend supports) to @mfn with
 * @type and @access, replacing whatever was there; p2m_invalid removes.
 * Splitting a larger entry and freeing tables that became empty are the
 * backend's business. get_entry fills @e for one frame (p2m_invalid and
 * INVALID_MFN for a hole). for_each_entry calls @fn on every present
 * entry in gfn order until @fn returns non-zero.
 */
struct p2m_backend_ops {
    const char *name;
    int (*init)(struct p2m_domain *p2m);
    void (*teardown)(struct p2m_domain *p2m);
    int (*set_entry)(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
                     unsigned int order, p2m_type_t type,
                     p2m_access_t access);
    void (*get_entry)(struct p2m_domain *p2m, gfn_t gfn,
                      struct p2m_entry *e);
    int (*for_each_entry)(struct p2m_domain *p2m,
                          int (*fn)(gfn_t gfn, const struct p2m_entry *e,
                                    void *arg),
                          void *arg);
    /* Does the format map this order in one entry? */
    bool (*order_ok)(unsigned int order);
};

struct p2m_domain {
    struct domain *domain;
    const struct p2m_backend_ops *ops;
    void *backend;              /* the backend's root and state */
    spinlock_t lock;
    uint64_t entries[NR_P2M_TYPES];  /* frames mapped per type */
    gfn_t max_mapped_gfn;       /* highest gfn ever mapped */
};

/* The radix backend in core/p2m (software tables; used on sim). */
extern const struct p2m_backend_ops p2m_radix_ops;

/* Create @d's p2m on @ops (NULL: the radix backend). -ENOMEM. */
int p2m_init(struct domain *d, const struct p2m_backend_ops *ops);

/*
 * Tear @d's p2m down: each RAM frame is handed to core/mm
 * (p2m_ram_released(): the domain's pages lose their owner's reference
 * and are freed unless someone else holds one), foreign and grant
 * mappings are dropped (crediting LEDGER_MAPPINGS), then the tables are
 * freed.
 */
void p2m_teardown(struct domain *d);

/*
 * Map @nr frames from @gfn to consecutive frames from @mfn, using the
 * largest entries alignment allows. -EINVAL: bad type or access, a range
 * that wraps or passes P2M_MAX_GFN, or an invalid mfn for a type that
 * needs one. -EBUSY (nothing changed) if it would replace RAM by
 * anything but the same frames as RAM (a type or access change): RAM is
 * given back with p2m_release_ram(), never dropped. Other entries are
 * simply replaced. On -ENOMEM the part
 * already mapped stays mapped, and is reported through @done (may be
 * NULL).
 */
int p2m_set_range(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr,
                  p2m_type_t type, p2m_access_t access, uint64_t *done);

static inline int p2m_set_entry(struct domain *d, gfn_t gfn, mfn_t mfn,
                                p2m_type_t type, p2m_access_t access)
{
    return p2m_set_range(d, gfn, mfn, 1, type, access, NULL);
}

/* Look @gfn up; out-of-range gfns read as holes. */
void p2m_get_entry(struct domain *d, gfn_t gfn, struct p2m_entry *e);

/* Remove @nr frames from @gfn; -EBUSY if any is RAM. Frees nothing. */
int p2m_remove_range(struct domain *d, gfn_t gfn, uint64_t nr);

/*
 * Give @d @nr frames of new zeroed RAM at @gfn, charged to its ledger and
 * limited by max_pages (-ENOMEM past it, nothing changed). 2 MiB blocks
 * are used where the range is aligned for them. -EEXIST if any frame in
 * the range is already mapped.
 */
int p2m_populate_ram(struct domain *d, gfn_t gfn, uint64_t nr);

/* Remove RAM frames at [@gfn, @gfn + @nr) and give them back
 * (p2m_ram_released(): freed unless someone else holds a reference).
 * Holes are skipped; -EINVAL (nothing done) if a present entry is not
 * RAM; -ENOMEM when a superpage cannot be split: the frames before it
 * are gone, it and those after stay mapped and owned. */
int p2m_release_ram(struct domain *d, gfn_t gfn, uint64_t nr);

/* Remove RAM frames at [@gfn, @gfn + @nr) without freeing them: their
 * owner keeps them (XENMEM_remove_from_physmap, a frame moving to another
 * gfn). Holes are skipped; -EINVAL (nothing done) if a present entry is
 * not RAM; -ENOMEM as for p2m_release_ram(). */
int p2m_unmap_ram(struct domain *d, gfn_t gfn, uint64_t nr);

/* Frames currently mapped with @type. */
uint64_t p2m_count(const struct domain *d, p2m_type_t type);

const char *p2m_type_name(p2m_type_t t);

#endif /* ORRERY_P2M_H */
