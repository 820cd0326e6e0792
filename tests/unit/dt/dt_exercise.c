/* SPDX-License-Identifier: MIT */
/* Every dt_ accessor at every offset (see dt_exercise.h). */
#include <stdlib.h>
#include <string.h>
#include <orrery/dt.h>
#include <orrery/memmap.h>
#include "dt_exercise.h"

static const char *const names[] = {
    "reg",        "compatible",       "device_type",
    "status",     "#address-cells",   "#size-cells",
    "interrupts", "interrupt-parent", "phandle",
    "method",     "bootargs",         "",
};

static const char *const paths[] = {
    "/",     "/cpus", "/cpus/cpu@0", "/memory",      "/chosen",
    "/psci", "//a//", "/intc/its",   "/nonexistent", "cpus",
};

static unsigned long sum_bytes(const void *p, int len)
{
    const unsigned char *b = p;
    unsigned long s = 0;
    int i;

    for ( i = 0; i < len; i++ )
        s += b[i];
    return s;
}

static unsigned long node_accessors(const void *blob, int node)
{
    unsigned long s = 0;
    const char *str, *pname;
    const void *v;
    uint64_t a, sz;
    uint32_t t, n, f, u;
    unsigned int i;
    int len, prop;

    s += dt_parent(blob, node) + dt_first_child(blob, node) +
         dt_next_sibling(blob, node) + dt_addr_cells(blob, node) +
         dt_size_cells(blob, node) + dt_node_available(blob, node);
    if ( (str = dt_node_name(blob, node, &len)) )
        s += sum_bytes(str, len) + dt_subnode(blob, node, str);
    for ( prop = dt_first_prop(blob, node); prop >= 0;
          prop = dt_next_prop(blob, prop) )
        if ( (v = dt_prop_value(blob, prop, &pname, &len)) )
            s += sum_bytes(v, len) + strlen(pname);
    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
    {
        if ( (v = dt_getprop(blob, node, names[i], &len)) )
            s += sum_bytes(v, len);
        if ( !dt_getprop_string(blob, node, names[i], &str) )
            s += strlen(str);
        if ( !dt_getprop_u32(blob, node, names[i], &u) )
            s += u;
        s += dt_node_is_compatible(blob, node, names[i]);
    }
    /* A few entries each: every call resolves the parents again. */
    for ( i = 0; i < 4 && !dt_reg(blob, node, i, &a, &sz); i++ )
        s += a + sz;
    for ( i = 0; i < 4 && !dt_interrupt(blob, node, i, &t, &n, &f); i++ )
        s += t + n + f;
    if ( !dt_getprop_u32(blob, node, "phandle", &u) )
        s += dt_node_by_phandle(blob, u);
    return s;
}

unsigned long dt_exercise(const void *blob)
{
    struct memmap *map = calloc(1, sizeof(*map));
    unsigned long s = 0;
    uint64_t a, sz;
    unsigned int i;
    int node, depth = 0, off, len;
    const char *pname;
    uint32_t limit;

    for ( node = dt_next_node(blob, -1, &depth); node >= 0;
          node = dt_next_node(blob, node, &depth) )
        s += node_accessors(blob, node);

    for ( i = 0; i < sizeof(paths) / sizeof(paths[0]); i++ )
        s += dt_path_offset(blob, paths[i]);
    for ( node = dt_find_compatible(blob, -1, "arm,pl011"); node >= 0;
          node = dt_find_compatible(blob, node, "arm,pl011") )
        s += node;
    for ( node = dt_find_device_type(blob, -1, "cpu"); node >= 0;
          node = dt_find_device_type(blob, node, "cpu") )
        s += node;
    for ( i = 0; !dt_memrsv(blob, i, &a, &sz); i++ )
        s += a + sz;
    if ( map )
        s += dt_memory_map(blob, map);
    free(map);

    /* Offsets that are not (all) node or property tokens. Bounded so
     * that a large input stays quick: the walk above covered the rest. */
    limit = dt_totalsize(blob);
    for ( off = -8; off < (int)limit && off < 4096; off++ )
    {
        s += dt_first_child(blob, off) + dt_next_sibling(blob, off) +
             dt_first_prop(blob, off) + dt_next_prop(blob, off) +
             dt_next_node(blob, off, NULL);
        if ( dt_node_name(blob, off, &len) )
            s += len;
        if ( dt_prop_value(blob, off, &pname, &len) )
            s += len + strlen(pname);
    }
    return s;
}
