/* SPDX-License-Identifier: MIT */
/*
 * Just enough ACPI to find the CPUs and the IO-APIC: RSDP -> XSDT/RSDT ->
 * MADT (ACPI 6.5 §5.2.5 RSDP, §5.2.7-8 RSDT/XSDT, §5.2.12 MADT). Every
 * table is checksummed and its length bounded before it is walked.
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include "apic.h"
#include "../boot/boot_x86.h"

struct x86_topology x86_topo;

struct acpi_header {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __packed;

struct acpi_rsdp {
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;                /* revision >= 2 from here */
    uint64_t xsdt;
    uint8_t xchecksum, rsvd[3];
} __packed;

#define MADT_LAPIC     0
#define MADT_IOAPIC    1
#define MADT_OVERRIDE  2
#define MADT_X2APIC    9

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;

    for ( size_t i = 0; i < len; i++ )
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static const struct acpi_rsdp *scan_rsdp(paddr_t start, paddr_t end)
{
    for ( paddr_t pa = start; pa + 20 <= end; pa += 16 )
    {
        const struct acpi_rsdp *r = boot_phys_to_virt(pa);

        if ( memcmp(r->sig, "RSD PTR ", 8) == 0 && checksum_ok(r, 20) )
            return r;
    }
    return NULL;
}

/* ACPI §5.2.5.1: the first KiB of the EBDA, then 0xe0000-0xfffff. */
static const struct acpi_rsdp *find_rsdp(void)
{
    const struct acpi_rsdp *r;
    paddr_t ebda;

    if ( x86_rsdp_paddr )
    {
        r = boot_phys_to_virt(x86_rsdp_paddr);
        if ( memcmp(r->sig, "RSD PTR ", 8) == 0 && checksum_ok(r, 20) )
            return r;
        printk(LOG_WARNING "ACPI: the loader's RSDP at %#llx is invalid; "
               "searching\n", (unsigned long long)x86_rsdp_paddr);
    }
    ebda = (paddr_t)*(const uint16_t *)boot_phys_to_virt(0x40e) << 4;
    if ( ebda >= 0x80000 && ebda < 0xa0000 && (r = scan_rsdp(ebda,
                                                             ebda + 1024)) )
        return r;
    return scan_rsdp(0xe0000, 0x100000);
}

static const struct acpi_header *map_table(paddr_t pa, const char *sig)
{
    const struct acpi_header *h = boot_phys_to_virt(pa);

    if ( !pa || h->length < sizeof(*h) || h->length > (1u << 20) ||
         !checksum_ok(h, h->length) )
    {
        printk(LOG_WARNING "ACPI: bad %s table at %#llx\n", sig,
               (unsigned long long)pa);
        return NULL;
    }
    return h;
}

static const struct acpi_header *find_table(const struct acpi_rsdp *rsdp,
                                            const char *sig)
{
    bool x = rsdp->revision >= 2 && rsdp->xsdt;
    const struct acpi_header *sdt = map_table(x ? rsdp->xsdt : rsdp->rsdt,
                                              x ? "XSDT" : "RSDT");
    size_t width = x ? 8 : 4;

    if ( !sdt )
        return NULL;
    for ( size_t off = sizeof(*sdt); off + width <= sdt->length;
          off += width )
    {
        const uint8_t *p = (const uint8_t *)sdt + off;
        uint64_t pa = 0;
        const struct acpi_header *t;

        memcpy(&pa, p, width);
        t = map_table(pa, "referenced");
        if ( t && memcmp(t->sig, sig, 4) == 0 )
            return t;
    }
    return NULL;
}

static void add_cpu(uint32_t apic_id, uint32_t flags)
{
    /* Flags bit 0: enabled; bit 1: online capable (ACPI 6.3+). */
    if ( !(flags & 3) )
        return;
    for ( unsigned int i = 0; i < x86_topo.nr_cpus; i++ )
        if ( x86_topo.apic_id[i] == apic_id )
            return;
    if ( x86_topo.nr_cpus == ARRAY_SIZE(x86_topo.apic_id) )
    {
        printk(LOG_WARNING "ACPI: more than %zu CPUs; ignoring APIC %u\n",
               ARRAY_SIZE(x86_topo.apic_id), apic_id);
        return;
    }
    x86_topo.apic_id[x86_topo.nr_cpus++] = apic_id;
}

static void parse_madt(const struct acpi_header *madt)
{
    const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8;
    const uint8_t *end = (const uint8_t *)madt + madt->length;

    for ( ; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1] )
    {
        uint32_t v32, flags;

        switch ( p[0] )
        {
        case MADT_LAPIC:            /* uid, apic id, flags */
            memcpy(&flags, p + 4, 4);
            add_cpu(p[3], flags);
            break;
        case MADT_X2APIC:           /* rsvd, x2apic id, flags, uid */
            memcpy(&v32, p + 4, 4);
            memcpy(&flags, p + 8, 4);
            add_cpu(v32, flags);
            break;
        case MADT_IOAPIC:           /* id, rsvd, address, gsi base */
            if ( x86_topo.ioapic_base )
                break;              /* the first one serves the ISA IRQs */
            memcpy(&v32, p + 4, 4);
            x86_topo.ioapic_base = v32;
            memcpy(&x86_topo.ioapic_gsi_base, p + 8, 4);
            break;
        case MADT_OVERRIDE:         /* bus, source irq, gsi, flags */
            if ( p[3] < 16 )
            {
                memcpy(&x86_topo.isa_gsi[p[3]], p + 4, 4);
                memcpy(&x86_topo.isa_flags[p[3]], p + 8, 2);
            }
            break;
        }
    }
}

void acpi_init(void)
{
    const struct acpi_rsdp *rsdp = find_rsdp();
    const struct acpi_header *madt;

    for ( unsigned int i = 0; i < 16; i++ )
        x86_topo.isa_gsi[i] = i;

    if ( !rsdp )
        panic("ACPI: no RSDP found; Orrery needs the MADT to find CPUs and "
              "the IO-APIC");
    madt = find_table(rsdp, "APIC");
    if ( !madt )
        panic("ACPI: no valid MADT");
    parse_madt(madt);
    if ( x86_topo.nr_cpus == 0 )
        panic("ACPI: the MADT lists no usable CPU");
    if ( !x86_topo.ioapic_base )
        panic("ACPI: the MADT lists no IO-APIC");
    printk("ACPI: RSDP rev %u (%.6s), %u CPUs, IO-APIC at %#llx\n",
           rsdp->revision, rsdp->oem, x86_topo.nr_cpus,
           (unsigned long long)x86_topo.ioapic_base);
}
