/* SPDX-License-Identifier: MIT */
/*
 * Reading the device tree QEMU (or a boot loader) passes in x0 into a
 * struct boot_info and struct arm64_platform, with core/lib's reader
 * (orrery/dt.h). The blob is checked whole before anything is looked up:
 * a malformed or truncated tree is a clear panic, never a walk past its
 * end. Bindings: Linux Documentation/devicetree/bindings -- memory,
 * reserved-memory, chosen, cpus (reg = MPIDR affinity), arm,psci,
 * arm,gic-v3, arm,armv8-timer, arm,pl011.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/dt.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/platform_info.h>

/* The most this reader looks at. Linux stops at 2 MiB, but QEMU grows a
 * blob given with -dtb past that (to make room for /chosen): a 1 MiB
 * dump of its own virt tree comes back with totalsize 2 MiB + 20000. */
#define DT_MAX_SIZE (16u << 20)

static char dt_cmdline[1024];

static const void *dt_blob;

static void dt_fail(const char *what, int err)
{
    panic("DTB: %s: %s", what, dt_strerror(err));
}

static void read_memory(struct boot_info *bi)
{
    int n, node, rsv;

    n = dt_memory_map(dt_blob, &bi->map);
    if ( n < 0 )
        dt_fail("no usable /memory node", n);
    for ( unsigned int i = 0; i < bi->map.nr; i++ )
        if ( bi->map.e[i].type == MEMMAP_RAM )
            boot_map_ram_1g(bi->map.e[i].addr,
                            bi->map.e[i].addr + bi->map.e[i].size);

    /* /reserved-memory children (reserved-memory.yaml): firmware's
     * carve-outs, never for the allocator. */
    rsv = dt_path_offset(dt_blob, "/reserved-memory");
    if ( rsv < 0 )
        return;
    for ( node = dt_first_child(dt_blob, rsv); node >= 0;
          node = dt_next_sibling(dt_blob, node) )
    {
        uint64_t addr, size;

        if ( !dt_node_available(dt_blob, node) )
            continue;
        for ( unsigned int i = 0;
              dt_reg(dt_blob, node, i, &addr, &size) == 0; i++ )
            boot_reserve(bi, addr, addr + size, "/reserved-memory");
    }
}

static void read_chosen(struct boot_info *bi)
{
    int chosen = dt_path_offset(dt_blob, "/chosen");
    const char *args;

    if ( chosen < 0 ||
         dt_getprop_string(dt_blob, chosen, "bootargs", &args) < 0 )
        return;
    if ( strlcpy(dt_cmdline, args, sizeof(dt_cmdline)) >=
         sizeof(dt_cmdline) )
        printk(LOG_WARNING "DTB: bootargs truncated to %zu bytes\n",
               sizeof(dt_cmdline) - 1);
    bi->cmdline = dt_cmdline;
}

/* The first available node compatible with any of @compat. */
static int find_device(const char *const *compat)
{
    for ( ; *compat; compat++ )
        for ( int node = dt_find_compatible(dt_blob, -1, *compat);
              node >= 0;
              node = dt_find_compatible(dt_blob, node, *compat) )
            if ( dt_node_available(dt_blob, node) )
                return node;
    return -ENOENT;
}

static uint32_t read_intid(int node, unsigned int index, const char *what)
{
    uint32_t type, num, flags;
    int err = dt_interrupt(dt_blob, node, index, &type, &num, &flags);

    if ( err < 0 )
        panic("DTB: %s: no interrupt %u: %s", what, index,
              dt_strerror(err));
    return dt_gic_intid(type, num);
}

static void read_uart(void)
{
    static const char *const compat[] = { "arm,pl011", NULL };
    int node = find_device(compat);
    int err;

    if ( node < 0 )
        panic("DTB: no arm,pl011 UART for the console");
    err = dt_reg(dt_blob, node, 0, &arm64_plat.uart_phys,
                 &arm64_plat.uart_size);
    if ( err < 0 )
        dt_fail("PL011 reg", err);
    arm64_plat.uart_intid = read_intid(node, 0, "PL011");
}

static void read_gic(void)
{
    static const char *const compat[] = { "arm,gic-v3", NULL };
    int node = find_device(compat);
    uint32_t nr = 1;
    int err;

    if ( node < 0 )
        panic("DTB: no arm,gic-v3 interrupt controller (Orrery needs "
              "GICv3: -M virt,gic-version=3)");
    err = dt_reg(dt_blob, node, 0, &arm64_plat.gicd_phys,
                 &arm64_plat.gicd_size);
    if ( err < 0 )
        dt_fail("GIC distributor reg", err);
    /* reg: GICD, then #redistributor-regions GICR ranges (default 1). */
    (void)dt_getprop_u32(dt_blob, node, "#redistributor-regions", &nr);
    if ( nr == 0 || nr > MAX_GICR_REGIONS )
        panic("DTB: GICv3 with %u redistributor regions (1-%u handled)",
              nr, MAX_GICR_REGIONS);
    for ( unsigned int i = 0; i < nr; i++ )
    {
        err = dt_reg(dt_blob, node, 1 + i, &arm64_plat.gicr_phys[i],
                     &arm64_plat.gicr_size[i]);
        if ( err < 0 )
            dt_fail("GIC redistributor reg", err);
    }
    arm64_plat.nr_gicr = nr;
}

static void read_timer(void)
{
    static const char *const compat[] = { "arm,armv8-timer",
                                          "arm,armv7-timer", NULL };
    int node = find_device(compat);

    if ( node < 0 )
        panic("DTB: no arm,armv8-timer node");
    /* interrupts: secure phys, non-secure phys, virtual, hyp phys. */
    arm64_plat.timer_intid = read_intid(node, 3, "EL2 timer");
    (void)dt_getprop_u32(dt_blob, node, "clock-frequency",
                         &arm64_plat.timer_freq_dt);
}

static void read_psci(void)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2",
                                          "arm,psci", NULL };
    int node = find_device(compat);
    const char *method;

    if ( node < 0 )
        panic("DTB: no PSCI node: cannot start secondary CPUs or reset");
    if ( dt_getprop_string(dt_blob, node, "method", &method) < 0 )
        panic("DTB: /psci has no method");
    if ( strcmp(method, "smc") == 0 )
        arm64_plat.psci_smc = true;
    else if ( strcmp(method, "hvc") == 0 )
        /* An HVC at EL2 traps to EL2 itself: no firmware would see it. */
        panic("DTB: PSCI method is hvc, which firmware cannot take from "
              "EL2");
    else
        panic("DTB: unknown PSCI method '%s'", method);
    arm64_plat.psci_cpu_on = PSCI_CPU_ON_64;
    /* PSCI 0.1 has no standard function ids: the node lists them. */
    if ( dt_node_is_compatible(dt_blob, node, "arm,psci-0.2") <= 0 &&
         dt_node_is_compatible(dt_blob, node, "arm,psci-1.0") <= 0 &&
         dt_getprop_u32(dt_blob, node, "cpu_on",
                        &arm64_plat.psci_cpu_on) < 0 )
        panic("DTB: PSCI 0.1 node without a cpu_on function id");
}

static void read_cpus(void)
{
    uint64_t me = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    unsigned int n = 1;
    bool seen_me = false;
    int cpus = dt_path_offset(dt_blob, "/cpus");

    if ( cpus < 0 )
        dt_fail("/cpus", cpus);
    arm64_plat.cpu_mpidr[0] = me;
    for ( int node = dt_first_child(dt_blob, cpus); node >= 0;
          node = dt_next_sibling(dt_blob, node) )
    {
        const char *type;
        uint64_t mpidr;

        if ( dt_getprop_string(dt_blob, node, "device_type", &type) < 0 ||
             strcmp(type, "cpu") != 0 || !dt_node_available(dt_blob, node) )
            continue;
        if ( dt_reg(dt_blob, node, 0, &mpidr, NULL) < 0 )
        {
            printk(LOG_WARNING "DTB: a cpu node without reg: ignored\n");
            continue;
        }
        if ( (mpidr & MPIDR_AFF_MASK) == me )
            seen_me = true;
        else if ( n < NR_CPUS )
            arm64_plat.cpu_mpidr[n++] = mpidr & MPIDR_AFF_MASK;
        else
            printk(LOG_WARNING "DTB: more than %u CPUs: CPU %#llx "
                   "ignored\n", NR_CPUS, (unsigned long long)mpidr);
    }
    if ( !seen_me )
        printk(LOG_WARNING "DTB: the boot CPU (MPIDR %#llx) is not in "
               "/cpus\n", (unsigned long long)me);
    arm64_plat.nr_cpus = n;
}

void dt_boot(paddr_t dtb, struct boot_info *bi)
{
    paddr_t window_end;
    const char *why = NULL;
    int err;

    if ( dtb == 0 || (dtb & 7) )
        panic("DTB: no device tree (x0 = %#llx; the loader must pass one, "
              "8-byte aligned)", (unsigned long long)dtb);
    /* Map the 1 GiB blocks that can hold the blob; read no further than
     * the smaller of its limit and the end of the block. */
    window_end = ROUNDUP(dtb + 1, 1ULL << 30);
    boot_map_ram_1g(dtb, window_end);
    dt_blob = (const void *)(uintptr_t)(DIRECTMAP_BASE + dtb);

    err = dt_check(dt_blob, MIN(DT_MAX_SIZE, window_end - dtb), &why);
    if ( err < 0 )
        panic("DTB: the device tree at %#llx is malformed: %s",
              (unsigned long long)dtb, why ? why : dt_strerror(err));
    arm64_plat.dtb_phys = dtb;
    arm64_plat.dtb_size = dt_totalsize(dt_blob);
    printk("DTB: device tree at %#llx, %u bytes\n",
           (unsigned long long)dtb, arm64_plat.dtb_size);

    read_chosen(bi);
    read_memory(bi);
    boot_reserve(bi, dtb, dtb + arm64_plat.dtb_size, "device tree");
    read_uart();
    read_gic();
    read_timer();
    read_psci();
    read_cpus();
}
