/* SPDX-License-Identifier: MIT */
/*
 * The boot allocator: a sorted array of free physical ranges, carved by
 * reservations and allocations, used until the frame table exists. It
 * needs no memory of its own, so it works before anything is mapped
 * except what the loader handed over.
 */
#include <orrery/console.h>
#include <orrery/spinlock.h>

#include "mm-internal.h"

/*
 * Each RAM entry is one range to start with; a reservation or an
 * allocation can split one range into two. 256 covers a full memory map
 * plus every boot reservation, with room for the arch's allocations.
 */
#define BOOTMEM_MAX_RANGES 256

static DEFINE_SPINLOCK(bootmem_lock);
static struct mm_range free_ranges[BOOTMEM_MAX_RANGES];
static unsigned int nr_free;
static struct mm_range ram_ranges[MEMMAP_MAX];
static unsigned int nr_ram;
static bool closed;

/* Release the lock before panicking: the request was wrong, the state is
 * still consistent (and a sim test that catches the halt can go on). */
#define bootmem_fail(flags, fmt, ...) \
    do { spin_unlock_irqrestore(&bootmem_lock, flags); \
         panic("bootmem: " fmt, ##__VA_ARGS__); } while ( 0 )

static bool insert_range(unsigned int at, paddr_t start, paddr_t end)
{
    unsigned int i;

    if ( nr_free == BOOTMEM_MAX_RANGES )
        return false;
    for ( i = nr_free; i > at; i-- )
        free_ranges[i] = free_ranges[i - 1];
    free_ranges[at].start = start;
    free_ranges[at].end = end;
    nr_free++;
    return true;
}

static void remove_range(unsigned int at)
{
    unsigned int i;

    for ( i = at; i + 1 < nr_free; i++ )
        free_ranges[i] = free_ranges[i + 1];
    nr_free--;
}

/* Take [start, end) out of the free ranges. False when a split needs a
 * slot and none is left. */
static bool carve(paddr_t start, paddr_t end)
{
    unsigned int i = 0;

    while ( i < nr_free )
    {
        struct mm_range *r = &free_ranges[i];

        if ( end <= r->start || start >= r->end )
        {
            i++;
            continue;
        }
        if ( start <= r->start && end >= r->end )
        {
            remove_range(i);
            continue;
        }
        if ( start > r->start && end < r->end )
        {
            /* Middle: keep the low part here, the high part after it. */
            paddr_t old_end = r->end;

            if ( !insert_range(i + 1, end, old_end) )
                return false;
            free_ranges[i].end = start;
            return true;
        }
        if ( start <= r->start )
            r->start = end;
        else
            r->end = start;
        i++;
    }
    return true;
}

void bootmem_init(const struct memmap *map, const struct boot_range *reserved,
                  unsigned int nr_reserved)
{
    unsigned long flags;
    unsigned int i;

    spin_lock_init(&bootmem_lock);
    spin_lock_irqsave(&bootmem_lock, flags);

    nr_free = 0;
    nr_ram = 0;
    closed = false;

    if ( map->nr > MEMMAP_MAX )
        bootmem_fail(flags, "memory map has %u entries (max %u)\n",
                     map->nr, MEMMAP_MAX);

    for ( i = 0; i < map->nr; i++ )
    {
        const struct memmap_entry *e = &map->e[i];
        paddr_t end = e->addr + e->size;

        /* memmap_sanitize() guarantees all of this; bootmem relies on it. */
        if ( end < e->addr ||
             (i > 0 && e->addr < map->e[i - 1].addr + map->e[i - 1].size) )
            bootmem_fail(flags, "memory map not sanitised: entry %u "
                         "[0x%lx, 0x%lx) wraps or overlaps its predecessor\n",
                         i, e->addr, end);
        if ( e->type != MEMMAP_RAM || e->size == 0 )
            continue;
        if ( !IS_ALIGNED(e->addr, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE) )
            bootmem_fail(flags, "memory map not sanitised: RAM entry %u "
                         "[0x%lx, 0x%lx) is not page aligned\n",
                         i, e->addr, end);
        ram_ranges[nr_ram].start = e->addr;
        ram_ranges[nr_ram].end = end;
        nr_ram++;
        free_ranges[nr_free++] = ram_ranges[nr_ram - 1];
    }

    for ( i = 0; i < nr_reserved; i++ )
    {
        const struct boot_range *r = &reserved[i];
        paddr_t start = ROUNDDOWN(r->start, PAGE_SIZE);
        paddr_t end = r->end;

        if ( r->end < r->start )
            bootmem_fail(flags, "reserved range %u (%s) is inverted: "
                         "[0x%lx, 0x%lx)\n", i, r->what ? r->what : "?",
                         r->start, r->end);
        if ( r->end == r->start )
            continue;
        /* Round out to whole pages; a range touching the top page of the
         * address space reserves it entirely. */
        end = end > ROUNDDOWN(~(paddr_t)0, PAGE_SIZE)
              ? ~(paddr_t)0 : ROUNDUP(end, PAGE_SIZE);
        if ( !carve(start, end) )
            bootmem_fail(flags, "out of range slots reserving %s\n",
                         r->what ? r->what : "?");
    }

    spin_unlock_irqrestore(&bootmem_lock, flags);

    /* A fresh boot: nothing the heap knew is valid any more. */
    page_alloc_reset();
}

paddr_t bootmem_alloc(uint64_t size, uint64_t align, paddr_t below)
{
    unsigned long flags;
    uint64_t want = size;
    unsigned int i;

    spin_lock_irqsave(&bootmem_lock, flags);

    if ( closed )
        bootmem_fail(flags, "boot allocator used after page_alloc_init "
                     "(size 0x%lx)\n", size);
    if ( size == 0 || size > ~(uint64_t)0 - PAGE_SIZE )
        bootmem_fail(flags, "bad size 0x%lx\n", size);
    if ( align & (align - 1) )
        bootmem_fail(flags, "alignment 0x%lx is not a power of two\n", align);

    want = ROUNDUP(size, PAGE_SIZE);
    if ( align < PAGE_SIZE )
        align = PAGE_SIZE;

    /* Highest range first: low memory stays free for what needs it. */
    for ( i = nr_free; i-- > 0; )
    {
        const struct mm_range *r = &free_ranges[i];
        paddr_t top = r->end, addr;

        if ( below && top > ROUNDDOWN(below, PAGE_SIZE) )
            top = ROUNDDOWN(below, PAGE_SIZE);
        if ( top < r->start || top - r->start < want )
            continue;
        addr = ROUNDDOWN(top - want, align);
        if ( addr < r->start )
            continue;
        if ( !carve(addr, addr + want) )
            bootmem_fail(flags, "out of range slots allocating 0x%lx bytes\n",
                         size);
        spin_unlock_irqrestore(&bootmem_lock, flags);
        return addr;
    }

    bootmem_fail(flags, "cannot allocate 0x%lx bytes aligned 0x%lx below "
                 "0x%lx%s\n", size, align, below,
                 below ? "" : " (no limit)");
}

uint64_t bootmem_free_bytes(void)
{
    unsigned long flags;
    uint64_t total = 0;
    unsigned int i;

    spin_lock_irqsave(&bootmem_lock, flags);
    for ( i = 0; i < nr_free; i++ )
        total += free_ranges[i].end - free_ranges[i].start;
    spin_unlock_irqrestore(&bootmem_lock, flags);
    return total;
}

void bootmem_dump(void)
{
    unsigned long flags;
    unsigned int i;

    spin_lock_irqsave(&bootmem_lock, flags);
    printk(LOG_INFO "bootmem: %u free range(s)%s\n", nr_free,
           closed ? " (closed: handed to the page allocator)" : "");
    for ( i = 0; i < nr_free; i++ )
        printk(LOG_INFO "  [0x%016lx, 0x%016lx) %8lu KiB\n",
               free_ranges[i].start, free_ranges[i].end,
               (free_ranges[i].end - free_ranges[i].start) >> 10);
    spin_unlock_irqrestore(&bootmem_lock, flags);
}

unsigned int bootmem_ram_ranges(const struct mm_range **ranges)
{
    *ranges = ram_ranges;
    return nr_ram;
}

unsigned int bootmem_close(const struct mm_range **ranges)
{
    unsigned long flags;

    spin_lock_irqsave(&bootmem_lock, flags);
    closed = true;
    *ranges = free_ranges;
    spin_unlock_irqrestore(&bootmem_lock, flags);
    return nr_free;
}
