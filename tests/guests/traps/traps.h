/* SPDX-License-Identifier: MIT */
/* traps: the IDT, the ring-3 entry and the trap record (idt.c). */
#ifndef TRAPS_H
#define TRAPS_H

#include "guest.h"

/* What trap_handler() saw last; count says a trap happened at all. */
struct trap_record {
    unsigned int count;
    unsigned int vector;
    uint64_t error, rip, cs, cr2;
    uint64_t rax;               /* at int $0x80: the user code's RAX */
};
extern volatile struct trap_record last_trap;

/* Where a kernel-mode trap resumes (a label after the faulting
 * instruction); 0 makes any kernel trap a panic. Consumed by the trap. */
extern volatile uint64_t resume_at;

#define KERNEL_CS   0x08
#define USER_CS     0x1b        /* GDT entry 3, RPL 3 */
#define USER_DS     0x23        /* GDT entry 4, RPL 3 */
#define USER_VECTOR 0x80        /* the ring-3 code's way back */

/* A new GDT (kernel and user segments, a TSS whose RSP0 takes traps
 * from ring 3) and an IDT with every exception vector and 0x80. */
void traps_init(void);

/* Run @rip at CPL 3 on @rsp with RDI = @arg, until it traps or does
 * int $0x80; then back here, with last_trap saying which. */
void enter_user(uint64_t rip, uint64_t rsp, uint64_t arg);

/* read_crN() and write_crN() for the control registers the tests use. */
#define CR_ACCESSORS(n)                                                 \
    static inline uint64_t read_cr##n(void)                             \
    {                                                                   \
        uint64_t v;                                                     \
                                                                        \
        asm volatile ( "mov %%cr" #n ", %0" : "=r" (v) );               \
        return v;                                                       \
    }                                                                   \
    static inline void write_cr##n(uint64_t v)                          \
    {                                                                   \
        asm volatile ( "mov %0, %%cr" #n :: "r" (v) : "memory" );       \
    }
CR_ACCESSORS(0)
CR_ACCESSORS(3)
CR_ACCESSORS(4)

static inline void invlpg(uint64_t va)
{
    asm volatile ( "invlpg (%0)" :: "r" (va) : "memory" );
}

/* main.c: run a trigger (asm, marked at_* / after_*) and judge it. */
bool run_trap(uint64_t (*fn)(uint64_t), uint64_t arg, const char *after,
              uint64_t *ret);
void expect_trap(const char *what, uint64_t (*fn)(uint64_t), uint64_t arg,
                 const char *at, const char *after, unsigned int vector,
                 uint64_t error);
void expect_no_trap(const char *what, uint64_t (*fn)(uint64_t), uint64_t arg);

/* Triggers paging.c shares. */
uint64_t do_load(uint64_t va);
uint64_t do_store(uint64_t va);
uint64_t do_call(uint64_t va);
extern char at_load[], after_load[], at_store[], after_store[];
extern char after_call[];

/* paging.c and user.c. paging_init() maps 8-10 MiB with 4 KiB pages,
 * the one at 8 MiB + 8 KiB supervisor-only (SUP_PAGE_VA), and sets U
 * where ring 3 runs. */
#define SUP_PAGE_VA 0x802000ULL
void paging_init(void);
void test_paging(void);
void test_user(void);

#endif /* TRAPS_H */
