/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables for PVH domains (pvh_acpi.h). Layouts from the ACPI
 * specification 6.x: RSDP §5.2.5.3, system description header §5.2.6,
 * XSDT §5.2.8, FADT §5.2.9 (276 bytes in revision 6; IA-PC boot
 * architecture flags Table 5.10, fixed feature flags Table 5.9), DSDT
 * §5.2.11.1, MADT §5.2.12 with Processor Local APIC entries §5.2.12.2.
 * Every table's bytes, checksum included, sum to 0 mod 256; the RSDP has
 * a checksum over its first 20 bytes and an extended one over all 36.
 *
 * Xen gives PVH domUs the same kind of set (a hardware-reduced FADT, an
 * MADT with the local APICs, no I/O APIC); Linux reads it through
 * hvm_start_info.rsdp_paddr.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>

#include "pvh_acpi.h"
#include "vdev.h"

#define HDR_LEN      36
#define RSDP_LEN     36
#define FADT_LEN     276
#define MADT_LAPIC   8               /* one Processor Local APIC entry */
#define MADT_IOAPIC  12              /* one I/O APIC entry (§5.2.12.3) */

/* FADT fields (byte offsets, §5.2.9). */
#define FADT_DSDT        40
#define FADT_BOOT_ARCH   109
#define FADT_FLAGS       112
#define FADT_RESET_REG   116
#define FADT_RESET_VALUE 128
#define FADT_MINOR       131
#define FADT_X_DSDT      140
#define FADT_SLEEP_CTL   244             /* generic address structures */
#define FADT_SLEEP_STS   256
#define BOOT_LEGACY_DEVS (1u << 0)
#define BOOT_NO_VGA      (1u << 2)
#define BOOT_NO_CMOS_RTC (1u << 5)
#define FADT_RESET_SUP   (1u << 10)
#define FADT_HW_REDUCED  (1u << 20)

#define LAPIC_ADDRESS    0xfee00000u
#define MADT_PCAT_COMPAT (1u << 0)       /* dual 8259s present (§5.2.12) */

_Static_assert(PVH_ACPI_MAX_VCPUS >= DOMAIN_MAX_VCPUS,
               "an MADT entry for every vCPU a domain may have");
_Static_assert(PVH_ACPI_FADT + FADT_LEN <= PVH_ACPI_DSDT &&
               PVH_ACPI_DSDT + HDR_LEN + 16 <= PVH_ACPI_MADT &&
               PVH_ACPI_MADT + HDR_LEN + 8 +
               PVH_ACPI_MAX_VCPUS * MADT_LAPIC + MADT_IOAPIC <= 4096,
               "the tables fit their page");

static void put(uint8_t *p, unsigned int off, uint64_t v, unsigned int n)
{
    for ( unsigned int i = 0; i < n; i++ )
        p[off + i] = (uint8_t)(v >> (8 * i));
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while ( n-- )
        s += *p++;
    return s;
}

/* The common header; the checksum (offset 9) is filled in last. */
static void header(uint8_t *t, const char sig[4], uint32_t len,
                   uint8_t rev)
{
    memcpy(t, sig, 4);
    put(t, 4, len, 4);
    t[8] = rev;
    memcpy(t + 10, "ORRERY", 6);            /* OEM ID */
    memcpy(t + 16, "PVH     ", 8);          /* OEM table ID */
    put(t, 24, 1, 4);                       /* OEM revision */
    memcpy(t + 28, "ORRY", 4);              /* creator ID */
    put(t, 32, 1, 4);                       /* creator revision */
}

static int write_table(struct vcpu *v, unsigned int off, uint8_t *t,
                       size_t len)
{
    t[9] = (uint8_t)(0x100 - sum(t, len));
    return copy_to_guest_phys(v, PVH_ACPI_RSDP + off, t, len) ? -EFAULT : 0;
}

static int write_rsdp(struct vcpu *v)
{
    uint8_t r[RSDP_LEN] = { 0 };

    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "ORRERY", 6);
    r[15] = 2;                              /* ACPI 2.0+: XSDT */
    put(r, 20, RSDP_LEN, 4);
    put(r, 24, PVH_ACPI_RSDP + PVH_ACPI_XSDT, 8);
    r[8] = (uint8_t)(0x100 - sum(r, 20));
    r[32] = (uint8_t)(0x100 - sum(r, RSDP_LEN));
    return copy_to_guest_phys(v, PVH_ACPI_RSDP, r, RSDP_LEN) ? -EFAULT : 0;
}

static int write_xsdt(struct vcpu *v)
{
    uint8_t t[HDR_LEN + 16] = { 0 };

    header(t, "XSDT", sizeof(t), 1);
    put(t, HDR_LEN, PVH_ACPI_RSDP + PVH_ACPI_FADT, 8);
    put(t, HDR_LEN + 8, PVH_ACPI_RSDP + PVH_ACPI_MADT, 8);
    return write_table(v, PVH_ACPI_XSDT, t, sizeof(t));
}

/* A generic address structure (§5.2.3.2): one byte in system I/O. */
static void gas_io_byte(uint8_t *g, uint16_t port)
{
    g[0] = 1;                               /* system I/O space */
    g[1] = 8;                               /* register bit width */
    g[2] = 0;                               /* bit offset */
    g[3] = 1;                               /* byte access */
    put(g, 4, port, 8);
}

/* Hardware-reduced ACPI: no SCI, PM timer or GPE registers for the guest
 * to find, only the sleep and reset registers; no VGA, and no CMOS RTC
 * for a PVH domU (a type=hvm one has it and the other ISA devices). */
static int write_fadt(struct vcpu *v, bool hvm)
{
    uint8_t t[FADT_LEN] = { 0 };

    header(t, "FACP", FADT_LEN, 6);
    put(t, FADT_DSDT, PVH_ACPI_RSDP + PVH_ACPI_DSDT, 4);
    put(t, FADT_BOOT_ARCH, hvm ? BOOT_LEGACY_DEVS | BOOT_NO_VGA
                               : BOOT_NO_VGA | BOOT_NO_CMOS_RTC, 2);
    put(t, FADT_FLAGS, FADT_HW_REDUCED | FADT_RESET_SUP, 4);
    gas_io_byte(t + FADT_RESET_REG, PVH_ACPI_RESET_PORT);
    t[FADT_RESET_VALUE] = PVH_ACPI_RESET_VALUE;
    t[FADT_MINOR] = 0;
    put(t, FADT_X_DSDT, PVH_ACPI_RSDP + PVH_ACPI_DSDT, 8);
    gas_io_byte(t + FADT_SLEEP_CTL, PVH_ACPI_SLEEP_CONTROL);
    gas_io_byte(t + FADT_SLEEP_STS, PVH_ACPI_SLEEP_STATUS);
    return write_table(v, PVH_ACPI_FADT, t, FADT_LEN);
}

/*
 * No devices to describe; only Name (\_S5, Package () { 5, 5, 0, 0 }) in
 * AML (ACPI 6.x §20.2.5.2 NameOp 0x08, §20.2.5.4 PackageOp 0x12 with a
 * one-byte PkgLength counting itself, BytePrefix 0x0A, ZeroOp), so that
 * the guest knows S5 and its sleep type.
 */
static const uint8_t dsdt_aml[] = {
    0x08, '_', 'S', '5', '_',
    0x12, 0x08, 0x04,
    0x0a, PVH_ACPI_S5_TYP, 0x0a, PVH_ACPI_S5_TYP, 0x00, 0x00,
};

static int write_dsdt(struct vcpu *v)
{
    uint8_t t[HDR_LEN + sizeof(dsdt_aml)] = { 0 };

    header(t, "DSDT", sizeof(t), 2);
    memcpy(t + HDR_LEN, dsdt_aml, sizeof(dsdt_aml));
    return write_table(v, PVH_ACPI_DSDT, t, sizeof(t));
}


static int write_madt(struct vcpu *v, unsigned int nr_vcpus, bool hvm)
{
    uint8_t t[HDR_LEN + 8 + PVH_ACPI_MAX_VCPUS * MADT_LAPIC + MADT_IOAPIC] =
        { 0 };
    uint32_t len = HDR_LEN + 8 + nr_vcpus * MADT_LAPIC;

    if ( hvm )
    {
        /* The I/O APIC after the local APICs: its id is what its ID
         * register reads after reset (vioapic.c), GSIs from 0. */
        uint8_t *e = t + len;

        e[0] = 1;                           /* I/O APIC */
        e[1] = MADT_IOAPIC;
        e[2] = 0;                           /* I/O APIC id */
        put(e, 4, VIOAPIC_BASE, 4);
        put(e, 8, 0, 4);                    /* global system interrupt base */
        len += MADT_IOAPIC;
    }
    header(t, "APIC", len, 4);
    put(t, HDR_LEN, LAPIC_ADDRESS, 4);
    /* PCAT_COMPAT: the 8259s a type=hvm domain has; a PVH one has none. */
    put(t, HDR_LEN + 4, hvm ? MADT_PCAT_COMPAT : 0, 4);
    for ( unsigned int i = 0; i < nr_vcpus; i++ )
    {
        uint8_t *e = t + HDR_LEN + 8 + i * MADT_LAPIC;

        e[0] = 0;                           /* Processor Local APIC */
        e[1] = MADT_LAPIC;
        e[2] = (uint8_t)i;                  /* ACPI processor UID */
        e[3] = (uint8_t)i;                  /* APIC id */
        put(e, 4, 1, 4);                    /* enabled */
    }
    return write_table(v, PVH_ACPI_MADT, t, len);
}

int pvh_acpi_write(struct vcpu *v, unsigned int nr_vcpus, bool hvm)
{
    int rc;

    if ( nr_vcpus == 0 || nr_vcpus > PVH_ACPI_MAX_VCPUS )
        return -EINVAL;
    rc = write_rsdp(v);
    if ( !rc )
        rc = write_xsdt(v);
    if ( !rc )
        rc = write_fadt(v, hvm);
    if ( !rc )
        rc = write_dsdt(v);
    if ( !rc )
        rc = write_madt(v, nr_vcpus, hvm);
    return rc;
}
