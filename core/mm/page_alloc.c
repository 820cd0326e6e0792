/* SPDX-License-Identifier: MIT */
/*
 * The buddy page allocator. Free memory is kept as naturally aligned
 * blocks of 2^order frames on per-order free lists; freeing a block merges
 * it with its buddy (the block whose frame number differs only in bit
 * @order) for as long as the buddy is free too, so a fully freed heap
 * always returns to the same, maximally merged picture.
 *
 * Two zones: blocks below 4 GiB and blocks above. A block is at most
 * 1 GiB and naturally aligned, so it never straddles the 4 GiB line and
 * buddies always share a zone. MEMF_BELOW_4G searches only the low zone;
 * everything else prefers the high one.
 *
 * Every frame of a block carries its state in count_info: PGC_free in free
 * blocks, the owner in allocated ones, PGC_head on the first frame (which
 * also records the order). That costs a loop over the block's frames on
 * alloc and free, and buys exact double-free and bad-free detection.
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/spinlock.h>

#include "mm-internal.h"

BUILD_BUG_ON(sizeof(struct page_info) != 48);

enum { ZONE_LOW, ZONE_HIGH, NR_ZONES };
#define ZONE_LOW_END_MFN (1UL << (32 - PAGE_SHIFT))

static DEFINE_SPINLOCK(heap_lock);
static struct page_info *frame_table;
static uint64_t ft_base, ft_nr;
static uint64_t ram_pages, reserved_pages, free_count;
static struct list_head free_lists[NR_ZONES][MAX_ORDER + 1];
static uint64_t nr_blocks[NR_ZONES][MAX_ORDER + 1];

#define heap_fail(flags, fmt, ...) \
    do { spin_unlock_irqrestore(&heap_lock, flags); \
         panic(fmt, ##__VA_ARGS__); } while ( 0 )

static const char *const owner_names[] = {
    [PGO_FREE] = "free",
    [PGO_HEAP] = "heap",
    [PGO_XMALLOC_LARGE] = "xmalloc-large",
    [PGO_XMALLOC_POOL] = "xmalloc-pool",
    [PGO_RESERVED] = "reserved",
    [PGO_DOMAIN] = "domain",
};

const char *page_owner_name(enum page_owner owner)
{
    if ( (unsigned int)owner < ARRAY_SIZE(owner_names) && owner_names[owner] )
        return owner_names[owner];
    return "corrupt";
}

static unsigned int zone_of(uint64_t mfn)
{
    return mfn < ZONE_LOW_END_MFN ? ZONE_LOW : ZONE_HIGH;
}

bool mfn_valid(mfn_t mfn)
{
    return frame_table && mfn_x(mfn) >= ft_base &&
           mfn_x(mfn) - ft_base < ft_nr;
}

struct page_info *mfn_to_page(mfn_t mfn)
{
    if ( !mfn_valid(mfn) )
        panic("mfn_to_page: frame 0x%lx has no frame table entry\n",
              mfn_x(mfn));
    return &frame_table[mfn_x(mfn) - ft_base];
}

mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn(ft_base + (uint64_t)(pg - frame_table));
}

void page_alloc_reset(void)
{
    unsigned int z, o;

    spin_lock_init(&heap_lock);
    frame_table = NULL;
    ft_base = ft_nr = 0;
    ram_pages = reserved_pages = free_count = 0;
    for ( z = 0; z < NR_ZONES; z++ )
        for ( o = 0; o <= MAX_ORDER; o++ )
        {
            INIT_LIST_HEAD(&free_lists[z][o]);
            nr_blocks[z][o] = 0;
        }
    xmalloc_reset();
}

void page_alloc_set_frame_table(struct page_info *table, uint64_t base_mfn,
                                uint64_t nr_frames, uint64_t ram,
                                uint64_t reserved)
{
    unsigned long flags;

    spin_lock_irqsave(&heap_lock, flags);
    frame_table = table;
    ft_base = base_mfn;
    ft_nr = nr_frames;
    ram_pages = ram;
    reserved_pages = reserved;
    spin_unlock_irqrestore(&heap_lock, flags);
}

/* Put a block whose frames are already marked free on its list, merging
 * with free buddies first. Called with heap_lock held. */
static void merge_and_insert(uint64_t mfn, unsigned int order)
{
    struct page_info *head;

    while ( order < MAX_ORDER )
    {
        uint64_t buddy = mfn ^ (1UL << order);
        struct page_info *bpg;

        if ( !mfn_valid(_mfn(buddy)) )
            break;
        bpg = &frame_table[buddy - ft_base];
        if ( bpg->count_info != (PGC_free | PGC_head) ||
             bpg->u.order != order )
            break;
        list_del(&bpg->list);
        nr_blocks[zone_of(buddy)][order]--;
        bpg->count_info = PGC_free;
        mfn &= ~(1UL << order);
        order++;
    }

    head = &frame_table[mfn - ft_base];
    head->count_info = PGC_free | PGC_head;
    head->u.order = order;
    list_add(&head->list, &free_lists[zone_of(mfn)][order]);
    nr_blocks[zone_of(mfn)][order]++;
}

static void mark_block(struct page_info *pg, unsigned int order,
                       unsigned long count_info)
{
    uint64_t i;

    for ( i = 0; i < (1UL << order); i++ )
        pg[i].count_info = count_info;
}

void page_alloc_add_block(mfn_t mfn, unsigned int order)
{
    unsigned long flags;
    struct page_info *pg;

    spin_lock_irqsave(&heap_lock, flags);
    if ( order > MAX_ORDER || !IS_ALIGNED(mfn_x(mfn), 1UL << order) ||
         !mfn_valid(mfn) || !mfn_valid(_mfn(mfn_x(mfn) + (1UL << order) - 1)) )
        heap_fail(flags, "page_alloc: bad initial block 0x%lx order %u\n",
                  mfn_x(mfn), order);
    pg = &frame_table[mfn_x(mfn) - ft_base];
    mark_block(pg, order, PGC_free);
    free_count += 1UL << order;
    merge_and_insert(mfn_x(mfn), order);
    spin_unlock_irqrestore(&heap_lock, flags);
}

/*
 * The first free block of order @o in @zone whose first 2^@order frames
 * end at or below frame @limit (0: no limit): the part take_block() keeps
 * is the block's start. Without a limit that is the list's head.
 */
static struct page_info *find_block(unsigned int zone, unsigned int o,
                                    unsigned int order, uint64_t limit)
{
    struct list_head *pos;

    list_for_each(pos, &free_lists[zone][o])
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);

        if ( !limit ||
             ft_base + (uint64_t)(pg - frame_table) + (1UL << order) <= limit )
            return pg;
    }
    return NULL;
}

/* Take a block of at least @order from @zone and split it down. */
static struct page_info *take_block(unsigned int zone, unsigned int order,
                                    uint64_t limit)
{
    struct page_info *pg = NULL;
    unsigned int o;

    for ( o = order; o <= MAX_ORDER; o++ )
        if ( (pg = find_block(zone, o, order, limit)) != NULL )
            break;
    if ( !pg )
        return NULL;

    list_del(&pg->list);
    nr_blocks[zone][o]--;

    /* Return the upper halves; their frames are still marked free. */
    while ( o > order )
    {
        struct page_info *upper;

        o--;
        upper = pg + (1UL << o);
        upper->count_info = PGC_free | PGC_head;
        upper->u.order = o;
        list_add(&upper->list, &free_lists[zone][o]);
        nr_blocks[zone][o]++;
    }
    return pg;
}

mfn_t alloc_pages_owned(unsigned int order, unsigned int memflags,
                        enum page_owner owner)
{
    unsigned long flags;
    struct page_info *pg = NULL;
    mfn_t mfn;
    uint64_t i, limit = 0;
    unsigned int bits = (memflags & MEMF_BITS_MASK) >> MEMF_BITS_SHIFT;

    if ( order > MAX_ORDER ||
         (memflags & ~(MEMF_ZERO | MEMF_BELOW_4G | MEMF_BITS_MASK)) )
        return INVALID_MFN;
    /* MEMF_bits(n): the block ends at or below 2^n bytes. */
    if ( bits && bits < PAGE_SHIFT )
        return INVALID_MFN;
    if ( bits && bits < 64 )
        limit = 1UL << (bits - PAGE_SHIFT);
    if ( limit && limit <= ZONE_LOW_END_MFN )
        memflags |= MEMF_BELOW_4G;

    spin_lock_irqsave(&heap_lock, flags);
    if ( !(memflags & MEMF_BELOW_4G) )
        pg = take_block(ZONE_HIGH, order, limit);
    if ( !pg )
        pg = take_block(ZONE_LOW, order, limit);
    if ( !pg )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        return INVALID_MFN;
    }
    mark_block(pg, order, owner);
    pg->count_info |= PGC_head;
    pg->u.order = order;
    free_count -= 1UL << order;
    mfn = page_to_mfn(pg);
    spin_unlock_irqrestore(&heap_lock, flags);

    if ( memflags & MEMF_ZERO )
        for ( i = 0; i < (1UL << order); i++ )
            memset(arch_mfn_to_virt(_mfn(mfn_x(mfn) + i)), 0, PAGE_SIZE);
    return mfn;
}

void free_pages_owned(mfn_t mfn, unsigned int order, enum page_owner owner)
{
    unsigned long flags;
    struct page_info *pg;
    enum page_owner have;

    spin_lock_irqsave(&heap_lock, flags);
    if ( !mfn_valid(mfn) )
        heap_fail(flags, "free_pages: frame 0x%lx is not RAM known to the "
                  "page allocator\n", mfn_x(mfn));
    if ( order > MAX_ORDER )
        heap_fail(flags, "free_pages: frame 0x%lx: bad order %u\n",
                  mfn_x(mfn), order);
    pg = &frame_table[mfn_x(mfn) - ft_base];
    have = page_owner(pg);
    if ( pg->count_info & PGC_free )
        heap_fail(flags, "free_pages: frame 0x%lx is already free "
                  "(double free, or never allocated)\n", mfn_x(mfn));
    if ( have == PGO_RESERVED )
        heap_fail(flags, "free_pages: frame 0x%lx is reserved (a hole, a "
                  "boot reservation or a boot allocation), never "
                  "allocated\n", mfn_x(mfn));
    if ( have != owner )
        heap_fail(flags, "free_pages: frame 0x%lx belongs to %s, freed as "
                  "%s\n", mfn_x(mfn), page_owner_name(have),
                  page_owner_name(owner));
    if ( !(pg->count_info & PGC_head) )
        heap_fail(flags, "free_pages: frame 0x%lx is inside an allocated "
                  "block, not its first frame\n", mfn_x(mfn));
    if ( pg->u.order != order )
        heap_fail(flags, "free_pages: frame 0x%lx freed with order %u, "
                  "allocated with order %u\n", mfn_x(mfn), order,
                  pg->u.order);

    mark_block(pg, order, PGC_free);
    free_count += 1UL << order;
    merge_and_insert(mfn_x(mfn), order);
    spin_unlock_irqrestore(&heap_lock, flags);
}

mfn_t alloc_pages(unsigned int order, unsigned int memflags)
{
    return alloc_pages_owned(order, memflags, PGO_HEAP);
}

/*
 * Set by page_ref.c the first time it maps a frame into a guest: frames
 * are only ever shared through it, and the buddy stays free of any link
 * to domains and p2ms (the mm tests link it alone).
 */
void (*xen_frames_unmap_hook)(mfn_t mfn, unsigned int order);

void free_pages(mfn_t mfn, unsigned int order)
{
    /* A frame memory_op mapped into a guest leaves its p2m first: a
     * guest never keeps a mapping of a freed frame. */
    if ( xen_frames_unmap_hook )
        xen_frames_unmap_hook(mfn, order);
    free_pages_owned(mfn, order, PGO_HEAP);
}

void *alloc_page_virt(unsigned int order, unsigned int memflags)
{
    mfn_t mfn = alloc_pages(order, memflags);

    return mfn_x(mfn) == mfn_x(INVALID_MFN) ? NULL : arch_mfn_to_virt(mfn);
}

void free_page_virt(void *va, unsigned int order)
{
    if ( !va )
        return;
    if ( !IS_ALIGNED((uintptr_t)va, PAGE_SIZE) )
        panic("free_page_virt: %p is not page aligned\n", va);
    free_pages(arch_virt_to_mfn(va), order);
}

void page_alloc_stats(struct page_alloc_stats *st)
{
    unsigned long flags;
    unsigned int o;

    spin_lock_irqsave(&heap_lock, flags);
    st->total_pages = ram_pages;
    st->free_pages = free_count;
    st->reserved_pages = reserved_pages;
    st->max_page = ft_base + ft_nr;
    for ( o = 0; o <= MAX_ORDER; o++ )
        st->free_blocks[o] = nr_blocks[ZONE_LOW][o] + nr_blocks[ZONE_HIGH][o];
    spin_unlock_irqrestore(&heap_lock, flags);
}

void page_alloc_dump(void)
{
    static const char *const zone_names[] = { "below 4G", "above 4G" };
    unsigned long flags;
    unsigned int z, o;

    spin_lock_irqsave(&heap_lock, flags);
    printk(LOG_INFO "page_alloc: %lu RAM pages, %lu free, %lu reserved, "
           "%lu allocated\n", ram_pages, free_count, reserved_pages,
           ram_pages - reserved_pages - free_count);
    for ( z = 0; z < NR_ZONES; z++ )
    {
        uint64_t pages = 0;

        for ( o = 0; o <= MAX_ORDER; o++ )
            pages += nr_blocks[z][o] << o;
        printk(LOG_INFO "  zone %s: %lu free pages\n", zone_names[z], pages);
        for ( o = 0; o <= MAX_ORDER; o++ )
            if ( nr_blocks[z][o] )
                printk(LOG_INFO "    order %2u (%7lu KiB): %lu block(s)\n",
                       o, (PAGE_SIZE << o) >> 10, nr_blocks[z][o]);
    }
    spin_unlock_irqrestore(&heap_lock, flags);
}
