/* SPDX-License-Identifier: MIT */
/*
 * Prefix rules of the decoder (SDM Vol. 2A §2.1-2.3): repeated and
 * conflicting legacy prefixes, REX placement, operand/address size,
 * segment overrides, LOCK validity, VEX, and the 15-byte limit.
 */
#include "suites.h"

#include <orrery/x86_emulate.h>

#include "machine.h"

static struct x86_emulate_ctxt c;

static int dec(const char *s, unsigned int n, enum x86_mode mode)
{
    memset(&c, 0, sizeof(c));
    c.mode = mode;
    c.insn_buf = (const uint8_t *)s;
    c.insn_buf_bytes = n;
    return x86_decode(&c, NULL);
}
#define DEC(s, mode) dec((s), sizeof(s) - 1, (mode))

static void test_segment_override_last_wins(void)
{
    CU_ASSERT_EQUAL(DEC("\x26\x2e\x8b\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_cs);
    CU_ASSERT(c.insn.seg_override);
    CU_ASSERT_EQUAL(DEC("\x65\x64\x8b\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_fs);
    /* [ebp] and [esp] default to SS, an override replaces it. */
    CU_ASSERT_EQUAL(DEC("\x8b\x45\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_ss);
    CU_ASSERT_EQUAL(DEC("\x3e\x8b\x04\x24", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_ds);
    /* 16-bit [bp+si] is SS too. */
    CU_ASSERT_EQUAL(DEC("\x8b\x02", X86_MODE_16), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_ss);
    /* 64-bit mode ignores CS/DS/ES/SS overrides, keeps FS/GS. */
    CU_ASSERT_EQUAL(DEC("\x26\x8b\x00", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_ds);
    CU_ASSERT(!c.insn.seg_override);
    CU_ASSERT_EQUAL(DEC("\x2e\x65\x8b\x00", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_gs);
    /* r13 as base is not rBP: DS (the rule names rBP/rSP only). */
    CU_ASSERT_EQUAL(DEC("\x41\x8b\x45\x00", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.seg, x86_seg_ds);
}

static void test_rep_prefixes_last_wins(void)
{
    CU_ASSERT_EQUAL(DEC("\xf2\xf3\xa6", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.prefixes & (X86_PFX_REP | X86_PFX_REPNE),
                    X86_PFX_REP);
    CU_ASSERT_EQUAL(DEC("\xf3\xf2\xa6", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.prefixes & (X86_PFX_REP | X86_PFX_REPNE),
                    X86_PFX_REPNE);
    /* Repeating a prefix changes nothing but the length. */
    CU_ASSERT_EQUAL(DEC("\x66\x66\x66\x05\x34\x12", X86_MODE_32),
                    X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 6);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 2);
}

static void test_operand_address_size(void)
{
    CU_ASSERT_EQUAL(DEC("\x66\x67\xa5", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 2);
    CU_ASSERT_EQUAL(c.insn.ad_bytes, 2);
    CU_ASSERT_EQUAL(DEC("\x66\x67\xa5", X86_MODE_16), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 4);
    CU_ASSERT_EQUAL(c.insn.ad_bytes, 4);
    CU_ASSERT_EQUAL(DEC("\x67\xa5", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 4);
    CU_ASSERT_EQUAL(c.insn.ad_bytes, 4);
    /* REX.W beats 66 (SDM Vol. 2A §2.2.1.2). */
    CU_ASSERT_EQUAL(DEC("\x66\x48\x01\xc0", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 8);
    /* PUSH defaults to 64 bits in 64-bit mode, 66 makes it 16. */
    CU_ASSERT_EQUAL(DEC("\x50", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 8);
    CU_ASSERT_EQUAL(DEC("\x66\x50", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 2);
}

/* REX counts only right before the opcode (SDM Vol. 2A §2.2.1). */
static void test_rex_placement(void)
{
    CU_ASSERT_EQUAL(DEC("\x48\x66\xb8\x34\x12", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.rex, 0);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 2);
    CU_ASSERT_EQUAL(c.insn.len, 5);
    CU_ASSERT_EQUAL(DEC("\x66\x48\xb8\x01\x02\x03\x04\x05\x06\x07\x08",
                        X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 11);
    /* Two REX prefixes: the last one counts. */
    CU_ASSERT_EQUAL(DEC("\x48\x41\x89\xc0", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.rex, 0x41);
    CU_ASSERT_EQUAL(c.insn.op_bytes, 4);
    CU_ASSERT_EQUAL(c.insn.modrm_rm, 8);
    /* Outside 64-bit mode 40-4F are INC/DEC. */
    CU_ASSERT_EQUAL(DEC("\x48\x01\xc0", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 1);
}

static void test_fifteen_bytes(void)
{
    /* 14 prefixes + NOP = 15 bytes: fine. One more: #GP(0). */
    CU_ASSERT_EQUAL(DEC("\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66"
                        "\x66\x66\x90", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 15);
    CU_ASSERT_EQUAL(DEC("\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66"
                        "\x66\x66\x66\x90", X86_MODE_64), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c.event.vector, X86_EXC_GP);
    CU_ASSERT(c.event.has_error_code);
    CU_ASSERT_EQUAL(c.event.error_code, 0);
    /* A long legal encoding overflowing by its immediate. */
    CU_ASSERT_EQUAL(DEC("\x26\x26\x26\x26\x26\x66\xf0\x81\x84\x24\x78\x56"
                        "\x34\x12\x01\x02", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c.event.vector, X86_EXC_GP);
}

static void test_lock(void)
{
    /* LOCK needs a listed instruction with a memory destination. */
    CU_ASSERT_EQUAL(DEC("\xf0\x01\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(DEC("\xf0\x01\xc0", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c.event.vector, X86_EXC_UD);
    CU_ASSERT_EQUAL(DEC("\xf0\x39\x00", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(DEC("\xf0\x8b\x00", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(DEC("\xf0\x90", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(DEC("\xf0\x0f\xb1\x0b", X86_MODE_64), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(DEC("\xf0\x0f\xba\x20\x01", X86_MODE_64),
                    X86EMUL_EXCEPTION);             /* BT: not listed */
    CU_ASSERT_EQUAL(DEC("\xf0\x0f\xba\x28\x01", X86_MODE_64),
                    X86EMUL_OKAY);                  /* BTS */
    CU_ASSERT_EQUAL(DEC("\xf0\x87\x00", X86_MODE_64), X86EMUL_OKAY);
}

static void test_invalid_and_vex(void)
{
    unsigned int vec;

    CU_ASSERT_EQUAL(DEC("\x0f\x0b", X86_MODE_64), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c.event.vector, X86_EXC_UD);
    CU_ASSERT_FALSE(c.event.has_error_code);
    CU_ASSERT_EQUAL(DEC("\xff\xd8", X86_MODE_32), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(DEC("\x8d\xc0", X86_MODE_32), X86EMUL_EXCEPTION);
    /* C5 with mod != 11 outside 64-bit mode is LDS; with 11 it is VEX. */
    CU_ASSERT_EQUAL(DEC("\xc5\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT(!(c.insn.prefixes & X86_PFX_VEX));
    CU_ASSERT_EQUAL(DEC("\xc5\xf8\x10\x00", X86_MODE_32), X86EMUL_OKAY);
    CU_ASSERT(c.insn.prefixes & X86_PFX_VEX);
    CU_ASSERT_EQUAL(c.insn.len, 4);
    /* vmovdqu ymm0, [rax+disp32] (VEX.256.F3.0F 6F) */
    CU_ASSERT_EQUAL(DEC("\xc5\xfe\x6f\x80\x00\x01\x00\x00", X86_MODE_64),
                    X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 8);
    CU_ASSERT_EQUAL(c.insn.vex_l, 1);
    /* C4, map 0F3A: an immediate. */
    CU_ASSERT_EQUAL(DEC("\xc4\xe3\x79\x0f\xc1\x08", X86_MODE_64),
                    X86EMUL_OKAY);
    CU_ASSERT_EQUAL(c.insn.len, 6);
    /* 66 before VEX: #UD (SDM Vol. 2A §2.3.2). */
    CU_ASSERT_EQUAL(DEC("\x66\xc5\xf8\x10\x00", X86_MODE_64),
                    X86EMUL_EXCEPTION);
    /* A truncated buffer is reported as such, not as an error. */
    CU_ASSERT_EQUAL(x86_insn_length((const uint8_t *)"\x8b\x80\x00", 3,
                                    X86_MODE_32, &vec), -1);
    CU_ASSERT_EQUAL(DEC("\x8b\x80\x00", X86_MODE_32), X86EMUL_UNHANDLEABLE);
}

static void test_decode_memo(void)
{
    static struct tmachine m;

    /* mov eax, [rbx]: decoded and remembered with its bytes. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RBX) = 0x2000;
    tm_write(&m, 0x2000, 0x11223344, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8b\x03"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.ctxt.memo.len, 2);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x11223344);
    /* Other bytes at the same RIP (self-modifying code, a new mapping):
     * decoded afresh, never the remembered instruction. */
    m.ctxt.regs.rip = TM_CODE;
    R(&m, RAX) = 0x55;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x89\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 4), 0x55);
    CU_ASSERT_EQUAL(m.ctxt.memo.insn.opcode, 0x89);
    /* The same bytes in another mode: decoded afresh (16-bit: ModRM 03
     * is [BP+DI]). */
    m.ctxt.mode = X86_MODE_16;
    m.ctxt.regs.rip = TM_CODE;
    R(&m, RBP) = 0x1000;
    R(&m, RDI) = 0x1000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x89\x03"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.ctxt.insn.ad_bytes, 2);
    CU_ASSERT_EQUAL(m.ctxt.insn.seg, x86_seg_ss);
    /* The same bytes again: the memo's instruction is the one run (a
     * doctored memo shows it). */
    m.ctxt.regs.rip = TM_CODE;
    m.ctxt.memo.insn.len = 1;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x89\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 1);
}

CU_TestInfo decode_tests[] = {
    ORR_CASE(test_decode_memo),
    ORR_CASE(test_segment_override_last_wins),
    ORR_CASE(test_rep_prefixes_last_wins),
    ORR_CASE(test_operand_address_size),
    ORR_CASE(test_rex_placement),
    ORR_CASE(test_fifteen_bytes),
    ORR_CASE(test_lock),
    ORR_CASE(test_invalid_and_vex),
    CU_TEST_INFO_NULL,
};
