/* SPDX-License-Identifier: MIT */
/*
 * Reading a guest kernel's ELF image (System V ABI, ELF-64 and ELF-32
 * object file formats): every header checked against the file's size
 * before it is used, the loadable segments and Xen's ELF notes collected.
 * Where the segments may go in a guest is the domain builder's question.
 */
#ifndef ORRERY_ELF_H
#define ORRERY_ELF_H

#include <orrery/types.h>

#define ELF_MAX_SEGMENTS 16

/* Machines (e_machine). */
#define ELF_EM_386     3
#define ELF_EM_X86_64  62
#define ELF_EM_AARCH64 183

/* Xen's ELF notes (public/elfnote.h; reference §1.4). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

struct elf_segment {
    uint64_t paddr;         /* where it loads (p_paddr: physical) */
    uint64_t offset;        /* of its bytes in the file */
    uint64_t filesz;        /* bytes from the file; the rest is zero */
    uint64_t memsz;
};

struct elf_image {
    const uint8_t *data;
    size_t size;
    bool is64;
    uint16_t machine;
    uint64_t entry;                 /* e_entry */
    bool has_phys32_entry;          /* XEN_ELFNOTE_PHYS32_ENTRY seen */
    uint32_t phys32_entry;
    unsigned int nr_segments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    uint64_t lowest, highest;       /* [lowest, highest) spans every segment */
};

/*
 * Check @data (@size bytes) and fill @img. 0, or -EINVAL with *@why
 * saying what is wrong in words a user can act on.
 */
int elf_parse(const void *data, size_t size, struct elf_image *img,
              const char **why);

/*
 * Load the segments: @copy writes file bytes, @zero clears the rest of
 * each segment's memory size. Stops at the first error and returns it.
 */
int elf_load(const struct elf_image *img,
             int (*copy)(void *ctx, uint64_t paddr, const void *src,
                         size_t n),
             int (*zero)(void *ctx, uint64_t paddr, size_t n), void *ctx);

#endif /* ORRERY_ELF_H */
