/* SPDX-License-Identifier: MIT */
/*
 * REP MOVS/STOS through the bulk callbacks (rep_movs, rep_stos): the
 * same registers, memory and fault as element by element through read
 * and write, which each case runs beside it on a second machine --
 * including a fault part way, the address-size wrap, DF = 1 (no bulk)
 * and the batch limit.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine bulk, ref;

static void reset_both(enum x86_mode mode)
{
    tm_reset(&bulk, mode);
    tm_reset(&ref, mode);
    bulk.bulk = true;
    for ( unsigned int i = 0; i < 0x400; i++ )
        ref.mem[0x2000 + i] = bulk.mem[0x2000 + i] = (uint8_t)(i * 7 + 1);
}

static void set_both(unsigned int reg, uint64_t v)
{
    bulk.ctxt.regs.gpr[reg] = ref.ctxt.regs.gpr[reg] = v;
}

/* Run @s on both machines; they must end alike. Returns the code. */
static int run_both(const char *s, unsigned int n)
{
    int rb = tm_run(&bulk, s, n), rr = tm_run(&ref, s, n);

    CU_ASSERT_EQUAL(rb, rr);
    CU_ASSERT(!memcmp(&bulk.ctxt.regs, &ref.ctxt.regs,
                      sizeof(bulk.ctxt.regs)));
    CU_ASSERT(!memcmp(bulk.mem, ref.mem, sizeof(bulk.mem)));
    if ( rb == X86EMUL_EXCEPTION && rr == X86EMUL_EXCEPTION )
    {
        CU_ASSERT_EQUAL(bulk.ctxt.event.vector, ref.ctxt.event.vector);
        ORR_ASSERT_EQ_U64(bulk.ctxt.event.cr2, ref.ctxt.event.cr2);
    }
    return rb;
}
#define RUN_BOTH(s) run_both((s), sizeof(s) - 1)

static void test_bulk_movs(void)
{
    /* rep movsb, 0x100 bytes: one rep_movs call, no reads or writes. */
    reset_both(X86_MODE_64);
    set_both(X86_RSI, 0x2000);
    set_both(X86_RDI, 0x3000);
    set_both(X86_RCX, 0x100);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa4"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(bulk.bulk_calls, 1);
    CU_ASSERT_EQUAL(bulk.bulk_reps, 0x100);
    CU_ASSERT_EQUAL(bulk.reads + bulk.writes, 0);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 0);
    ORR_ASSERT_EQ_U64(R(&bulk, RDI), 0x3100);
    ORR_ASSERT_EQ_U64(bulk.ctxt.regs.rip, TM_CODE + 2);
    /* Overlapping, forward: each byte copies the one just written, so
     * the first byte fills the range (SDM Vol. 2B "MOVS": one element
     * after the other). */
    reset_both(X86_MODE_32);
    set_both(X86_RSI, 0x2000);
    set_both(X86_RDI, 0x2001);
    set_both(X86_RCX, 0x40);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa4"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&bulk, 0x2038, 8), 0x0101010101010101ULL);
}

static void test_bulk_fault_part_way(void)
{
    /* rep movsd into a page whose writes fault at 0x3010: four dwords
     * done, #PF at 0x3010, rCX/rSI/rDI say so, RIP stays. */
    reset_both(X86_MODE_64);
    bulk.fault_lo = ref.fault_lo = 0x3010;
    bulk.fault_hi = ref.fault_hi = 0x4000;
    set_both(X86_RSI, 0x2000);
    set_both(X86_RDI, 0x3000);
    set_both(X86_RCX, 10);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa5"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(bulk.ctxt.event.vector, X86_EXC_PF);
    ORR_ASSERT_EQ_U64(bulk.ctxt.event.cr2, 0x3010);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 6);
    ORR_ASSERT_EQ_U64(R(&bulk, RDI), 0x3010);
    ORR_ASSERT_EQ_U64(R(&bulk, RSI), 0x2010);
    ORR_ASSERT_EQ_U64(bulk.ctxt.regs.rip, TM_CODE);
    /* The fault handled, running it again finishes the copy. */
    bulk.fault_lo = bulk.fault_hi = ref.fault_lo = ref.fault_hi = 0;
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa5"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 0);
    ORR_ASSERT_EQ_U64(tm_read(&bulk, 0x3024, 4), tm_read(&bulk, 0x2024, 4));

    /* rep stosw, misaligned fault start: the word across 0x3011 faults. */
    reset_both(X86_MODE_32);
    bulk.fault_lo = ref.fault_lo = 0x3011;
    bulk.fault_hi = ref.fault_hi = 0x4000;
    set_both(X86_RAX, 0xbeef);
    set_both(X86_RDI, 0x3000);
    set_both(X86_RCX, 100);
    CU_ASSERT_EQUAL(RUN_BOTH("\x66\xf3\xab"), X86EMUL_EXCEPTION);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 100 - 8);
    ORR_ASSERT_EQ_U64(tm_read(&bulk, 0x300e, 2), 0xbeef);
}

static void test_bulk_wrap_and_df(void)
{
    /* 16-bit addresses: DI wraps from FFFF to 0 after two bytes; the
     * bulk part stops at the wrap and the rest goes element by element
     * (the first 2 bytes land at 0xfffe, outside TM_MEM's 64 KiB? No:
     * TM_MEM is exactly 64 KiB, so 0xfffe-0xffff exist). */
    reset_both(X86_MODE_16);
    set_both(X86_RSI, 0x2000);
    set_both(X86_RDI, 0xfffe);
    set_both(X86_RCX, 4);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa4"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&bulk, RDI), 2);
    CU_ASSERT_EQUAL(bulk.bulk_reps, 2);
    /* DF = 1: backwards, never through the bulk callbacks. */
    reset_both(X86_MODE_32);
    bulk.ctxt.regs.rflags |= X86_EFLAGS_DF;
    ref.ctxt.regs.rflags |= X86_EFLAGS_DF;
    set_both(X86_RSI, 0x2010);
    set_both(X86_RDI, 0x3010);
    set_both(X86_RCX, 8);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xa4"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(bulk.bulk_calls, 0);
    ORR_ASSERT_EQ_U64(R(&bulk, RDI), 0x3008);
}

static void test_bulk_count_zero(void)
{
    /*
     * Regression (emul-diff 16-bit seed 16): CX = 0 with bits set above
     * the address size and DI far outside memory. The bulk path's room
     * computation underflowed on a zero count and accessed memory; a
     * REP with count 0 must touch nothing (SDM Vol. 2B "REP").
     */
    reset_both(X86_MODE_16);
    set_both(X86_RCX, 0x704b0000);
    set_both(X86_RSI, 0x857688af);
    set_both(X86_RDI, 0x2ca9a8f4);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\x36\xa5"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(bulk.bulk_calls + bulk.reads + bulk.writes, 0);
    ORR_ASSERT_EQ_U64(bulk.ctxt.regs.rip, TM_CODE + 3);
    set_both(X86_RCX, 0xffff0000);      /* STOS: only DI matters */
    CU_ASSERT_EQUAL(RUN_BOTH("\xf2\xab"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(bulk.bulk_calls + bulk.writes, 0);
    /*
     * Regression (emul-diff 64-bit seed 64): 64-bit code, 32-bit
     * addresses, ECX = 0. No iteration, so no write to ECX or EDI,
     * which would have cleared bits 63:32 of RCX and RDI.
     */
    reset_both(X86_MODE_64);
    set_both(X86_RCX, 0x87df06f300000000ULL);
    set_both(X86_RDI, 0x5e9e399800009cb4ULL);
    CU_ASSERT_EQUAL(RUN_BOTH("\x64\x67\xf3\xab"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 0x87df06f300000000ULL);
    ORR_ASSERT_EQ_U64(R(&bulk, RDI), 0x5e9e399800009cb4ULL);
}

static void test_bulk_batch(void)
{
    /* A guest's huge count: X86_REP_BATCH elements per call, RIP stays
     * on the instruction until rCX reaches zero. */
    reset_both(X86_MODE_64);
    set_both(X86_RDI, 0x4000);
    set_both(X86_RCX, X86_REP_BATCH + 10);
    set_both(X86_RAX, 0x5a);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xaa"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 10);
    ORR_ASSERT_EQ_U64(bulk.ctxt.regs.rip, TM_CODE);
    CU_ASSERT_EQUAL(RUN_BOTH("\xf3\xaa"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&bulk, RCX), 0);
    ORR_ASSERT_EQ_U64(bulk.ctxt.regs.rip, TM_CODE + 2);
    ORR_ASSERT_EQ_U64(tm_read(&bulk, 0x4000 + X86_REP_BATCH + 9, 1), 0x5a);
}

CU_TestInfo rep_bulk_tests[] = {
    ORR_CASE(test_bulk_movs),
    ORR_CASE(test_bulk_fault_part_way),
    ORR_CASE(test_bulk_wrap_and_df),
    ORR_CASE(test_bulk_count_zero),
    ORR_CASE(test_bulk_batch),
    CU_TEST_INFO_NULL,
};
