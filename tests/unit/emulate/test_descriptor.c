/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode segment loads (core/emulate/descriptor.c): MOV Sreg,
 * POP Sreg, LDS/LES/LSS/LFS/LGS read the descriptor from the GDT or LDT
 * and check it (SDM Vol. 2B "MOV", Vol. 3A §5.4-5.6): the fault and its
 * error code for each bad case, the cached values and the accessed bit
 * for good ones. Unicorn cannot be compared here (emul-diff's machine
 * has no descriptor tables).
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

#define GDT 0x6000
#define LDT 0x7000

/* A code/data or system descriptor: @attr is bits 40-47, @flags 52-55. */
static void put_desc(uint64_t table, unsigned int index, uint32_t base,
                     uint32_t limit, unsigned int attr, unsigned int flags)
{
    uint64_t d = (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
                 ((uint64_t)attr << 40) | ((uint64_t)(limit >> 16) << 48) |
                 ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);

    tm_write(&m, table + index * 8, d, 8);
}

static void pm_reset(enum x86_mode mode)
{
    unsigned int i;

    tm_reset(&m, mode);
    m.cr[0] = X86_CR0_PE;
    for ( i = 0; i < 6; i++ )
    {
        m.sregs[i].sel = 0x10;
        m.sregs[i].limit = 0xffffffff;
        m.sregs[i].attr = 0xc93;
    }
    m.gdtr.base = GDT;
    m.gdtr.limit = 9 * 8 - 1;
    put_desc(GDT, 1, 0, 0xfffff, 0x9a, 0xc);        /* 08: code, readable */
    put_desc(GDT, 2, 0x12340000, 0xfffff, 0x92, 0xc);   /* 10: data */
    put_desc(GDT, 3, 0, 0xfffff, 0xf3, 0xc);        /* 18: data, DPL 3 */
    put_desc(GDT, 4, 0, 0xffff, 0x12, 0);           /* 20: not present */
    put_desc(GDT, 5, 0, 0xfffff, 0x98, 0xc);        /* 28: execute-only */
    put_desc(GDT, 6, 0x5000, 0x67, 0x89, 0);        /* 30: TSS */
    put_desc(GDT, 7, 0, 0xfff, 0x90, 0);            /* 38: read-only */
    put_desc(GDT, 8, 0, 0xfffff, 0x9e, 0xc);        /* 40: conforming */
    m.ldtr.sel = 0x48;
    m.ldtr.base = LDT;
    m.ldtr.limit = 7;
    m.ldtr.attr = 0x82;
    put_desc(LDT, 0, 0x5000, 0xffff, 0x93, 0);      /* 04: data */
}

static void assert_fault(int rc, unsigned int vector, unsigned int ec)
{
    CU_ASSERT_EQUAL(rc, X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, vector);
    CU_ASSERT(m.ctxt.event.has_error_code);
    CU_ASSERT_EQUAL(m.ctxt.event.error_code, ec);
    ORR_ASSERT_EQ_U64(m.ctxt.regs.rip, TM_CODE);
}

/* mov ds, ax (8E D8) with AX = @sel. */
static int mov_ds(uint16_t sel)
{
    R(&m, RAX) = sel;
    m.ctxt.regs.rip = TM_CODE;
    return TM_RUN(&m, "\x8e\xd8");
}

static void test_pm_data_loads(void)
{
    /* A good load: base, limit (G: pages), attributes with the
     * accessed bit, which is set in the GDT too. */
    pm_reset(X86_MODE_32);
    CU_ASSERT_EQUAL(mov_ds(0x10), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].base, 0x12340000);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].limit, 0xffffffff);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].attr, 0xc93);
    CU_ASSERT_EQUAL(m.mem[GDT + 0x10 + 5], 0x93);
    CU_ASSERT_EQUAL(m.ctxt.retire, 0);
    /* Readable code may go in a data register; the LDT (TI = 1). */
    CU_ASSERT_EQUAL(mov_ds(0x08), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(mov_ds(0x04), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].base, 0x5000);
    /* A null selector (any RPL) unloads DS: no fault. */
    CU_ASSERT_EQUAL(mov_ds(0x0003), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].sel, 3);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].attr, 0);
}

static void test_pm_data_faults(void)
{
    pm_reset(X86_MODE_32);
    assert_fault(mov_ds(0x48), X86_EXC_GP, 0x48);   /* past the limit */
    assert_fault(mov_ds(0x20), X86_EXC_NP, 0x20);   /* not present */
    assert_fault(mov_ds(0x28), X86_EXC_GP, 0x28);   /* execute-only */
    assert_fault(mov_ds(0x30), X86_EXC_GP, 0x30);   /* system (TSS) */
    assert_fault(mov_ds(0x0c), X86_EXC_GP, 0x0c);   /* past the LDT */
    /* RPL or CPL above DPL: the error code has RPL cleared. */
    assert_fault(mov_ds(0x13), X86_EXC_GP, 0x10);
    m.ctxt.cpl = 3;
    assert_fault(mov_ds(0x10), X86_EXC_GP, 0x10);
    /* ... but not for conforming code, nor a DPL 3 segment. */
    CU_ASSERT_EQUAL(mov_ds(0x43), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(mov_ds(0x1b), X86EMUL_OKAY);
    /* No LDT loaded: an LDT selector is #GP(selector). */
    m.ldtr.sel = 0;
    m.ldtr.attr = 0;
    assert_fault(mov_ds(0x07), X86_EXC_GP, 0x04);
    /* Nothing was loaded by the faults. */
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ds].sel, 0x1b);
}

static void test_pm_stack_loads(void)
{
    /* mov ss, ax (8E D0): a writable data segment with DPL = RPL = CPL;
     * the one-instruction interrupt shadow. */
    pm_reset(X86_MODE_32);
    R(&m, RAX) = 0x10;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8e\xd0"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.ctxt.retire, X86_RETIRE_MOV_SS);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ss].base, 0x12340000);
    /* Null: #GP(0). Read-only, DPL 3 at CPL 0, RPL 3: #GP(sel). Not
     * present: #SS(sel). */
    R(&m, RAX) = 0;
    m.ctxt.regs.rip = TM_CODE;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_GP, 0);
    R(&m, RAX) = 0x38;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_GP, 0x38);
    R(&m, RAX) = 0x18;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_GP, 0x18);
    R(&m, RAX) = 0x13;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_GP, 0x10);
    R(&m, RAX) = 0x20;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_SS, 0x20);
    /* 64-bit mode: a null SS is allowed at CPL 0-2 with RPL = CPL, not
     * at CPL 3. A null FS is UNHANDLEABLE (vendors differ on its base). */
    pm_reset(X86_MODE_64);
    R(&m, RAX) = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8e\xd0"), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_ss].attr, 0);
    m.ctxt.cpl = 3;
    R(&m, RAX) = 3;
    m.ctxt.regs.rip = TM_CODE;
    assert_fault(TM_RUN(&m, "\x8e\xd0"), X86_EXC_GP, 0);
    m.ctxt.cpl = 0;
    R(&m, RAX) = 0;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8e\xe0"), X86EMUL_UNHANDLEABLE);
}

static void test_pm_pop_and_far_loads(void)
{
    /* pop ds: loaded, ESP moves; a bad selector leaves ESP alone. */
    pm_reset(X86_MODE_32);
    R(&m, RSP) = 0x3000;
    tm_write(&m, 0x3000, 0x10, 4);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x1f"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3004);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].base, 0x12340000);
    tm_write(&m, 0x3004, 0x28, 4);
    m.ctxt.regs.rip = TM_CODE;
    assert_fault(TM_RUN(&m, "\x1f"), X86_EXC_GP, 0x28);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0x3004);
    /* lds eax, [0x2000]: offset then selector. */
    pm_reset(X86_MODE_32);
    tm_write(&m, 0x2000, 0x11223344, 4);
    tm_write(&m, 0x2004, 0x04, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc5\x05\x00\x20\x00\x00"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x11223344);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_ds].base, 0x5000);
    /* les eax with a not-present selector: #NP, EAX unchanged. */
    tm_write(&m, 0x2004, 0x20, 2);
    R(&m, RAX) = 0;
    m.ctxt.regs.rip = TM_CODE;
    assert_fault(TM_RUN(&m, "\xc4\x05\x00\x20\x00\x00"), X86_EXC_NP, 0x20);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0);
    /* 64-bit: lss esp, [rbx] and lgs with a 16-bit offset; with REX.W
     * (a 64-bit offset, Intel only) UNHANDLEABLE. */
    pm_reset(X86_MODE_64);
    R(&m, RBX) = 0x2000;
    tm_write(&m, 0x2000, 0xcafe8000, 4);
    tm_write(&m, 0x2004, 0x10, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x0f\xb2\x23"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RSP), 0xcafe8000);
    CU_ASSERT_EQUAL(m.ctxt.retire, 0);          /* no shadow for LSS */
    tm_write(&m, 0x2002, 0x10, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x66\x0f\xb5\x03"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x8000);
    CU_ASSERT_EQUAL(m.sregs[x86_seg_gs].sel, 0x10);
    m.ctxt.regs.rip = TM_CODE;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x48\x0f\xb4\x03"), X86EMUL_UNHANDLEABLE);
    /* Real mode: LES takes the selector times 16 as the base. */
    tm_reset(&m, X86_MODE_16);
    tm_write(&m, 0x2000, 0x1234, 2);
    tm_write(&m, 0x2002, 0xb800, 2);
    CU_ASSERT_EQUAL(TM_RUN(&m, "\xc4\x06\x00\x20"), X86EMUL_OKAY);
    ORR_ASSERT_EQ_U64(R(&m, RAX), 0x1234);
    ORR_ASSERT_EQ_U64(m.sregs[x86_seg_es].base, 0xb8000);
}

CU_TestInfo descriptor_tests[] = {
    ORR_CASE(test_pm_data_loads),
    ORR_CASE(test_pm_data_faults),
    ORR_CASE(test_pm_stack_loads),
    ORR_CASE(test_pm_pop_and_far_loads),
    CU_TEST_INFO_NULL,
};
