/* SPDX-License-Identifier: MIT */
/*
 * Memory management: the boot allocator, the buddy page allocator,
 * xmalloc, and domain pages (ownership, references, per-domain
 * allocation; docs/guest-memory.md) with memory_op. Boot order
 * (core/boot/start.c):
 *
 *     bootmem_init(&map, bi->reserved, bi->nr_reserved);
 *     arch_paging_init(&map);   page tables via bootmem_alloc()
 *     page_alloc_init();        frame table, then all that is left -> buddy
 *     xmalloc() ... from then on
 *
 * Memory is only ever touched through arch_mfn_to_virt(), so the same code
 * runs on the direct map in the image and on simulated memory on sim.
 * Every misuse that would corrupt the allocator (double free, freeing a
 * frame that was never handed out, exhausting the boot allocator) panics
 * with a message naming the frame or request; the allocator's own state
 * is left consistent before panicking.
 */
#ifndef ORRERY_MM_H
#define ORRERY_MM_H

#include <orrery/boot.h>
#include <orrery/list.h>
#include <orrery/memmap.h>

#include <public/memory.h>

/* ---- Boot allocator ----------------------------------------------------- */

/*
 * Start the boot allocator: the free ranges are the RAM entries of the
 * sanitised @map minus every range in @reserved (end exclusive; rounded
 * out to whole pages). Nothing is special-cased: the arch reserves what
 * it needs (low memory, the image, modules). Panics if @map is not
 * sanitised (unsorted or overlapping entries) or a reserved range is
 * inverted. Begins a fresh boot: any earlier page allocator and xmalloc
 * state is forgotten (sim tests rely on this to run many scenarios).
 */
void bootmem_init(const struct memmap *map, const struct boot_range *reserved,
                  unsigned int nr_reserved);

/*
 * Allocate @size bytes (rounded up to whole pages) aligned to @align (a
 * power of two; below PAGE_SIZE means PAGE_SIZE) that end at or below
 * @below (0: no limit). Takes from the highest suitable free range, so
 * low memory stays for what needs it. The memory is not zeroed. Never
 * fails: panics naming size, alignment and limit when it cannot satisfy
 * the request, and once page_alloc_init() has run.
 */
paddr_t bootmem_alloc(uint64_t size, uint64_t align, paddr_t below);

/* Bytes still free in the boot allocator. */
uint64_t bootmem_free_bytes(void);

/* printk the free ranges. */
void bootmem_dump(void);

/* ---- Frame table -------------------------------------------------------- */

/* Orders 0 .. MAX_ORDER: blocks of 4 KiB .. 1 GiB. */
#define MAX_ORDER 18

/*
 * count_info layout. Bits 0-3: who owns the frame (PGO_*); PGC_* flags
 * above; the upper half is the reference count of a domain page
 * (PGO_DOMAIN), as Xen keeps one in count_info.
 */
#define PGC_OWNER_MASK  0xfUL
#define PGC_free        (1UL << 4)   /* in a free buddy block */
#define PGC_head        (1UL << 5)   /* first frame of a block */
#define PGC_allocated   (1UL << 6)   /* PGO_DOMAIN: the owner's reference */
#define PGC_xen_shared  (1UL << 7)   /* PGO_HEAP frame mapped into a guest */
#define PGC_COUNT_SHIFT 32
#define PGC_COUNT_MASK  (~0UL << PGC_COUNT_SHIFT)

enum page_owner {
    PGO_FREE = 0,       /* in the buddy */
    PGO_HEAP,           /* alloc_pages() */
    PGO_XMALLOC_LARGE,  /* xmalloc of more than half a page */
    PGO_XMALLOC_POOL,   /* a page carved into xmalloc objects */
    PGO_RESERVED,       /* hole, boot reservation or bootmem allocation */
    PGO_DOMAIN,         /* alloc_domheap_pages(): a domain's page */
};

struct domain;

/*
 * One per machine frame from the lowest to the highest RAM frame, holes
 * included (marked PGO_RESERVED). 48 bytes: new fields (type count...)
 * are added here as subsystems need them.
 */
struct page_info {
    /* free list, xmalloc pool list, or the owner's page list (PGO_DOMAIN) */
    struct list_head list;
    unsigned long count_info;       /* PGO_* | PGC_* | reference count */
    union {
        /* PGC_head frames of free blocks and of alloc_pages() blocks */
        unsigned int order;
        /* PGO_XMALLOC_POOL frames */
        struct {
            uint8_t shift;          /* object size is 1 << shift */
            uint16_t used;          /* objects handed out */
            uint16_t free_head;     /* offset of first free object */
            uint16_t bump;          /* offset of first never-used object */
        } pool;
    } u;
    /*
     * PGO_DOMAIN: the owning domain (NULL once orphaned: its owner was
     * destroyed while others still held references). PGC_xen_shared:
     * the guest the frame is mapped into, at @gfn of its p2m.
     */
    struct domain *owner;
    uint64_t gfn;
};

static inline enum page_owner page_owner(const struct page_info *pg)
{
    return (enum page_owner)(pg->count_info & PGC_OWNER_MASK);
}

/* Does @mfn have a frame table entry? False before page_alloc_init(). */
bool mfn_valid(mfn_t mfn);
/* The entry for @mfn; panics when !mfn_valid(mfn). */
struct page_info *mfn_to_page(mfn_t mfn);
mfn_t page_to_mfn(const struct page_info *pg);

/* ---- Buddy page allocator ----------------------------------------------- */

/*
 * Build the frame table (from bootmem, covering every RAM frame; frames
 * between RAM ranges and frames not free in bootmem are PGO_RESERVED),
 * then give every remaining bootmem free range to the buddy in maximal
 * naturally aligned blocks. Closes the boot allocator.
 */
void page_alloc_init(void);

#define MEMF_ZERO       (1U << 0)   /* zero the pages */
#define MEMF_BELOW_4G   (1U << 1)   /* whole block below 4 GiB (DMA, APs) */
/* and MEMF_bits(n) below: the block ends at or below 2^n bytes */

/*
 * Allocate 2^@order contiguous, naturally aligned frames. Returns
 * INVALID_MFN when no block is free (or @order > MAX_ORDER, or @memflags
 * has unknown bits). Without MEMF_BELOW_4G memory above 4 GiB is used
 * first, keeping low memory for those who need it.
 */
mfn_t alloc_pages(unsigned int order, unsigned int memflags);

/*
 * Free a block from alloc_pages() with the same @order; merges buddies.
 * Panics on double free, a wrong order, a frame inside (not at the head
 * of) a block, reserved frames, frames owned by xmalloc, and non-RAM.
 */
void free_pages(mfn_t mfn, unsigned int order);

/* The same through the hypervisor mapping; NULL when none is free. */
void *alloc_page_virt(unsigned int order, unsigned int memflags);
/* NULL is ignored. */
void free_page_virt(void *va, unsigned int order);

struct page_alloc_stats {
    uint64_t total_pages;       /* RAM frames in the memory map */
    uint64_t free_pages;        /* now free in the buddy */
    uint64_t reserved_pages;    /* RAM never given to the buddy */
    uint64_t max_page;          /* one past the highest RAM frame */
    uint64_t free_blocks[MAX_ORDER + 1];    /* free blocks per order */
};

void page_alloc_stats(struct page_alloc_stats *st);

/* printk the per-order free lists (debug key 'm'). */
void page_alloc_dump(void);

/* ---- Domain pages: ownership and references ----------------------------- */

/*
 * A domain's guest RAM comes from alloc_domheap_pages(): each frame is
 * then PGO_DOMAIN, owned by the domain (page_get_owner()), on its page
 * list (d->page_list), counted in its ledger (LEDGER_GUEST_PAGES, Xen's
 * tot_pages) against d->max_pages, and carries a reference count:
 *
 *   1   the owner's reference (PGC_allocated), from allocation until the
 *       owner gives the page back (decrease_reservation, destroy...),
 *       whether or not the page is mapped in the owner's p2m;
 *  +1   per grant mapping of the page by another domain, per long-lived
 *       hypervisor mapping (vcpu_info, runstate area, FIFO control block)
 *       -- each taken with get_page() and dropped with put_page().
 *
 * A page is freed only when its count reaches zero: it is then scrubbed
 * (zeroed, so no byte of the old owner reaches the next user), taken off
 * its owner's list, uncounted from the owner's ledger and given back to
 * the buddy. When a domain is destroyed, pages others still reference
 * are orphaned: owner NULL, the dead domain's ledger credited (it reads
 * zero), the page alive until the last put_page().
 *
 * Frames the hypervisor allocated for itself and maps into a guest
 * (shared_info, grant-table frames) stay PGO_HEAP with PGC_xen_shared
 * while mapped; their allocator frees them, the guest never does.
 *
 * One lock (domheap_lock in page_ref.c) covers every count and page
 * list: the operations are short, and it keeps the rules checkable.
 */

/* Address-width limit for an allocation (Xen's MEMF_bits): every frame
 * of the block ends below 2^@n bytes. 0: no limit. */
#define MEMF_BITS_SHIFT 8
#define MEMF_BITS_MASK  (0xffU << MEMF_BITS_SHIFT)
#define MEMF_bits(n)    ((unsigned int)(n) << MEMF_BITS_SHIFT)

/*
 * Allocate 2^@order contiguous frames for @d, zeroed (a page may come
 * from hypervisor use; a guest never sees old bytes), each owned by @d
 * with the owner's reference only, and charged to @d's ledger. NULL when
 * @d is dying, the charge would pass d->max_pages, @order > MAX_ORDER,
 * @memflags has bits other than MEMF_ZERO (implied anyway),
 * MEMF_BELOW_4G and MEMF_bits(), or no block is free. The frames are independent from then on: any one may
 * be freed alone.
 */
struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order,
                                      unsigned int memflags);

/*
 * The owner gives back 2^@order frames from @pg: each loses its owner's
 * reference (PGC_allocated); those with no other reference are freed,
 * the others stay owned and counted until their last put_page(). A frame
 * whose owner's reference is already gone is skipped.
 */
void free_domheap_pages(struct page_info *pg, unsigned int order);

/* @pg's owner: a PGO_DOMAIN page's domain (NULL when orphaned), or the
 * guest a PGC_xen_shared frame is mapped into; NULL for other frames. */
struct domain *page_get_owner(const struct page_info *pg);

/*
 * Take a reference on @pg, which must be a page @d owns and still holds
 * (PGC_allocated). Returns false, taking nothing, for any other frame
 * (another domain's, an orphan, a hypervisor frame, a free frame), when
 * @d is dying, or when the count would overflow. The grant code takes
 * one per mapping of a granted page, and holds it until the unmap, even
 * past the granter's destruction.
 */
bool get_page(struct page_info *pg, const struct domain *d);

/* Drop a reference taken with get_page(); the last one frees the page
 * (scrubbed). Panics on a frame with no reference to drop. */
void put_page(struct page_info *pg);

/* References @pg holds now (0 for a frame that is not a domain page). */
unsigned int page_refcount(const struct page_info *pg);

/*
 * At destroy (after the p2m is torn down): give back every page @d still
 * owns -- pages never mapped (increase_reservation on a translated
 * guest) or unmapped by remove_from_physmap -- and orphan those others
 * still reference, so that @d's ledger reads zero.
 */
void domain_relinquish_memory(struct domain *d);

/*
 * The p2m's side (core/p2m): a RAM entry of @d for @mfn was released
 * (p2m_release_ram(), or teardown). A page @d owns loses its owner's
 * reference; a PGC_xen_shared frame is just unmarked (its allocator
 * frees it); a plain PGO_HEAP frame (handed to p2m_set_range() as RAM
 * straight from alloc_pages(), as some tests do) is freed, as the p2m
 * always did. Anything else is left alone.
 */
void p2m_ram_released(struct domain *d, mfn_t mfn);

/* Domain pages in use (owned or orphaned), machine-wide. */
uint64_t domheap_pages_in_use(void);

/* ---- A domain's memory map (XENMEM_memory_map) ------------------------- */

#define DOMAIN_MEMMAP_MAX 128

struct domain_memmap {
    unsigned int nr;
    struct xen_e820_entry e[];
};

/*
 * Set the map XENMEM_memory_map reports to @d (the domain builder does,
 * from the layout it gave the guest), replacing any earlier one. Entries
 * are taken as given, in order. -EINVAL: no entries, more than
 * DOMAIN_MEMMAP_MAX, an entry of size 0 or type 0, or one that wraps
 * past 2^64; -ENOMEM.
 */
int domain_set_memory_map(struct domain *d, const struct memmap_entry *e,
                          unsigned int nr);

/* ---- xmalloc ------------------------------------------------------------ */

/*
 * Sizes up to half a page come from power-of-two pools of 16 .. 2048
 * bytes carved from pages; an object of class C is aligned to C. Larger
 * sizes get whole pages. A size of 0 is treated as 1. Returns NULL when
 * memory is exhausted or the size cannot be satisfied.
 */
void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
/* @align: a power of two up to PAGE_SIZE (panics otherwise). */
void *xmalloc_aligned(size_t size, size_t align);
void *xzalloc_aligned(size_t size, size_t align);

/*
 * Free an xmalloc'ed pointer; NULL is ignored. Panics on double free and
 * on pointers xmalloc never returned. Empty pool pages go back to the
 * buddy at once.
 */
void xfree(void *p);

/* @n objects of @size bytes; NULL when n * size overflows. */
void *xmalloc_array_bytes(size_t size, size_t align, size_t n, bool zero);

#define xmalloc(type) \
    ((type *)xmalloc_aligned(sizeof(type), __alignof__(type)))
#define xzalloc(type) \
    ((type *)xzalloc_aligned(sizeof(type), __alignof__(type)))
#define xmalloc_array(type, n) \
    ((type *)xmalloc_array_bytes(sizeof(type), __alignof__(type), (n), false))
#define xzalloc_array(type, n) \
    ((type *)xmalloc_array_bytes(sizeof(type), __alignof__(type), (n), true))

struct xmalloc_stats {
    uint64_t bytes_in_use;  /* size-class (or whole-page) bytes handed out */
    uint64_t objects;       /* live allocations */
    uint64_t pool_pages;    /* pages carved into pools */
    uint64_t large_pages;   /* pages behind large allocations */
};

void xmalloc_stats(struct xmalloc_stats *st);

/* printk per-class pool usage and large allocations (debug key 'm'). */
void xmalloc_dump(void);

/* ---- memory_op (core/mm/memory_op*.c) ---------------------------------- */

struct vcpu;
struct hypercall_regs;

/* __HYPERVISOR_memory_op: the subops and their errors are described in
 * core/mm/memory_op.c and the files beside it. */
int64_t do_memory_op(struct vcpu *v, struct hypercall_regs *r);

#endif /* ORRERY_MM_H */
