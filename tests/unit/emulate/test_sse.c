/* SPDX-License-Identifier: MIT */
/*
 * The SSE/AVX moves (core/emulate/sse.c): what each writes (zero
 * extension, the YMM upper half kept by legacy SSE and cleared by VEX),
 * the #UD/#NM/#GP rules, and the forms left UNHANDLEABLE. The VEX forms
 * are only here: Unicorn 2.0.1 (QEMU 5) has no AVX, so emul-diff cannot
 * compare them.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

/* 64-bit mode, SSE enabled (CR4.OSFXSR), XMMn/YMMn filled with a
 * pattern, RBX at 0x2000 holding bytes 0x40, 0x41, ... */
static void sse_reset(void)
{
    unsigned int r, i;

    tm_reset(&m, X86_MODE_64);
    m.cr[4] = X86_CR4_OSFXSR;
    for ( r = 0; r < 16; r++ )
        for ( i = 0; i < 32; i++ )
            m.xmm[r][i] = 0x80 | (r << 3) | (i & 7);
    for ( i = 0; i < 64; i++ )
        m.mem[0x2000 + i] = 0x40 + i;
    R(&m, RBX) = 0x2000;
}

static uint64_t xq(unsigned int reg, unsigned int q)
{
    uint64_t v;

    memcpy(&v, &m.xmm[reg][q * 8], 8);
    return v;
}

static void test_movd_movq(void)
{
    /* movd xmm0, eax: low dword, the rest of XMM0 zero, YMM0's upper
     * half untouched (legacy SSE, SDM Vol. 2B "MOVD/MOVQ"). */
    sse_reset();
    R(&m, RAX) = 0x1122334455667788ULL;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6e\xc0"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(0, 0), 0x55667788);
    ORR_ASSERT_EQ_U64(xq(0, 1), 0);
    ORR_ASSERT_EQ_U64(m.xmm[0][16], 0x80);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 4);
    /* movq rcx, xmm9 (66 REX.WR 0F 7E /r). */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x4c\x0f\x7e\xc9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), xq(9, 0));
    /* movd ecx, xmm1 zero-extends into RCX. */
    sse_reset();
    R(&m, RCX) = ~0ULL;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x7e\xc9"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RCX), xq(1, 0) & 0xffffffff);
    /* movd [rbx], xmm2: four bytes. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x7e\x13"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8),
                      0x4746454400000000ULL | (xq(2, 0) & 0xffffffff));
    /* movq xmm3, [rbx] (F3 0F 7E): eight bytes, upper quadword zero. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\x7e\x1b"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(3, 0), 0x4746454443424140ULL);
    ORR_ASSERT_EQ_U64(xq(3, 1), 0);
    /* movq [rbx], xmm4 (66 0F D6): eight bytes; movq xmm5, xmm4 with
     * D6's register form clears XMM5's upper quadword. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\xd6\x23"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2000, 8), xq(4, 0));
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2008, 1), 0x48);
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\xd6\xe5"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(5, 0), xq(4, 0));
    ORR_ASSERT_EQ_U64(xq(5, 1), 0);
}

static void test_movdq_movap(void)
{
    /* movdqu xmm1, [rbx+1]: any alignment. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\x6f\x4b\x01"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(1, 0), 0x4847464544434241ULL);
    ORR_ASSERT_EQ_U64(xq(1, 1), 0x504f4e4d4c4b4a49ULL);
    ORR_ASSERT_EQ_U64(m.xmm[1][16], 0x88);          /* YMM1 kept */
    /* movdqa needs 16-byte alignment: #GP(0), nothing written. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6f\x4b\x08"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    CU_ASSERT(m.ctxt.event.has_error_code && !m.ctxt.event.error_code);
    ORR_ASSERT_EQ_U64(m.xmm[1][0], 0x88);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
    /* Aligned, it loads; movdqa [rbx+0x10], xmm1 stores it back. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6f\x0b"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(1, 1), 0x4f4e4d4c4b4a4948ULL);
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x7f\x4b\x10"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(tm_read(&m, 0x2018, 8), 0x4f4e4d4c4b4a4948ULL);
    /* movaps (0F 28) faults when misaligned, movups (0F 10) does not;
     * movapd xmm2, xmm3 (66 0F 28, registers) copies 16 bytes. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x28\x43\x04"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x10\x43\x04"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(0, 0), 0x4b4a494847464544ULL);
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x28\xd3"), X86EMUL_OKAY);
    CU_ASSERT(!memcmp(m.xmm[2], m.xmm[3], 16));
    CU_ASSERT_EQUAL(m.xmm[2][16], 0x90);            /* YMM2 upper kept */
    /* movups [rbx], xmm7 (0F 11). */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\x11\x3b"), X86EMUL_OKAY);
    CU_ASSERT(!memcmp(&m.mem[0x2000], m.xmm[7], 16));
}

static void test_sse_faults(void)
{
    /* CR0.EM: #UD; CR4.OSFXSR clear: #UD; CR0.TS: #NM (SDM Vol. 2A
     * Table 2-18, class 4). #UD comes before #NM. */
    sse_reset();
    m.cr[0] = X86_CR0_EM | X86_CR0_TS;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    sse_reset();
    m.cr[4] = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    sse_reset();
    m.cr[0] = X86_CR0_TS;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6e\xc0"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_NM);
    CU_ASSERT(!m.ctxt.event.has_error_code);
    /* #NM comes before the alignment #GP. */
    sse_reset();
    m.cr[0] = X86_CR0_TS;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6f\x43\x01"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_NM);
    /* LOCK: #UD from the decoder. */
    sse_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf0\xf3\x0f\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
}

static void test_sse_unhandleable(void)
{
    static const char *const forms[] = {
        "\x0f\x6f\x03",             /* movq mm0, [rbx] (MMX) */
        "\x0f\x7e\xc0",             /* movd eax, mm0 */
        "\xf3\x0f\x10\x03",         /* movss */
        "\xf2\x0f\x11\x03",         /* movsd */
        "\x66\xf3\x0f\x6f\x03",     /* 66 and F3: which counts varies */
        "\xc5\xf9\x6e\xc0",         /* vmovd xmm0, eax */
    };
    unsigned int i;

    for ( i = 0; i < sizeof(forms) / sizeof(forms[0]); i++ )
    {
        sse_reset();
        m.ctxt.features = X86_FEAT_AVX;
        m.ctxt.xcr0 = X86_XCR0_SSE | X86_XCR0_YMM;
        m.cr[4] |= X86_CR4_OSXSAVE;
        CU_ASSERT_EQUAL(tm_run(&m, forms[i], strlen(forms[i])),
                        X86EMUL_UNHANDLEABLE);
        ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
        ORR_ASSERT_EQ_U64(m.xmm[0][0], 0x80);
    }
}

/* AVX on: CPUID.AVX, CR4.OSXSAVE, XCR0.SSE|YMM. */
static void avx_reset(void)
{
    sse_reset();
    m.ctxt.features = X86_FEAT_AVX;
    m.ctxt.xcr0 = 1 | X86_XCR0_SSE | X86_XCR0_YMM;
    m.cr[4] |= X86_CR4_OSXSAVE;
}

static void test_vex_moves(void)
{
    unsigned int i;

    /* vmovdqu ymm0, [rbx] (VEX.256 F3 0F 6F): 32 bytes. */
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_OKAY);
    for ( i = 0; i < 32; i++ )
        CU_ASSERT_EQUAL(m.xmm[0][i], 0x40 + i);
    /* vmovdqu xmm0, [rbx] (VEX.128): the upper half of YMM0 cleared
     * (SDM Vol. 1 §14.1.2). */
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfa\x6f\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(0, 1), 0x4f4e4d4c4b4a4948ULL);
    ORR_ASSERT_EQ_U64(xq(0, 2) | xq(0, 3), 0);
    /* vmovdqu [rbx+3], ymm9 (C4, VEX.R): 32 bytes at any alignment. */
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc4\x61\x7e\x7f\x4b\x03"), X86EMUL_OKAY);
    CU_ASSERT(!memcmp(&m.mem[0x2003], m.xmm[9], 32));
    /* vmovdqa ymm1, [rbx+0x10]: 32-byte alignment, so #GP(0). */
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfd\x6f\x4b\x10"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
    /* vmovaps xmm2, xmm3 (VEX.128 0F 28): copy and clear YMM2's top. */
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xf8\x28\xd3"), X86EMUL_OKAY);
    CU_ASSERT(!memcmp(m.xmm[2], m.xmm[3], 16));
    ORR_ASSERT_EQ_U64(xq(2, 2) | xq(2, 3), 0);
}

static void test_vex_faults(void)
{
    /* No AVX in CPUID, CR4.OSXSAVE clear, XCR0 without YMM, or
     * VEX.vvvv other than 1111b: #UD (SDM Vol. 2A §2.4, class 4). */
    avx_reset();
    m.ctxt.features = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    avx_reset();
    m.cr[4] &= ~(uint64_t)X86_CR4_OSXSAVE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    avx_reset();
    m.ctxt.xcr0 = 1 | X86_XCR0_SSE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    avx_reset();
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xf6\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_UD);
    /* VEX ignores CR0.EM, but not CR0.TS: #NM. */
    avx_reset();
    m.cr[0] = X86_CR0_EM;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_OKAY);
    avx_reset();
    m.cr[0] = X86_CR0_TS;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\xfe\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_NM);
}

static void test_sse_real_mode(void)
{
    /* SSE runs in real mode once CR4.OSFXSR is set (SDM Vol. 3A §13.1);
     * Unicorn 2.0.1 says #UD, so emul-diff skips 16-bit SSE. */
    sse_reset();
    m.ctxt.mode = X86_MODE_16;
    R(&m, RBX) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xf3\x0f\x6f\x07"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(xq(0, 0), 0x4746454443424140ULL);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE + 4);
}

static void test_sse_segment_alignment(void)
{
    /* 32-bit code: alignment is of the linear address, DS.base + EA. */
    sse_reset();
    m.ctxt.mode = X86_MODE_32;
    m.sregs[x86_seg_ds].base = 8;
    R(&m, RBX) = 0x2008;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6f\x03"), X86EMUL_OKAY);
    R(&m, RBX) = 0x2000;
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\x6f\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_GP);
}

CU_TestInfo sse_tests[] = {
    ORR_CASE(test_movd_movq),
    ORR_CASE(test_movdq_movap),
    ORR_CASE(test_sse_faults),
    ORR_CASE(test_sse_unhandleable),
    ORR_CASE(test_vex_moves),
    ORR_CASE(test_vex_faults),
    ORR_CASE(test_sse_real_mode),
    ORR_CASE(test_sse_segment_alignment),
    CU_TEST_INFO_NULL,
};
