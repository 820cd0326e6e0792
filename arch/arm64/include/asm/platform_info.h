/* SPDX-License-Identifier: MIT */
/*
 * What the Arm64 port learns from the device tree at boot (boot/dt_boot.c)
 * and the functions its parts call on each other. Everything is read from
 * the tree once, before start_orrery(), so no later phase walks it.
 */
#ifndef ASM_PLATFORM_INFO_H
#define ASM_PLATFORM_INFO_H

#include <orrery/boot.h>
#include <orrery/platform.h>
#include <asm/arm64.h>

#define MAX_GICR_REGIONS 4

struct arm64_platform {
    paddr_t image_phys;             /* where the loader put the image */
    paddr_t dtb_phys;
    uint32_t dtb_size;

    paddr_t uart_phys;              /* PL011 */
    uint64_t uart_size;
    uint32_t uart_intid;            /* 0: no interrupt (polled only) */

    paddr_t gicd_phys;              /* GICv3 distributor */
    uint64_t gicd_size;
    unsigned int nr_gicr;           /* redistributor regions */
    paddr_t gicr_phys[MAX_GICR_REGIONS];
    uint64_t gicr_size[MAX_GICR_REGIONS];

    uint32_t timer_intid;           /* EL2 physical timer PPI */
    uint32_t timer_freq_dt;         /* "clock-frequency", 0 if absent */

    bool psci_smc;                  /* conduit: SMC, else HVC */
    uint32_t psci_cpu_on;           /* function id */
    unsigned int nr_cpus;           /* CPUs in /cpus, boot CPU first */
    uint64_t cpu_mpidr[NR_CPUS];
};

extern struct arm64_platform arm64_plat;

/* boot/dt_boot.c: fill @bi and arm64_plat from the tree at @dtb. */
void dt_boot(paddr_t dtb, struct boot_info *bi);

/* mm/boot_map.c: the boot page tables' direct map, 1 GiB at a time. */
void boot_map_ram_1g(paddr_t start, paddr_t end);

/* console/pl011.c */
void pl011_init(uintptr_t base);
void pl011_relocate(uintptr_t base);
void pl011_interrupt(void);
void pl011_flush(void);

/* irq/gicv3.c */
void gic_cpu_init(void);
void gic_enable_irq(uint32_t intid);
void gic_send_sgi(uint64_t mpidr, unsigned int sgi);
void gic_send_sgi_others(unsigned int sgi);
void gic_handle_irq(void);

/* time/generic_timer.c */
void time_early_init(void);
void time_cpu_init(void);
void timer_fired(void);

/* smp/psci.c */
int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
const char *psci_error(int64_t err);
#define PSCI_SYSTEM_OFF   0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_CPU_ON_64    0xc4000003u

/* mm/paging.c: the hypervisor's own tables, on a secondary CPU. */
void paging_switch_secondary(void);

/* traps/dump.c */
void dump_regs(const struct cpu_regs *regs);
void backtrace(uint64_t pc, uint64_t fp);

/* Interrupt IDs of the SGIs that carry each IPI kind (GIC: 0-15). */
#define SGI_BASE 0

#endif
