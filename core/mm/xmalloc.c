/* SPDX-License-Identifier: MIT */
/*
 * xmalloc: the hypervisor's own heap on top of the buddy.
 *
 * Small sizes (up to half a page) come from pools of power-of-two objects,
 * 16 .. 2048 bytes, one pool page holding objects of one class only. The
 * pool page's frame table entry records the class, the number of objects
 * handed out, the head of its free list and a bump offset for objects
 * never used yet; it needs no header inside the page, so every object of
 * class C sits at a multiple of C and is aligned to C. That makes
 * xmalloc_aligned() free: round the size up to the alignment.
 *
 * A free object holds the offset of the next one and a magic word. The
 * magic is only a hint -- live data can contain it -- so a suspected
 * double free is confirmed by walking the page's free list.
 *
 * Larger sizes get a block of whole pages owned PGO_XMALLOC_LARGE.
 *
 * Lock order: xmalloc_lock, then the buddy's heap lock.
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/spinlock.h>

#include "mm-internal.h"

#define MIN_SHIFT 4
#define MAX_SHIFT (PAGE_SHIFT - 1)
#define NR_CLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define POOL_END 0xffffU
#define FREE_MAGIC 0x5846524545444f42ULL    /* "BODEERFX" */

BUILD_BUG_ON(PAGE_SIZE > POOL_END);

struct free_obj {
    uint16_t next;          /* offset of the next free object, POOL_END */
    uint16_t pad[3];
    uint64_t magic;         /* FREE_MAGIC while free */
};
BUILD_BUG_ON(sizeof(struct free_obj) > (1U << MIN_SHIFT));

static DEFINE_SPINLOCK(xmalloc_lock);
/* Pool pages of each class with at least one free object. */
static struct list_head partial[NR_CLASSES];
static uint64_t class_pages[NR_CLASSES], class_objects[NR_CLASSES];
static uint64_t bytes_in_use, nr_objects, pool_pages, large_pages;

#define xmalloc_fail(flags, fmt, ...) \
    do { spin_unlock_irqrestore(&xmalloc_lock, flags); \
         panic("xfree: " fmt, ##__VA_ARGS__); } while ( 0 )

void xmalloc_reset(void)
{
    unsigned int c;

    spin_lock_init(&xmalloc_lock);
    for ( c = 0; c < NR_CLASSES; c++ )
    {
        INIT_LIST_HEAD(&partial[c]);
        class_pages[c] = class_objects[c] = 0;
    }
    bytes_in_use = nr_objects = pool_pages = large_pages = 0;
}

/* Smallest n with 2^n >= x (x >= 1). */
static unsigned int ceil_log2(uint64_t x)
{
    return x <= 1 ? 0 : 64 - (unsigned int)__builtin_clzll(x - 1);
}

static void *pool_alloc(unsigned int shift)
{
    unsigned int c = shift - MIN_SHIFT;
    unsigned long flags;
    struct page_info *pg;
    unsigned int off;
    char *base;

    spin_lock_irqsave(&xmalloc_lock, flags);
    if ( list_empty(&partial[c]) )
    {
        mfn_t mfn = alloc_pages_owned(0, 0, PGO_XMALLOC_POOL);

        if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        {
            spin_unlock_irqrestore(&xmalloc_lock, flags);
            return NULL;
        }
        pg = mfn_to_page(mfn);
        pg->u.pool.shift = shift;
        pg->u.pool.used = 0;
        pg->u.pool.free_head = POOL_END;
        pg->u.pool.bump = 0;
        list_add(&pg->list, &partial[c]);
        class_pages[c]++;
        pool_pages++;
    }

    pg = list_first_entry(&partial[c], struct page_info, list);
    base = arch_mfn_to_virt(page_to_mfn(pg));
    if ( pg->u.pool.free_head != POOL_END )
    {
        struct free_obj *obj;

        off = pg->u.pool.free_head;
        obj = (struct free_obj *)(base + off);
        pg->u.pool.free_head = obj->next;
        obj->magic = 0;
    }
    else
    {
        /* The page may hold a stale magic from an earlier life as a pool
         * page: clear it, or freeing this object would walk the list. */
        off = pg->u.pool.bump;
        pg->u.pool.bump += 1U << shift;
        ((struct free_obj *)(base + off))->magic = 0;
    }
    if ( ++pg->u.pool.used == PAGE_SIZE >> shift )
        list_del(&pg->list);            /* full: off the partial list */

    class_objects[c]++;
    nr_objects++;
    bytes_in_use += 1UL << shift;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return base + off;
}

static bool on_free_list(const struct page_info *pg, const char *base,
                         unsigned int off)
{
    unsigned int cur = pg->u.pool.free_head;

    while ( cur != POOL_END )
    {
        if ( cur == off )
            return true;
        cur = ((const struct free_obj *)(base + cur))->next;
    }
    return false;
}

/* Called with xmalloc_lock held; releases it. */
static void pool_free(unsigned long flags, struct page_info *pg, void *p)
{
    unsigned int shift = pg->u.pool.shift;
    unsigned int c = shift - MIN_SHIFT;
    char *base = arch_mfn_to_virt(page_to_mfn(pg));
    unsigned int off = (unsigned int)((char *)p - base);
    struct free_obj *obj = p;

    if ( shift < MIN_SHIFT || shift > MAX_SHIFT )
        xmalloc_fail(flags, "%p: pool page 0x%lx has corrupt class %u\n",
                     p, mfn_x(page_to_mfn(pg)), shift);
    if ( off & ((1U << shift) - 1) )
        xmalloc_fail(flags, "%p is not the start of a %u-byte object\n",
                     p, 1U << shift);
    if ( off >= pg->u.pool.bump )
        xmalloc_fail(flags, "%p was never allocated (%u-byte pool)\n",
                     p, 1U << shift);
    if ( obj->magic == FREE_MAGIC && on_free_list(pg, base, off) )
        xmalloc_fail(flags, "double free of %p (%u-byte object)\n",
                     p, 1U << shift);

    if ( pg->u.pool.used-- == PAGE_SIZE >> shift )
        list_add(&pg->list, &partial[c]);   /* was full */
    class_objects[c]--;
    nr_objects--;
    bytes_in_use -= 1UL << shift;

    if ( pg->u.pool.used == 0 )
    {
        /* Empty: back to the buddy, so an idle xmalloc holds no pages. */
        list_del(&pg->list);
        pg->u.order = 0;
        class_pages[c]--;
        pool_pages--;
        free_pages_owned(page_to_mfn(pg), 0, PGO_XMALLOC_POOL);
    }
    else
    {
        obj->next = pg->u.pool.free_head;
        obj->magic = FREE_MAGIC;
        pg->u.pool.free_head = off;
    }
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

static void *large_alloc(size_t size)
{
    unsigned int order = ceil_log2(ROUNDUP((uint64_t)size, PAGE_SIZE) >>
                                   PAGE_SHIFT);
    unsigned long flags;
    mfn_t mfn;

    if ( order > MAX_ORDER )
        return NULL;
    mfn = alloc_pages_owned(order, 0, PGO_XMALLOC_LARGE);
    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        return NULL;

    spin_lock_irqsave(&xmalloc_lock, flags);
    nr_objects++;
    large_pages += 1UL << order;
    bytes_in_use += PAGE_SIZE << order;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return arch_mfn_to_virt(mfn);
}

void *xmalloc_aligned(size_t size, size_t align)
{
    size_t need;

    if ( align == 0 || (align & (align - 1)) || align > PAGE_SIZE )
        panic("xmalloc: alignment %lu is not a power of two up to %lu\n",
              (unsigned long)align, PAGE_SIZE);
    if ( size == 0 )
        size = 1;
    /* Sizes this big cannot be rounded up without overflowing. */
    if ( size > (PAGE_SIZE << MAX_ORDER) )
        return NULL;

    need = MAX(size, align);
    if ( need <= PAGE_SIZE / 2 )
        return pool_alloc(MAX(ceil_log2(need), MIN_SHIFT));
    return large_alloc(size);
}

void *xmalloc_bytes(size_t size)
{
    return xmalloc_aligned(size, 1);
}

void *xzalloc_aligned(size_t size, size_t align)
{
    void *p = xmalloc_aligned(size, align);

    if ( p )
        memset(p, 0, size);
    return p;
}

void *xzalloc_bytes(size_t size)
{
    return xzalloc_aligned(size, 1);
}

void *xmalloc_array_bytes(size_t size, size_t align, size_t n, bool zero)
{
    size_t total;

    if ( __builtin_mul_overflow(size, n, &total) )
        return NULL;
    return zero ? xzalloc_aligned(total, align)
                : xmalloc_aligned(total, align);
}

void xfree(void *p)
{
    unsigned long flags;
    struct page_info *pg;
    unsigned int order;
    mfn_t mfn;

    if ( !p )
        return;
    mfn = arch_virt_to_mfn(p);
    if ( !mfn_valid(mfn) )
        panic("xfree: %p is not xmalloc memory (not in RAM)\n", p);

    spin_lock_irqsave(&xmalloc_lock, flags);
    pg = mfn_to_page(mfn);
    if ( page_owner(pg) == PGO_XMALLOC_POOL && !(pg->count_info & PGC_free) )
    {
        pool_free(flags, pg, p);
        return;
    }
    if ( pg->count_info & PGC_free )
        xmalloc_fail(flags, "double free of %p (its frame 0x%lx is free)\n",
                     p, mfn_x(mfn));
    if ( page_owner(pg) != PGO_XMALLOC_LARGE )
        xmalloc_fail(flags, "%p is not xmalloc memory (frame 0x%lx belongs "
                     "to %s)\n", p, mfn_x(mfn),
                     page_owner_name(page_owner(pg)));
    if ( !(pg->count_info & PGC_head) ||
         !IS_ALIGNED((uintptr_t)p, PAGE_SIZE) )
        xmalloc_fail(flags, "%p points inside a large allocation\n", p);

    /* Still under xmalloc_lock, so a racing second xfree() of @p sees
     * the frame free and reports the double free above. */
    order = pg->u.order;
    free_pages_owned(mfn, order, PGO_XMALLOC_LARGE);
    nr_objects--;
    large_pages -= 1UL << order;
    bytes_in_use -= PAGE_SIZE << order;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

void xmalloc_stats(struct xmalloc_stats *st)
{
    unsigned long flags;

    spin_lock_irqsave(&xmalloc_lock, flags);
    st->bytes_in_use = bytes_in_use;
    st->objects = nr_objects;
    st->pool_pages = pool_pages;
    st->large_pages = large_pages;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

void xmalloc_dump(void)
{
    unsigned long flags;
    unsigned int c;

    spin_lock_irqsave(&xmalloc_lock, flags);
    printk(LOG_INFO "xmalloc: %lu object(s), %lu bytes in use, %lu pool "
           "page(s), %lu large page(s)\n", nr_objects, bytes_in_use,
           pool_pages, large_pages);
    for ( c = 0; c < NR_CLASSES; c++ )
        if ( class_pages[c] )
            printk(LOG_INFO "  %4u-byte pool: %lu page(s), %lu object(s) "
                   "of %lu\n", 1U << (c + MIN_SHIFT), class_pages[c],
                   class_objects[c],
                   class_pages[c] * (PAGE_SIZE >> (c + MIN_SHIFT)));
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}
