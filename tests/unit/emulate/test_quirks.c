/* SPDX-License-Identifier: MIT */
/*
 * Where Unicorn 2.0.1 (QEMU 5, Debian 12's libunicorn) departs from the
 * architecture, found by tools/emul-diff. Each test is the minimal case,
 * asserting what the manual says; emul-diff's generator and length
 * differential avoid or account for these encodings (tools/emul-diff/
 * gen.c, lengths.c).
 */
#include "suites.h"

#include "machine.h"

static struct tmachine m;

/*
 * REX followed by a legacy prefix is ignored (SDM Vol. 2A §2.2.1: "other
 * placements are ignored"). Unicorn keeps REX.W: 48 66 B8 becomes MOV
 * RAX, imm64 and swallows six more bytes.
 */
static void test_rex_before_prefix_ignored(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0xffffffffffffffffull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x66\xb8\x34\x12"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0xffffffffffff1234ull);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 5);
}

/*
 * LOCK on an instruction that is not a listed read-modify-write, or
 * whose destination is a register, is #UD (SDM Vol. 2B "LOCK"). Unicorn
 * executes LOCK CMC, LOCK Jcc, LOCK INT n... and aborts the process on
 * LOCK CMPS ("tcg fatal error").
 */
static void test_lock_invalid_is_ud(void)
{
    tm_reset(&m, X86_MODE_64);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\xf5"), X86EMUL_EXCEPTION);  /* cmc */
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\xa6"), X86EMUL_EXCEPTION);  /* cmpsb */
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\xd3\x01"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
}

/*
 * REX.R extends ModRM.reg only where it names a register; for C6/C7 it
 * is the opcode extension /0 (SDM Vol. 2A §2.2.1.2). Unicorn raises #UD
 * for 4C C6 C0 ib.
 */
static void test_rex_r_on_group_opcode(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x1100;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x4c\xc6\xc0\x7f"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x117f);
}

/*
 * LOCK NEG sets the flags of NEG (SDM Vol. 2B "NEG": CF = (src != 0),
 * the others from the result). Unicorn's locked path gets SF/PF wrong:
 * neg byte [mem] = 01 gives FF with CF SF AF PF, not what it reports.
 */
static void test_lock_neg_flags(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RBX) = 0x3000;
    m.mem[0x3000] = 0x01;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\xf6\x1b"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.mem[0x3000], 0xff);
    ORR_ASSERT_EQ_U64(FL(&m) & X86_EFLAGS_ARITH,
                      X86_EFLAGS_CF | X86_EFLAGS_SF | X86_EFLAGS_AF |
                      X86_EFLAGS_PF);
    /* The same without LOCK: identical flags. */
    m.mem[0x3000] = 0x01;
    m.ctxt.regs.rip = TM_CODE;
    FL(&m) = X86_EFLAGS_MBS;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf6\x1b"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(FL(&m) & X86_EFLAGS_ARITH,
                      X86_EFLAGS_CF | X86_EFLAGS_SF | X86_EFLAGS_AF |
                      X86_EFLAGS_PF);
}

/*
 * RET imm16 releases imm16 bytes: the immediate is unsigned (SDM Vol. 2B
 * "RET", "RSP <- RSP + SRC" with SRC an imm16). Unicorn sign-extends it,
 * so RET 0x8000 moves RSP down by 32 KiB instead of up.
 */
static void test_ret_imm16_unsigned(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RSP) = 0x2000;
    tm_write(&m, 0x2000, 0x1234, 8);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc2\x00\x80"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, 0x1234);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2008 + 0x8000);
}

/*
 * CMPXCHG writes the accumulator only when the comparison fails (SDM
 * Vol. 2B "CMPXCHG" pseudo-code); on success RAX keeps its upper half.
 * Unicorn always writes EAX, clearing RAX[63:32]. A register destination
 * is always written, so its upper half clears either way.
 */
static void test_cmpxchg_accumulator(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x1234567800000005ull;
    R(&m, RCX) = 0xaaaaaaaa00000005ull;
    R(&m, RDX) = 7;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xb1\xd1"), X86EMUL_OKAY);
    CU_ASSERT(FL(&m) & X86_EFLAGS_ZF);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x1234567800000005ull);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 7);
    /* Mismatch: EAX takes ECX, and ECX is rewritten (zero-extended). */
    m.ctxt.regs.rip = TM_CODE;
    R(&m, RCX) = 0xbbbbbbbb00000009ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xb1\xd1"), X86EMUL_OKAY);
    CU_ASSERT(!(FL(&m) & X86_EFLAGS_ZF));
    ORR_ASSERT_EQ_U64(R(&m, RAX), 9);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 9);
}

/*
 * Far CALL/JMP (FF /3, /5) need a memory operand: the register form is
 * #UD (SDM Vol. 2A "CALL", "JMP"). Unicorn aborts the process on it.
 */
static void test_far_indirect_register_ud(void)
{
    tm_reset(&m, X86_MODE_32);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xff\xd8"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xff\xe8"), X86EMUL_EXCEPTION);
}

/*
 * LAHF/SAHF use AH even with a REX prefix (SDM Vol. 2A "LAHF": "AH <-
 * EFLAGS(SF:ZF:0:AF:0:PF:1:CF)"); Unicorn uses SPL when a REX is there.
 */
static void test_lahf_sahf_with_rex(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RSP) = 0x2000;
    FL(&m) = X86_EFLAGS_MBS | X86_EFLAGS_CF | X86_EFLAGS_ZF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x9f"), X86EMUL_OKAY);     /* lahf */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x4300);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2000);
    R(&m, RAX) = 0x8000;                                     /* AH = SF */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x4c\x9e"), X86EMUL_OKAY);     /* sahf */
    ORR_ASSERT_EQ_U64(FL(&m) & X86_EFLAGS_ARITH, X86_EFLAGS_SF);
}

CU_TestInfo quirks_tests[] = {
    ORR_CASE(test_lahf_sahf_with_rex),
    ORR_CASE(test_rex_before_prefix_ignored),
    ORR_CASE(test_lock_invalid_is_ud),
    ORR_CASE(test_rex_r_on_group_opcode),
    ORR_CASE(test_lock_neg_flags),
    ORR_CASE(test_ret_imm16_unsigned),
    ORR_CASE(test_cmpxchg_accumulator),
    ORR_CASE(test_far_indirect_register_ud),
    CU_TEST_INFO_NULL,
};
