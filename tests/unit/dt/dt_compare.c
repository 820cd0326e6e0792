/* SPDX-License-Identifier: MIT */
/*
 * The differential walk: libfdt (the reference reader, Debian's libfdt)
 * and Orrery's dt_ reader visit the same tree and must agree on every
 * node offset, name, parent, child, sibling, path, property (offset,
 * name, bytes), #address-cells/#size-cells and decoded "reg" entry.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include <orrery/dt.h>
#include "dt_errno.h"
#include <orr_test.h>
#include "dt_tests.h"

static void compare_props(const uint8_t *blob, int node)
{
    int fp = fdt_first_property_offset(blob, node);
    int dp = dt_first_prop(blob, node);
    const char *fname, *dname;
    const void *fval, *dval;
    int flen, dlen;

    for ( ; fp >= 0;
          fp = fdt_next_property_offset(blob, fp), dp = dt_next_prop(blob, dp) )
    {
        ORR_ASSERT_EQ_U64(dp, fp);
        fval = fdt_getprop_by_offset(blob, fp, &fname, &flen);
        dval = dt_prop_value(blob, dp, &dname, &dlen);
        CU_ASSERT_FATAL(fval && dval);
        ORR_ASSERT_STREQ(dname, fname);
        ORR_ASSERT_EQ_U64(dlen, flen);
        CU_ASSERT(dval == fval);
        /* By name, too: the first property of that name. */
        fval = fdt_getprop(blob, node, fname, &flen);
        dval = dt_getprop(blob, node, fname, &dlen);
        CU_ASSERT(dval == fval);
        ORR_ASSERT_EQ_U64(dlen, flen);
    }
    ORR_ASSERT_EQ_U64(fp, -FDT_ERR_NOTFOUND);
    ORR_ASSERT_EQ_U64(dp, ORR_ENOENT);
    CU_ASSERT(dt_getprop(blob, node, "no-such-property", &dlen) == NULL);
    ORR_ASSERT_EQ_U64(dlen, ORR_ENOENT);
}

/* "reg" decoded by hand from libfdt's view against dt_reg(). */
static void compare_reg(const uint8_t *blob, int node, int parent)
{
    int ac = fdt_address_cells(blob, parent);
    int sc = fdt_size_cells(blob, parent);
    int len, i, n, c;
    const fdt32_t *reg = fdt_getprop(blob, node, "reg", &len);
    uint64_t want_a, want_s, a, s;

    if ( !reg || ac <= 0 || sc < 0 )
        return;
    n = len / (4 * (ac + sc));
    for ( i = 0; i < n; i++ )
    {
        want_a = want_s = 0;
        for ( c = 0; c < ac; c++ )
            want_a = (want_a << 32) | fdt32_to_cpu(*reg++);
        for ( c = 0; c < sc; c++ )
            want_s = (want_s << 32) | fdt32_to_cpu(*reg++);
        CU_ASSERT_FATAL(dt_reg(blob, node, i, &a, &s) == 0);
        ORR_ASSERT_EQ_U64(a, want_a);
        ORR_ASSERT_EQ_U64(s, want_s);
    }
    ORR_ASSERT_EQ_U64(dt_reg(blob, node, n, &a, &s), ORR_ENOENT);
}

void compare_with_libfdt(const uint8_t *blob, size_t size)
{
    int fnode = -1, dnode = -1, fdepth = 0, ddepth = 0, nodes = 0;
    int fchild, dchild, flen, dlen, parent;
    const char *fname, *dname, *why;
    char path[512];

    CU_ASSERT_FATAL(fdt_check_full(blob, size) == 0);
    CU_ASSERT_FATAL(dt_check(blob, size, &why) == 0);
    ORR_ASSERT_EQ_U64(dt_root(blob), fdt_path_offset(blob, "/"));

    for ( ;; )
    {
        fnode = fdt_next_node(blob, fnode, &fdepth);
        dnode = dt_next_node(blob, dnode, &ddepth);
        if ( fnode < 0 )
            break;
        nodes++;
        ORR_ASSERT_EQ_U64(dnode, fnode);
        ORR_ASSERT_EQ_U64(ddepth, fdepth);
        CU_ASSERT_FATAL(dnode == fnode);

        fname = fdt_get_name(blob, fnode, &flen);
        dname = dt_node_name(blob, dnode, &dlen);
        CU_ASSERT_FATAL(fname && dname);
        ORR_ASSERT_STREQ(dname, fname);
        ORR_ASSERT_EQ_U64(dlen, flen);

        parent = fdt_parent_offset(blob, fnode);
        ORR_ASSERT_EQ_U64(dt_parent(blob, dnode),
                          parent < 0 ? ORR_ENOENT : parent);
        fchild = fdt_first_subnode(blob, fnode);
        dchild = dt_first_child(blob, dnode);
        ORR_ASSERT_EQ_U64(dchild, fchild < 0 ? ORR_ENOENT : fchild);
        for ( ; fchild >= 0; fchild = fdt_next_subnode(blob, fchild) )
        {
            ORR_ASSERT_EQ_U64(dchild, fchild);
            dchild = dt_next_sibling(blob, dchild);
        }
        ORR_ASSERT_EQ_U64(dchild, ORR_ENOENT);

        CU_ASSERT_FATAL(fdt_get_path(blob, fnode, path, sizeof(path)) == 0);
        ORR_ASSERT_EQ_U64(dt_path_offset(blob, path), fnode);

        ORR_ASSERT_EQ_U64(dt_addr_cells(blob, dnode),
                          fdt_address_cells(blob, fnode));
        ORR_ASSERT_EQ_U64(dt_size_cells(blob, dnode),
                          fdt_size_cells(blob, fnode));
        compare_props(blob, fnode);
        if ( fdt_get_phandle(blob, fnode) )
            ORR_ASSERT_EQ_U64(
                dt_node_by_phandle(blob, fdt_get_phandle(blob, fnode)),
                fdt_node_offset_by_phandle(blob, fdt_get_phandle(blob, fnode)));
        if ( parent >= 0 )
            compare_reg(blob, fnode, parent);
    }
    ORR_ASSERT_EQ_U64(fnode, -FDT_ERR_NOTFOUND);
    ORR_ASSERT_EQ_U64(dnode, ORR_ENOENT);
    CU_ASSERT(nodes > 0);
}
