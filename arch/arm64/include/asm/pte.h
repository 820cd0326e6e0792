/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 stage-1 translation with the 4 KiB granule (Arm ARM D8):
 * four levels, 9 bits each; level 0 holds only table descriptors, levels
 * 1 and 2 tables or blocks (1 GiB, 2 MiB), level 3 pages. Used by head.S
 * (boot tables) and mm/paging.c (the hypervisor's own tables).
 */
#ifndef ASM_PTE_H
#define ASM_PTE_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* Descriptor type, bits [1:0]: block at levels 1-2, table or page. */
#define PTE_VALID       0x1
#define PTE_BLOCK       0x1
#define PTE_TABLE       0x3
#define PTE_PAGE        0x3
#define PTE_TYPE_MASK   0x3

/* Lower attributes (D8.3). AttrIndx picks a MAIR_EL2 byte. */
#define PTE_ATTR(i)     ((i) << 2)
#define PTE_AP1         (1 << 6)    /* RES1 in the one-EL EL2 regime */
#define PTE_RDONLY      (1 << 7)    /* AP[2] */
#define PTE_SH_INNER    (3 << 8)
#define PTE_AF          (1 << 10)   /* access flag: set, or it faults */
/* Upper attribute: execute-never (XN, bit 54, in the one-EL regime). */
#define PTE_XN          (UL(1) << 54)
#define PTE_ADDR_MASK   UL(0x0000fffffffff000)

/* MAIR_EL2 (D17.2): attr 0 Normal write-back read/write-allocate,
 * attr 1 Device-nGnRE, attr 2 Device-nGnRnE, attr 3 Normal non-cacheable. */
#define MT_NORMAL       0
#define MT_DEVICE       1
#define MAIR_VALUE      0x440004ff

#define PTE_MEM     (PTE_ATTR(MT_NORMAL) | PTE_AP1 | PTE_SH_INNER | PTE_AF)
#define PTE_DEV     (PTE_ATTR(MT_DEVICE) | PTE_AP1 | PTE_AF | PTE_XN)

/* TCR_EL2 without VHE (D17.2): RES1 bits 31 and 23, T0SZ 16 (48-bit
 * VA), walks inner/outer write-back cacheable and inner shareable, TG0
 * 4 KiB. PS (bits 18:16) is filled in from ID_AA64MMFR0_EL1.PARange. */
#define TCR_VALUE       ((UL(1) << 31) | (1 << 23) | (3 << 12) | (1 << 10) | \
                         (1 << 8) | 16)
#define TCR_PS_SHIFT    16

/* SCTLR_EL2 (D17.2): RES1 bits 4, 5, 11, 16, 18, 22, 23, 28, 29;
 * M (MMU), C (data cache), SA (SP alignment check), I (instruction
 * cache). Little-endian, no alignment check (A = 0). */
#define SCTLR_RES1      0x30c50830
#define SCTLR_M         (1 << 0)
#define SCTLR_C         (1 << 2)
#define SCTLR_SA        (1 << 3)
#define SCTLR_I         (1 << 12)
#define SCTLR_VALUE     (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/* HCR_EL2 (D17.2): RW (EL1 is AArch64), physical IRQ/FIQ/SError
 * routed to EL2 (IMO, FMO, AMO) -- otherwise EL2 never takes them. E2H
 * stays 0: no VHE, EL2 keeps its own one-range regime. */
#define HCR_VALUE       ((UL(1) << 31) | (1 << 5) | (1 << 4) | (1 << 3))

#endif
