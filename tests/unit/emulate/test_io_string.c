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

/*
 * CPL 3, IOPL 0, a 32-bit TSS at 0x5000 whose I/O bitmap starts at
 * 0x68 and ends at the limit, 0xe7 (ports 0-0x3ff): all allowed but
 * 0x61 and 0x69.
 */
static void ioperm_reset(void)
{
    tm_reset(&m, X86_MODE_32);
    m.ctxt.cpl = 3;
    m.tr.base = 0x5000;
    m.tr.limit = 0x68 + 0x7f;
    m.tr.attr = 0x8b;                   /* present, busy 32-bit TSS */
    tm_write(&m, 0x5000 + 0x66, 0x68, 2);
    tm_write(&m, 0x5068 + 0x60 / 8, 0x02, 1);      /* port 0x61 */
    tm_write(&m, 0x5068 + 0x68 / 8, 0x02, 1);      /* port 0x69 */
}

static void test_io_permission(void)
{
    /* in al, 0x60: its bit is clear. */
    ioperm_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xe4\x60"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port, 0x60);
    /* in ax, 0x60 covers 0x61: #GP(0), no port access. */
    ioperm_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xe5\x60"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    CU_ASSERT(m.ctxt.event.has_error_code && !m.ctxt.event.error_code);
    CU_ASSERT_EQUAL(m.last_port, 0);
    /* in eax, 0x66: ports 0x66-0x69, across two bitmap bytes. */
    ioperm_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xe5\x66"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    ioperm_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xe5\x64"), X86EMUL_OKAY);
    /* out dx, al to 0x3f8: its byte is the last, 0xe7, but the
     * processor reads two, and 0xe8 is past the limit: #GP. 0x3f0's
     * two bytes are inside. */
    ioperm_reset();
    R(&m, RDX) = 0x3f8;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xee"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    ioperm_reset();
    R(&m, RDX) = 0x3f0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xee"), X86EMUL_OKAY);
    /* IOPL 3: no bitmap needed, even with no TSS. */
    ioperm_reset();
    m.tr.attr = 0;
    FL(&m) |= X86_EFLAGS_IOPL;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xe4\x61"), X86EMUL_OKAY);
    /* CPL 3 > IOPL 0 with a 16-bit TSS (type 3, no bitmap): #GP. */
    ioperm_reset();
    m.tr.attr = 0x83;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xe4\x60"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    /* OUTSB to a denied port faults before reading memory; REP with a
     * zero count does no I/O and needs no permission. */
    ioperm_reset();
    R(&m, RDX) = 0x61;
    R(&m, RSI) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x6e"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0x2000);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x6e"), X86EMUL_OKAY);
    /* INSB from an allowed port at CPL 3. */
    ioperm_reset();
    R(&m, RDX) = 0x60;
    R(&m, RDI) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x6c"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2001);
}

CU_TestInfo io_string_tests[] = {
    ORR_CASE(test_ins),
    ORR_CASE(test_outs),
    ORR_CASE(test_rep_ins_partial),
    ORR_CASE(test_io_permission),
    CU_TEST_INFO_NULL,
};
