/* SPDX-License-Identifier: MIT */
/*
 * What the files of core/mm share among themselves and nobody else:
 * bootmem's view of RAM and its free ranges for page_alloc_init(), and
 * the buddy's raw block interface for xmalloc.
 */
#ifndef ORRERY_MM_INTERNAL_H
#define ORRERY_MM_INTERNAL_H

#include <orrery/mm.h>
#include <orrery/spinlock.h>

/* A page-granular physical range, end exclusive. */
struct mm_range {
    paddr_t start;
    paddr_t end;
};

/* ---- bootmem.c ---- */

/* RAM ranges of the map given to bootmem_init(), sorted. */
unsigned int bootmem_ram_ranges(const struct mm_range **ranges);
/*
 * Hand the free ranges to page_alloc_init() and close the boot allocator:
 * later bootmem_alloc() calls panic. Returns the number of ranges.
 */
unsigned int bootmem_close(const struct mm_range **ranges);

/* ---- page_alloc.c ---- */

/* Forget all heap state (bootmem_init() starts a fresh boot). */
void page_alloc_reset(void);
/* Publish the frame table built by page_alloc_init(). */
void page_alloc_set_frame_table(struct page_info *table, uint64_t base_mfn,
                                uint64_t nr_frames, uint64_t ram_pages,
                                uint64_t reserved_pages);
/* Give the naturally aligned block [mfn, mfn + 2^order) to the buddy. */
void page_alloc_add_block(mfn_t mfn, unsigned int order);

/*
 * Allocate / free a block on behalf of @owner (PGO_HEAP, PGO_XMALLOC_*).
 * free_pages_owned() panics when the block's owner is not @owner.
 */
mfn_t alloc_pages_owned(unsigned int order, unsigned int memflags,
                        enum page_owner owner);
void free_pages_owned(mfn_t mfn, unsigned int order, enum page_owner owner);

/* "free", "heap", "xmalloc-large", ... for messages. */
const char *page_owner_name(enum page_owner owner);

/* ---- page_ref.c: domain pages (lock order: p2m, domheap, heap) ---- */

extern spinlock_t domheap_lock;
/* Domain pages allocated (+) or freed (-). Caller holds domheap_lock. */
void domheap_account(int64_t pages);
/* put_page() / drop the owner's reference (false: it had none), with
 * domheap_lock held. */
void page_put_locked(struct page_info *pg);
bool page_drop_owner_ref_locked(struct page_info *pg);
/* Mark a hypervisor frame as mapped at @gfn of @d, and unmark it. */
void xen_frame_share_locked(struct page_info *pg, struct domain *d,
                            uint64_t gfn);
void xen_frame_unshare_locked(struct page_info *pg);
/* Unmap every frame of the block at @mfn that is mapped into a guest;
 * free_pages() calls it through the hook, before the frames go back to
 * the buddy. */
void xen_frames_unmap(mfn_t mfn, unsigned int order);
extern void (*xen_frames_unmap_hook)(mfn_t mfn, unsigned int order);

/* ---- memory_map.c ---- */

/* Free @d's memory map (destroy). */
void domain_memmap_free(struct domain *d);

/* ---- xmalloc.c ---- */

void xmalloc_reset(void);

#endif /* ORRERY_MM_INTERNAL_H */
