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

/* The boot page tables map physical 0 - 4 GiB at DIRECTMAP_BASE (head.S);
 * a loader pointer above that would fault before the exception handlers
 * exist, so the parsers check with boot_mapped_bytes() first. */
#define BOOT_DIRECTMAP_BYTES (4ULL << 30)

void *boot_phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(DIRECTMAP_BASE + pa);
}

uint64_t boot_mapped_bytes(paddr_t pa, uint64_t len)
{
    if ( pa >= BOOT_DIRECTMAP_BYTES )
        return 0;
    return MIN(len, BOOT_DIRECTMAP_BYTES - pa);
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
