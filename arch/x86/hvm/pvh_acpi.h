/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables for a PVH domain (pvh_acpi.c): what Xen's toolstack gives a
 * PVH domU (libxl builds them with libacpi) and what Linux needs to find
 * its CPUs and local APICs -- without an MADT it runs with SMP disabled
 * and never sets up its Xen timer.
 */
#ifndef ARCH_X86_HVM_PVH_ACPI_H
#define ARCH_X86_HVM_PVH_ACPI_H

#include <orrery/types.h>

#include "pvh_build.h"

struct vcpu;

/* The tables live in the first special page (reported reserved in the
 * memory map; its Xen use, the paging ring, does not exist for PVH
 * domUs here), with the RSDP at its start. */
#define PVH_ACPI_PFN   PVH_SPECIAL_PFN_START
#define PVH_ACPI_RSDP  (PVH_ACPI_PFN << 12)

/* Offsets of the tables in that page. */
#define PVH_ACPI_XSDT  0x040
#define PVH_ACPI_FADT  0x080
#define PVH_ACPI_DSDT  0x200
#define PVH_ACPI_MADT  0x240

/* The most vCPUs whose MADT entries fit in the page. */
#define PVH_ACPI_MAX_VCPUS 128

/*
 * The hardware-reduced sleep registers the FADT names (ACPI 6.x §4.8.3.7,
 * one byte each in system I/O space) and the sleep type the DSDT's \_S5
 * gives: writing SLP_EN (bit 5) with SLP_TYP (bits 4:2) = PVH_ACPI_S5_TYP
 * to the control register powers the domain off (SHUTDOWN_poweroff), as
 * Linux's acpi_power_off() does once \_S5 and both registers exist.
 */
#define PVH_ACPI_SLEEP_CONTROL 0xb000
#define PVH_ACPI_SLEEP_STATUS  0xb001
#define PVH_ACPI_S5_TYP        5

/* The reset register (§4.8.3.6, FADT RESET_REG with RESET_REG_SUP):
 * writing PVH_ACPI_RESET_VALUE reboots the domain (SHUTDOWN_reboot), as
 * Linux's acpi_reboot() does first. */
#define PVH_ACPI_RESET_PORT    0xb002
#define PVH_ACPI_RESET_VALUE   0x01

/*
 * Write RSDP (ACPI 2.0+, pointing at the XSDT), XSDT (FADT, MADT), FADT
 * (hardware-reduced, no VGA, no CMOS RTC, the sleep and reset registers,
 * DSDT), a
 * DSDT holding only \_S5, and an
 * MADT with one enabled local APIC per vCPU (APIC id = vCPU id, as CPUID
 * leaf 1 reports) and no I/O APIC (a PVH domU has none: xen-abi-facts
 * §1.4), into the special page of @v's domain. With @hvm (a type=hvm
 * domain, which has the PC's devices: vdev.h) the tables say so: the
 * FADT has legacy devices and a CMOS RTC, the MADT the PCAT_COMPAT flag
 * (8259s present) and the I/O APIC at VIOAPIC_BASE with GSI base 0 (ISA
 * IRQ n is pin n, ACPI's default with no overrides). 0, -EINVAL for more
 * than PVH_ACPI_MAX_VCPUS, or -EFAULT.
 */
int pvh_acpi_write(struct vcpu *v, unsigned int nr_vcpus, bool hvm);

/* Boot: claim the sleep and reset registers' ports (portio.h). 0 or
 * -ENOSPC. */
int pvh_acpi_init(void);

#endif /* ARCH_X86_HVM_PVH_ACPI_H */
