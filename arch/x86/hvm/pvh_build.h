/* SPDX-License-Identifier: MIT */
/*
 * Building a PVH domain from a kernel image (reference §1.4): guest RAM,
 * the kernel's segments, hvm_start_info with a memory map and command
 * line, and the special pages (console ring) with their HVM parameters.
 * Pure C over core: unit-tested on sim (unit.pvh), used by the boot-time
 * domain builder on x86.
 */
#ifndef ARCH_X86_HVM_PVH_BUILD_H
#define ARCH_X86_HVM_PVH_BUILD_H

#include <orrery/domain.h>

/* The special pages (libxenguest's layout): 8 pages ending at pfn
 * 0xFF000; xenstore at 0xFEFFC, console at 0xFEFFF. Reported reserved in
 * the memory map. */
#define PVH_SPECIAL_PFN_START 0xfeff8ULL
#define PVH_SPECIAL_PAGES     8
#define PVH_CONSOLE_PFN       0xfefffULL
#define PVH_XENSTORE_PFN      0xfeffcULL
/* RAM ends below the PC's 4 GiB hole: the IOAPIC at 0xFEC00000 (then the
 * local APIC at 0xFEE00000 and the special pages) must not be shadowed. */
#define PVH_RAM_LIMIT         0xfec00000ULL

struct pvh_config {
    const char *name;               /* NULL: "d<id>" */
    const void *kernel;             /* an ELF image with a PHYS32 note */
    size_t kernel_size;
    const char *cmdline;            /* for the guest; NULL: none */
    uint64_t mem_bytes;             /* RAM from guest-physical 0 */
    unsigned int max_vcpus;
    bool privileged;                /* a control domain */
    const struct p2m_backend_ops *p2m_ops;  /* NPT on x86, NULL on sim */
    unsigned int guest_type;        /* ORR_GUEST_PVH (0) or ORR_GUEST_HVM:
                                     * both start at the PVH entry */
    const void *ramdisk;            /* the one PVH module; NULL: none */
    size_t ramdisk_size;            /* 0: none */
};

/* Where vCPU 0 starts: the PVH entry with EBX = start_info. */
struct pvh_start {
    uint32_t entry;
    uint32_t start_info;
};

/*
 * Create and fill the domain. 0 with *@out and *@start set; or an error
 * with *@why saying what is wrong (a bad image, a kernel that does not
 * fit its memory ...), and no domain left behind.
 */
int pvh_build(const struct pvh_config *cfg, struct domain **out,
              struct pvh_start *start, const char **why);

#endif /* ARCH_X86_HVM_PVH_BUILD_H */
