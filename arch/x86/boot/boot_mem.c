/* SPDX-License-Identifier: MIT */
/*
 * Reading loader memory without trusting it: the checked mapping and the
 * string copies the multiboot2 and PVH parsers share. Nothing here knows
 * the machine: boot_phys_to_virt() and boot_mapped_bytes() say what is
 * mapped (x86_start.c; fuzz/bootinfo/loader_mem.c on the host).
 */
#include <orrery/console.h>
#include <orrery/lib.h>

#include "boot_x86.h"

const void *boot_map(paddr_t pa, uint64_t len)
{
    uint64_t want = len ? len : 1;

    if ( boot_mapped_bytes(pa, want) < want )
        return NULL;
    return boot_phys_to_virt(pa);
}

enum boot_str boot_copy_bounded(char *buf, size_t size, const char *src,
                                size_t max)
{
    size_t len;

    if ( !size )
        return BOOT_STR_TRUNCATED;
    len = strnlen(src, MIN(max, size));
    if ( len == size )
    {
        /* No NUL among the first @size bytes: keep what fits. */
        memcpy(buf, src, size - 1);
        buf[size - 1] = '\0';
        return BOOT_STR_TRUNCATED;
    }
    memcpy(buf, src, len);
    buf[len] = '\0';
    return len == max ? BOOT_STR_UNTERMINATED : BOOT_STR_OK;
}

const char *boot_copy_string(paddr_t pa, char *buf, size_t size)
{
    uint64_t mapped;

    if ( !pa )
        return "";
    mapped = boot_mapped_bytes(pa, size);
    if ( !mapped )
    {
        printk(LOG_WARNING "boot: string at %#llx is not mapped, ignored\n",
               (unsigned long long)pa);
        return "";
    }
    switch ( boot_copy_bounded(buf, size, boot_phys_to_virt(pa), mapped) )
    {
    case BOOT_STR_OK:
        break;
    case BOOT_STR_UNTERMINATED:
        printk(LOG_WARNING "boot: string at %#llx runs past mapped memory, "
               "ignored\n", (unsigned long long)pa);
        return "";
    case BOOT_STR_TRUNCATED:
        printk(LOG_WARNING "boot: string at %#llx truncated to %zu bytes\n",
               (unsigned long long)pa, size - 1);
        break;
    }
    return buf;
}

const char *skip_image_path(const char *cmdline)
{
    if ( cmdline[0] != '/' )
        return cmdline;
    while ( *cmdline && *cmdline != ' ' )
        cmdline++;
    while ( *cmdline == ' ' )
        cmdline++;
    return cmdline;
}
