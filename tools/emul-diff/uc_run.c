/* SPDX-License-Identifier: MIT */
/*
 * The Unicorn side. One engine per mode, reused (opening one costs about
 * 170 us); each case rewrites the code page, the data window and the
 * registers, drops the translated code and runs until the HLT that
 * follows the instruction (reference/unicorn-notes.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "machine.h"

struct uc_runner {
    uc_engine *uc;
    enum x86_mode mode;
    uc_context *clean;          /* the state after opening */
    struct machine *m;          /* the case being run, for the I/O hooks */
    int vector;
};

static const int regs64[16] = {
    UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
    UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
    UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10, UC_X86_REG_R11,
    UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};
static const int regs32[8] = {
    UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
    UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI,
};

static void check(uc_err err, const char *what)
{
    if ( err != UC_ERR_OK )
    {
        fprintf(stderr, "emul-diff: unicorn %s: %s\n", what, uc_strerror(err));
        exit(2);
    }
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct uc_runner *u = user;

    u->vector = intno;
    uc_emu_stop(uc);
}

static uint32_t hook_in(uc_engine *uc, uint32_t port, int size, void *user)
{
    struct uc_runner *u = user;

    (void)uc;
    return io_in_value(u->m->io_seed, port, size);
}

static void hook_out(uc_engine *uc, uint32_t port, int size, uint32_t val,
                     void *user)
{
    struct uc_runner *u = user;
    struct machine *m = u->m;

    (void)uc;
    if ( m->nr_outs < MAX_OUTS )
    {
        m->outs[m->nr_outs].port = port;
        m->outs[m->nr_outs].bytes = size;
        m->outs[m->nr_outs].val =
            val & (size == 4 ? ~0u : (1u << (size * 8)) - 1);
    }
    m->nr_outs++;
}

struct uc_runner *uc_runner_new(enum x86_mode mode)
{
    struct uc_runner *u = calloc(1, sizeof(*u));
    uc_mode um = mode == X86_MODE_64 ? UC_MODE_64 :
                 mode == X86_MODE_32 ? UC_MODE_32 : UC_MODE_16;
    uc_hook h;

    u->mode = mode;
    check(uc_open(UC_ARCH_X86, um, &u->uc), "open");
    /* Haswell has LZCNT, TZCNT (BMI1) and CMPXCHG16B, which the default
     * qemu64 model lacks. Unicorn 2.0.1 drops POPCNT and MOVBE from its
     * CPUID (and makes them #UD) whatever the model: uc_features(). */
    check(uc_ctl_set_cpu_model(u->uc, UC_CPU_X86_HASWELL), "cpu model");
    check(uc_mem_map(u->uc, CODE_BASE, CODE_SIZE, UC_PROT_ALL), "map code");
    check(uc_mem_map(u->uc, DATA_BASE, DATA_SIZE, UC_PROT_ALL), "map data");
    check(uc_hook_add(u->uc, &h, UC_HOOK_INTR, hook_intr, u, 1, 0), "hook");
    check(uc_hook_add(u->uc, &h, UC_HOOK_INSN, hook_in, u, 1, 0,
                      UC_X86_INS_IN), "hook in");
    check(uc_hook_add(u->uc, &h, UC_HOOK_INSN, hook_out, u, 1, 0,
                      UC_X86_INS_OUT), "hook out");
    /* SSE on (CR4.OSFXSR, OSXMMEXCPT; CR0.MP, no EM or TS), as an OS
     * would have it: the SSE moves are compared. */
    {
        uint64_t cr0, cr4;

        check(uc_reg_read(u->uc, UC_X86_REG_CR0, &cr0), "cr0");
        check(uc_reg_read(u->uc, UC_X86_REG_CR4, &cr4), "cr4");
        cr0 = (cr0 | 2) & ~0xcull;
        cr4 |= 0x600;
        check(uc_reg_write(u->uc, UC_X86_REG_CR0, &cr0), "cr0");
        check(uc_reg_write(u->uc, UC_X86_REG_CR4, &cr4), "cr4");
    }
    check(uc_context_alloc(u->uc, &u->clean), "context");
    check(uc_context_save(u->uc, u->clean), "context save");
    return u;
}

void uc_runner_free(struct uc_runner *u)
{
    uc_context_free(u->clean);
    uc_close(u->uc);
    free(u);
}

void uc_run(struct uc_runner *u, struct machine *m, struct result *r)
{
    uc_engine *uc = u->uc;
    bool m64 = m->mode == X86_MODE_64;
    uint64_t v, rip;
    uc_err err;
    unsigned int i;

    u->m = m;
    u->vector = -1;
    /*
     * Unicorn 2.0.1 keeps exception state across runs once an interrupt
     * hook has stopped one: the next #DE comes back as #DF, and later
     * ones not at all. Start every case from the clean CPU state.
     */
    check(uc_context_restore(uc, u->clean), "context restore");
    check(uc_mem_write(uc, CODE_BASE, m->code, CODE_SIZE), "write code");
    check(uc_mem_write(uc, DATA_BASE, m->data, DATA_SIZE), "write data");
    check(uc_ctl_remove_cache(uc, CODE_BASE, CODE_BASE + CODE_SIZE), "cache");
    if ( m->mode == X86_MODE_16 )
    {
        /* Real mode, every segment at 0. */
        static const int segs[] = { UC_X86_REG_CS, UC_X86_REG_DS,
                                    UC_X86_REG_ES, UC_X86_REG_SS,
                                    UC_X86_REG_FS, UC_X86_REG_GS };

        v = 0;
        for ( i = 0; i < 6; i++ )
            uc_reg_write(uc, segs[i], &v);
    }
    for ( i = 0; i < (m64 ? 16u : 8u); i++ )
    {
        v = m64 ? m->regs.gpr[i] : (uint32_t)m->regs.gpr[i];
        check(uc_reg_write(uc, m64 ? regs64[i] : regs32[i], &v), "reg");
    }
    v = m->regs.rflags;
    check(uc_reg_write(uc, m64 ? UC_X86_REG_RFLAGS : UC_X86_REG_EFLAGS, &v),
          "flags");
    for ( i = 0; i < (m64 ? 16u : 8u); i++ )
        check(uc_reg_write(uc, UC_X86_REG_XMM0 + i, m->xmm[i]), "xmm");

    /* At most the instruction, up to 16 REP iterations and the HLT. */
    err = uc_emu_start(uc, INSN_AT, 0xfffff000, 0, 64);

    for ( i = 0; i < (m64 ? 16u : 8u); i++ )
    {
        v = 0;
        uc_reg_read(uc, m64 ? regs64[i] : regs32[i], &v);
        m->regs.gpr[i] = m64 ? v : (uint32_t)v;
    }
    v = 0;
    uc_reg_read(uc, m64 ? UC_X86_REG_RFLAGS : UC_X86_REG_EFLAGS, &v);
    m->regs.rflags = v;
    for ( i = 0; i < (m64 ? 16u : 8u); i++ )
        uc_reg_read(uc, UC_X86_REG_XMM0 + i, m->xmm[i]);
    rip = 0;
    uc_reg_read(uc, m64 ? UC_X86_REG_RIP : UC_X86_REG_EIP, &rip);
    uc_mem_read(uc, DATA_BASE, m->data, DATA_SIZE);

    if ( u->vector >= 0 )
    {
        r->outcome = OUT_EXCEPTION;
        r->vector = u->vector;
        return;
    }
    switch ( err )
    {
    case UC_ERR_OK:
        /* Stopped by the HLT, which leaves RIP after itself. */
        if ( rip <= CODE_BASE || rip > CODE_BASE + CODE_SIZE ||
             m->code[rip - 1 - CODE_BASE] != 0xf4 )
        {
            r->outcome = OUT_OTHER;
            m->regs.rip = rip;
            return;
        }
        r->outcome = OUT_OK;
        m->regs.rip = rip - 1;
        return;
    case UC_ERR_INSN_INVALID:
        r->outcome = OUT_EXCEPTION;
        r->vector = X86_EXC_UD;
        return;
    case UC_ERR_READ_UNMAPPED: case UC_ERR_WRITE_UNMAPPED:
    case UC_ERR_FETCH_UNMAPPED:
        r->outcome = OUT_UNMAPPED;
        return;
    default:
        r->outcome = OUT_OTHER;
        r->vector = err;
        return;
    }
}

/* Run CPUID @leaf (subleaf 0) in Unicorn; the registers in @out. */
static void uc_cpuid(struct uc_runner *u, uint32_t leaf, uint32_t out[4])
{
    /* mov eax, leaf; xor ecx, ecx; cpuid; hlt (the same in every mode
     * but 16-bit, where 66 makes the immediate 32 bits). */
    uint8_t code[] = { 0x66, 0xb8, 0, 0, 0, 0, 0x66, 0x31, 0xc9, 0x0f,
                       0xa2, 0xf4 };
    unsigned int skip = u->mode == X86_MODE_16 ? 0 : 1;
    static const int regs[4] = { UC_X86_REG_EAX, UC_X86_REG_EBX,
                                 UC_X86_REG_ECX, UC_X86_REG_EDX };
    uint64_t v;
    unsigned int i;

    memcpy(&code[2], &leaf, 4);
    if ( skip )
        code[6] = 0x90;             /* no 66 on XOR outside 16-bit mode */
    check(uc_context_restore(u->uc, u->clean), "context restore");
    check(uc_mem_write(u->uc, CODE_BASE, code + skip, sizeof(code) - skip),
          "write code");
    check(uc_ctl_remove_cache(u->uc, CODE_BASE, CODE_BASE + CODE_SIZE),
          "cache");
    if ( u->mode == X86_MODE_16 )
    {
        v = 0;
        uc_reg_write(u->uc, UC_X86_REG_CS, &v);
    }
    check(uc_emu_start(u->uc, CODE_BASE, 0xfffff000, 0, 8), "cpuid");
    for ( i = 0; i < 4; i++ )
    {
        v = 0;
        uc_reg_read(u->uc, regs[i], &v);
        out[i] = v;
    }
}

uint32_t uc_features(struct uc_runner *u)
{
    uint32_t r1[4], r7[4], rx[4], f = 0;

    uc_cpuid(u, 1, r1);
    uc_cpuid(u, 7, r7);
    uc_cpuid(u, 0x80000001u, rx);
    if ( r1[2] & (1u << 23) )
        f |= X86_FEAT_POPCNT;
    if ( r1[2] & (1u << 22) )
        f |= X86_FEAT_MOVBE;
    if ( r1[2] & (1u << 13) )
        f |= X86_FEAT_CX16;
    if ( r7[1] & (1u << 3) )
        f |= X86_FEAT_BMI1;
    if ( rx[2] & (1u << 5) )
        f |= X86_FEAT_LZCNT;
    return f;
}

void uc_control_regs(struct uc_runner *u, uint64_t *cr0, uint64_t *cr4)
{
    *cr0 = *cr4 = 0;
    check(uc_context_restore(u->uc, u->clean), "context restore");
    check(uc_reg_read(u->uc, UC_X86_REG_CR0, cr0), "cr0");
    check(uc_reg_read(u->uc, UC_X86_REG_CR4, cr4), "cr4");
}
