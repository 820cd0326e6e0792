/* SPDX-License-Identifier: MIT */
/*
 * INS and OUTS: the port is DX, memory is ES:rDI (INS) or seg:rSI (OUTS),
 * element sizes 1, 2 or 4 (REX.W ignored), REP with a fault part way that
 * resumes where it stopped.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

static void test_ins(void)
{
    /* rep insb: three bytes of port 0x60 at ES:EDI. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RDX) = 0xffff0060;
    R(&m, RDI) = 0x2000;
    R(&m, RCX) = 3;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x6c"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port, 0x60);
    CU_ASSERT_EQUAL(m.last_port_bytes, 1);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 4), 0x00efefef);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2003);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 0);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 2);
    /* insd with REX.W in 64-bit mode: still 4 bytes; DF steps down. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RDI) = 0x2000;
    FL(&m) |= X86_EFLAGS_DF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x6d"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port_bytes, 4);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8), 0x89abcdef);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x1ffc);
}

static void test_outs(void)
{
    /* outsw in 32-bit code: a word from DS:ESI, ESI += 2. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RDX) = 0x3f8;
    R(&m, RSI) = 0x2000;
    tm_write(&m, 0x2000, 0xbeef, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x6f"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port, 0x3f8);
    CU_ASSERT_EQUAL(m.last_port_bytes, 2);
    CU_ASSERT_EQUAL(m.last_out, 0xbeef);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0x2002);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0);
    /* rep outsb with a zero count touches nothing. */
    R(&m, RCX) = 0;
    m.last_port = 0;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x6e"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port, 0);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0x2002);
}

static void test_rep_ins_partial(void)
{
    /* rep insw over 4 words whose third store faults: two done, RIP
     * stays, and running it again finishes the other two. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RDI) = 0x2000;
    R(&m, RCX) = 4;
    m.fault_lo = 0x2004;
    m.fault_hi = 0x2006;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xf3\x6d"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_PF);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 2);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2004);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 4), 0xcdefcdef);
    m.fault_lo = m.fault_hi = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xf3\x6d"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 0);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2008);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2004, 4), 0xcdefcdef);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 3);
}

CU_TestInfo io_string_tests[] = {
    ORR_CASE(test_ins),
    ORR_CASE(test_outs),
    ORR_CASE(test_rep_ins_partial),
    CU_TEST_INFO_NULL,
};
