/* SPDX-License-Identifier: MIT */
/*
 * Reading the Multiboot2 boot information (Multiboot2 spec §3.6): a u32
 * total size, a reserved u32, then 8-byte-aligned tags up to an end tag.
 *
 * The loader is not trusted: the block must be mapped, every tag must lie
 * inside the total size, every string inside its tag. A tag that breaks
 * these rules is skipped, or ends the walk, with a warning that names it;
 * nothing is read past the block. Fields are copied out with memcpy, so
 * a misaligned block or entry size is no problem either.
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

/* The fixed header, then at least the 8-byte end tag. */
#define MB2_MIN_TOTAL       16
/* An ACPI 1.0 RSDP is 20 bytes, 2.0+ is 36 (ACPI 6.5 §5.2.5.3). */
#define RSDP_V1_SIZE        20

struct mb2_tag {
    uint32_t type;
    uint32_t size;          /* header included, padding not */
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

/* A tag's string payload, bounded by the tag. */
static void mb2_string(char *buf, size_t size, const uint8_t *s,
                       uint32_t len, const char *what)
{
    switch ( boot_copy_bounded(buf, size, (const char *)s, len) )
    {
    case BOOT_STR_OK:
        break;
    case BOOT_STR_TRUNCATED:
        printk(LOG_WARNING "multiboot2: %s longer than %zu bytes, "
               "truncated\n", what, size - 1);
        break;
    case BOOT_STR_UNTERMINATED:
        printk(LOG_WARNING "multiboot2: %s not NUL-terminated within its "
               "tag, cut at %u bytes\n", what, len);
        break;
    }
}

/* Payload: u32 entry_size, u32 entry_version, entries (spec §3.6.8). */
static void mb2_mmap(const uint8_t *pl, uint32_t len, struct boot_info *bi)
{
    struct mb2_mmap_entry e;
    unsigned int dropped = 0;
    uint32_t entry_size;
    uint64_t off;

    if ( len < 8 )
    {
        printk(LOG_WARNING "multiboot2: memory map tag of %u bytes has no "
               "header, ignored\n", len + 8);
        return;
    }
    memcpy(&entry_size, pl, sizeof(entry_size));
    if ( entry_size < sizeof(e) )
    {
        printk(LOG_WARNING "multiboot2: memory map entry size %u is below "
               "%zu, tag ignored\n", entry_size, sizeof(e));
        return;
    }
    for ( off = 8; off + entry_size <= len; off += entry_size )
    {
        memcpy(&e, pl + off, sizeof(e));
        if ( memmap_add(&bi->map, e.addr, e.len, e.type) < 0 )
            dropped++;
    }
    if ( dropped )
        printk(LOG_WARNING "multiboot2: memory map full, %u entries "
               "dropped\n", dropped);
}

/* Payload: u32 mod_start, u32 mod_end, string (spec §3.6.6). */
static void mb2_module(const uint8_t *pl, uint32_t len, struct boot_info *bi)
{
    uint32_t range[2];
    struct boot_module *bm;

    if ( len < sizeof(range) )
    {
        printk(LOG_WARNING "multiboot2: module tag of %u bytes is too "
               "short, ignored\n", len + 8);
        return;
    }
    memcpy(range, pl, sizeof(range));
    if ( range[1] < range[0] )
    {
        printk(LOG_WARNING "multiboot2: module %u ends (%#x) before it "
               "starts (%#x), ignored\n", bi->nr_modules, range[1],
               range[0]);
        return;
    }
    if ( bi->nr_modules == BOOT_MAX_MODULES )
    {
        printk(LOG_WARNING "multiboot2: only %u modules are kept\n",
               BOOT_MAX_MODULES);
        return;
    }
    bm = &bi->modules[bi->nr_modules];
    bm->start = range[0];
    bm->size = range[1] - range[0];
    mb2_string(mb2_modcmd[bi->nr_modules], sizeof(mb2_modcmd[0]),
               pl + sizeof(range), len - sizeof(range),
               "module command line");
    bm->cmdline = mb2_modcmd[bi->nr_modules];
    boot_reserve(bi, range[0], range[1], "module");
    bi->nr_modules++;
}

static void mb2_rsdp(uint32_t type, const uint8_t *pl, uint32_t len)
{
    if ( len < RSDP_V1_SIZE )
    {
        printk(LOG_WARNING "multiboot2: ACPI tag holds %u bytes, less than "
               "an RSDP; ignored\n", len);
        return;
    }
    /* Prefer the ACPI 2.0+ copy when both are present. */
    if ( x86_rsdp_paddr && type != MB2_TAG_ACPI_NEW )
        return;
    memset(mb2_rsdp_copy, 0, sizeof(mb2_rsdp_copy));
    memcpy(mb2_rsdp_copy, pl, MIN(sizeof(mb2_rsdp_copy), (size_t)len));
    x86_rsdp_paddr = (paddr_t)(uintptr_t)mb2_rsdp_copy - IMAGE_VIRT_BASE;
}

/* One tag whose size is known to lie inside the block. */
static void mb2_tag(uint32_t type, const uint8_t *pl, uint32_t len,
                    struct boot_info *bi)
{
    switch ( type )
    {
    case MB2_TAG_CMDLINE:
        mb2_string(mb2_cmdline, sizeof(mb2_cmdline), pl, len,
                   "command line");
        bi->cmdline = skip_image_path(mb2_cmdline);
        break;
    case MB2_TAG_LOADER_NAME:
        mb2_string(mb2_loader, sizeof(mb2_loader), pl, len, "loader name");
        snprintf(mb2_loader_desc, sizeof(mb2_loader_desc),
                 "multiboot2 (%s)", mb2_loader);
        bi->loader = mb2_loader_desc;
        break;
    case MB2_TAG_MODULE:
        mb2_module(pl, len, bi);
        break;
    case MB2_TAG_MMAP:
        mb2_mmap(pl, len, bi);
        break;
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        mb2_rsdp(type, pl, len);
        break;
    }
}

void mb2_parse(paddr_t pa, struct boot_info *bi)
{
    const uint8_t *mbi;
    uint32_t total;
    uint64_t off;

    bi->loader = "multiboot2";
    mbi = boot_map(pa, sizeof(total));
    if ( !mbi )
    {
        printk(LOG_WARNING "multiboot2: info block at %#llx is not mapped, "
               "ignored\n", (unsigned long long)pa);
        return;
    }
    memcpy(&total, mbi, sizeof(total));
    if ( total < MB2_MIN_TOTAL )
    {
        printk(LOG_WARNING "multiboot2: info block of %u bytes is too small "
               "for a header and an end tag, ignored\n", total);
        return;
    }
    mbi = boot_map(pa, total);
    if ( !mbi )
    {
        printk(LOG_WARNING "multiboot2: info block at %#llx (%u bytes) runs "
               "past mapped memory, ignored\n", (unsigned long long)pa,
               total);
        return;
    }
    boot_reserve(bi, pa, pa + total, "multiboot2 info");

    /* 64-bit offsets: a tag size near 4 GiB must not wrap the walk. */
    for ( off = 8; off + sizeof(struct mb2_tag) <= total; )
    {
        struct mb2_tag tag;

        memcpy(&tag, mbi + off, sizeof(tag));
        if ( tag.type == MB2_TAG_END )
            return;
        if ( tag.size < sizeof(tag) || tag.size > total - off )
        {
            printk(LOG_WARNING "multiboot2: tag type %u at offset %llu has "
                   "size %u, outside the %u-byte info block; the rest is "
                   "ignored\n", tag.type, (unsigned long long)off, tag.size,
                   total);
            return;
        }
        mb2_tag(tag.type, mbi + off + sizeof(tag), tag.size - sizeof(tag),
                bi);
        off += ROUNDUP((uint64_t)tag.size, 8);
    }
    printk(LOG_WARNING "multiboot2: no end tag within the %u-byte info "
           "block\n", total);
}
