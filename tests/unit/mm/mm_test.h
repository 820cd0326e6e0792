/* SPDX-License-Identifier: MIT */
/*
 * Shared fixtures for the core/mm tests: simulated machines with holes
 * and boot reservations, a seeded random generator, and a panic catcher.
 */
#ifndef MM_TEST_H
#define MM_TEST_H

#include <orr_test.h>
#include <sim/sim.h>

#include <orrery/console.h>
#include <orrery/mm.h>

#define MiB (1UL << 20)
#define GiB (1UL << 30)

struct mm_machine {
    struct memmap map;
    struct boot_range res[BOOT_MAX_RESERVED];
    unsigned int nr_res;
};

/* The machine the last mm_machine_*() call described. */
extern struct mm_machine mm_m;

/*
 * 64 MiB of simulated memory at 1 MiB with a 384 KiB hole, a 1 MiB hole
 * and a page of ACPI tables among the RAM, and four boot reservations
 * (one of them not page aligned, one straddling a hole). Machine only:
 * call mm_boot() or mm_boot_heap() next.
 */
void mm_machine_holes(void);
/* One RAM range of @bytes at @base, nothing reserved. */
void mm_machine_flat(paddr_t base, size_t bytes);

/* bootmem_init() on the machine. */
void mm_boot(void);
/* mm_boot() then page_alloc_init(). */
void mm_boot_heap(void);

/* RAM in the machine's map? In a boot reservation (rounded to pages)? */
bool mm_is_ram(paddr_t pa);
bool mm_is_boot_reserved(paddr_t pa);
uint64_t mm_ram_pages(void);

/* xorshift64*: deterministic, so a failure replays. */
void mm_srand(uint64_t seed);
uint64_t mm_rand(void);
/* Uniform in [lo, hi]. */
uint64_t mm_rand_range(uint64_t lo, uint64_t hi);
void mm_shuffle(void *base, size_t n, size_t size);

uint64_t mm_free_pages(void);

/*
 * Run @stmt expecting a panic whose console text contains @needle. The
 * statement must not modify non-volatile locals that are used after it
 * (setjmp rules).
 */
#define MM_EXPECT_PANIC(stmt, needle) \
    do { \
        sim_console_clear(); \
        if ( SIM_CATCH_HALT() == 0 ) \
        { \
            stmt; \
            sim_halt_disarm(); \
            CU_FAIL("no panic from: " #stmt); \
        } \
        else \
        { \
            console_force_unlock(); \
            CU_ASSERT_EQUAL(sim_last_stop(), SIM_HALTED); \
            ORR_ASSERT_CONTAINS(sim_console_text(), needle); \
        } \
        sim_halt_disarm(); \
    } while ( 0 )

extern CU_TestInfo bootmem_tests[];
extern CU_TestInfo buddy_tests[];
extern CU_TestInfo buddy_misuse_tests[];
extern CU_TestInfo xmalloc_tests[];

#endif /* MM_TEST_H */
