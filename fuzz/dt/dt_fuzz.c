/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing the device tree reader (core/lib/dt_*.c).
 *
 * Input: a DTB, as a boot loader would hand it over, in a buffer of
 * exactly its size (libFuzzer's), so any read past the end is an ASan
 * report. dt_check() must either refuse it with -EBADMSG and a reason, or
 * accept it; an accepted tree must then satisfy:
 *  - the depth-first walk (dt_next_node) and the child/sibling links
 *    describe the same tree: every node's first child is the next node
 *    one level down, its siblings follow at its level, and dt_parent()
 *    returns the node one level up;
 *  - every node has a name and every property a name and a value inside
 *    the blob;
 *  - dt_path_offset() of a node's path (rebuilt from the names) finds it,
 *    unless an earlier sibling shares the name (duplicates are legal);
 * and every accessor must survive every offset (dt_exercise()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <orrery/dt.h>
#include <orrery/errno.h>
#include <sim/sim.h>
#include "dt_exercise.h"

static const uint8_t *blob_start, *blob_end;

static void fail(const char *what, int off)
{
    fprintf(stderr, "dt fuzz: invariant failed at offset %d: %s\n", off, what);
    abort();
}

static void check_inside(const void *p, size_t len, const char *what, int off)
{
    const uint8_t *b = p;

    if ( b < blob_start || b > blob_end || len > (size_t)(blob_end - b) )
        fail(what, off);
}

/* Does a child of @parent before @node match @name as a path component
 * (exactly, or "name" against "name@unit")? Then the path finds that one. */
static bool shadowed(const void *blob, int parent, int node, const char *name)
{
    size_t n = strlen(name);
    const char *cn;
    int c;

    for ( c = dt_first_child(blob, parent); c >= 0 && c != node;
          c = dt_next_sibling(blob, c) )
    {
        cn = dt_node_name(blob, c, NULL);
        if ( !strcmp(cn, name) ||
             (!strchr(name, '@') && !strncmp(cn, name, n) && cn[n] == '@') )
            return true;
    }
    return false;
}

/* Levels @from..@to were left for good: their last nodes have no next
 * sibling. */
static void check_left(const int *expect_next, int from, int to)
{
    int d;

    for ( d = from; d <= to; d++ )
        if ( expect_next[d] != -ENOENT )
            fail("a last child has a next sibling", expect_next[d]);
}

static void check_tree(const void *blob)
{
    int stack[DT_MAX_DEPTH + 1], expect_next[DT_MAX_DEPTH + 1];
    char path[DT_MAX_DEPTH * 64];
    size_t plen[DT_MAX_DEPTH + 1];
    int node = -1, depth = 0, prev_depth = 0, prop, len;
    const char *name, *pname;
    const void *val;
    bool path_ok[DT_MAX_DEPTH + 1];

    while ( (node = dt_next_node(blob, node, &depth)) >= 0 )
    {
        if ( depth < 1 || depth > DT_MAX_DEPTH || depth > prev_depth + 1 )
            fail("walk depth out of range", node);
        stack[depth] = node;

        /* Links: a first child, or the sibling of the node just left. */
        if ( depth == prev_depth + 1 && depth > 1 &&
             dt_first_child(blob, stack[depth - 1]) != node )
            fail("first child is not the next node down", node);
        if ( depth <= prev_depth && expect_next[depth] != node )
            fail("next sibling is not the next node at its level", node);
        check_left(expect_next, depth + 1, prev_depth);
        expect_next[depth] = dt_next_sibling(blob, node);
        if ( dt_parent(blob, node) != (depth > 1 ? stack[depth - 1] : -ENOENT) )
            fail("dt_parent disagrees with the walk", node);

        name = dt_node_name(blob, node, &len);
        if ( !name || (size_t)len != strlen(name) )
            fail("node without a name", node);
        check_inside(name, len + 1, "node name outside the blob", node);
        for ( prop = dt_first_prop(blob, node); prop >= 0;
              prop = dt_next_prop(blob, prop) )
        {
            val = dt_prop_value(blob, prop, &pname, &len);
            if ( !val || len < 0 )
                fail("property without a value", prop);
            check_inside(val, len, "property value outside the blob", prop);
            check_inside(pname, strlen(pname) + 1,
                         "property name outside the blob", prop);
        }

        /* The path by names leads back here (first of equal names). */
        if ( depth == 1 )
        {
            plen[1] = 0;
            path_ok[1] = true;
        }
        else
        {
            size_t at = plen[depth - 1];
            size_t n = strlen(name);

            path_ok[depth] = path_ok[depth - 1] && at + n + 2 < sizeof(path) &&
                             n && !strchr(name, '/') &&
                             !shadowed(blob, stack[depth - 1], node, name);
            if ( path_ok[depth] )
            {
                path[at] = '/';
                memcpy(path + at + 1, name, n);
                plen[depth] = at + 1 + n;
            }
        }
        if ( path_ok[depth] )
        {
            path[plen[depth]] = '\0';
            if ( dt_path_offset(blob, depth == 1 ? "/" : path) != node )
                fail("dt_path_offset does not find the node", node);
        }
        prev_depth = depth;
    }
    if ( node != -ENOENT )
        fail("walk ended with an error", node);
    check_left(expect_next, 1, prev_depth);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sim_init(1, 0); /* printk's console, should memmap warn */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;
    int rc = dt_check(data, size, &why);

    if ( !why || !*why )
        fail("dt_check gave no reason", rc);
    if ( rc )
    {
        if ( rc != -EBADMSG )
            fail("dt_check refused with an unexpected error", rc);
        return 0;
    }
    if ( strcmp(why, "ok") )
        fail("dt_check accepted with a reason", rc);

    blob_start = data;
    blob_end = data + dt_totalsize(data);
    check_tree(data);
    dt_exercise(data);
    return 0;
}
