/* SPDX-License-Identifier: MIT */
/*
 * Memory management: the boot allocator, the buddy page allocator and
 * xmalloc. Boot order (core/boot/start.c):
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
 * above. The upper half is left for a reference count when domains come
 * to own pages (as Xen keeps one in count_info).
 */
#define PGC_OWNER_MASK  0xfUL
#define PGC_free        (1UL << 4)   /* in a free buddy block */
#define PGC_head        (1UL << 5)   /* first frame of a block */

enum page_owner {
    PGO_FREE = 0,       /* in the buddy */
    PGO_HEAP,           /* alloc_pages() */
    PGO_XMALLOC_LARGE,  /* xmalloc of more than half a page */
    PGO_XMALLOC_POOL,   /* a page carved into xmalloc objects */
    PGO_RESERVED,       /* hole, boot reservation or bootmem allocation */
};

/*
 * One per machine frame from the lowest to the highest RAM frame, holes
 * included (marked PGO_RESERVED). 32 bytes: new fields (owning domain,
 * type count) are added here as subsystems need them.
 */
struct page_info {
    struct list_head list;          /* free list, or xmalloc pool list */
    unsigned long count_info;       /* PGO_* | PGC_* */
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
    uint64_t free_blocks[MAX_ORDER + 1];    /* free blocks per order */
};

void page_alloc_stats(struct page_alloc_stats *st);

/* printk the per-order free lists (debug key 'm'). */
void page_alloc_dump(void);

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

#endif /* ORRERY_MM_H */
