/* SPDX-License-Identifier: MIT */
/*
 * Memory from a checked device tree: the reservation block and the
 * /memory nodes, turned into the memmap every boot path produces.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/memmap.h>
#include "dt_internal.h"

int dt_memrsv(const void *blob, unsigned int index, uint64_t *addr,
              uint64_t *size)
{
    const uint8_t *p = blob;
    uint32_t off = dt_hdr(blob, DT_HDR_OFF_RSVMAP);
    uint32_t total = dt_totalsize(blob);
    unsigned int i;
    uint64_t a, s;

    /* Entries are { be64 address; be64 size; }, ended by a zero entry
     * (spec §5.3); dt_check() found that entry inside the blob. */
    for ( i = 0; off <= total && total - off >= 16; i++, off += 16 )
    {
        dt_read_cells(p + off, 2, &a);
        dt_read_cells(p + off + 8, 2, &s);
        if ( a == 0 && s == 0 )
            break;
        if ( i == index )
        {
            *addr = a;
            *size = s;
            return 0;
        }
    }
    return -ENOENT;
}

int dt_memory_map(const void *blob, struct memmap *map)
{
    int root = dt_root(blob), node, ac, sc, len, width, i, ram = 0;
    const char *type;
    const uint8_t *reg;
    uint64_t a, s;
    unsigned int r;

    if ( root < 0 )
        return root;
    ac = dt_addr_cells(blob, root);
    sc = dt_size_cells(blob, root);
    if ( ac < 0 || sc < 0 )
        return ac < 0 ? ac : sc;
    width = 4 * (ac + sc);
    if ( ac == 0 )
        return -EOPNOTSUPP;

    /* Memory nodes are children of the root (spec §3.4). */
    for ( node = dt_first_child(blob, root); node >= 0;
          node = dt_next_sibling(blob, node) )
    {
        if ( dt_getprop_string(blob, node, "device_type", &type) ||
             strcmp(type, "memory") || !dt_node_available(blob, node) )
            continue;
        reg = dt_getprop(blob, node, "reg", &len);
        if ( !reg || len % width )
            return reg ? -EBADMSG : len;
        for ( i = 0; i < len; i += width )
        {
            if ( dt_read_cells(reg + i, ac, &a) ||
                 dt_read_cells(reg + i + 4 * ac, sc, &s) )
                return -EOVERFLOW;
            if ( memmap_add(map, a, s, MEMMAP_RAM) )
                return -ENOSPC;
            ram++;
        }
    }
    if ( node != -ENOENT )
        return node;

    for ( r = 0; !dt_memrsv(blob, r, &a, &s); r++ )
        if ( memmap_add(map, a, s, MEMMAP_RESERVED) )
            return -ENOSPC;
    return ram ? ram : -ENOENT;
}
