/* SPDX-License-Identifier: MIT */
/*
 * core/grant internals: the per-domain grant table, its active entries
 * and the maptrack table (reference/xen-abi-facts.md §2.3).
 *
 * Locks: gt->lock covers a table's frames, version and active entries;
 * gt->maptrack_lock the mappings the domain made. Neither is held while
 * the other domain's lock is taken, except for the one level of a
 * transitive grant (the intermediate's lock, then the source's).
 */
#ifndef CORE_GRANT_PRIVATE_H
#define CORE_GRANT_PRIVATE_H

#include <orrery/domain.h>
#include <orrery/grant.h>
#include <orrery/spinlock.h>
#include <orrery/types.h>

#include <public/grant_table.h>

/* v2 status frames for the largest table: 64 frames * 256 / 2048. */
#define GNTTAB_MAX_STATUS_FRAMES \
    (GNTTAB_MAX_FRAMES * GNTTAB_V2_PER_FRAME / GNTTAB_STATUS_PER_FRAME)
#define GNTTAB_MAX_MAPTRACK \
    (GNTTAB_MAPTRACK_FRAMES * GNTTAB_MAPTRACK_PER_FRAME)
#define MAPTRACK_NONE 0xffffffffU

/* Xen keeps each pin count in 8 bits and refuses a new hold once any
 * count of the entry has reached 128 (its top bit). */
#define ACT_PIN_MAX 0x80U

/*
 * A grant in use: pinned by mappings (held until unmap) or by a copy
 * (held for the copy). While pinned, the frame and window recorded here
 * are what every holder uses; the guest's entry is only read again to
 * upgrade a read-only pin to a writable one.
 */
struct active_grant {
    uint16_t pin_rw;            /* writable holds */
    uint16_t pin_ro;            /* read-only holds */
    domid_t domid;              /* the domain the pins belong to */
    bool sub_page;              /* v2 GTF_sub_page: never mapped */
    uint16_t start;             /* the window the grant allows */
    uint16_t length;
    mfn_t mfn;
    gfn_t gfn;                  /* where the frame is in the granter */
    struct domain *trans_dom;   /* v2 transitive: the source, referenced */
    grant_ref_t trans_ref;
};

/* One mapping this domain made of a grant (maptrack entry). */
struct grant_mapping {
    uint32_t flags;             /* GNTMAP_* as mapped; 0: free */
    grant_ref_t ref;
    struct domain *rd;          /* the granter, referenced */
    gfn_t gfn;                  /* in the mapper's p2m */
    mfn_t mfn;
    uint32_t next_free;
};

struct grant_table {
    spinlock_t lock;
    struct domain *d;
    unsigned int version;               /* 1 or 2 */
    unsigned int nr_frames;             /* shared frames */
    unsigned int nr_status_frames;      /* allocated (kept back to v1) */
    void *shared[GNTTAB_MAX_FRAMES];
    grant_status_t *status[GNTTAB_MAX_STATUS_FRAMES];
    /* GNTTAB_V1_PER_FRAME entries per shared frame (v2 uses half). */
    struct active_grant *active[GNTTAB_MAX_FRAMES];
    unsigned int nr_active;             /* entries with pins */

    spinlock_t maptrack_lock;
    struct grant_mapping *maptrack[GNTTAB_MAPTRACK_FRAMES];
    unsigned int maptrack_frames;
    uint32_t maptrack_free;             /* free list head */
    unsigned int maptrack_used;
};

/* Where a pinned grant lets the holder read or write. */
struct grant_frame {
    mfn_t mfn;
    uint16_t start;
    uint16_t length;
};

/* ---- grant_table.c ------------------------------------------------------ */

static inline unsigned int gnt_per_frame(unsigned int version)
{
    return version == 2 ? GNTTAB_V2_PER_FRAME : GNTTAB_V1_PER_FRAME;
}

static inline unsigned int gnt_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * gnt_per_frame(gt->version);
}

/* Status frames a v2 table of @frames shared frames needs. */
static inline unsigned int gnt_status_frames(unsigned int frames)
{
    return (frames * GNTTAB_V2_PER_FRAME + GNTTAB_STATUS_PER_FRAME - 1) /
           GNTTAB_STATUS_PER_FRAME;
}

struct active_grant *gnt_active(struct grant_table *gt, grant_ref_t ref);
struct grant_entry_v1 *gnt_entry_v1(struct grant_table *gt, grant_ref_t ref);
union grant_entry_v2 *gnt_entry_v2(struct grant_table *gt, grant_ref_t ref);
grant_status_t *gnt_status(struct grant_table *gt, grant_ref_t ref);

/* Grow @gt to @frames shared frames (and the status frames v2 needs).
 * Caller holds gt->lock. -EINVAL past the maximum, -ENOMEM. */
int gnt_grow(struct grant_table *gt, unsigned int frames);

/* Allocate / free a hypervisor page charged to @d (LEDGER_XEN_PAGES). */
void *gnt_alloc_page(struct domain *d);
void gnt_free_page(struct domain *d, void *va);

/* May @caller act on @target's table (Xen's XSM_TARGET)? */
bool gnt_may_target(const struct domain *caller, const struct domain *target);

/* ---- grant_pin.c -------------------------------------------------------- */

/*
 * Pin grant @ref of @rd for @ld: check the guest's entry (type, grantee,
 * read-only), set GTF_reading (and GTF_writing unless @ro) in the entry
 * (v1) or status frame (v2), find the frame in @rd's p2m, and count the
 * hold. @map: for a mapping (sub-page and transitive grants refused);
 * @transitive: a v2 transitive entry may be followed (one level).
 * Returns GNTST_*; on GNTST_okay @out says where the holder may go.
 */
int gnt_acquire(struct domain *rd, grant_ref_t ref, struct domain *ld,
                bool ro, bool map, bool transitive, struct grant_frame *out);
/* Drop one hold taken by gnt_acquire() with the same @ro. */
void gnt_release(struct domain *rd, grant_ref_t ref, bool ro);

/* ---- grant_map.c -------------------------------------------------------- */

int gnt_map_one(struct domain *ld, struct gnttab_map_grant_ref *op);
int gnt_unmap_one(struct domain *ld, uint64_t host_addr, uint64_t new_addr,
                  grant_handle_t handle);
/* Undo every mapping @d made (its destroy). */
void gnt_unmap_all(struct domain *d);
void gnt_maptrack_free(struct grant_table *gt);

/* ---- grant_copy.c ------------------------------------------------------- */

/* One side of a copy, kept from op to op within a batch. */
struct gnt_copy_side {
    struct domain *d;           /* referenced while set */
    domid_t domid;              /* as the op named it */
    bool claimed;               /* frame held: */
    bool gref;
    bool ro;
    bool pinned;
    uint64_t key;               /* the ref or gmfn */
    struct page_info *pg;       /* referenced */
    struct grant_frame f;
    uint8_t *va;                /* f.mfn mapped, while claimed */
};

struct gnt_copy_ctx {
    struct gnt_copy_side src, dst;
    /* The frames of the caller's op array (grant_copy_batch.c), while a
     * chunk of it is held in hypervisor memory: an op that would read or
     * write them returns GNT_COPY_DEFER without copying. */
    bool guarded;
    mfn_t guard[2];
};

#define GNT_COPY_DEFER 1        /* not a GNTST_* (those are <= 0) */

/* One copy op (GNTST_*, or GNT_COPY_DEFER); @c carries what it holds to
 * the next op of the batch, gnt_copy_end() lets it all go. @c starts
 * zeroed. */
int gnt_copy_one(struct domain *ld, const struct gnttab_copy *op,
                 struct gnt_copy_ctx *c);
void gnt_copy_end(struct gnt_copy_ctx *c);
/* gnt_copy_one()'s slow path, out of line: hold what @op names
 * (GNTST_*; on failure only the domains stay held), and let go of the
 * frames held. */
int gnt_copy_hold(struct domain *ld, const struct gnttab_copy *op,
                  struct gnt_copy_ctx *c);
void gnt_copy_drop(struct gnt_copy_ctx *c);

/* ---- grant_copy_batch.c ------------------------------------------------- */

/* GNTTABOP_copy: @r->args[2] ops at guest address @r->args[1]. */
int64_t gnt_copy_batch(struct vcpu *v, struct hypercall_regs *r);
int gnt_cache_flush_one(struct domain *ld,
                        const struct gnttab_cache_flush *op);

/* ---- grant_ops.c -------------------------------------------------------- */

int gnt_setup_table(struct vcpu *v, struct gnttab_setup_table *op);
int gnt_query_size(struct domain *ld, struct gnttab_query_size *op);
int gnt_set_version(struct domain *ld, struct gnttab_set_version *op);
int gnt_get_version(struct domain *ld, struct gnttab_get_version *op);
int gnt_get_status_frames(struct vcpu *v,
                          struct gnttab_get_status_frames *op);
int gnt_dump_table(struct domain *ld, struct gnttab_dump_table *op);
int gnt_swap_one(struct domain *ld, struct gnttab_swap_grant_ref *op);

/* ---- grant_keys.c ------------------------------------------------------- */

void gnt_dump_domain(struct domain *d);

#endif /* CORE_GRANT_PRIVATE_H */
