/* SPDX-License-Identifier: MIT */
/*
 * PVH start of day (Xen guest ABI; reference/xen-abi-facts.md §1.4).
 * Orrery reads it when QEMU (or Xen) starts the hypervisor through the PVH
 * entry note, and will write it when it starts PVH guests itself.
 */
#ifndef PUBLIC_HVM_START_INFO_H
#define PUBLIC_HVM_START_INFO_H

#include <stdint.h>

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* ELF note types (public/elfnote.h). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_ELFNOTE_PHYS32_RELOC 19

/* hvm_start_info.flags */
#define SIF_PRIVILEGED (1u << 0)
#define SIF_INITDOMAIN (1u << 1)

struct hvm_start_info {
    uint32_t magic;             /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;           /* 1 adds memmap_paddr/entries */
    uint32_t flags;             /* SIF_* */
    uint32_t nr_modules;
    uint64_t modlist_paddr;     /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr;     /* NUL-terminated; 0 = none */
    uint64_t rsdp_paddr;        /* ACPI RSDP; 0 = find it the legacy way */
    uint64_t memmap_paddr;      /* struct hvm_memmap_table_entry[] */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

/* Types are the ACPI/E820 ones: 1 RAM, 2 reserved, 3 ACPI, 4 NVS, ... */
struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info size");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == 40,
               "memmap_paddr offset");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_entries) == 48,
               "memmap_entries offset");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "modlist entry size");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24,
               "memmap entry size");

#endif
