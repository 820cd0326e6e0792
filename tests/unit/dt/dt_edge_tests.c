/* SPDX-License-Identifier: MIT */
/*
 * Hand-built trees for what QEMU's never contain: #address-cells 1,
 * empty nodes, NOPs everywhere, reservations, a version-16 header, wide
 * cells, odd interrupt parents, malformed property values, offsets that
 * are not nodes. Valid trees are also walked against libfdt.
 */
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <orrery/dt.h>
#include <orrery/memmap.h>
#include <orr_test.h>
#include "dt_build.h"
#include "dt_errno.h"
#include "dt_tests.h"

static struct dtb d;

static uint8_t *finish_ok(size_t *size)
{
    const char *why = NULL;
    uint8_t *blob = b_finish(&d, size, 0);

    if ( dt_check(blob, *size, &why) )
        fprintf(stderr, "\ndt_check: %s\n", why);
    CU_ASSERT_FATAL(dt_check(blob, *size, &why) == 0);
    return blob;
}

static void test_address_cells_1(void)
{
    static struct memmap map;
    uint8_t *blob;
    size_t size;
    uint64_t a, s;
    int node;

    b_init(&d);
    b_rsv(&d, 0x1000, 0x2000);
    b_rsv(&d, 0x80000000ULL << 8, 0x10000);
    b_begin(&d, "");
    b_prop_u32(&d, "#address-cells", 1);
    b_prop_u32(&d, "#size-cells", 1);
    b_begin(&d, "memory@0");
    b_prop_str(&d, "device_type", "memory");
    b_prop_cells(&d, "reg", 4, 0x0, 0x1000000, 0x80000000, 0x10000000);
    b_end(&d);
    b_begin(&d, "memory@c0000000"); /* disabled: skipped */
    b_prop_str(&d, "device_type", "memory");
    b_prop_str(&d, "status", "disabled");
    b_prop_cells(&d, "reg", 2, 0xc0000000, 0x1000);
    b_end(&d);
    b_begin(&d, "uart@1000");
    b_prop_cells(&d, "reg", 2, 0x1000, 0x100);
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    compare_with_libfdt(blob, size);

    node = dt_path_offset(blob, "/uart");
    CU_ASSERT_FATAL(dt_reg(blob, node, 0, &a, &s) == 0);
    ORR_ASSERT_EQ_U64(a, 0x1000);
    ORR_ASSERT_EQ_U64(s, 0x100);

    /* Reservations, as libfdt reads them. */
    ORR_ASSERT_EQ_U64(fdt_num_mem_rsv(blob), 2);
    CU_ASSERT(dt_memrsv(blob, 1, &a, &s) == 0);
    ORR_ASSERT_EQ_U64(a, 0x80000000ULL << 8);
    ORR_ASSERT_EQ_U64(s, 0x10000);
    ORR_ASSERT_EQ_U64(dt_memrsv(blob, 2, &a, &s), ORR_ENOENT);

    memset(&map, 0, sizeof(map));
    ORR_ASSERT_EQ_U64(dt_memory_map(blob, &map), 2);
    CU_ASSERT_FATAL(map.nr == 4);
    ORR_ASSERT_EQ_U64(map.e[0].addr, 0);
    ORR_ASSERT_EQ_U64(map.e[0].size, 0x1000000);
    ORR_ASSERT_EQ_U64(map.e[1].addr, 0x80000000);
    ORR_ASSERT_EQ_U64(map.e[1].size, 0x10000000);
    CU_ASSERT(map.e[2].type == MEMMAP_RESERVED);
    ORR_ASSERT_EQ_U64(map.e[2].addr, 0x1000);
    /* The reservation carves a hole in the RAM. */
    memmap_sanitize(&map);
    ORR_ASSERT_EQ_U64(memmap_ram_bytes(&map), 0x1000000 - 0x2000 + 0x10000000);
    free(blob);
}

static void test_empty_nodes_and_nops(void)
{
    uint8_t *blob;
    size_t size;
    int root, a;

    b_init(&d);
    b_begin(&d, "");
    b_nop(&d);
    b_prop_u32(&d, "#address-cells", 2);
    b_nop(&d);
    b_nop(&d);
    b_prop(&d, "empty-prop", "", 0);
    b_nop(&d);
    b_begin(&d, "a");
    b_end(&d);
    b_nop(&d);
    b_begin(&d, "b@1");
    b_nop(&d);
    b_begin(&d, "c");
    b_end(&d);
    b_nop(&d);
    b_end(&d);
    b_nop(&d);
    b_end(&d);
    blob = finish_ok(&size);
    compare_with_libfdt(blob, size);

    root = dt_root(blob);
    a = dt_path_offset(blob, "/a");
    ORR_ASSERT_EQ_U64(dt_first_child(blob, a), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_first_prop(blob, a), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_next_sibling(blob, a), dt_path_offset(blob, "/b"));
    ORR_ASSERT_EQ_U64(dt_next_sibling(blob, root), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, "//b@1//c/"),
                      fdt_path_offset(blob, "/b@1/c"));
    /* A component with a unit address matches only exactly. */
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, "/a@1"), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, "/b@2"), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, "a"), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, NULL), ORR_EINVAL);
    free(blob);

    /* NOPs before and after the root: the spec says to ignore NOPs
     * wherever they are; libfdt's walk skips them too (its
     * fdt_check_full() of 1.6.1 refuses the one after the root). */
    b_init(&d);
    b_nop(&d);
    b_begin(&d, "");
    b_end(&d);
    b_nop(&d);
    blob = finish_ok(&size);
    ORR_ASSERT_EQ_U64(dt_root(blob), 4);
    ORR_ASSERT_EQ_U64(dt_next_node(blob, -1, NULL),
                      fdt_next_node(blob, -1, NULL));
    free(blob);
}

static void test_version_16(void)
{
    uint8_t *blob;
    size_t size;

    b_init(&d);
    b_begin(&d, "");
    b_prop_str(&d, "model", "v16");
    b_begin(&d, "child");
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    /* Version 16 has no size_dt_struct: the block runs to the strings. */
    put_be32(blob + 20, 16);
    put_be32(blob + 36, 0xdeadbeef);
    CU_ASSERT(dt_check(blob, size, NULL) == 0);
    ORR_ASSERT_EQ_U64(dt_path_offset(blob, "/child"),
                      fdt_path_offset(blob, "/child"));
    free(blob);
}

static void test_cells(void)
{
    static const uint8_t raw[] = { 0xff, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0 };
    uint8_t *blob;
    size_t size;
    uint64_t a, s;
    int node;

    /* Byte loads: any alignment, big-endian regardless of the host. */
    CU_ASSERT(dt_read_cells(raw + 1, 2, &a) == 0);
    ORR_ASSERT_EQ_U64(a, 0x0000000100000002ULL);
    CU_ASSERT(dt_read_cells(raw, 0, &a) == 0);
    ORR_ASSERT_EQ_U64(a, 0);
    CU_ASSERT(dt_read_cells(raw, 5, &a) == ORR_EINVAL);

    b_init(&d);
    b_begin(&d, "");
    b_begin(&d, "wide");
    b_prop_u32(&d, "#address-cells", 3);
    b_prop_u32(&d, "#size-cells", 2);
    b_begin(&d, "ok@1");
    b_prop_cells(&d, "reg", 5, 0, 0x12, 0x34, 0x1, 0x0);
    b_end(&d);
    b_begin(&d, "big@1");
    b_prop_cells(&d, "reg", 5, 1, 0x12, 0x34, 0x1, 0x0);
    b_end(&d);
    b_begin(&d, "short@1");
    b_prop_cells(&d, "reg", 4, 0, 0x12, 0x34, 0x1);
    b_end(&d);
    b_end(&d);
    b_begin(&d, "toowide");
    b_prop_u32(&d, "#address-cells", 5);
    b_prop_cells(&d, "#size-cells", 2, 1, 1);
    b_begin(&d, "x");
    b_prop_cells(&d, "reg", 1, 0);
    b_end(&d);
    b_end(&d);
    b_begin(&d, "nobus");
    b_prop_u32(&d, "#address-cells", 0);
    b_begin(&d, "x");
    b_prop_cells(&d, "reg", 1, 0);
    b_end(&d);
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);

    node = dt_path_offset(blob, "/wide/ok");
    CU_ASSERT(dt_reg(blob, node, 0, &a, &s) == 0);
    ORR_ASSERT_EQ_U64(a, 0x1200000034ULL);
    ORR_ASSERT_EQ_U64(s, 0x100000000ULL);
    node = dt_path_offset(blob, "/wide/big");
    ORR_ASSERT_EQ_U64(dt_reg(blob, node, 0, &a, &s), ORR_EOVERFLOW);
    node = dt_path_offset(blob, "/wide/short");
    ORR_ASSERT_EQ_U64(dt_reg(blob, node, 0, &a, &s), ORR_EBADMSG);
    node = dt_path_offset(blob, "/toowide");
    ORR_ASSERT_EQ_U64(dt_addr_cells(blob, node), ORR_EOPNOTSUPP);
    ORR_ASSERT_EQ_U64(dt_size_cells(blob, node), ORR_EBADMSG);
    ORR_ASSERT_EQ_U64(dt_reg(blob, dt_first_child(blob, node), 0, &a, &s),
                      ORR_EOPNOTSUPP);
    node = dt_path_offset(blob, "/nobus/x");
    ORR_ASSERT_EQ_U64(dt_reg(blob, node, 0, &a, &s), ORR_EOPNOTSUPP);
    /* The root has no parent, so no "reg" to decode. */
    ORR_ASSERT_EQ_U64(dt_reg(blob, dt_root(blob), 0, &a, &s), ORR_EINVAL);
    free(blob);
}

static void test_interrupts(void)
{
    uint8_t *blob;
    size_t size;
    uint32_t t, n, f;
    int node;

    b_init(&d);
    b_begin(&d, "");
    b_prop_u32(&d, "interrupt-parent", 1);
    b_begin(&d, "gic");
    b_prop_u32(&d, "#interrupt-cells", 3);
    b_prop_u32(&d, "phandle", 1);
    b_end(&d);
    b_begin(&d, "old-intc");
    b_prop_u32(&d, "#interrupt-cells", 2);
    b_prop_u32(&d, "linux,phandle", 2);
    b_end(&d);
    b_begin(&d, "bus");
    b_begin(&d, "dev"); /* inherits the root's parent */
    b_prop_cells(&d, "interrupts", 6, 0, 5, 4, 1, 9, 1);
    b_end(&d);
    b_end(&d);
    b_begin(&d, "two-cell");
    b_prop_u32(&d, "interrupt-parent", 2);
    b_prop_cells(&d, "interrupts", 2, 5, 4);
    b_end(&d);
    b_begin(&d, "dangling");
    b_prop_u32(&d, "interrupt-parent", 7);
    b_prop_cells(&d, "interrupts", 3, 0, 5, 4);
    b_end(&d);
    b_begin(&d, "no-cells");
    b_prop_u32(&d, "phandle", 3);
    b_begin(&d, "dev");
    b_prop_u32(&d, "interrupt-parent", 3);
    b_prop_cells(&d, "interrupts", 3, 0, 5, 4);
    b_end(&d);
    b_end(&d);
    b_begin(&d, "ragged");
    b_prop_cells(&d, "interrupts", 4, 0, 5, 4, 0);
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    compare_with_libfdt(blob, size);

    ORR_ASSERT_EQ_U64(dt_node_by_phandle(blob, 2),
                      dt_path_offset(blob, "/old-intc"));
    ORR_ASSERT_EQ_U64(dt_node_by_phandle(blob, 0), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_node_by_phandle(blob, ~0U), ORR_EINVAL);
    node = dt_path_offset(blob, "/bus/dev");
    CU_ASSERT(dt_interrupt(blob, node, 1, &t, &n, &f) == 0);
    ORR_ASSERT_EQ_U64(t, 1);
    ORR_ASSERT_EQ_U64(n, 9);
    ORR_ASSERT_EQ_U64(f, 1);
    ORR_ASSERT_EQ_U64(dt_gic_intid(t, n), 25);
    ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 2, &t, &n, &f), ORR_ENOENT);
    node = dt_path_offset(blob, "/two-cell");
    ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 0, &t, &n, &f), ORR_EOPNOTSUPP);
    node = dt_path_offset(blob, "/dangling");
    ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 0, &t, &n, &f), ORR_ENOENT);
    /* An interrupt parent must say how many cells it takes. */
    node = dt_path_offset(blob, "/no-cells/dev");
    ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 0, &t, &n, &f), ORR_EBADMSG);
    node = dt_path_offset(blob, "/ragged");
    ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 0, &t, &n, &f), ORR_EBADMSG);
    free(blob);
}

static void test_string_values(void)
{
    uint8_t *blob;
    size_t size;
    const char *s;
    uint32_t u;
    int node;

    b_init(&d);
    b_begin(&d, "");
    b_begin(&d, "n");
    b_prop(&d, "unterminated", "abc", 3);
    b_prop(&d, "empty", "", 0);
    b_prop(&d, "compatible", "vendor,a\0vendor,b", 18);
    b_prop_str(&d, "status", "okay");
    b_end(&d);
    b_begin(&d, "m");
    b_prop(&d, "compatible", "vendor,a\0vendor,b", 17); /* cut short */
    b_prop_str(&d, "status", "fail");
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);

    node = dt_path_offset(blob, "/n");
    ORR_ASSERT_EQ_U64(dt_getprop_string(blob, node, "unterminated", &s),
                      ORR_EBADMSG);
    ORR_ASSERT_EQ_U64(dt_getprop_string(blob, node, "empty", &s), ORR_EBADMSG);
    ORR_ASSERT_EQ_U64(dt_getprop_u32(blob, node, "unterminated", &u),
                      ORR_EBADMSG);
    ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, node, "vendor,b"), 1);
    ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, node, "vendor"), 0);
    CU_ASSERT(dt_node_available(blob, node));
    node = dt_path_offset(blob, "/m");
    ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, node, "vendor,a"), 1);
    ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, node, "vendor,b"), 0);
    CU_ASSERT(!dt_node_available(blob, node));
    ORR_ASSERT_EQ_U64(dt_find_compatible(blob, -1, "vendor,b"),
                      dt_path_offset(blob, "/n"));
    free(blob);
}

static void test_memory_map_full(void)
{
    static struct memmap map;
    uint32_t reg[2 * (MEMMAP_MAX + 1)];
    unsigned int i;
    uint8_t *blob;
    size_t size;

    for ( i = 0; i < ARRAY_SIZE(reg); i += 2 )
    {
        put_be32((uint8_t *)&reg[i], 0x100000 * i);
        put_be32((uint8_t *)&reg[i + 1], 0x1000);
    }
    b_init(&d);
    b_begin(&d, "");
    b_prop_u32(&d, "#address-cells", 1);
    b_begin(&d, "memory");
    b_prop_str(&d, "device_type", "memory");
    b_prop(&d, "reg", reg, sizeof(reg));
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    memset(&map, 0, sizeof(map));
    ORR_ASSERT_EQ_U64(dt_memory_map(blob, &map), ORR_ENOSPC);
    free(blob);

    /* A memory node whose "reg" is not whole entries, or is missing. */
    b_init(&d);
    b_begin(&d, "");
    b_begin(&d, "memory@0");
    b_prop_str(&d, "device_type", "memory");
    b_prop_cells(&d, "reg", 4, 0, 0, 0x1000, 0); /* entries are 3 cells */
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    memset(&map, 0, sizeof(map));
    ORR_ASSERT_EQ_U64(dt_memory_map(blob, &map), ORR_EBADMSG);
    free(blob);
    b_init(&d);
    b_begin(&d, "");
    b_begin(&d, "memory@0");
    b_prop_str(&d, "device_type", "memory");
    b_end(&d);
    b_end(&d);
    blob = finish_ok(&size);
    ORR_ASSERT_EQ_U64(dt_memory_map(blob, &map), ORR_ENOENT);
    free(blob);

    /* No memory node at all. */
    b_init(&d);
    b_begin(&d, "");
    b_end(&d);
    blob = finish_ok(&size);
    memset(&map, 0, sizeof(map));
    ORR_ASSERT_EQ_U64(dt_memory_map(blob, &map), ORR_ENOENT);
    free(blob);
}

/* Offsets that are not nodes or properties are refused, not followed. */
static void test_bad_offsets(void)
{
    const void *blob;
    int root, prop, len;
    uint64_t a;

    CU_ASSERT_FATAL(load_fixtures() == 0 && nr_fixtures > 0);
    blob = fixtures[0].blob;
    root = dt_root(blob);
    prop = dt_first_prop(blob, root);
    CU_ASSERT_FATAL(prop > root);
    CU_ASSERT(dt_node_name(blob, 1, &len) == NULL);
    CU_ASSERT(dt_node_name(blob, prop, &len) == NULL);
    CU_ASSERT(dt_prop_value(blob, root, NULL, &len) == NULL);
    ORR_ASSERT_EQ_U64(dt_first_child(blob, -4), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_first_child(blob, prop), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_first_child(blob, 1 << 24), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_next_sibling(blob, prop), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_next_prop(blob, root), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_first_prop(blob, prop), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_parent(blob, prop), ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_parent(blob, root), ORR_ENOENT);
    ORR_ASSERT_EQ_U64(dt_reg(blob, prop, 0, &a, NULL), ORR_EINVAL);
    CU_ASSERT(dt_getprop(blob, prop, "reg", &len) == NULL);
    ORR_ASSERT_EQ_U64(len, ORR_EINVAL);
    ORR_ASSERT_EQ_U64(dt_boot_cpuid(blob), fdt_boot_cpuid_phys(blob));
    ORR_ASSERT_EQ_U64(dt_totalsize(blob), fixtures[0].size);
    ORR_ASSERT_STREQ(dt_strerror(ORR_ENOENT),
                     "no such node, property or entry");
    ORR_ASSERT_STREQ(dt_strerror(-12345), "unknown device tree error");
    /* Every error the reader returns has its own reason. */
    {
        const int errs[] = { ORR_ENOENT,    ORR_EINVAL,     ORR_EBADMSG,
                             ORR_EOVERFLOW, ORR_EOPNOTSUPP, ORR_ENOSPC };
        unsigned int i, j;

        for ( i = 0; i < ARRAY_SIZE(errs); i++ )
            for ( j = 0; j < ARRAY_SIZE(errs); j++ )
                CU_ASSERT((i == j) ==
                          !strcmp(dt_strerror(errs[i]), dt_strerror(errs[j])));
    }
    free_fixtures();
}

CU_TestInfo edge_tests[] = {
    ORR_CASE(test_address_cells_1),
    ORR_CASE(test_empty_nodes_and_nops),
    ORR_CASE(test_version_16),
    ORR_CASE(test_cells),
    ORR_CASE(test_interrupts),
    ORR_CASE(test_string_values),
    ORR_CASE(test_memory_map_full),
    ORR_CASE(test_bad_offsets),
    CU_TEST_INFO_NULL,
};
