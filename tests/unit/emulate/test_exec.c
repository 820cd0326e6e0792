/* SPDX-License-Identifier: MIT */
/*
 * Execution corners: flags of shifts by 0/1/n, AF and PF, #DE, REP with
 * a zero count and a REP that faults part way and resumes, prefix
 * combinations, atomicity on faults, LOCK through cmpxchg, port I/O.
 */
#include "suites.h"

#include "machine.h"

static struct tmachine m;

#define ARITH X86_EFLAGS_ARITH
#define CF X86_EFLAGS_CF
#define PF X86_EFLAGS_PF
#define AF X86_EFLAGS_AF
#define ZF X86_EFLAGS_ZF
#define SF X86_EFLAGS_SF
#define OF X86_EFLAGS_OF

static void test_shift_count_zero(void)
{
    /* SHL by CL = 0: no flag changes (SDM "SAL/SAR/SHL/SHR"). */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x80;
    FL(&m) |= CF | OF | ZF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd2\xe0"), X86EMUL_OKAY);  /* shl al,cl */
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, CF | OF | ZF);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x80);
    /* The count is masked to 5 bits: 32 is 0 for a 32-bit operand... */
    R(&m, RCX) = 32;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd3\xe0"), X86EMUL_OKAY);  /* shl eax,cl */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x80);
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, CF | OF | ZF);
    /* ...but 6 bits with REX.W: shl rax, 32 shifts. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x80000001;
    R(&m, RCX) = 32;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\xd3\xe0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x8000000100000000ull);
}

static void test_shift_count_one(void)
{
    /* SHL by 1: CF = bit out, OF = MSB(result) ^ CF, both defined. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x40;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd0\xe0"), X86EMUL_OKAY);  /* shl al,1 */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x80);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | OF | SF | ZF), OF | SF);
    CU_ASSERT(!(m.ctxt.flags_undefined & OF));
    CU_ASSERT(m.ctxt.flags_undefined & AF);
    /* SHR by 1: OF = the original MSB. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x81;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd0\xe8"), X86EMUL_OKAY);  /* shr al,1 */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x40);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | OF), CF | OF);
    /* SAR by 1: OF = 0. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x81;
    FL(&m) |= OF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd0\xf8"), X86EMUL_OKAY);  /* sar al,1 */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0xc0);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | OF), CF);
    /* By more than one, OF is undefined and says so. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x81;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc0\xe0\x02"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x04);
    CU_ASSERT(m.ctxt.flags_undefined & OF);
}

static void test_rotates(void)
{
    /* ROL al, 8: the value is unchanged but CF = LSB is still set. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x01;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc0\xc0\x08"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x01);
    ORR_ASSERT_EQ_U64(FL(&m) & CF, CF);
    /* RCL al, 9 is a full turn through CF: nothing changes. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x5a;
    FL(&m) |= CF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc0\xd0\x09"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x5a);
    ORR_ASSERT_EQ_U64(FL(&m) & CF, CF);
    /* RCR by 1: OF = MSB ^ CF before the rotate. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x01;
    FL(&m) |= CF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xd0\xd8"), X86EMUL_OKAY);  /* rcr al,1 */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x80);
    ORR_ASSERT_EQ_U64(FL(&m) & (CF | OF), CF | OF);
}

static void test_af_pf(void)
{
    /* AF: carry out of bit 3; PF: parity of the low byte only. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x0f;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x04\x01"), X86EMUL_OKAY);  /* add al,1 */
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, AF);                  /* 0x10: odd */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x00ff;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x05\x01\x00"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x100);
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, AF | PF);             /* low byte 0 */
    /* SUB borrow into bit 4, and a signed overflow. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x80;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x2c\x01"), X86EMUL_OKAY);  /* sub al,1 */
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, AF | OF);             /* 0x7f */
    /* INC keeps CF. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0xffffffff;
    FL(&m) |= CF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x40"), X86EMUL_OKAY);      /* inc eax */
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, CF | ZF | PF | AF);
}

static void test_divide_errors(void)
{
    struct x86_regs before;

    /* DIV by zero: #DE, no error code, nothing changed. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 1234;
    before = m.ctxt.regs;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf7\xf1"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_DE);
    CU_ASSERT_FALSE(m.ctxt.event.has_error_code);
    CU_ASSERT(!memcmp(&before, &m.ctxt.regs, sizeof(before)));
    /* Quotient too big: AX = 0x1000 / 0x10 = 0x100 > 0xff. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x1000;
    R(&m, RCX) = 0x10;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf6\xf1"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_DE);
    /* IDIV INT_MIN / -1 overflows; -128 / 1 does not. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0x80000000;
    R(&m, RDX) = 0xffffffff;
    R(&m, RCX) = 0xffffffff;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf7\xf9"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_DE);
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0;
    R(&m, RDX) = 0x8000000000000000ull;     /* RDX:RAX = -2^127 */
    R(&m, RCX) = ~0ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\xf7\xf9"), X86EMUL_EXCEPTION);
    tm_reset(&m, X86_MODE_32);
    R(&m, RAX) = 0xff80;                    /* AX = -128 */
    R(&m, RCX) = 1;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf6\xf9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x0080);  /* AL = -128, AH = 0 */
    CU_ASSERT_EQUAL(m.ctxt.flags_undefined & ARITH, ARITH);
}

static void test_rep_count_zero(void)
{
    tm_reset(&m, X86_MODE_32);
    R(&m, RSI) = 0x2000;
    R(&m, RDI) = 0x3000;
    FL(&m) |= ZF | CF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xa4"), X86EMUL_OKAY);  /* rep movsb */
    CU_ASSERT_EQUAL(m.reads, 0);
    CU_ASSERT_EQUAL(m.writes, 0);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xa6"), X86EMUL_OKAY);  /* repe cmpsb */
    ORR_ASSERT_EQ_U64(FL(&m) & ARITH, ZF | CF);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0x2000);
}

/* A REP MOVS that faults at its fourth byte commits three, keeps RIP, and
 * completes when run again (SDM Vol. 2B "REP"). */
static void test_rep_partial_resume(void)
{
    unsigned int i;

    tm_reset(&m, X86_MODE_64);
    for ( i = 0; i < 8; i++ )
        m.mem[0x2000 + i] = 0xa0 + i;
    R(&m, RSI) = 0x2000;
    R(&m, RDI) = 0x3000;
    R(&m, RCX) = 8;
    m.fault_lo = 0x3003;
    m.fault_hi = 0x3004;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xa4"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_PF);
    ORR_ASSERT_EQ_U64(m.ctxt.event.cr2, 0x3003);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 5);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0x2003);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x3003);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    m.fault_hi = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xa4"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 0);
    CU_ASSERT(!memcmp(&m.mem[0x2000], &m.mem[0x3000], 8));
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 2);
}

/* A huge count runs X86_REP_BATCH iterations per call, RIP kept: a
 * guest's RCX = 2^64 - 1 must not hold the hypervisor (found by
 * fuzz.emulate, which timed out on it). */
static void test_rep_batch(void)
{
    tm_reset(&m, X86_MODE_64);
    R(&m, RDI) = 0x2000;
    R(&m, RCX) = ~0ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xaa"), X86EMUL_OKAY);  /* rep stosb */
    ORR_ASSERT_EQ_U64(R(&m, RCX), ~0ull - X86_REP_BATCH);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2000 + X86_REP_BATCH);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    /* Exactly a batch: done, RIP moves on. */
    R(&m, RCX) = X86_REP_BATCH;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\xaa"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 0);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 2);
}

/* BT with a memory base and a register offset addresses outside the
 * operand: a negative offset reaches below the EA (SDM "BT"). */
static void test_bit_string(void)
{
    tm_reset(&m, X86_MODE_32);
    R(&m, RBX) = 0x3000;
    R(&m, RCX) = (uint32_t)-1;                  /* bit 7 of 0x2fff */
    m.mem[0x2ffc] = 0;
    m.mem[0x2fff] = 0x80;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xab\x0b"), X86EMUL_OKAY); /* bts */
    CU_ASSERT(FL(&m) & CF);
    /* BTS on a set bit: CF = 1, memory unchanged; bit 31 of the dword at
     * 0x2ffc is what offset -1 names. */
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2ffc, 4), 0x80000000);
    /* BSF of zero: ZF set, destination written back unchanged. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x123456789ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xbc\xc1"), X86EMUL_OKAY);
    CU_ASSERT(FL(&m) & ZF);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x23456789);
    R(&m, RCX) = 0x50;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\xbd\xc1"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 6);
    CU_ASSERT(!(FL(&m) & ZF));
}

static void test_prefix_combinations(void)
{
    /* 66 67 in 32-bit code: MOVSW with SI/DI, the upper halves kept. */
    tm_reset(&m, X86_MODE_32);
    R(&m, RSI) = 0xabcd2000;
    R(&m, RDI) = 0x12343000;
    tm_write(&m, 0x2000, 0xbeef, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x67\xa5"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 2), 0xbeef);
    ORR_ASSERT_EQ_U64(R(&m, RSI), 0xabcd2002);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x12343002);
    /* F3 66 AB in 64-bit mode with DF: REP STOSW backwards. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x1122;
    R(&m, RDI) = 0x3004;
    R(&m, RCX) = 3;
    FL(&m) |= X86_EFLAGS_DF;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x66\xab"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 6), 0x112211221122ull);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x2ffe);
    /* F2 (REPNE) on SCASB stops at the first match. */
    tm_reset(&m, X86_MODE_32);
    memcpy(&m.mem[0x3000], "abcdef", 6);
    R(&m, RAX) = 'd';
    R(&m, RDI) = 0x3000;
    R(&m, RCX) = 100;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf2\xae"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RDI), 0x3004);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 96);
    CU_ASSERT(FL(&m) & ZF);
    /* 66 on a 32-bit MOV to memory: a 16-bit store. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0x11223344;
    R(&m, RBX) = 0x3000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x89\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 4), 0x3344);
}

static void test_atomicity_and_lock(void)
{
    struct x86_regs before;

    /* POP to a faulting address leaves RSP alone. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RSP) = 0x2000;
    R(&m, RBX) = 0x3000;
    m.fault_lo = 0x3000;
    m.fault_hi = 0x3008;
    before = m.ctxt.regs;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT(!memcmp(&before, &m.ctxt.regs, sizeof(before)));
    /* POP [RSP]: the address uses RSP after the pop (SDM "POP"). */
    tm_reset(&m, X86_MODE_64);
    R(&m, RSP) = 0x2000;
    tm_write(&m, 0x2000, 0x55, 8);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8f\x04\x24"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2008, 8), 0x55);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x2008);
    /* LOCK ADD goes through cmpxchg; a race makes it RETRY, unchanged. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RBX) = 0x3000;
    tm_write(&m, 0x3000, 5, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\x83\x03\x02"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.cmpxchgs, 1);
    CU_ASSERT(m.cmpxchg_lock);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 4), 7);
    m.ctxt.regs.rip = TM_CODE;
    m.cmpxchg_fail_once = true;
    before = m.ctxt.regs;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\x83\x03\x02"), X86EMUL_RETRY);
    CU_ASSERT(!memcmp(&before, &m.ctxt.regs, sizeof(before)));
    /* XCHG with memory is locked without a prefix. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RBX) = 0x3000;
    R(&m, RAX) = 9;
    tm_write(&m, 0x3000, 4, 8);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x87\x03"), X86EMUL_OKAY);
    CU_ASSERT(m.cmpxchg_lock);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 4);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 8), 9);
}

static void test_io_and_unhandleable(void)
{
    struct x86_regs before;

    tm_reset(&m, X86_MODE_64);
    R(&m, RAX) = 0xffffffffffffffffull;
    R(&m, RDX) = 0x3f8;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\xed"), X86EMUL_OKAY);  /* in eax,dx */
    CU_ASSERT_EQUAL(m.last_port, 0x3f8);
    CU_ASSERT_EQUAL(m.last_port_bytes, 4);                  /* no REX.W */
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x89abcdef);              /* zero-ext */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\xe7\x80"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_port, 0x80);
    CU_ASSERT_EQUAL(m.last_out, 0xcdef);
    /* Not emulated (yet): nothing changes. */
    m.ctxt.regs.rip = TM_CODE;
    before = m.ctxt.regs;
    /* sldt eax */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x00\xc0"), X86EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xa2"), X86EMUL_UNHANDLEABLE);
    CU_ASSERT(!memcmp(&before, &m.ctxt.regs, sizeof(before)));
}

CU_TestInfo exec_tests[] = {
    ORR_CASE(test_shift_count_zero),
    ORR_CASE(test_shift_count_one),
    ORR_CASE(test_rotates),
    ORR_CASE(test_af_pf),
    ORR_CASE(test_divide_errors),
    ORR_CASE(test_rep_count_zero),
    ORR_CASE(test_rep_partial_resume),
    ORR_CASE(test_rep_batch),
    ORR_CASE(test_bit_string),
    ORR_CASE(test_prefix_combinations),
    ORR_CASE(test_atomicity_and_lock),
    ORR_CASE(test_io_and_unhandleable),
    CU_TEST_INFO_NULL,
};
