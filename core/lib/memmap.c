/* SPDX-License-Identifier: MIT */
/*
 * Memory map normalisation. Firmware maps overlap, nest, come unsorted and
 * may have unaligned or wrapping RAM entries; the boot allocator wants a
 * sorted list of disjoint ranges with page-aligned RAM.
 *
 * memmap_sanitize() is a sweep over the boundaries of all entries: between
 * two consecutive boundaries every address is covered by the same set of
 * entries, so one type decides each elementary interval. That is simple to
 * check against a per-page model (tests/unit/memmap) and needs no
 * allocation: O(n^2) on at most MEMMAP_MAX entries, once at boot.
 *
 * Addresses are handled as half-open [start, end) with end clamped to
 * UINT64_MAX, so the very last byte of the 64-bit space is never RAM; no
 * machine has memory there.
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/memmap.h>

int memmap_add(struct memmap *map, paddr_t addr, uint64_t size, uint32_t type)
{
    if ( map->nr >= MEMMAP_MAX )
        return -1;
    map->e[map->nr].addr = addr;
    map->e[map->nr].size = size;
    map->e[map->nr].type = type;
    map->nr++;
    return 0;
}

/* The end of @e, clamped: an entry that wraps ends at the top. */
static paddr_t entry_end(const struct memmap_entry *e)
{
    return (e->size > UINT64_MAX - e->addr) ? UINT64_MAX : e->addr + e->size;
}

/* Overlap resolution: any non-RAM type beats RAM, then higher beats lower. */
static bool type_beats(uint32_t a, uint32_t b)
{
    if ( (a == MEMMAP_RAM) != (b == MEMMAP_RAM) )
        return b == MEMMAP_RAM;
    return a > b;
}

static int cmp_paddr(const void *a, const void *b)
{
    paddr_t x = *(const paddr_t *)a, y = *(const paddr_t *)b;

    return x < y ? -1 : x > y;
}

/* Scratch space: sanitising runs once, on the boot CPU. */
static paddr_t bounds[2 * MEMMAP_MAX];
static struct memmap_entry out[2 * MEMMAP_MAX];

/* Append [start, end) of @type to out[], merging with an adjacent twin. */
static unsigned int emit(unsigned int n, paddr_t start, paddr_t end,
                         uint32_t type)
{
    if ( n && out[n - 1].type == type &&
         out[n - 1].addr + out[n - 1].size == start )
    {
        out[n - 1].size += end - start;
        return n;
    }
    out[n].addr = start;
    out[n].size = end - start;
    out[n].type = type;
    return n + 1;
}

/* Resolve overlaps into out[]; returns the number of entries there. */
static unsigned int sweep(const struct memmap *map)
{
    unsigned int i, j, nb = 0, n = 0;

    for ( i = 0; i < map->nr; i++ )
    {
        if ( map->e[i].size == 0 || entry_end(&map->e[i]) == map->e[i].addr )
            continue;
        bounds[nb++] = map->e[i].addr;
        bounds[nb++] = entry_end(&map->e[i]);
    }
    sort(bounds, nb, sizeof(bounds[0]), cmp_paddr);

    for ( i = 0; i + 1 < nb; i++ )
    {
        paddr_t lo = bounds[i], hi = bounds[i + 1];
        bool covered = false;
        uint32_t type = 0;

        if ( lo == hi )
            continue;
        for ( j = 0; j < map->nr; j++ )
        {
            const struct memmap_entry *e = &map->e[j];

            if ( e->size == 0 || e->addr > lo || entry_end(e) < hi )
                continue;
            if ( !covered || type_beats(e->type, type) )
                type = e->type;
            covered = true;
        }
        if ( covered )
            n = emit(n, lo, hi, type);
    }
    return n;
}

/* Shrink RAM to whole pages in place; drop what becomes empty. */
static unsigned int align_ram(unsigned int n)
{
    unsigned int i, k = 0;

    for ( i = 0; i < n; i++ )
    {
        struct memmap_entry e = out[i];

        if ( e.type == MEMMAP_RAM )
        {
            paddr_t end = ROUNDDOWN(e.addr + e.size, PAGE_SIZE);
            paddr_t start = (e.addr > UINT64_MAX - (PAGE_SIZE - 1))
                            ? end : ROUNDUP(e.addr, PAGE_SIZE);

            if ( start >= end )
                continue;
            e.addr = start;
            e.size = end - start;
        }
        out[k++] = e;
    }
    return k;
}

/*
 * Resolving overlaps can produce more entries than the input (RAM split by
 * many holes). A non-RAM entry dropped from the map is still not RAM, so
 * the result stays safe if we drop non-RAM entries first, highest first.
 */
static unsigned int fit(unsigned int n)
{
    unsigned int i, k;

    if ( n <= MEMMAP_MAX )
        return n;
    printk(LOG_WARNING "memmap: %u entries after sanitising, dropping "
           "%u non-RAM entries\n", n, n - MEMMAP_MAX);
    for ( i = n; i-- > 0 && n > MEMMAP_MAX; )
    {
        if ( out[i].type == MEMMAP_RAM )
            continue;
        out[i].size = 0;
        n--;
    }
    for ( i = k = 0; k < n; i++ )
        if ( out[i].size )
            out[k++] = out[i];
    return n;
}

unsigned int memmap_sanitize(struct memmap *map)
{
    unsigned int i, n;

    n = fit(align_ram(sweep(map)));
    for ( i = 0; i < n; i++ )
        map->e[i] = out[i];
    map->nr = n;
    return n;
}

uint64_t memmap_ram_bytes(const struct memmap *map)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < map->nr; i++ )
        if ( map->e[i].type == MEMMAP_RAM )
            total += map->e[i].size;
    return total;
}

const char *memmap_type_name(uint32_t type)
{
    switch ( type )
    {
    case MEMMAP_RAM:      return "RAM";
    case MEMMAP_RESERVED: return "reserved";
    case MEMMAP_ACPI:     return "ACPI data";
    case MEMMAP_NVS:      return "ACPI NVS";
    case MEMMAP_UNUSABLE: return "unusable";
    case MEMMAP_DISABLED: return "disabled";
    case MEMMAP_PMEM:     return "persistent memory";
    default:              return "unknown";
    }
}
