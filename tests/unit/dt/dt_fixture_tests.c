/* SPDX-License-Identifier: MIT */
/*
 * The DTBs QEMU's virt machine builds (tests/unit/dt/dtbs, made by
 * make-dtbs.sh): every fixture walked by libfdt and dt_ side by side, then
 * the facts the Arm64 port reads from it, each derived both ways and
 * checked against what the fixture's name says QEMU was asked for.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <orrery/dt.h>
#include <orrery/memmap.h>
#include <orr_test.h>
#include "dt_errno.h"
#include "dt_tests.h"

#define MAX_FIXTURES 32

struct fixture fixtures[MAX_FIXTURES];
unsigned int nr_fixtures;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct fixture *)a)->name,
                  ((const struct fixture *)b)->name);
}

int load_fixtures(void)
{
    DIR *dir;
    struct dirent *de;
    char path[512];
    struct fixture *f;
    FILE *fp;
    long size;

    if ( nr_fixtures )
        return 0; /* already loaded */
    dir = opendir(DT_FIXTURE_DIR);
    if ( !dir )
        return 1;
    while ( (de = readdir(dir)) && nr_fixtures < MAX_FIXTURES )
    {
        size_t n = strlen(de->d_name);

        if ( n < 5 || n >= sizeof(f->name) ||
             strcmp(de->d_name + n - 4, ".dtb") )
            continue;
        f = &fixtures[nr_fixtures];
        memcpy(f->name, de->d_name, n + 1);
        snprintf(path, sizeof(path), "%s/%s", DT_FIXTURE_DIR, de->d_name);
        fp = fopen(path, "rb");
        if ( !fp || fseek(fp, 0, SEEK_END) || (size = ftell(fp)) <= 0 )
            return 1;
        rewind(fp);
        f->size = size;
        f->blob = malloc(size); /* exact size: ASan bounds it */
        if ( !f->blob || fread(f->blob, 1, size, fp) != (size_t)size )
            return 1;
        fclose(fp);
        nr_fixtures++;
    }
    closedir(dir);
    qsort(fixtures, nr_fixtures, sizeof(fixtures[0]), by_name);
    return 0;
}

int free_fixtures(void)
{
    while ( nr_fixtures )
        free(fixtures[--nr_fixtures].blob);
    return 0;
}

/* What make-dtbs.sh asked QEMU for, from the fixture's name:
 * <cpu>-<n>cpu-<mem>-gic<v>-el<2|1>.dtb */
struct config {
    char cpu[16], mem[16];
    unsigned int ncpus, gic, el;
};

static struct config config_of(const struct fixture *f)
{
    struct config c;

    CU_ASSERT_FATAL(sscanf(f->name, "%15[^-]-%ucpu-%15[^-]-gic%u-el%u", c.cpu,
                           &c.ncpus, c.mem, &c.gic, &c.el) == 5);
    return c;
}

static uint64_t mem_bytes(const char *mem)
{
    char unit;
    unsigned long n;

    CU_ASSERT_FATAL(sscanf(mem, "%lu%c", &n, &unit) == 2);
    return (uint64_t)n << (unit == 'g' ? 30 : 20);
}

/* Entry @i of @node's "reg", decoded from libfdt's view of the tree. */
static int fdt_reg(const void *blob, int node, int i, uint64_t *a, uint64_t *s)
{
    int parent = fdt_parent_offset(blob, node);
    int ac = fdt_address_cells(blob, parent);
    int sc = fdt_size_cells(blob, parent);
    int len, c;
    const fdt32_t *reg = fdt_getprop(blob, node, "reg", &len);

    if ( !reg || (i + 1) * 4 * (ac + sc) > len )
        return -1;
    reg += i * (ac + sc);
    for ( *a = 0, c = 0; c < ac; c++ )
        *a = (*a << 32) | fdt32_to_cpu(*reg++);
    for ( *s = 0, c = 0; c < sc; c++ )
        *s = (*s << 32) | fdt32_to_cpu(*reg++);
    return 0;
}

/* dt_reg() against libfdt for entry @i, and against @want_a/@want_s. */
static void check_reg(const void *blob, int node, int i, uint64_t want_a,
                      uint64_t want_s)
{
    uint64_t da, ds, fa, fs;

    CU_ASSERT_FATAL(fdt_reg(blob, node, i, &fa, &fs) == 0);
    CU_ASSERT_FATAL(dt_reg(blob, node, i, &da, &ds) == 0);
    ORR_ASSERT_EQ_U64(da, fa);
    ORR_ASSERT_EQ_U64(ds, fs);
    ORR_ASSERT_EQ_U64(da, want_a);
    ORR_ASSERT_EQ_U64(ds, want_s);
}

/* dt_interrupt() against the raw cells libfdt sees. */
static void check_irq(const void *blob, int node, int i, uint32_t want_type,
                      uint32_t want_num, uint32_t want_flags)
{
    int len;
    const fdt32_t *irq = fdt_getprop(blob, node, "interrupts", &len);
    uint32_t t, n, f;

    CU_ASSERT_FATAL(irq && len >= 12 * (i + 1));
    CU_ASSERT_FATAL(dt_interrupt(blob, node, i, &t, &n, &f) == 0);
    ORR_ASSERT_EQ_U64(t, fdt32_to_cpu(irq[3 * i]));
    ORR_ASSERT_EQ_U64(n, fdt32_to_cpu(irq[3 * i + 1]));
    ORR_ASSERT_EQ_U64(f, fdt32_to_cpu(irq[3 * i + 2]));
    ORR_ASSERT_EQ_U64(t, want_type);
    ORR_ASSERT_EQ_U64(n, want_num);
    ORR_ASSERT_EQ_U64(f, want_flags);
}

static void test_fixtures_present(void)
{
    /* make-dtbs.sh writes nine; a lost fixture must not go unnoticed. */
    CU_ASSERT(nr_fixtures >= 9);
}

static void test_walk_matches_libfdt(void)
{
    unsigned int i;

    for ( i = 0; i < nr_fixtures; i++ )
        compare_with_libfdt(fixtures[i].blob, fixtures[i].size);
}

static void test_compatible_search(void)
{
    static const char *const compat[] = {
        "arm,pl011",       "arm,gic-v3",   "arm,cortex-a15-gic",
        "arm,armv8-timer", "arm,psci-0.2", "virtio,mmio",
        "arm,cortex-a57",  "arm,pl061",    "no,such-device",
    };
    unsigned int i, c, hits;
    int f, d;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;

        for ( c = 0; c < ARRAY_SIZE(compat); c++ )
        {
            f = fdt_node_offset_by_compatible(blob, -1, compat[c]);
            d = dt_find_compatible(blob, -1, compat[c]);
            for ( hits = 0; f >= 0; hits++ )
            {
                ORR_ASSERT_EQ_U64(d, f);
                ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, d, compat[c]), 1);
                f = fdt_node_offset_by_compatible(blob, f, compat[c]);
                d = dt_find_compatible(blob, d, compat[c]);
            }
            ORR_ASSERT_EQ_U64(d, ORR_ENOENT);
            /* QEMU's virt machine has 32 virtio-mmio transports. */
            if ( !strcmp(compat[c], "virtio,mmio") )
                ORR_ASSERT_EQ_U64(hits, 32);
        }
    }
}

static void test_memory(void)
{
    static struct memmap map;
    unsigned int i;
    uint64_t fa, fs;
    int node, n;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;
        struct config c = config_of(&fixtures[i]);

        memset(&map, 0, sizeof(map));
        n = dt_memory_map(blob, &map);
        ORR_ASSERT_EQ_U64(n, 1);
        CU_ASSERT_FATAL(map.nr == 1);
        node = fdt_path_offset(blob, "/memory");
        CU_ASSERT_FATAL(node >= 0 && fdt_reg(blob, node, 0, &fa, &fs) == 0);
        ORR_ASSERT_EQ_U64(map.e[0].addr, fa);
        ORR_ASSERT_EQ_U64(map.e[0].size, fs);
        CU_ASSERT(map.e[0].type == MEMMAP_RAM);
        /* The virt machine's RAM starts at 1 GiB (hw/arm/virt.c map). */
        ORR_ASSERT_EQ_U64(map.e[0].addr, 0x40000000);
        ORR_ASSERT_EQ_U64(map.e[0].size, mem_bytes(c.mem));
        ORR_ASSERT_EQ_U64(dt_path_offset(blob, "/memory"), node);
    }
}

static void test_cpus(void)
{
    unsigned int i, count;
    uint64_t mpidr, size = 0;
    uint32_t want;
    int cpus, d, f;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;
        struct config c = config_of(&fixtures[i]);

        cpus = dt_path_offset(blob, "/cpus");
        ORR_ASSERT_EQ_U64(cpus, fdt_path_offset(blob, "/cpus"));
        /* MPIDRs are one cell, with no size (Arm cpus binding). */
        ORR_ASSERT_EQ_U64(dt_addr_cells(blob, cpus), 1);
        ORR_ASSERT_EQ_U64(dt_size_cells(blob, cpus), 0);

        count = 0;
        f = fdt_first_subnode(blob, cpus);
        for ( d = dt_find_device_type(blob, cpus, "cpu"); d >= 0;
              d = dt_find_device_type(blob, d, "cpu") )
        {
            /* libfdt: the next child of /cpus whose device_type is cpu */
            while ( f >= 0 &&
                    (!fdt_getprop(blob, f, "device_type", NULL) ||
                     strcmp(fdt_getprop(blob, f, "device_type", NULL), "cpu")) )
                f = fdt_next_subnode(blob, f);
            ORR_ASSERT_EQ_U64(d, f);
            ORR_ASSERT_EQ_U64(dt_parent(blob, d), cpus);
            CU_ASSERT_FATAL(dt_reg(blob, d, 0, &mpidr, &size) == 0);
            want = fdt32_to_cpu(
                *(const fdt32_t *)fdt_getprop(blob, f, "reg", NULL));
            ORR_ASSERT_EQ_U64(mpidr, want);
            ORR_ASSERT_EQ_U64(size, 0);
            /* QEMU 7.2 gives -cpu max the Cortex-A57's compatible. */
            ORR_ASSERT_EQ_U64(dt_node_is_compatible(blob, d, "arm,cortex-a57"),
                              1);
            f = fdt_next_subnode(blob, f);
            count++;
        }
        ORR_ASSERT_EQ_U64(count, c.ncpus);
    }
}

static void test_gic(void)
{
    unsigned int i;
    int node;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;
        struct config c = config_of(&fixtures[i]);
        const char *compat = c.gic == 3 ? "arm,gic-v3" : "arm,cortex-a15-gic";

        node = dt_find_compatible(blob, -1, compat);
        ORR_ASSERT_EQ_U64(node,
                          fdt_node_offset_by_compatible(blob, -1, compat));
        CU_ASSERT_FATAL(node >= 0);
        CU_ASSERT(fdt_getprop(blob, node, "interrupt-controller", NULL) !=
                  NULL);
        CU_ASSERT(dt_getprop(blob, node, "interrupt-controller", NULL) != NULL);
        /* The distributor at 128 MiB, then the redistributors (v3) or
         * the CPU interface (v2): QEMU's virt memory map. */
        check_reg(blob, node, 0, 0x08000000, 0x10000);
        if ( c.gic == 3 )
            check_reg(blob, node, 1, 0x080a0000, 0xf60000);
        else
            check_reg(blob, node, 1, 0x08010000, 0x10000);
    }
}

static void test_pl011(void)
{
    uint32_t t, n, f;
    unsigned int i;
    int node;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;

        node = dt_find_compatible(blob, -1, "arm,pl011");
        ORR_ASSERT_EQ_U64(node,
                          fdt_node_offset_by_compatible(blob, -1, "arm,pl011"));
        check_reg(blob, node, 0, 0x09000000, 0x1000);
        check_irq(blob, node, 0, 0, 1, 4); /* SPI 1, level high */
        ORR_ASSERT_EQ_U64(dt_gic_intid(0, 1), 33);
        ORR_ASSERT_EQ_U64(dt_interrupt(blob, node, 1, &t, &n, &f), ORR_ENOENT);
    }
}

static void test_timer(void)
{
    /* Secure, non-secure, virtual, hypervisor physical: PPIs 13, 14,
     * 11, 10 (INTIDs 29, 30, 27, 26), as the arm,armv8-timer binding
     * orders them. */
    static const uint32_t ppi[] = { 13, 14, 11, 10 };
    unsigned int i, j;
    uint32_t flags;
    int node;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;

        node = dt_find_compatible(blob, -1, "arm,armv8-timer");
        ORR_ASSERT_EQ_U64(
            node, fdt_node_offset_by_compatible(blob, -1, "arm,armv8-timer"));
        /* Level-high; on GICv2, bits 15:8 also name the CPUs the PPI
         * is wired to (GICv2 binding), on GICv3 they are zero. */
        flags = 4;
        if ( config_of(&fixtures[i]).gic == 2 )
            flags |= ((1u << config_of(&fixtures[i]).ncpus) - 1) << 8;
        for ( j = 0; j < ARRAY_SIZE(ppi); j++ )
            check_irq(blob, node, j, 1, ppi[j], flags);
        ORR_ASSERT_EQ_U64(dt_gic_intid(1, 10), 26);
    }
}

static void test_psci_and_chosen(void)
{
    unsigned int i, with_args = 0;
    const char *s, *f;
    int node, rc;

    for ( i = 0; i < nr_fixtures; i++ )
    {
        const void *blob = fixtures[i].blob;
        struct config c = config_of(&fixtures[i]);

        node = dt_path_offset(blob, "/psci");
        ORR_ASSERT_EQ_U64(node, fdt_path_offset(blob, "/psci"));
        CU_ASSERT_FATAL(dt_getprop_string(blob, node, "method", &s) == 0);
        ORR_ASSERT_STREQ(s, fdt_getprop(blob, node, "method", NULL));
        /* EL2 present: QEMU's PSCI firmware is reached by SMC; without
         * it, by HVC (the guest would own EL2 otherwise). */
        ORR_ASSERT_STREQ(s, c.el == 2 ? "smc" : "hvc");

        node = dt_path_offset(blob, "/chosen");
        CU_ASSERT_FATAL(node >= 0);
        rc = dt_getprop_string(blob, node, "bootargs", &s);
        f = fdt_getprop(blob, node, "bootargs", NULL);
        if ( f )
        {
            CU_ASSERT_FATAL(rc == 0);
            ORR_ASSERT_STREQ(s, f);
            with_args++;
        }
        else
            ORR_ASSERT_EQ_U64(rc, ORR_ENOENT);
        if ( !strcmp(fixtures[i].name, "a57-4cpu-1g-gic3-el2.dtb") )
            ORR_ASSERT_STREQ(f ? s : "", "console=pl011 loglvl=all");
    }
    CU_ASSERT(with_args >= 3);
}

CU_TestInfo fixture_tests[] = {
    ORR_CASE(test_fixtures_present),
    ORR_CASE(test_walk_matches_libfdt),
    ORR_CASE(test_compatible_search),
    ORR_CASE(test_memory),
    ORR_CASE(test_cpus),
    ORR_CASE(test_gic),
    ORR_CASE(test_pl011),
    ORR_CASE(test_timer),
    ORR_CASE(test_psci_and_chosen),
    CU_TEST_INFO_NULL,
};
