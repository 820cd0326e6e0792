/* SPDX-License-Identifier: MIT */
/*
 * Segment-register moves: stores through read_segment in every mode,
 * loads through write_segment in real mode (protected-mode loads:
 * test_descriptor.c).
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

static void reset(enum x86_mode mode)
{
    unsigned int i;

    tm_reset(&m, mode);
    for ( i = 0; i < 6; i++ )
    {
        m.sregs[i].sel = 0x10 + i * 8;
        m.sregs[i].limit = 0xffff;
        m.sregs[i].attr = 0x93;
    }
}

static void test_mov_from_sreg(void)
{
    /* mov eax, fs: a register takes the operand size, zero-extended. */
    reset(X86_MODE_32);
    R(&m, RAX) = 0xffffffff;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8c\xe0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x30);
    /* mov [0x2000], ss with a 32-bit operand still stores 16 bits. */
    tm_write(&m, 0x2000, 0xaaaaaaaa, 4);
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8c\x15\x00\x20\x00\x00"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 4), 0xaaaa0020);
    /* Sreg 6 and 7 do not exist: #UD. */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8c\xf0"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

static void test_push_sreg(void)
{
    /* push gs in 64-bit mode: 8 bytes, zero-extended. */
    reset(X86_MODE_64);
    R(&m, RSP) = 0x3000;
    tm_write(&m, 0x2ff8, ~0ull, 8);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xa8"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ff8, 8), 0x38);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2ff8);
    /* push es is #UD in 64-bit mode... */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x06"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    /* ...and fine in 16-bit code. */
    reset(X86_MODE_16);
    R(&m, RSP) = 0x3000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0e"), X86EMUL_OKAY);     /* push cs */
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ffe, 2), 0x18);
}

static void test_real_mode_loads(void)
{
    /* mov ds, ax in real mode: base = selector * 16, limit kept. */
    reset(X86_MODE_16);
    R(&m, RAX) = 0x1234;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8e\xd8"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].sel, 0x1234);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].base, 0x12340);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].limit, 0xffff);
    CU_ASSERT_EQUAL(m.ctxt.retire, 0);
    /* pop ss: SP moves, and interrupts are held off one instruction. */
    R(&m, RSP) = 0x3000;
    tm_write(&m, 0x3000, 0x9000, 2);
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x17"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ss].sel, 0x9000);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ss].base, 0x90000);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3002);
    CU_ASSERT_EQUAL(m.ctxt.retire, X86_RETIRE_MOV_SS);
    /* mov cs, ax is #UD. */
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8e\xc8"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

CU_TestInfo segment_tests[] = {
    ORR_CASE(test_mov_from_sreg),
    ORR_CASE(test_push_sreg),
    ORR_CASE(test_real_mode_loads),
    CU_TEST_INFO_NULL,
};
