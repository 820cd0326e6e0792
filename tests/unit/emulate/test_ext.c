/* SPDX-License-Identifier: MIT */
/*
 * Instructions that depend on CPUID features (POPCNT, TZCNT, LZCNT,
 * MOVBE, CMPXCHG16B), CMPXCHG8B, and ENTER. Unicorn 2.0.1 has no POPCNT
 * or MOVBE at all, so emul-diff only checks that both raise #UD there;
 * their results are checked here against the SDM.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

#define CF X86_EFLAGS_CF
#define ZF X86_EFLAGS_ZF
#define ARITH X86_EFLAGS_ARITH
#define ALL_FEAT (X86_FEAT_POPCNT | X86_FEAT_LZCNT | X86_FEAT_BMI1 | \
                  X86_FEAT_MOVBE | X86_FEAT_CX16)

static void reset(enum x86_mode mode, uint32_t features)
{
    tm_reset(&m, mode);
    m.ctxt.features = features;
}

static void test_popcnt(void)
{
    reset(X86_MODE_64, ALL_FEAT);
    R(&m, RBX) = 0xf0f0000000000001ull;
    FL(&m) |= ARITH & ~ZF;
    /* popcnt rax, rbx: 9 ones; every arithmetic flag cleared. */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x48\x0f\xb8\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 9);
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, 0);
    /* A 16-bit source counts 16 bits only; zero sets ZF. */
    reset(X86_MODE_32, ALL_FEAT);
    R(&m, RBX) = 0xffff0000;
    R(&m, RAX) = 0x12345678;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xf3\x0f\xb8\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x12340000);
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, ZF);
    /* Without CPUID.POPCNT: #UD, nothing changed. */
    reset(X86_MODE_32, ALL_FEAT & ~X86_FEAT_POPCNT);
    R(&m, RBX) = 3;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xb8\xc3"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
}

static void test_tzcnt_lzcnt(void)
{
    reset(X86_MODE_32, ALL_FEAT);
    /* tzcnt eax, ebx with EBX = 0: the operand size, CF = 1, ZF = 0. */
    R(&m, RAX) = 0x77;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbc\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 32);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | ZF), CF);
    /* Bit 0 set: the count is 0, so ZF = 1 (BSF would clear ZF). */
    R(&m, RBX) = 1;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbc\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | ZF), ZF);
    /* lzcnt ax, bx: 16-bit count of 0x00f0 is 8. */
    R(&m, RBX) = 0xffff00f0;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xf3\x0f\xbd\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 8);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | ZF), 0);
    /* lzcnt rax, rbx of 0 is 64. */
    reset(X86_MODE_64, ALL_FEAT);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x48\x0f\xbd\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 64);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | ZF), CF);
}

/* Without BMI1/ABM the F3 is ignored: BSF and BSR semantics. */
static void test_count_fallback(void)
{
    reset(X86_MODE_32, ALL_FEAT & ~(X86_FEAT_BMI1 | X86_FEAT_LZCNT));
    R(&m, RAX) = 0x77;
    /* Zero source: ZF = 1 and the destination keeps its value. */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbc\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x77);
    CU_ASSERT(FL(&m) & ZF);
    /* bsr of 0x00f0 is 7 (lzcnt would say 24). */
    R(&m, RBX) = 0xf0;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbd\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 7);
    CU_ASSERT(!(FL(&m) & ZF));
    /* Each feature gates its own instruction. */
    reset(X86_MODE_32, X86_FEAT_LZCNT);
    R(&m, RBX) = 0xf0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbc\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 4);               /* bsf = tzcnt */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\xbd\xc3"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 24);              /* lzcnt */
}

static void test_movbe(void)
{
    reset(X86_MODE_64, ALL_FEAT);
    tm_write(&m, 0x2000, 0x1122334455667788ull, 8);
    R(&m, RBX) = 0x2000;
    /* movbe rax, [rbx] */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\x38\xf0\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x8877665544332211ull);
    /* movbe ax, [rbx]: the upper 48 bits stay. */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x38\xf0\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x8877665544338877ull);
    /* movbe [rbx+8], ecx */
    R(&m, RCX) = 0xaabbccdd;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x38\xf1\x4b\x08"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2008, 4), 0xddccbbaa);
    /* A register operand is #UD (memory only). */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x38\xf0\xc3"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    /* F2 is CRC32: not emulated, not a wrong MOVBE. */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf2\x0f\x38\xf0\x03"),
                    X86EMUL_UNHANDLEABLE);
    /* Without CPUID.MOVBE: #UD. */
    reset(X86_MODE_64, ALL_FEAT & ~X86_FEAT_MOVBE);
    R(&m, RBX) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x38\xf0\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

static void test_cmpxchg8b(void)
{
    reset(X86_MODE_64, ALL_FEAT);
    R(&m, RDI) = 0x2000;
    tm_write(&m, 0x2000, 0x1111111122222222ull, 8);
    /* Match: ZF = 1, ECX:EBX stored, RDX:RAX untouched (upper halves
     * kept). */
    R(&m, RAX) = 0xffffffff22222222ull;
    R(&m, RDX) = 0xffffffff11111111ull;
    R(&m, RBX) = 0x44444444;
    R(&m, RCX) = 0x33333333;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\x0f\xc7\x0f"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8), 0x3333333344444444ull);
    CU_ASSERT(FL(&m) & ZF);
    CU_ASSERT(m.cmpxchg_lock);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0xffffffff22222222ull);
    /* Mismatch: ZF = 0, EDX:EAX loaded (zero-extended), memory kept. */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xc7\x0f"), X86EMUL_OKAY);
    CU_ASSERT(!(FL(&m) & ZF));
    CU_ASSERT(!m.cmpxchg_lock);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x44444444);
    ORR_ASSERT_EQ_U64(R(&m, RDX), 0x33333333);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8), 0x3333333344444444ull);
    /* cmpxchg16b [rdi]: RDX:RAX against 16 bytes. */
    tm_write(&m, 0x2008, 0x5555555555555555ull, 8);
    R(&m, RAX) = 0x3333333344444444ull;
    R(&m, RDX) = 0x5555555555555555ull;
    R(&m, RBX) = 1;
    R(&m, RCX) = 2;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\xc7\x0f"), X86EMUL_OKAY);
    CU_ASSERT(FL(&m) & ZF);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8), 1);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2008, 8), 2);
    /* Misaligned 16-byte operand: #GP(0), nothing written. */
    R(&m, RDI) = 0x2008;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\xc7\x0f"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    CU_ASSERT(m.ctxt.event.has_error_code);
    CU_ASSERT_EQUAL(m.ctxt.event.error_code, 0);
    CU_ASSERT_EQUAL(m.cmpxchgs, 0);
    /* Without CX16: #UD. A register operand: #UD. */
    m.ctxt.features &= ~X86_FEAT_CX16;
    R(&m, RDI) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\xc7\x0f"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xc7\xcf"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

static void test_enter(void)
{
    /* enter 0x10, 0 in 32-bit code: push ebp; ebp = esp; esp -= 16. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    R(&m, RBP) = 0x3100;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc8\x10\x00\x00"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ffc, 4), 0x3100);
    ORR_ASSERT_EQ_U64(R(&m, RBP), 0x2ffc);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2fec);
    /* Level 3: two frame pointers copied from the old frame, then the
     * new frame pointer. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    R(&m, RBP) = 0x3100;
    tm_write(&m, 0x30fc, 0xaaaa, 4);
    tm_write(&m, 0x30f8, 0xbbbb, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc8\x08\x00\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ffc, 4), 0x3100);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ff8, 4), 0xaaaa);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ff4, 4), 0xbbbb);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ff0, 4), 0x2ffc);
    ORR_ASSERT_EQ_U64(R(&m, RBP), 0x2ffc);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2fe8);
    /* The level is modulo 32: 33 acts as 1. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc8\x00\x00\x21"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2ff8);
    /*
     * A 16-bit stack with a 32-bit operand: the frame pointer pushed is
     * SP, not ESP (SDM Vol. 2A "ENTER": FrameTemp <- SP); QEMU pushes
     * all of ESP. BP gets the frame, the upper half of EBP stays.
     */
    reset(X86_MODE_16, 0);
    R(&m, RSP) = 0x12343000;
    R(&m, RBP) = 0x56780000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xc8\x00\x00\x01"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ffc, 4), 0x56780000);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ff8, 4), 0x2ffc);
    ORR_ASSERT_EQ_U64(R(&m, RBP), 0x56782ffc);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x12342ff8);
    /* A push that faults leaves rSP and rBP as they were. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    R(&m, RBP) = 0x3100;
    m.fault_lo = 0x2ff0;
    m.fault_hi = 0x2ff4;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc8\x00\x00\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_PF);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3000);
    ORR_ASSERT_EQ_U64(R(&m, RBP), 0x3100);
}

CU_TestInfo ext_tests[] = {
    ORR_CASE(test_popcnt),
    ORR_CASE(test_tzcnt_lzcnt),
    ORR_CASE(test_count_fallback),
    ORR_CASE(test_movbe),
    ORR_CASE(test_cmpxchg8b),
    ORR_CASE(test_enter),
    CU_TEST_INFO_NULL,
};
