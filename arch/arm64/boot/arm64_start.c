/* SPDX-License-Identifier: MIT */
/*
 * The Arm64 side of the boot: head.S calls arm64_start() at EL2 on the
 * boot stack, with the MMU on (boot page tables) and exceptions vectored.
 * It starts the clock and an early console, turns the device tree into a
 * struct boot_info, and hands over to the common story in
 * core/boot/start.c.
 */
#include <orrery/boot.h>
#include <orrery/boot_domains.h>
#include <orrery/errno.h>
#include <orrery/console.h>
#include <asm/cpu.h>
#include <asm/platform_info.h>

extern char _start_image[], _end[];

struct arm64_cpu arm64_cpus[NR_CPUS];
struct arm64_platform arm64_plat;
static struct boot_info boot_info;

__noreturn void arm64_start(paddr_t dtb, paddr_t image_phys);
__noreturn void arm64_start(paddr_t dtb, paddr_t image_phys)
{
    struct boot_info *bi = &boot_info;

    arm64_cpus[0].mpidr = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    arm64_cpus[0].stack_base = (uintptr_t)boot_stack_top - BOOT_STACK_SIZE;
    arm64_cpus[0].stack_top = (uintptr_t)boot_stack_top;
    arm64_plat.image_phys = image_phys;
    time_early_init();
    /* The boot tables map PA 0-1 GiB as device memory 1:1, so QEMU virt's
     * PL011 is reachable before the device tree says where it is. */
    pl011_init(EARLY_UART_PHYS);

    bi->cmdline = "";
    bi->loader = "device tree";
    dt_boot(dtb, bi);
    boot_reserve(bi, image_phys, image_phys + (_end - _start_image),
                 "Orrery image");

    start_orrery(bi);
}

const char *arch_name(void)
{
    return "arm64";
}

void arch_virt_init(void)
{
    /* Stage-2 translation and the virtual GIC come with Arm guests; EL2
     * itself is already ours. */
}

int arch_build_domain(const struct boot_domain_spec *spec, const void *image,
                      size_t size, domid_t *domid, const char **why)
{
    (void)spec;
    (void)image;
    (void)size;
    (void)domid;
    *why = "Arm64 guests are not supported yet";
    return -EOPNOTSUPP;
}
