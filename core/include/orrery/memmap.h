/* SPDX-License-Identifier: MIT */
/*
 * The machine memory map as the boot loader reported it (multiboot2 mmap
 * tag, PVH hvm_start_info memmap, device tree /memory), normalised by
 * memmap_sanitize() before anything allocates from it.
 */
#ifndef ORRERY_MEMMAP_H
#define ORRERY_MEMMAP_H

#include <orrery/types.h>

/* Types use the ACPI/E820 numbering, as PVH's memmap does (reference §1.4). */
enum memmap_type {
    MEMMAP_RAM = 1,
    MEMMAP_RESERVED = 2,
    MEMMAP_ACPI = 3,
    MEMMAP_NVS = 4,
    MEMMAP_UNUSABLE = 5,
    MEMMAP_DISABLED = 6,
    MEMMAP_PMEM = 7,
};

#define MEMMAP_MAX 128

struct memmap_entry {
    paddr_t addr;
    uint64_t size;
    uint32_t type;
};

struct memmap {
    unsigned int nr;
    struct memmap_entry e[MEMMAP_MAX];
};

/* Append an entry as reported; returns -1 when the map is full. */
int memmap_add(struct memmap *map, paddr_t addr, uint64_t size, uint32_t type);

/*
 * Normalise @map in place: drop zero-length entries and entries that wrap
 * past the top of the address space (clamped), sort by address, resolve
 * overlaps (any non-RAM type wins over RAM; among non-RAM the higher type
 * number wins), merge adjacent entries of one type, and shrink RAM entries
 * inwards to whole pages. Returns the number of entries left.
 */
unsigned int memmap_sanitize(struct memmap *map);

/* Sum of RAM bytes in a sanitised map. */
uint64_t memmap_ram_bytes(const struct memmap *map);

/* "RAM", "reserved", "ACPI data", ... for printing. */
const char *memmap_type_name(uint32_t type);

#endif /* ORRERY_MEMMAP_H */
