/* SPDX-License-Identifier: MIT */
/*
 * The PVH builder: a kernel built here as an ELF-64 image (one PT_LOAD at
 * 1 MiB with code and a bss tail, Xen's PHYS32_ENTRY note), loaded into a
 * domain on the sim platform; then each failure, which must name its
 * cause and leave no domain or page behind.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/vcpu_ops.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>
#include <public/io/console.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <sim/sim.h>
#include <string.h>

#include "orr_sim_heap.h"
#include "orr_test.h"
#include "portio.h"
#include "pvh_acpi.h"
#include "pvh_build.h"

#define LOAD_PA  0x100000u
#define FILESZ   0x300u
#define MEMSZ    0x2000u
#define ENTRY    (LOAD_PA + 0x40)

static uint8_t kernel[0x1000];

static void put(unsigned int off, uint64_t v, unsigned int bytes)
{
    for ( unsigned int i = 0; i < bytes; i++ )
        kernel[off + i] = (uint8_t)(v >> (8 * i));
}

static size_t build_kernel(uint16_t machine, bool with_note, uint32_t entry)
{
    unsigned int ph = 64;

    memset(kernel, 0, sizeof(kernel));
    memcpy(kernel, "\x7f" "ELF", 4);
    kernel[4] = 2;
    kernel[5] = 1;
    kernel[6] = 1;
    put(16, 2, 2);
    put(18, machine, 2);
    put(20, 1, 4);
    put(24, entry, 8);
    put(32, ph, 8);
    put(54, 56, 2);
    put(56, with_note ? 2 : 1, 2);
    put(ph, 1, 4);                          /* PT_LOAD */
    put(ph + 8, 0x400, 8);
    put(ph + 24, LOAD_PA, 8);
    put(ph + 32, FILESZ, 8);
    put(ph + 40, MEMSZ, 8);
    for ( unsigned int i = 0; i < FILESZ; i++ )
        kernel[0x400 + i] = (uint8_t)(i * 7);
    if ( with_note )
    {
        ph += 56;
        put(ph, 4, 4);                      /* PT_NOTE at 0x800 */
        put(ph + 8, 0x800, 8);
        put(ph + 32, 20, 8);
        put(0x800, 4, 4);
        put(0x804, 4, 4);
        put(0x808, XEN_ELFNOTE_PHYS32_ENTRY, 4);
        memcpy(kernel + 0x80c, "Xen", 4);
        put(0x810, entry, 4);
    }
    return sizeof(kernel);
}

static uint64_t free_before;

static void nop(void *data)
{
    (void)data;
}

static void setup(void)
{
    struct page_alloc_stats st;
    struct timer warm;

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    timer_init();
    console_ring_reset();
    domain_reset_hooks();
    evtchn_register_domain_hooks();
    CU_ASSERT_FATAL(vcpu_ops_register() == 0);
    /* CPU 0's timer heap grows on its first timer (the console poll's):
     * grow it before the baseline, it is not the domain's to give back. */
    init_timer(&warm, nop, NULL, 0);
    set_timer(&warm, NOW() + 1);
    stop_timer(&warm);
    page_alloc_stats(&st);
    free_before = st.free_pages;
}

static void teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), 0);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

static struct pvh_config config(size_t size)
{
    return (struct pvh_config){
        .kernel = kernel, .kernel_size = size, .cmdline = "console=hvc0",
        .mem_bytes = 4 << 20, .max_vcpus = 1,
    };
}

static void test_build(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct hvm_start_info si;
    struct hvm_memmap_table_entry map[2];
    struct pvh_start start;
    struct domain *d;
    struct vcpu *v;
    const char *why = NULL;
    uint8_t buf[FILESZ], tail[16], want[16] = { 0 };
    char cmd[16];

    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT_EQUAL(d->guest_type, ORR_GUEST_PVH);
    CU_ASSERT_EQUAL(start.entry, ENTRY);
    /* Start info on the page after the kernel's memory. */
    CU_ASSERT_EQUAL(start.start_info, LOAD_PA + MEMSZ);
    CU_ASSERT_EQUAL(copy_from_guest(v, &si, start.start_info, sizeof(si)), 0);
    CU_ASSERT_EQUAL(si.magic, XEN_HVM_START_MAGIC_VALUE);
    CU_ASSERT_EQUAL(si.version, 1);
    CU_ASSERT_EQUAL(si.flags, 0);
    CU_ASSERT_EQUAL(si.nr_modules, 0);
    CU_ASSERT_EQUAL(si.memmap_entries, 2);
    CU_ASSERT_EQUAL(copy_from_guest(v, map, si.memmap_paddr, sizeof(map)), 0);
    ORR_ASSERT_EQ_U64(map[0].addr, 0);
    ORR_ASSERT_EQ_U64(map[0].size, 4 << 20);
    CU_ASSERT_EQUAL(map[0].type, 1);
    ORR_ASSERT_EQ_U64(map[1].addr, PVH_SPECIAL_PFN_START << 12);
    CU_ASSERT_EQUAL(map[1].type, 2);
    CU_ASSERT_EQUAL(copy_from_guest(v, cmd, si.cmdline_paddr, 13), 0);
    ORR_ASSERT_STREQ(cmd, "console=hvc0");
    /* The segment: file bytes, then zeros up to its memory size. */
    CU_ASSERT_EQUAL(copy_from_guest(v, buf, LOAD_PA, FILESZ), 0);
    CU_ASSERT(memcmp(buf, kernel + 0x400, FILESZ) == 0);
    CU_ASSERT_EQUAL(copy_from_guest(v, tail, LOAD_PA + MEMSZ - 16, 16), 0);
    CU_ASSERT(memcmp(tail, want, 16) == 0);
    /* Console page and port, no xenstore. */
    ORR_ASSERT_EQ_U64(hvm_param_read(d, HVM_PARAM_CONSOLE_PFN),
                      PVH_CONSOLE_PFN);
    CU_ASSERT(hvm_param_read(d, HVM_PARAM_CONSOLE_EVTCHN) != 0);
    ORR_ASSERT_EQ_U64(hvm_param_read(d, HVM_PARAM_STORE_PFN), 0);
    CU_ASSERT_EQUAL(copy_to_guest(v, PVH_CONSOLE_PFN << 12, "x", 1), 0);
    /* XENMEM_memory_map reports the same two entries. */
    {
        struct xen_e820_entry e820[4];
        struct xen_memory_map mm = { .nr_entries = 4 };
        struct hypercall_regs r = { .nr = __HYPERVISOR_memory_op,
                                    .args = { XENMEM_memory_map } };
        uint64_t mm_gpa = 0x200000, buf_gpa = 0x201000;

        mm.buffer = buf_gpa;
        CU_ASSERT_EQUAL(copy_to_guest(v, mm_gpa, &mm, sizeof(mm)), 0);
        r.args[1] = mm_gpa;
        hypercall_dispatch(v, &r);
        CU_ASSERT_EQUAL(r.ret, 0);
        CU_ASSERT_EQUAL(copy_from_guest(v, &mm, mm_gpa, sizeof(mm)), 0);
        CU_ASSERT_EQUAL(mm.nr_entries, 2);
        CU_ASSERT_EQUAL(copy_from_guest(v, e820, buf_gpa, 2 * sizeof(e820[0])),
                        0);
        ORR_ASSERT_EQ_U64(e820[0].size, 4 << 20);
        CU_ASSERT_EQUAL(e820[1].type, 2);
    }
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES),
                      (4 << 20) / 4096 + PVH_SPECIAL_PAGES);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_privileged_flag(void)
{
    struct pvh_config cfg = config(build_kernel(3, true, ENTRY));
    struct hvm_start_info si;
    struct pvh_start start;
    struct domain *d;
    const char *why;

    cfg.privileged = true;
    cfg.cmdline = NULL;
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    CU_ASSERT(d->is_privileged);
    CU_ASSERT_EQUAL(copy_from_guest(d->vcpu[0], &si, start.start_info,
                                    sizeof(si)), 0);
    CU_ASSERT_EQUAL(si.flags, SIF_PRIVILEGED);
    ORR_ASSERT_EQ_U64(si.cmdline_paddr, 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void expect_fail(struct pvh_config *cfg, int err, const char *msg)
{
    struct pvh_start start;
    struct domain *d = NULL;
    const char *why = NULL;

    CU_ASSERT_EQUAL(pvh_build(cfg, &d, &start, &why), err);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    ORR_ASSERT_STREQ(why, msg);
    CU_ASSERT_EQUAL(domain_count(), 0);
}

static void test_bad_builds(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));

    cfg.kernel_size = 10;
    expect_fail(&cfg, -EINVAL, "not an ELF file");
    cfg = config(build_kernel(183, true, ENTRY));
    expect_fail(&cfg, -EINVAL, "the kernel is not an x86 ELF image");
    cfg = config(build_kernel(62, false, ENTRY));
    expect_fail(&cfg, -EINVAL,
                "the kernel has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY)");
    cfg = config(build_kernel(62, true, 0x50));
    expect_fail(&cfg, -EINVAL, "the PVH entry point is outside the kernel");
    cfg = config(build_kernel(62, true, ENTRY));
    cfg.mem_bytes = LOAD_PA + 0x1000;      /* the bss does not fit */
    expect_fail(&cfg, -ENOMEM,
                "the kernel does not fit in the domain's memory");
    cfg.mem_bytes = LOAD_PA + MEMSZ;       /* no page for start info */
    expect_fail(&cfg, -ENOMEM, "no room after the kernel for its start info");
    cfg.mem_bytes = (4 << 20) + 1;
    expect_fail(&cfg, -EINVAL, "memory must be whole pages below 0xFEC00000");
    cfg.mem_bytes = 0xff000000ULL;
    expect_fail(&cfg, -EINVAL, "memory must be whole pages below 0xFEC00000");
    cfg.mem_bytes = 0xfec01000ULL;      /* would shadow the IOAPIC page */
    expect_fail(&cfg, -EINVAL, "memory must be whole pages below 0xFEC00000");
    cfg.mem_bytes = 4 << 20;
    cfg.max_vcpus = 0;
    expect_fail(&cfg, -EINVAL, "cannot create the domain");
}

/* What the guest writes into its console ring reaches the serial line,
 * a line at a time with its name, and out_cons follows out_prod. */
static void test_console_ring(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct xencons_interface intf;
    struct pvh_start start;
    struct domain *d;
    const char *why, *msg = "ring line one\nring line two\n";
    uint64_t ring = PVH_CONSOLE_PFN << 12;
    struct vcpu *v;

    cfg.name = "ringer";
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT_EQUAL(copy_from_guest(v, &intf, ring, sizeof(intf)), 0);
    memcpy(intf.out, msg, strlen(msg));
    intf.out_prod = (XENCONS_RING_IDX)strlen(msg);
    CU_ASSERT_EQUAL(copy_to_guest(v, ring, &intf, sizeof(intf)), 0);
    sim_console_clear();
    sim_advance(20000000);                  /* two polls */
    do_softirq();
    ORR_ASSERT_CONTAINS(sim_console_text(), "(ringer) ring line one\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "(ringer) ring line two\n");
    CU_ASSERT_EQUAL(copy_from_guest(v, &intf, ring, sizeof(intf)), 0);
    CU_ASSERT_EQUAL(intf.out_cons, intf.out_prod);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    /* The poll stops with the domain: nothing left armed. */
    sim_advance(30000000);
    do_softirq();
    CU_ASSERT_EQUAL(sim_timer_deadline(0), 0);
}

/* The ACPI table at @gpa into @t (at most @max bytes): its length, once
 * its bytes sum to 0 and its signature is @sig. */
static uint32_t acpi_table(struct vcpu *v, uint64_t gpa, const char *sig,
                           uint8_t *t, size_t max)
{
    uint32_t len;
    uint8_t s = 0;

    CU_ASSERT_EQUAL_FATAL(copy_from_guest(v, t, gpa, 36), 0);
    CU_ASSERT(memcmp(t, sig, 4) == 0);
    len = t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24;
    CU_ASSERT_FATAL(len >= 36 && len <= max);
    CU_ASSERT_EQUAL_FATAL(copy_from_guest(v, t, gpa, len), 0);
    for ( uint32_t i = 0; i < len; i++ )
        s += t[i];
    CU_ASSERT_EQUAL(s, 0);
    return len;
}

static uint64_t le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while ( n-- )
        v = v << 8 | p[n];
    return v;
}

/* Linux PVH finds its CPUs in the MADT through start info's rsdp_paddr;
 * without one it disabled SMP and never installed its Xen timer. */
static void test_acpi_tables(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct hvm_start_info si;
    struct pvh_start start;
    struct domain *d;
    struct vcpu *v;
    const char *why = NULL;
    uint8_t r[36], t[1200], s = 0;
    uint64_t fadt, madt;
    uint32_t len;

    cfg.max_vcpus = 3;
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT_EQUAL(copy_from_guest(v, &si, start.start_info, sizeof(si)), 0);
    ORR_ASSERT_EQ_U64(si.rsdp_paddr, PVH_ACPI_RSDP);
    /* RSDP: revision 2, both checksums, the XSDT. */
    CU_ASSERT_EQUAL(copy_from_guest(v, r, si.rsdp_paddr, 36), 0);
    CU_ASSERT(memcmp(r, "RSD PTR ", 8) == 0);
    CU_ASSERT_EQUAL(r[15], 2);
    CU_ASSERT_EQUAL(le(r + 20, 4), 36);
    for ( unsigned int i = 0; i < 20; i++ )
        s += r[i];
    CU_ASSERT_EQUAL(s, 0);
    for ( unsigned int i = 20; i < 36; i++ )
        s += r[i];
    CU_ASSERT_EQUAL(s, 0);
    /* XSDT: the FADT and the MADT. */
    len = acpi_table(v, le(r + 24, 8), "XSDT", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 36 + 16);
    fadt = le(t + 36, 8);
    madt = le(t + 44, 8);
    /* FADT revision 6: hardware-reduced, no VGA, no CMOS RTC, the sleep
     * control and status registers (one byte in system I/O each), a
     * DSDT. */
    len = acpi_table(v, fadt, "FACP", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 276);
    CU_ASSERT_EQUAL(t[8], 6);
    CU_ASSERT_EQUAL(le(t + 112, 4), (1u << 20) | (1u << 10));
    CU_ASSERT(memcmp(t + 116, "\x01\x08\x00\x01", 4) == 0);
    ORR_ASSERT_EQ_U64(le(t + 120, 8), PVH_ACPI_RESET_PORT);
    CU_ASSERT_EQUAL(t[128], PVH_ACPI_RESET_VALUE);
    CU_ASSERT_EQUAL(le(t + 109, 2), (1u << 2) | (1u << 5));
    ORR_ASSERT_EQ_U64(le(t + 140, 8), le(t + 40, 4));
    CU_ASSERT(memcmp(t + 244, "\x01\x08\x00\x01", 4) == 0);
    ORR_ASSERT_EQ_U64(le(t + 248, 8), PVH_ACPI_SLEEP_CONTROL);
    CU_ASSERT(memcmp(t + 256, "\x01\x08\x00\x01", 4) == 0);
    ORR_ASSERT_EQ_U64(le(t + 260, 8), PVH_ACPI_SLEEP_STATUS);
    /* DSDT: Name (\_S5, Package () { 5, 5, 0, 0 }) and nothing else. */
    len = acpi_table(v, le(t + 140, 8), "DSDT", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 36 + 14);
    CU_ASSERT(memcmp(t + 36, "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00",
                     14) == 0);
    /* MADT: the local APIC address, no 8259s, one enabled local APIC per
     * vCPU with the vCPU's id, nothing else (no I/O APIC). */
    len = acpi_table(v, madt, "APIC", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 44 + 3 * 8);
    ORR_ASSERT_EQ_U64(le(t + 36, 4), 0xfee00000u);
    CU_ASSERT_EQUAL(le(t + 40, 4), 0);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        const uint8_t *e = t + 44 + 8 * i;

        CU_ASSERT_EQUAL(e[0], 0);
        CU_ASSERT_EQUAL(e[1], 8);
        CU_ASSERT_EQUAL(e[2], i);
        CU_ASSERT_EQUAL(e[3], i);
        CU_ASSERT_EQUAL(le(e + 4, 4), 1);
    }
    CU_ASSERT_EQUAL(domain_destroy(d), 0);

    /* The most vCPUs a domain can have still fit. */
    cfg.max_vcpus = DOMAIN_MAX_VCPUS;
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    len = acpi_table(d->vcpu[0], madt, "APIC", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 44 + DOMAIN_MAX_VCPUS * 8);
    CU_ASSERT_EQUAL(t[44 + 8 * (DOMAIN_MAX_VCPUS - 1) + 3],
                    DOMAIN_MAX_VCPUS - 1);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* type=hvm: the tables describe the PC devices the domain has -- legacy
 * devices and a CMOS RTC in the FADT, 8259s (PCAT_COMPAT) and the I/O
 * APIC after the local APICs in the MADT. */
static void test_acpi_tables_hvm(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct hvm_start_info si;
    struct pvh_start start;
    struct domain *d;
    struct vcpu *v;
    const char *why = NULL;
    uint8_t r[36], t[1200];
    uint64_t fadt, madt;
    uint32_t len;
    const uint8_t *e;

    cfg.max_vcpus = 2;
    cfg.guest_type = ORR_GUEST_HVM;
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT_EQUAL(copy_from_guest(v, &si, start.start_info, sizeof(si)), 0);
    CU_ASSERT_EQUAL(copy_from_guest(v, r, si.rsdp_paddr, 36), 0);
    len = acpi_table(v, le(r + 24, 8), "XSDT", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 36 + 16);
    fadt = le(t + 36, 8);
    madt = le(t + 44, 8);
    len = acpi_table(v, fadt, "FACP", t, sizeof(t));
    CU_ASSERT_EQUAL(le(t + 109, 2), (1u << 0) | (1u << 2));
    len = acpi_table(v, madt, "APIC", t, sizeof(t));
    CU_ASSERT_EQUAL(len, 44 + 2 * 8 + 12);
    CU_ASSERT_EQUAL(le(t + 40, 4), 1);
    e = t + 44 + 2 * 8;
    CU_ASSERT_EQUAL(e[0], 1);
    CU_ASSERT_EQUAL(e[1], 12);
    CU_ASSERT_EQUAL(e[2], 0);
    ORR_ASSERT_EQ_U64(le(e + 4, 4), 0xfec00000u);
    CU_ASSERT_EQUAL(le(e + 8, 4), 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* ramdisk=: the one PVH module, at the end of RAM, in start info's
 * module list (Linux takes modlist[0] as its initramfs). */
static void test_ramdisk(void)
{
    static uint8_t rd[10000];
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct hvm_modlist_entry mod;
    struct hvm_start_info si;
    struct pvh_start start;
    struct domain *d;
    struct vcpu *v;
    const char *why = NULL;
    uint8_t back[sizeof(rd)];
    uint64_t want = ((4 << 20) - sizeof(rd)) & ~0xfffULL;

    for ( unsigned int i = 0; i < sizeof(rd); i++ )
        rd[i] = (uint8_t)(i * 13 + 5);
    cfg.ramdisk = rd;
    cfg.ramdisk_size = sizeof(rd);
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT_EQUAL(copy_from_guest(v, &si, start.start_info, sizeof(si)), 0);
    CU_ASSERT_EQUAL(si.nr_modules, 1);
    CU_ASSERT_EQUAL(copy_from_guest(v, &mod, si.modlist_paddr, sizeof(mod)),
                    0);
    ORR_ASSERT_EQ_U64(mod.paddr, want);
    ORR_ASSERT_EQ_U64(mod.size, sizeof(rd));
    ORR_ASSERT_EQ_U64(mod.cmdline_paddr, 0);
    CU_ASSERT_EQUAL(copy_from_guest(v, back, mod.paddr, sizeof(back)), 0);
    CU_ASSERT(memcmp(back, rd, sizeof(rd)) == 0);
    /* The memory map is still the two entries after the module list. */
    CU_ASSERT_EQUAL(si.memmap_entries, 2);
    CU_ASSERT(si.memmap_paddr > si.modlist_paddr);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);

    /* No room: the whole of RAM, more than RAM, or over the kernel. */
    cfg.ramdisk_size = 4 << 20;
    expect_fail(&cfg, -ENOMEM, "the ramdisk does not fit in the domain's "
                               "memory above the kernel");
    cfg.ramdisk_size = (4 << 20) + 1;
    expect_fail(&cfg, -ENOMEM, "the ramdisk does not fit in the domain's "
                               "memory above the kernel");
    cfg.ramdisk_size = (4 << 20) - LOAD_PA - MEMSZ;
    expect_fail(&cfg, -ENOMEM, "the ramdisk does not fit in the domain's "
                               "memory above the kernel");
}

/* The sleep control register: SLP_EN with S5's SLP_TYP powers the
 * domain off; other values, the status register, a wrong reset value and
 * a domain's other ports do nothing; the reset value reboots. */
static void test_acpi_sleep_and_reset(void)
{
    struct pvh_config cfg = config(build_kernel(62, true, ENTRY));
    struct pvh_start start;
    struct domain *d;
    struct vcpu *v;
    const char *why = NULL;
    uint32_t val = 0x55;
    uint8_t s5 = (PVH_ACPI_S5_TYP << 2) | 0x20;

    hvm_portio_reset();
    CU_ASSERT_EQUAL_FATAL(pvh_acpi_init(), 0);
    CU_ASSERT_EQUAL(pvh_acpi_init(), 0);            /* twice is harmless */
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT(hvm_portio_read(v, PVH_ACPI_SLEEP_STATUS, 1, &val));
    CU_ASSERT_EQUAL(val, 0);
    /* S5's type without SLP_EN, SLP_EN with another type, the status
     * register: still running. */
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_SLEEP_CONTROL, 1, s5 & ~0x20));
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_SLEEP_CONTROL, 1, 0x20 | (3 << 2)));
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_SLEEP_STATUS, 1, s5));
    CU_ASSERT_FALSE(hvm_portio_write(v, PVH_ACPI_RESET_PORT + 1, 1, s5));
    CU_ASSERT_FALSE(d->is_shut_down);
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_RESET_PORT, 1, 0x02));
    CU_ASSERT_FALSE(d->is_shut_down);
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_SLEEP_CONTROL, 1, s5));
    CU_ASSERT(d->is_shut_down);
    CU_ASSERT_EQUAL(d->shutdown_reason, SHUTDOWN_poweroff);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);

    /* The reset register's value reboots it. */
    CU_ASSERT_EQUAL_FATAL(pvh_build(&cfg, &d, &start, &why), 0);
    v = d->vcpu[0];
    CU_ASSERT(hvm_portio_read(v, PVH_ACPI_RESET_PORT, 1, &val));
    CU_ASSERT_EQUAL(val, 0);
    CU_ASSERT(hvm_portio_write(v, PVH_ACPI_RESET_PORT, 1,
                               PVH_ACPI_RESET_VALUE));
    CU_ASSERT(d->is_shut_down);
    CU_ASSERT_EQUAL(d->shutdown_reason, SHUTDOWN_reboot);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    hvm_portio_reset();
}

static CU_TestInfo tests[] = {
    ORR_CASE(test_build),
    ORR_CASE(test_acpi_sleep_and_reset),
    ORR_CASE(test_ramdisk),
    ORR_CASE(test_acpi_tables),
    ORR_CASE(test_acpi_tables_hvm),
    ORR_CASE(test_console_ring),
    ORR_CASE(test_privileged_flag),
    ORR_CASE(test_bad_builds),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("pvh", setup, teardown, tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
