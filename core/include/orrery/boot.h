/* SPDX-License-Identifier: MIT */
/*
 * What a platform's early entry code hands to start_orrery(), and the boot
 * hooks each platform implements. The boot order itself lives in one
 * place, core/boot/start.c, and is the same on every arch (STYLE.md §1).
 */
#ifndef ORRERY_BOOT_H
#define ORRERY_BOOT_H

#include <orrery/memmap.h>

#define BOOT_MAX_MODULES 16
#define BOOT_MAX_RESERVED 32

struct boot_module {
    paddr_t start;
    uint64_t size;
    const char *cmdline;
};

struct boot_range {
    paddr_t start;
    paddr_t end;            /* exclusive */
    const char *what;       /* "image", "module 0", "boot info" ... */
};

struct boot_info {
    const char *loader;     /* "PVH", "multiboot2 (GRUB 2.06)", "device tree" */
    const char *cmdline;    /* hypervisor command line, never NULL */
    struct memmap map;      /* as reported; start_orrery() sanitises it */
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    /* RAM that must never be handed out: the image, modules, loader data. */
    unsigned int nr_reserved;
    struct boot_range reserved[BOOT_MAX_RESERVED];
};

void boot_reserve(struct boot_info *bi, paddr_t start, paddr_t end,
                  const char *what);

/* Core's entry points, called by the platform's early code. */
__noreturn void start_orrery(struct boot_info *bi);
__noreturn void start_secondary(unsigned int cpu);

/*
 * Boot hooks, called by start_orrery() in this order. Each platform
 * defines every one of them.
 */
const char *arch_name(void);                    /* "x86_64", "arm64", "sim" */
void arch_traps_init(void);                     /* exception vectors */
void arch_paging_init(const struct memmap *map);/* own tables, direct map */
void arch_irq_init(void);                       /* interrupt controllers */
void arch_time_init(void);                      /* clock + one-shot timer */
void arch_console_init_irq(void);               /* interrupt-driven console */
unsigned int arch_smp_prepare(unsigned int max_cpus); /* CPUs to bring up */
bool arch_cpu_up(unsigned int cpu);             /* start one; it calls
                                                 * start_secondary(cpu) */
void arch_secondary_init(unsigned int cpu);     /* on the new CPU */
void arch_virt_init(void);                      /* hardware virtualisation
                                                 * (SVM; nothing on sim) */

#endif /* ORRERY_BOOT_H */
