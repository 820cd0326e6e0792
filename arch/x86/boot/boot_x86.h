/* SPDX-License-Identifier: MIT */
/* Early boot, shared by the two loader parsers and x86_start(). */
#ifndef X86_BOOT_H
#define X86_BOOT_H

#include <orrery/boot.h>

/* Where the ACPI RSDP is, as far as the loader told us (0: search). */
extern paddr_t x86_rsdp_paddr;

/*
 * Loader memory is reached through the boot page tables' direct map
 * (x86_start.c). The loader's pointers and sizes are not trusted: a
 * parser asks boot_map() for every structure it reads, so that a bad
 * pointer is a warning, not a fault in the boot path.
 */
void *boot_phys_to_virt(paddr_t pa);

/* How many of the @len bytes from @pa on the boot map covers (0 when @pa
 * itself is not mapped; never past a wrap of the address space). */
uint64_t boot_mapped_bytes(paddr_t pa, uint64_t len);

/* [@pa, @pa + @len) through the boot map, or NULL if not all of it is
 * mapped. @len 0 asks for @pa alone. (boot_mem.c) */
const void *boot_map(paddr_t pa, uint64_t len);

/* How boot_copy_bounded() went. */
enum boot_str {
    BOOT_STR_OK,            /* whole string copied */
    BOOT_STR_TRUNCATED,     /* longer than the buffer: cut to fit */
    BOOT_STR_UNTERMINATED,  /* no NUL within the source: cut there */
};

/* Copy the string at @src, which must end within @max bytes, into @buf
 * of @size (> 0) bytes; @buf is always NUL-terminated. */
enum boot_str boot_copy_bounded(char *buf, size_t size, const char *src,
                                size_t max);

/* Copy a loader-provided string to hypervisor memory; "" for 0, or (with
 * a warning) for a string that is not mapped. Truncation is warned of. */
const char *boot_copy_string(paddr_t pa, char *buf, size_t size);

void pvh_parse(paddr_t start_info, struct boot_info *bi);
void mb2_parse(paddr_t mbi, struct boot_info *bi);

/* The first token GRUB passes is the image's path: skip it. */
const char *skip_image_path(const char *cmdline);

#endif
