/* SPDX-License-Identifier: MIT */
/*
 * Four-level, 512-entry page tables for the p2m, whatever their bit
 * layout. x86 NPT, Arm stage-2 and sim's software radix format all have
 * this shape; they differ only in how an entry encodes a frame, a type
 * and access rights. A format describes that encoding; core/p2m/p2m_pt.c
 * does the walking, allocation, superpage splitting and freeing once for
 * all of them. A backend is then a format plus four lines of ops table.
 */
#ifndef ORRERY_P2M_PT_H
#define ORRERY_P2M_PT_H

#include <orrery/p2m.h>

typedef uint64_t p2m_pte_t;

#define P2M_PT_LEVELS  4
#define P2M_PT_ENTRIES 512

/*
 * An encoding whose fields are plain bit masks (every format so far), so
 * that the walker can decode it inline: calling the functions below once
 * per level was most of a lookup's cost, and a grant copy or a guest
 * copy looks frames up on every op. It must say what the functions say;
 * unit.p2m and unit.npt read every type, access and order back through
 * it (p2m_model_tests.c).
 */
struct p2m_pt_bits {
    p2m_pte_t used;             /* is_used() */
    p2m_pte_t leaf;             /* is_leaf() above level 0 */
    p2m_pte_t noframe;          /* a leaf's mfn() is INVALID_MFN */
    p2m_pte_t addr;             /* mfn() << PAGE_SHIFT, of tables too */
    unsigned int type_shift;    /* type(): 4 bits */
    unsigned int access_shift;  /* access(): 3 bits */
};

struct p2m_pt_format {
    /* A leaf at @level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB) mapping @mfn
     * (INVALID_MFN for types without a frame: pod, mmio_dm, paged). */
    p2m_pte_t (*make_leaf)(mfn_t mfn, p2m_type_t t, p2m_access_t a,
                           unsigned int level);
    /* A non-leaf entry pointing at the table in @mfn. */
    p2m_pte_t (*make_table)(mfn_t mfn);
    /* Does @e hold anything (a table or a leaf, even one the hardware
     * treats as not present)? 0 must be empty. */
    bool (*is_used)(p2m_pte_t e);
    bool (*is_leaf)(p2m_pte_t e, unsigned int level);
    /* The table's frame, or the leaf's first frame (INVALID_MFN: none). */
    mfn_t (*mfn)(p2m_pte_t e);
    p2m_type_t (*type)(p2m_pte_t e);
    p2m_access_t (*access)(p2m_pte_t e);
    /* Optional: the same decoding as masks (lookups use it if set). */
    const struct p2m_pt_bits *bits;
};

/* The generic backend operations, for a format given to p2m_pt_init(). */
int p2m_pt_init(struct p2m_domain *p2m, const struct p2m_pt_format *fmt);
void p2m_pt_teardown(struct p2m_domain *p2m);
int p2m_pt_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
                     unsigned int order, p2m_type_t type,
                     p2m_access_t access);
void p2m_pt_get_entry(struct p2m_domain *p2m, gfn_t gfn,
                      struct p2m_entry *e);
int p2m_pt_for_each(struct p2m_domain *p2m,
                    int (*fn)(gfn_t gfn, const struct p2m_entry *e,
                              void *arg),
                    void *arg);
bool p2m_pt_order_ok(unsigned int order);

/* The root table's frame (what NPT's N_CR3 or VTTBR_EL2 points at). */
mfn_t p2m_pt_root(const struct p2m_domain *p2m);

#endif /* ORRERY_P2M_PT_H */
