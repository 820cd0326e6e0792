/* SPDX-License-Identifier: MIT */
/*
 * Reading the Multiboot2 boot information (Multiboot2 spec §3.6): a u32
 * total size, a reserved u32, then 8-byte-aligned tags up to an end tag.
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include <asm/layout.h>

#include "boot_x86.h"

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE      3
#define MB2_TAG_MMAP        6
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

struct mb2_mmap_entry {
    uint64_t addr;
    uint64_t len;
    uint32_t type;
    uint32_t zero;
};

static char mb2_cmdline[1024];
static char mb2_loader[64];
static char mb2_loader_desc[96];
static char mb2_modcmd[BOOT_MAX_MODULES][256];
/* The ACPI tags hold a copy of the RSDP itself, not its address. */
static uint8_t mb2_rsdp_copy[36];

static void mb2_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
    const uint32_t *hdr = (const uint32_t *)(tag + 1);
    uint32_t entry_size = hdr[0];
    const uint8_t *p = (const uint8_t *)(hdr + 2);
    const uint8_t *end = (const uint8_t *)tag + tag->size;

    if ( entry_size < sizeof(struct mb2_mmap_entry) )
        panic("multiboot2: memory map entry size %u is too small",
              entry_size);
    for ( ; p + entry_size <= end; p += entry_size )
    {
        const struct mb2_mmap_entry *e = (const void *)p;

        if ( memmap_add(&bi->map, e->addr, e->len, e->type) < 0 )
            printk(LOG_WARNING "multiboot2: memory map full, entry "
                   "dropped\n");
    }
}

static void mb2_module(const struct mb2_tag *tag, struct boot_info *bi)
{
    const uint32_t *m = (const uint32_t *)(tag + 1);
    struct boot_module *bm;

    if ( bi->nr_modules == BOOT_MAX_MODULES )
    {
        printk(LOG_WARNING "multiboot2: only %u modules are kept\n",
               BOOT_MAX_MODULES);
        return;
    }
    bm = &bi->modules[bi->nr_modules];
    bm->start = m[0];
    bm->size = m[1] - m[0];
    strlcpy(mb2_modcmd[bi->nr_modules], (const char *)(m + 2),
            MIN(sizeof(mb2_modcmd[0]), tag->size - 16 + 1));
    bm->cmdline = mb2_modcmd[bi->nr_modules];
    boot_reserve(bi, m[0], m[1], "module");
    bi->nr_modules++;
}

void mb2_parse(paddr_t pa, struct boot_info *bi)
{
    const uint8_t *mbi = boot_phys_to_virt(pa);
    uint32_t total = *(const uint32_t *)mbi;
    const uint8_t *p = mbi + 8, *end = mbi + total;

    bi->loader = "multiboot2";
    boot_reserve(bi, pa, pa + total, "multiboot2 info");

    while ( p + sizeof(struct mb2_tag) <= end )
    {
        const struct mb2_tag *tag = (const void *)p;

        if ( tag->type == MB2_TAG_END || tag->size < sizeof(*tag) )
            break;
        switch ( tag->type )
        {
        case MB2_TAG_CMDLINE:
            strlcpy(mb2_cmdline, (const char *)(tag + 1),
                    MIN(sizeof(mb2_cmdline), tag->size - 8 + 1));
            bi->cmdline = skip_image_path(mb2_cmdline);
            break;
        case MB2_TAG_LOADER_NAME:
            strlcpy(mb2_loader, (const char *)(tag + 1),
                    MIN(sizeof(mb2_loader), tag->size - 8 + 1));
            snprintf(mb2_loader_desc, sizeof(mb2_loader_desc),
                     "multiboot2 (%s)", mb2_loader);
            bi->loader = mb2_loader_desc;
            break;
        case MB2_TAG_MODULE:
            mb2_module(tag, bi);
            break;
        case MB2_TAG_MMAP:
            mb2_mmap(tag, bi);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* Prefer the ACPI 2.0+ copy when both are present. */
            if ( !x86_rsdp_paddr || tag->type == MB2_TAG_ACPI_NEW )
            {
                memcpy(mb2_rsdp_copy, tag + 1,
                       MIN(sizeof(mb2_rsdp_copy), tag->size - 8));
                x86_rsdp_paddr = (paddr_t)(uintptr_t)mb2_rsdp_copy -
                                 IMAGE_VIRT_BASE;
            }
            break;
        }
        p += ROUNDUP(tag->size, 8);
    }
}
