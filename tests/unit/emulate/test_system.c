/* SPDX-License-Identifier: MIT */
/*
 * System instructions: privilege checks (#GP(0) above CPL 0, CPL against
 * IOPL), the flags POPF may change, software interrupts reported as
 * events, and CR/DR/MSR/descriptor-table accesses through the callbacks.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

#define IF X86_EFLAGS_IF
#define IOPL3 X86_EFLAGS_IOPL

static void reset(enum x86_mode mode, unsigned int cpl)
{
    tm_reset(&m, mode);
    m.ctxt.cpl = cpl;
}

static void again(void)
{
    m.ctxt.regs.rip = TM_CODE;
}

/* The last run raised #GP(0) and left RIP and the registers alone. */
static void assert_gp0(int rc)
{
    CU_ASSERT_EQUAL(rc, X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    CU_ASSERT(m.ctxt.event.has_error_code);
    CU_ASSERT_EQUAL(m.ctxt.event.error_code, 0);
    CU_ASSERT_EQUAL(m.ctxt.event.type, X86_EVENTTYPE_HW_EXCEPTION);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
}

static void test_hlt(void)
{
    reset(X86_MODE_64, 0);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf4"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.ctxt.retire, X86_RETIRE_HLT);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 1);
    reset(X86_MODE_64, 3);
    assert_gp0(TM_RUN(&m, "\xf4"));
    CU_ASSERT_EQUAL(m.ctxt.retire, 0);
}

static void test_cli_sti(void)
{
    /* CPL 3 with IOPL 0: #GP(0), IF unchanged. */
    reset(X86_MODE_32, 3);
    FL(&m) |= IF;
    assert_gp0(TM_RUN(&m, "\xfa"));
    CU_ASSERT(FL(&m) & IF);
    /* CPL 3 with IOPL 3: allowed. */
    FL(&m) |= IOPL3;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xfa"), X86EMUL_OKAY);
    CU_ASSERT(!(FL(&m) & IF));
    /* STI that sets IF opens a one-instruction interrupt shadow... */
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xfb"), X86EMUL_OKAY);
    CU_ASSERT(FL(&m) & IF);
    CU_ASSERT_EQUAL(m.ctxt.retire, X86_RETIRE_STI);
    /* ...but not when IF was already set. */
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xfb"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.ctxt.retire, 0);
}

static void test_popf_privilege(void)
{
    /* CPL 3, IOPL 0: IF and IOPL are silently kept, AC and DF change,
     * RF is cleared and bit 1 stays set. */
    reset(X86_MODE_32, 3);
    R(&m, RSP) = 0x3000;
    FL(&m) |= 0x10000;                                  /* RF */
    tm_write(&m, 0x3000, X86_EFLAGS_AC | X86_EFLAGS_DF | IF | IOPL3 |
                         X86_EFLAGS_CF, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x9d"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(FL(&m), X86_EFLAGS_MBS | X86_EFLAGS_AC |
                              X86_EFLAGS_DF | X86_EFLAGS_CF);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3004);
    /* CPL 3 with IOPL 3: IF may change, IOPL still not. */
    reset(X86_MODE_32, 3);
    R(&m, RSP) = 0x3000;
    FL(&m) |= IOPL3;
    tm_write(&m, 0x3000, IF, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x9d"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(FL(&m), X86_EFLAGS_MBS | IF | IOPL3);
    /* CPL 0: IOPL too; VM (bit 17) never. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    tm_write(&m, 0x3000, IOPL3 | 0x20000, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x9d"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(FL(&m), X86_EFLAGS_MBS | IOPL3);
    /* A 16-bit POPF leaves the upper half (AC) alone. */
    reset(X86_MODE_32, 0);
    R(&m, RSP) = 0x3000;
    FL(&m) |= X86_EFLAGS_AC;
    tm_write(&m, 0x3000, 0xffff0001, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x9d"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(FL(&m), X86_EFLAGS_MBS | X86_EFLAGS_AC |
                              X86_EFLAGS_CF);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3002);
}

static void test_soft_interrupts(void)
{
    static const struct {
        const char *bytes;
        unsigned int len, vector, type;
    } t[] = {
        { "\xcc", 1, X86_EXC_BP, X86_EVENTTYPE_SW_EXCEPTION },
        { "\xcd\x80", 2, 0x80, X86_EVENTTYPE_SW_INTERRUPT },
        { "\xf1", 1, X86_EXC_DB, X86_EVENTTYPE_PRI_SW_EXCEPTION },
        { "\xce", 1, X86_EXC_OF, X86_EVENTTYPE_SW_EXCEPTION },
    };
    unsigned int i;

    for ( i = 0; i < 4; i++ )
    {
        reset(X86_MODE_32, 0);
        FL(&m) |= X86_EFLAGS_OF;
        CU_ASSERT_EQUAL(tm_run(&m, t[i].bytes, t[i].len),
                        X86EMUL_EXCEPTION);
        CU_ASSERT_EQUAL(m.ctxt.event.vector, t[i].vector);
        CU_ASSERT_EQUAL(m.ctxt.event.type, t[i].type);
        CU_ASSERT_EQUAL(m.ctxt.event.insn_len, t[i].len);
        CU_ASSERT(!m.ctxt.event.has_error_code);
        ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    }
    /* INTO without OF does nothing; in 64-bit mode it is #UD. */
    reset(X86_MODE_32, 0);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xce"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 1);
    reset(X86_MODE_64, 0);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xce"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

static void test_rdtsc_msr(void)
{
    reset(X86_MODE_64, 3);
    m.tsc = 0x1122334455667788ull;
    m.tsc_aux = 7;
    R(&m, RAX) = R(&m, RDX) = ~0ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x31"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x55667788);
    ORR_ASSERT_EQ_U64(R(&m, RDX), 0x11223344);
    /* CR4.TSD: only CPL 0 may read the TSC. */
    m.cr[4] = X86_CR4_TSD;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x31"));
    m.ctxt.cpl = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x31"), X86EMUL_OKAY);
    /* RDTSCP needs its CPUID bit; then ECX = TSC_AUX. */
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\xf9"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    m.ctxt.features = X86_FEAT_RDTSCP;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\xf9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), 7);
    /* WRMSR takes EDX:EAX (upper halves ignored), RDMSR returns it. */
    again();
    R(&m, RCX) = 0xffffffff000001b0ull;
    R(&m, RAX) = 0xdead0000cafef00dull;
    R(&m, RDX) = 0xbeef00000000abcdull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x30"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.last_msr, 0x1b0);
    ORR_ASSERT_EQ_U64(m.msr_val, 0x0000abcdcafef00dull);
    R(&m, RAX) = R(&m, RDX) = ~0ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x32"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0xcafef00d);
    ORR_ASSERT_EQ_U64(R(&m, RDX), 0xabcd);
    /* Both are privileged. */
    m.ctxt.cpl = 1;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x32"));
    assert_gp0(TM_RUN(&m, "\x0f\x30"));
}

static void test_mov_cr_dr(void)
{
    /* mov rax, cr0 / mov cr3, r9 in 64-bit mode: 64 bits. */
    reset(X86_MODE_64, 0);
    m.cr[0] = 0x80000011;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x20\xc0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x80000011);
    CU_ASSERT(m.ctxt.flags_undefined & X86_EFLAGS_CF);
    R(&m, R9) = 0x123456789000ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x41\x0f\x22\xd9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.cr[3], 0x123456789000ull);
    /* 32-bit mode: 32 bits, even with 66. */
    reset(X86_MODE_32, 0);
    R(&m, RBX) = 0xffffffff12345000ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x22\xdb"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.cr[3], 0x12345000);
    /* CPL 3: #GP(0), nothing written. */
    m.ctxt.cpl = 3;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x22\xc0"));
    ORR_ASSERT_EQ_U64(m.cr[0], 0);
    /* DR4 is DR6 unless CR4.DE makes it #UD. */
    reset(X86_MODE_32, 0);
    m.dr[6] = 0xffff0ff0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x21\xe0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0xffff0ff0);
    m.cr[4] = X86_CR4_DE;
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x21\xe0"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    /* mov dr7, ecx */
    R(&m, RCX) = 0x400;
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x23\xf9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.dr[7], 0x400);
}

static void test_dr7_general_detect(void)
{
    /* DR7.GD: mov eax, dr0 is a #DB fault with DR6.BD set, EAX and
     * RIP unchanged (SDM Vol. 3B §18.2.4). */
    reset(X86_MODE_32, 0);
    m.dr[7] = X86_DR7_GD | 0x400;
    m.dr[6] = 0xffff0ff0;
    m.dr[0] = 0x1234;
    R(&m, RAX) = 0x55;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x21\xc0"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_DB);
    CU_ASSERT_EQUAL(m.ctxt.event.type, X86_EVENTTYPE_HW_EXCEPTION);
    CU_ASSERT(!m.ctxt.event.has_error_code);
    ORR_ASSERT_EQ_U64(m.dr[6], 0xffff0ff0 | X86_DR6_BD);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x55);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    /* Writes too, DR7 itself included: it keeps its value. */
    R(&m, RCX) = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x23\xf9"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_DB);
    ORR_ASSERT_EQ_U64(m.dr[7], X86_DR7_GD | 0x400);
    /* #GP(0) at CPL 3 and #UD for DR4 with CR4.DE come first. */
    m.ctxt.cpl = 3;
    assert_gp0(TM_RUN(&m, "\x0f\x21\xc0"));
    m.ctxt.cpl = 0;
    m.cr[4] = X86_CR4_DE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x21\xe0"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    /* Control registers are not affected. */
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x20\xc0"), X86EMUL_OKAY);
}

static void test_clts_msw(void)
{
    reset(X86_MODE_32, 0);
    m.cr[0] = X86_CR0_PE | X86_CR0_TS | 0x80000000u;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x06"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.cr[0], X86_CR0_PE | 0x80000000u);
    /* LMSW loads CR0[3:0] but cannot clear PE. */
    R(&m, RAX) = 0xfff8;                    /* PE 0, MP 0, EM 0, TS 1 */
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\xf0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.cr[0], X86_CR0_PE | X86_CR0_TS | 0x80000000u);
    /* SMSW eax stores 32 bits, SMSW to memory 16. */
    R(&m, RAX) = 0;
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\xe0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), m.cr[0]);
    tm_write(&m, 0x2000, 0xaaaaaaaa, 4);
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\x25\x00\x20\x00\x00"),
                    X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 4), 0xaaaa0009);
    /* SMSW is allowed at CPL 3 unless CR4.UMIP; LMSW and CLTS never. */
    m.ctxt.cpl = 3;
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\xe0"), X86EMUL_OKAY);
    m.cr[4] = X86_CR4_UMIP;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x01\xe0"));
    assert_gp0(TM_RUN(&m, "\x0f\x01\xf0"));
    assert_gp0(TM_RUN(&m, "\x0f\x06"));
}

static void test_descriptor_tables(void)
{
    /* lgdt [0x2000] in 64-bit mode: limit then an 8-byte base. */
    reset(X86_MODE_64, 0);
    tm_write(&m, 0x2000, 0x7f, 2);
    tm_write(&m, 0x2002, 0xffff800000001000ull, 8);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\x14\x25\x00\x20\x00\x00"),
                    X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.gdtr.limit, 0x7f);
    ORR_ASSERT_EQ_U64(m.gdtr.base, 0xffff800000001000ull);
    /* sidt [0x3000] stores the IDTR the same way. */
    m.idtr.limit = 0xfff;
    m.idtr.base = 0xffff800000002000ull;
    again();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\x0c\x25\x00\x30\x00\x00"),
                    X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3000, 2), 0xfff);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x3002, 8), 0xffff800000002000ull);
    /* A non-canonical base: #GP(0), GDTR unchanged. */
    tm_write(&m, 0x2002, 0x0000800000001000ull, 8);
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x01\x14\x25\x00\x20\x00\x00"));
    ORR_ASSERT_EQ_U64(m.gdtr.base, 0xffff800000001000ull);
    /* lidt with a 16-bit operand in 32-bit mode keeps 24 bits of base. */
    reset(X86_MODE_32, 0);
    tm_write(&m, 0x2000, 0x3ff, 2);
    tm_write(&m, 0x2002, 0x12345678, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x01\x1d\x00\x20\x00\x00"),
                    X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.idtr.base, 0x345678);
    CU_ASSERT_EQUAL(m.idtr.limit, 0x3ff);
    /* LGDT at CPL 3: #GP(0); SGDT only with CR4.UMIP. */
    m.ctxt.cpl = 3;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x01\x15\x00\x20\x00\x00"));
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\x05\x00\x30\x00\x00"),
                    X86EMUL_OKAY);
    m.cr[4] = X86_CR4_UMIP;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x01\x05\x00\x30\x00\x00"));
}

static void test_invlpg(void)
{
    reset(X86_MODE_64, 0);
    R(&m, RBX) = 0x5000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x01\x7b\x10"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.invlpgs, 1);
    ORR_ASSERT_EQ_U64(m.invlpg_off, 0x5010);
    CU_ASSERT_EQUAL(m.reads + m.writes, 0);     /* no memory access */
    m.ctxt.cpl = 3;
    again();
    assert_gp0(TM_RUN(&m, "\x0f\x01\x7b\x10"));
    CU_ASSERT_EQUAL(m.invlpgs, 1);
}

CU_TestInfo system_tests[] = {
    ORR_CASE(test_hlt),
    ORR_CASE(test_cli_sti),
    ORR_CASE(test_popf_privilege),
    ORR_CASE(test_soft_interrupts),
    ORR_CASE(test_rdtsc_msr),
    ORR_CASE(test_mov_cr_dr),
    ORR_CASE(test_dr7_general_detect),
    ORR_CASE(test_clts_msw),
    ORR_CASE(test_descriptor_tables),
    ORR_CASE(test_invlpg),
    CU_TEST_INFO_NULL,
};
