/* SPDX-License-Identifier: MIT */
/*
 * Building loader memory for the boot-information tests: bytes appended
 * to one block that then stands at physical LOADER_BASE, as an exactly
 * sized heap copy (so ASan sees a read one byte past its end).
 */
#ifndef BOOTINFO_BLOCK_H
#define BOOTINFO_BLOCK_H

#include <orrery/boot.h>
#include "boot_x86.h"
#include "loader_mem.h"

extern struct boot_info bi;

/* Empty the block, boot_info, the console ring and the capture. */
void block_reset(void);
size_t block_len(void);
/* Append; each returns the offset it wrote at. */
size_t put_bytes(const void *p, size_t n);
size_t put32(uint32_t v);
size_t put64(uint64_t v);
void pad8(void);
/* Overwrite a u32, or @n bytes, at @off. */
void set32(size_t off, uint32_t v);
void block_patch(size_t off, const void *p, size_t n);

/* Map the block's first @len bytes (all: (size_t)-1) and run a parser. */
void run_mb2(size_t len);
void run_pvh(size_t len);

/* The console ring since block_reset(). */
const char *ring(void);

#endif
