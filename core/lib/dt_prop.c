/* SPDX-License-Identifier: MIT */
/*
 * Properties of a checked device tree: iteration, lookup by name, and
 * the decoders for strings, cells, "reg" and GIC "interrupts".
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include "dt_internal.h"

/* From @off, skip NOPs: the offset of the next property, or -ENOENT when
 * the node's properties are over. */
static int next_prop_from(const struct dt_blocks *b, int off)
{
    int next, tag;

    for ( ;; )
    {
        tag = dt_token(b, off, &next, NULL);
        if ( tag < 0 )
            return tag;
        if ( tag == DT_TOKEN_PROP )
            return off;
        if ( tag != DT_TOKEN_NOP )
            return -ENOENT;
        off = next;
    }
}

int dt_first_prop(const void *blob, int node)
{
    struct dt_blocks b;
    int next;

    dt_get_blocks(blob, &b);
    if ( dt_token(&b, node, &next, NULL) != DT_TOKEN_BEGIN_NODE )
        return -EINVAL;
    return next_prop_from(&b, next);
}

int dt_next_prop(const void *blob, int prop)
{
    struct dt_blocks b;
    int next;

    dt_get_blocks(blob, &b);
    if ( dt_token(&b, prop, &next, NULL) != DT_TOKEN_PROP )
        return -EINVAL;
    return next_prop_from(&b, next);
}

const void *dt_prop_value(const void *blob, int prop, const char **name,
                          int *len)
{
    struct dt_blocks b;
    const char *n;
    int next;

    dt_get_blocks(blob, &b);
    if ( dt_token(&b, prop, &next, NULL) != DT_TOKEN_PROP )
        return NULL;
    n = dt_string(&b, dt_be32(b.st + prop + 8));
    if ( !n )
        return NULL;
    if ( name )
        *name = n;
    if ( len )
        *len = dt_be32(b.st + prop + 4); /* bounded by dt_token() */
    return b.st + prop + 12;
}

const void *dt_getprop(const void *blob, int node, const char *name, int *len)
{
    const void *val;
    const char *n;
    int prop, l;

    for ( prop = dt_first_prop(blob, node); prop >= 0;
          prop = dt_next_prop(blob, prop) )
    {
        val = dt_prop_value(blob, prop, &n, &l);
        if ( val && !strcmp(n, name) )
        {
            if ( len )
                *len = l;
            return val;
        }
    }
    if ( len )
        *len = prop;
    return NULL;
}

int dt_getprop_string(const void *blob, int node, const char *name,
                      const char **out)
{
    int len;
    const char *s = dt_getprop(blob, node, name, &len);

    if ( !s )
        return len;
    if ( len == 0 || strnlen(s, len) == (size_t)len )
        return -EBADMSG;
    *out = s;
    return 0;
}

int dt_getprop_u32(const void *blob, int node, const char *name, uint32_t *out)
{
    int len;
    const void *p = dt_getprop(blob, node, name, &len);

    if ( !p )
        return len;
    if ( len != 4 )
        return -EBADMSG;
    *out = dt_be32(p);
    return 0;
}

int dt_read_cells(const void *cells, unsigned int ncells, uint64_t *out)
{
    const uint8_t *p = cells;
    uint64_t v = 0;
    unsigned int i;

    if ( ncells > DT_MAX_NCELLS )
        return -EINVAL;
    for ( i = 0; i < ncells; i++ )
    {
        if ( v >> 32 )
            return -EOVERFLOW;
        v = (v << 32) | dt_be32(p + 4 * i);
    }
    *out = v;
    return 0;
}

static int ncells(const void *blob, int node, const char *name, int dflt)
{
    uint32_t v = 0;
    int rc = dt_getprop_u32(blob, node, name, &v);

    if ( rc == -ENOENT )
        return dflt;
    if ( rc )
        return rc;
    return v > DT_MAX_NCELLS ? -EOPNOTSUPP : (int)v;
}

/* Defaults from the Devicetree Specification v0.4 §2.3.5. */
int dt_addr_cells(const void *blob, int node)
{
    return ncells(blob, node, "#address-cells", 2);
}

int dt_size_cells(const void *blob, int node)
{
    return ncells(blob, node, "#size-cells", 1);
}

/* Entry @index of a property made of @width-byte entries. */
static const uint8_t *entry(const void *blob, int node, const char *name,
                            unsigned int index, int width, int *err)
{
    int len;
    const uint8_t *p = dt_getprop(blob, node, name, &len);

    if ( !p )
        *err = len;
    else if ( width == 0 || len % width )
        *err = -EBADMSG;
    else if ( index >= (unsigned int)(len / width) )
        *err = -ENOENT;
    else
        return p + (size_t)index * width;
    return NULL;
}

int dt_reg(const void *blob, int node, unsigned int index, uint64_t *addr,
           uint64_t *size)
{
    int parent = dt_parent(blob, node), ac, sc, rc;
    const uint8_t *p;
    uint64_t a, s;

    if ( parent < 0 )
        return parent == -ENOENT ? -EINVAL : parent; /* the root */
    ac = dt_addr_cells(blob, parent);
    if ( ac < 0 )
        return ac;
    sc = dt_size_cells(blob, parent);
    if ( sc < 0 )
        return sc;
    if ( ac == 0 )
        return -EOPNOTSUPP; /* the parent is no bus */
    p = entry(blob, node, "reg", index, 4 * (ac + sc), &rc);
    if ( !p )
        return rc;
    if ( (rc = dt_read_cells(p, ac, &a)) ||
         (rc = dt_read_cells(p + 4 * ac, sc, &s)) )
        return rc;
    *addr = a;
    if ( size )
        *size = s;
    return 0;
}

/* The interrupt parent of @node: "interrupt-parent" on the node or its
 * nearest ancestor that has one (spec §2.4.1). */
static int interrupt_parent(const void *blob, int node)
{
    uint32_t ph = 0;
    int rc;

    while ( node >= 0 )
    {
        rc = dt_getprop_u32(blob, node, "interrupt-parent", &ph);
        if ( rc == 0 )
            return dt_node_by_phandle(blob, ph);
        if ( rc != -ENOENT )
            return rc;
        node = dt_parent(blob, node);
    }
    return node;
}

int dt_interrupt(const void *blob, int node, unsigned int index, uint32_t *type,
                 uint32_t *num, uint32_t *flags)
{
    int ip = interrupt_parent(blob, node), rc;
    const uint8_t *p;
    uint32_t cells = 0;

    if ( ip < 0 )
        return ip;
    rc = dt_getprop_u32(blob, ip, "#interrupt-cells", &cells);
    if ( rc )
        return rc == -ENOENT ? -EBADMSG : rc;
    if ( cells != 3 )
        return -EOPNOTSUPP;
    p = entry(blob, node, "interrupts", index, 12, &rc);
    if ( !p )
        return rc;
    *type = dt_be32(p);
    *num = dt_be32(p + 4);
    *flags = dt_be32(p + 8);
    return 0;
}
