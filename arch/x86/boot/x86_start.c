/* SPDX-License-Identifier: MIT */
/*
 * The x86 side of the boot: head.S calls x86_start() on the boot stack,
 * in long mode, on the boot page tables. It makes printk and a fault
 * dump possible, turns the loader's information into a struct boot_info,
 * and hands over to the common story in core/boot/start.c.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/lib.h>
#include <asm/cpu.h>
#include <asm/layout.h>

#include "boot_x86.h"
#include "../console/serial.h"

extern char _start_image[], _end[];

paddr_t x86_rsdp_paddr;
static struct boot_info boot_info;

void *boot_phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(DIRECTMAP_BASE + pa);
}

const char *boot_copy_string(paddr_t pa, char *buf, size_t size)
{
    if ( !pa )
        return "";
    if ( strlcpy(buf, boot_phys_to_virt(pa), size) >= size )
        printk(LOG_WARNING "boot: string at %#llx truncated to %zu bytes\n",
               (unsigned long long)pa, size - 1);
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

__noreturn void x86_start(unsigned int protocol, uint32_t info);
__noreturn void x86_start(unsigned int protocol, uint32_t info)
{
    struct boot_info *bi = &boot_info;

    /* %gs first: arch_cpu_id(), and so spinlocks and printk, need it. */
    cpu_tables_init(0, (uintptr_t)boot_stack_top - BOOT_STACK_SIZE);
    serial_init_early();

    bi->cmdline = "";
    if ( protocol == BOOT_PROTO_PVH )
        pvh_parse(info, bi);
    else
        mb2_parse(info, bi);

    boot_reserve(bi, (uintptr_t)_start_image - IMAGE_VIRT_BASE,
                 (uintptr_t)_end - IMAGE_VIRT_BASE, "Orrery image");
    /* Frame 0 holds the real-mode IVT and is never a useful page; keeping
     * it out of the allocator also makes a stray zero frame number loud. */
    boot_reserve(bi, 0, PAGE_SIZE, "frame 0");

    start_orrery(bi);
}
