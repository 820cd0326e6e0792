/* SPDX-License-Identifier: MIT */
/*
 * Moving between the nodes of a checked device tree: children, siblings,
 * parents, document order, paths, and searches by compatible string,
 * device_type and phandle.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include "dt_internal.h"

/* The offset just after @node's name, where its properties start. */
static int node_body(const struct dt_blocks *b, int node)
{
    int next, tag = dt_token(b, node, &next, NULL);

    if ( tag < 0 )
        return tag;
    return tag == DT_TOKEN_BEGIN_NODE ? next : -EINVAL;
}

/* From @off, step over properties and NOPs (and nothing else): *@off
 * ends on the first other token, which is returned. */
static int skip_props(const struct dt_blocks *b, int *off)
{
    int next, tag;

    for ( ;; )
    {
        tag = dt_token(b, *off, &next, NULL);
        if ( tag != DT_TOKEN_PROP && tag != DT_TOKEN_NOP )
            return tag;
        *off = next;
    }
}

int dt_root(const void *blob)
{
    struct dt_blocks b;
    int off = 0, tag;

    dt_get_blocks(blob, &b);
    tag = skip_props(&b, &off);
    if ( tag < 0 )
        return tag;
    return tag == DT_TOKEN_BEGIN_NODE ? off : -EBADMSG;
}

int dt_first_child(const void *blob, int node)
{
    struct dt_blocks b;
    int off, tag;

    dt_get_blocks(blob, &b);
    off = node_body(&b, node);
    if ( off < 0 )
        return off;
    tag = skip_props(&b, &off);
    if ( tag == DT_TOKEN_BEGIN_NODE )
        return off;
    return tag == DT_TOKEN_END_NODE ? -ENOENT : (tag < 0 ? tag : -EBADMSG);
}

int dt_next_sibling(const void *blob, int node)
{
    struct dt_blocks b;
    int off = node, next, tag, depth = 0;

    dt_get_blocks(blob, &b);
    if ( node_body(&b, node) < 0 )
        return -EINVAL;

    /* Step over @node's whole subtree. */
    do
    {
        tag = dt_token(&b, off, &next, NULL);
        if ( tag < 0 )
            return tag;
        if ( tag == DT_TOKEN_BEGIN_NODE )
            depth++;
        else if ( tag == DT_TOKEN_END_NODE )
            depth--;
        else if ( tag == DT_TOKEN_END )
            return -EBADMSG;
        off = next;
    } while ( depth > 0 );

    tag = skip_props(&b, &off);
    if ( tag == DT_TOKEN_BEGIN_NODE )
        return off;
    if ( tag == DT_TOKEN_END_NODE || tag == DT_TOKEN_END )
        return -ENOENT;
    return tag < 0 ? tag : -EBADMSG;
}

int dt_next_node(const void *blob, int node, int *depth)
{
    struct dt_blocks b;
    int off, next, tag;

    dt_get_blocks(blob, &b);
    if ( node < 0 )
        next = 0;
    else if ( (next = node_body(&b, node)) < 0 )
        return next;

    do
    {
        off = next;
        tag = dt_token(&b, off, &next, NULL);
        if ( tag < 0 )
            return tag;
        if ( tag == DT_TOKEN_BEGIN_NODE && depth )
            (*depth)++;
        else if ( tag == DT_TOKEN_END_NODE && depth && --(*depth) < 0 )
            return -ENOENT;
        else if ( tag == DT_TOKEN_END )
            return -ENOENT;
    } while ( tag != DT_TOKEN_BEGIN_NODE );
    return off;
}

int dt_parent(const void *blob, int node)
{
    int stack[DT_MAX_DEPTH];
    int off = -1, depth = 0;

    for ( ;; )
    {
        off = dt_next_node(blob, off, &depth);
        if ( off < 0 )
            return off == -ENOENT ? -EINVAL : off;
        if ( depth < 1 || depth > DT_MAX_DEPTH )
            return -EBADMSG;
        stack[depth - 1] = off;
        if ( off == node )
            return depth > 1 ? stack[depth - 2] : -ENOENT;
        if ( off > node )
            return -EINVAL; /* went past: not a node offset */
    }
}

const char *dt_node_name(const void *blob, int node, int *len)
{
    struct dt_blocks b;
    const char *name;

    dt_get_blocks(blob, &b);
    if ( node_body(&b, node) < 0 )
        return NULL;
    /* dt_token() found the NUL inside the block. */
    name = (const char *)b.st + node + 4;
    if ( len )
        *len = strlen(name);
    return name;
}

/*
 * Does node name @nn match @len bytes of @want? Exactly, or, when @want
 * has no unit address, up to the '@' of @nn ("memory" matches
 * "memory@40000000"), as libfdt and Linux match path components.
 */
static bool name_matches(const char *nn, const char *want, size_t len)
{
    size_t i;

    if ( strncmp(nn, want, len) )
        return false;
    if ( nn[len] == '\0' )
        return true;
    if ( nn[len] != '@' )
        return false;
    for ( i = 0; i < len; i++ )
        if ( want[i] == '@' )
            return false;
    return true;
}

static int subnode_n(const void *blob, int parent, const char *name, size_t len)
{
    int child;

    for ( child = dt_first_child(blob, parent); child >= 0;
          child = dt_next_sibling(blob, child) )
    {
        if ( name_matches(dt_node_name(blob, child, NULL), name, len) )
            return child;
    }
    return child;
}

int dt_subnode(const void *blob, int parent, const char *name)
{
    return subnode_n(blob, parent, name, strlen(name));
}

int dt_path_offset(const void *blob, const char *path)
{
    int node = dt_root(blob);
    const char *end;

    if ( !path || path[0] != '/' )
        return -EINVAL;
    while ( node >= 0 )
    {
        while ( *path == '/' )
            path++;
        if ( !*path )
            break;
        end = strchr(path, '/');
        if ( !end )
            end = path + strlen(path);
        node = subnode_n(blob, node, path, end - path);
        path = end;
    }
    return node;
}

/* Is @s one of the NUL-terminated strings packed in @list[0..@len)? */
static bool stringlist_contains(const char *list, int len, const char *s)
{
    size_t want = strlen(s), l;

    while ( len > 0 )
    {
        l = strnlen(list, len);
        if ( l == (size_t)len )
            return false; /* last string unterminated */
        if ( l == want && !memcmp(list, s, l) )
            return true;
        list += l + 1;
        len -= l + 1;
    }
    return false;
}

int dt_node_is_compatible(const void *blob, int node, const char *compat)
{
    int len;
    const char *list = dt_getprop(blob, node, "compatible", &len);

    if ( !list )
        return len == -ENOENT ? 0 : len;
    return stringlist_contains(list, len, compat);
}

int dt_find_compatible(const void *blob, int from, const char *compat)
{
    int node = from;

    while ( (node = dt_next_node(blob, node, NULL)) >= 0 )
    {
        if ( dt_node_is_compatible(blob, node, compat) == 1 )
            break;
    }
    return node;
}

int dt_find_device_type(const void *blob, int from, const char *type)
{
    int node = from;
    const char *t;

    while ( (node = dt_next_node(blob, node, NULL)) >= 0 )
    {
        if ( !dt_getprop_string(blob, node, "device_type", &t) &&
             !strcmp(t, type) )
            break;
    }
    return node;
}

bool dt_node_available(const void *blob, int node)
{
    const char *status;
    int rc = dt_getprop_string(blob, node, "status", &status);

    if ( rc == -ENOENT )
        return true;
    return !rc && (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

int dt_node_by_phandle(const void *blob, uint32_t phandle)
{
    struct dt_blocks b;
    int off = 0, next, tag, node = -ENOENT;
    const char *name;

    /* 0 and ~0 are never valid phandles (spec §2.3.3). */
    if ( phandle == 0 || phandle == ~0U )
        return -EINVAL;

    /* One pass over the tokens rather than a property lookup per node:
     * the interrupt-parent of every device resolves through here. A
     * property belongs to the last node begun, as properties precede
     * subnodes (dt_check() insists). */
    dt_get_blocks(blob, &b);
    for ( ;; )
    {
        tag = dt_token(&b, off, &next, NULL);
        if ( tag < 0 )
            return tag;
        if ( tag == DT_TOKEN_END )
            return -ENOENT;
        if ( tag == DT_TOKEN_BEGIN_NODE )
            node = off;
        else if ( tag == DT_TOKEN_PROP && node >= 0 &&
                  dt_be32(b.st + off + 4) == 4 &&
                  dt_be32(b.st + off + 12) == phandle )
        {
            name = dt_string(&b, dt_be32(b.st + off + 8));
            if ( name &&
                 (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle")) )
                return node;
        }
        off = next;
    }
}
