/* SPDX-License-Identifier: MIT */
/*
 * GICv3 (Arm IHI 0069, "GIC architecture specification v3/v4"): the
 * distributor routes SPIs with affinity routing (ARE), one redistributor
 * per CPU holds its SGIs and PPIs, and the CPU interface is reached
 * through the ICC_* system registers. All interrupts are Group 1,
 * signalled as IRQ; HCR_EL2.IMO (head.S) takes them to EL2.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <orrery/platform.h>
#include <asm/cpu.h>
#include <asm/platform_info.h>

/* Distributor (IHI 0069 §12.9). */
#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ICPENDR    0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IGRPMODR   0x0d00
#define GICD_IROUTER    0x6000

/* Written the same whichever view (one or two security states) the GIC
 * shows: bit 0 EnableGrp0/EnableGrp1NS, bit 1 EnableGrp1(A), bit 4
 * ARE(_NS). */
#define CTLR_ENABLE     0x3
#define CTLR_ARE        (1u << 4)
#define CTLR_RWP        (1u << 31)

/* Redistributor: RD_base frame, then SGI_base frame 64 KiB on (§12.10). */
#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_SGI        0x10000
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST  (1u << 4)
#define WAKER_SLEEP     (1u << 1)   /* ProcessorSleep */
#define WAKER_ASLEEP    (1u << 2)   /* ChildrenAsleep */

#define PRIO_DEFAULT    0xa0
#define PMR_ALLOW_ALL   0xf0

static uintptr_t gicd;
static unsigned int nr_lines;

static uintptr_t dm(paddr_t pa)
{
    return (uintptr_t)arch_mfn_to_virt(paddr_to_mfn(pa)) + (pa & 0xfff);
}

static void wait_rwp(uintptr_t reg, uint32_t bit)
{
    for ( unsigned int i = 0; mmio_read32(reg) & bit; i++ )
    {
        if ( i == 10000000 )
            panic("GICv3: register write at %#lx never completed", reg);
        arch_cpu_relax();
    }
}

static void dist_init(void)
{
    gicd = dm(arm64_plat.gicd_phys);
    nr_lines = MIN(32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1),
                   1020u);

    mmio_write32(gicd + GICD_CTLR, 0);
    wait_rwp(gicd + GICD_CTLR, CTLR_RWP);
    for ( unsigned int i = 32; i < nr_lines; i += 32 )
    {
        mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
        mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0u);
        mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0u);
        mmio_write32(gicd + GICD_IGRPMODR + i / 8, 0);
    }
    for ( unsigned int i = 32; i < nr_lines; i += 4 )
        mmio_write32(gicd + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
    for ( unsigned int i = 32; i < nr_lines; i += 16 )
        mmio_write32(gicd + GICD_ICFGR + i / 4, 0);    /* level */
    wait_rwp(gicd + GICD_CTLR, CTLR_RWP);

    /* ARE first, then the groups: changing ARE with a group enabled is
     * UNPREDICTABLE (§12.9.4). */
    mmio_write32(gicd + GICD_CTLR, CTLR_ARE);
    wait_rwp(gicd + GICD_CTLR, CTLR_RWP);
    mmio_write32(gicd + GICD_CTLR, CTLR_ARE | CTLR_ENABLE);
    wait_rwp(gicd + GICD_CTLR, CTLR_RWP);
}

/* This CPU's redistributor: the one whose GICR_TYPER affinity (bits
 * 63:32, Aff3.Aff2.Aff1.Aff0) is our MPIDR's. */
static uintptr_t find_redist(uint64_t mpidr)
{
    uint32_t aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 |
                              (mpidr & 0xffffff));

    for ( unsigned int r = 0; r < arm64_plat.nr_gicr; r++ )
    {
        uintptr_t rd = dm(arm64_plat.gicr_phys[r]);
        uintptr_t end = rd + arm64_plat.gicr_size[r];

        while ( rd < end )
        {
            uint64_t typer = mmio_read64(rd + GICR_TYPER);

            if ( (uint32_t)(typer >> 32) == aff )
                return rd;
            if ( typer & GICR_TYPER_LAST )
                break;
            /* Two 64 KiB frames, four with the GICv4 vLPI frames. */
            rd += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
        }
    }
    panic("GICv3: no redistributor for MPIDR %#llx",
          (unsigned long long)mpidr);
}

void gic_cpu_init(void)
{
    struct arm64_cpu *c = this_cpu();
    uintptr_t sgi;

    c->gicr = find_redist(c->mpidr);
    sgi = c->gicr + GICR_SGI;

    mmio_write32(c->gicr + GICR_WAKER,
                 mmio_read32(c->gicr + GICR_WAKER) & ~WAKER_SLEEP);
    wait_rwp(c->gicr + GICR_WAKER, WAKER_ASLEEP);

    mmio_write32(sgi + GICD_ICENABLER, ~0u);
    wait_rwp(c->gicr + GICR_CTLR, 1u << 3);         /* GICR_CTLR.RWP */
    mmio_write32(sgi + GICD_IGROUPR, ~0u);
    mmio_write32(sgi + GICD_IGRPMODR, 0);
    for ( unsigned int i = 0; i < 32; i += 4 )
        mmio_write32(sgi + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
    mmio_write32(sgi + GICD_ICFGR + 4, 0);          /* PPIs: level */
    /* The IPIs (SGI_BASE + kind) and the EL2 timer. */
    mmio_write32(sgi + GICD_ISENABLER,
                 ((1u << NR_IPI_KINDS) - 1) << SGI_BASE |
                 1u << arm64_plat.timer_intid);

    /* CPU interface: system registers on (ICC_SRE_EL2.SRE, and Enable so
     * that a guest may use them later), all priorities, Group 1 on. */
    WRITE_SYSREG(icc_sre_el2, READ_SYSREG(icc_sre_el2) | 0x9);
    isb();
    if ( !(READ_SYSREG(icc_sre_el2) & 1) )
        panic("GICv3: the system register CPU interface is disabled");
    WRITE_SYSREG(icc_pmr_el1, PMR_ALLOW_ALL);
    WRITE_SYSREG(icc_bpr1_el1, 0);
    WRITE_SYSREG(icc_ctlr_el1, 0);                  /* EOImode 0 */
    WRITE_SYSREG(icc_igrpen1_el1, 1);
    isb();
}

void arch_irq_init(void)
{
    if ( arm64_plat.timer_intid < 16 || arm64_plat.timer_intid >= 32 )
        panic("GICv3: EL2 timer interrupt %u is not a PPI",
              arm64_plat.timer_intid);
    dist_init();
    gic_cpu_init();
    printk("GICv3: distributor at %#llx, %u interrupt lines, %u "
           "redistributor region(s), affinity routing\n",
           (unsigned long long)arm64_plat.gicd_phys, nr_lines,
           arm64_plat.nr_gicr);
}

/* An SPI, routed to the boot CPU (GICD_IROUTER<n>, Interrupt_Routing_Mode
 * 0: the one PE named by the affinity). */
void gic_enable_irq(uint32_t intid)
{
    if ( intid < 32 || intid >= nr_lines )
        panic("GICv3: cannot route interrupt %u", intid);
    mmio_write64(gicd + GICD_IROUTER + 8 * intid, arm64_cpus[0].mpidr);
    mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4,
                 1u << (intid % 32));
}

/* ICC_SGI1R_EL1 (§12.11): Aff3 55:48, Aff2 39:32, INTID 27:24, Aff1
 * 23:16, TargetList 15:0 (one bit per Aff0 0..15), IRM bit 40. */
void gic_send_sgi(uint64_t mpidr, unsigned int sgi)
{
    uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
                 (uint64_t)sgi << 24 | ((mpidr >> 8) & 0xff) << 16 |
                 1u << (mpidr & 0xf);

    /* Stores before the SGI must be visible to the target's handler. */
    dsb(ish);
    WRITE_SYSREG(icc_sgi1r_el1, v);
    isb();
}

void gic_send_sgi_others(unsigned int sgi)
{
    dsb(ish);
    WRITE_SYSREG(icc_sgi1r_el1, (1ULL << 40) | (uint64_t)sgi << 24);
    isb();
}

void gic_handle_irq(void)
{
    for ( ;; )
    {
        uint32_t intid = READ_SYSREG(icc_iar1_el1) & 0xffffff;

        if ( intid >= 1020 && intid < 1024 )
            return;                 /* spurious: nothing (more) pending */
        if ( intid == arm64_plat.timer_intid )
        {
            timer_fired();
            WRITE_SYSREG(icc_eoir1_el1, intid);
            timer_interrupt();
        }
        else if ( intid < SGI_BASE + NR_IPI_KINDS )
        {
            /* Before the handler: IPI_STOP does not come back. */
            WRITE_SYSREG(icc_eoir1_el1, intid);
            ipi_interrupt((enum ipi_kind)(intid - SGI_BASE));
        }
        else if ( intid == arm64_plat.uart_intid )
        {
            pl011_interrupt();
            WRITE_SYSREG(icc_eoir1_el1, intid);
        }
        else
        {
            WRITE_SYSREG(icc_eoir1_el1, intid);
            printk(LOG_WARNING "CPU%u: unexpected interrupt %u\n",
                   arch_cpu_id(), intid);
        }
    }
}
