/* SPDX-License-Identifier: MIT */
/*
 * Instruction lengths, differentially: x86_insn_length() against the
 * size Unicorn's translator reports to a code hook for the first
 * instruction of a random byte string. Random strings hit every opcode
 * of the one-byte and 0F maps, with prefixes and REX in front.
 *
 * Unicorn (QEMU 5) lacks many extensions (AVX, 3DNow!, SSE4a, VMX...);
 * an instruction it rejects that the SDM defines is counted, not failed.
 * The one vendor difference: in 64-bit mode AMD (and QEMU) honour 66 on
 * near branches (rel16), Intel ignores it; the decoder follows Intel.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "gen.h"
#include "lengths.h"

#define NO_SIZE 0xf1f1f1f1u     /* Unicorn's placeholder: not translated */

/* What the Unicorn child reports for one byte string. */
struct probe {
    uint32_t size;              /* the code hook's size, or NO_SIZE */
    int32_t err;                /* uc_emu_start's result */
    int32_t vector;             /* exception from the interrupt hook, or -1 */
};

static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *p)
{
    struct probe *pr = p;

    (void)uc;
    (void)addr;
    if ( pr->size == NO_SIZE )
        pr->size = size;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *p)
{
    struct probe *pr = p;

    pr->vector = intno;
    uc_emu_stop(uc);
}

/*
 * The child: Unicorn aborts the process on some random byte strings
 * ("tcg fatal error"), so it runs apart, one string per request, from a
 * clean CPU state each time, with SSE enabled so those instructions
 * decode rather than fault.
 */
static void child(uc_mode um, int in, int out)
{
    uint64_t sp = DATA_BASE + 0x2000, zero = 0, cr0, cr4;
    static const int regs[] = { UC_X86_REG_RAX, UC_X86_REG_RCX,
                                UC_X86_REG_RDX, UC_X86_REG_RBX,
                                UC_X86_REG_RBP, UC_X86_REG_RSI,
                                UC_X86_REG_RDI };
    uint8_t page[CODE_SIZE], b[15];
    struct probe pr;
    uc_context *clean;
    uc_engine *uc;
    unsigned int i;
    uc_hook h;

    /* Its aborts are expected and counted; keep their message out. */
    if ( freopen("/dev/null", "w", stderr) == NULL ||
         uc_open(UC_ARCH_X86, um, &uc) != UC_ERR_OK )
        _exit(3);
    uc_mem_map(uc, CODE_BASE, CODE_SIZE, UC_PROT_ALL);
    uc_mem_map(uc, DATA_BASE, DATA_SIZE, UC_PROT_ALL);
    uc_hook_add(uc, &h, UC_HOOK_CODE, hook_code, &pr, 1, 0);
    uc_hook_add(uc, &h, UC_HOOK_INTR, hook_intr, &pr, 1, 0);
    uc_reg_read(uc, UC_X86_REG_CR0, &cr0);
    uc_reg_read(uc, UC_X86_REG_CR4, &cr4);
    cr0 = (cr0 | 2) & ~0xcull;              /* MP; no EM, TS */
    cr4 |= 0x600;                           /* OSFXSR, OSXMMEXCPT */
    uc_reg_write(uc, UC_X86_REG_CR0, &cr0);
    uc_reg_write(uc, UC_X86_REG_CR4, &cr4);
    uc_context_alloc(uc, &clean);
    uc_context_save(uc, clean);
    memset(page, 0xf4, sizeof(page));

    while ( read(in, b, sizeof(b)) == sizeof(b) )
    {
        uc_context_restore(uc, clean);
        memcpy(&page[INSN_AT - CODE_BASE], b, sizeof(b));
        uc_mem_write(uc, CODE_BASE, page, sizeof(page));
        uc_ctl_remove_cache(uc, CODE_BASE, CODE_BASE + CODE_SIZE);
        for ( i = 0; i < sizeof(regs) / sizeof(regs[0]); i++ )
            uc_reg_write(uc, regs[i], &zero);
        uc_reg_write(uc, UC_X86_REG_RSP, &sp);
        pr.size = NO_SIZE;
        pr.vector = -1;
        pr.err = uc_emu_start(uc, INSN_AT, 0xfffff000, 0, 1);
        if ( write(out, &pr, sizeof(pr)) != sizeof(pr) )
            break;
    }
    _exit(0);
}

struct prober {
    uc_mode um;
    pid_t pid;
    int to, from;
};

static void prober_start(struct prober *p)
{
    int a[2], b[2];

    if ( pipe(a) || pipe(b) )
    {
        perror("emul-diff: pipe");
        exit(2);
    }
    p->pid = fork();
    if ( p->pid < 0 )
    {
        perror("emul-diff: fork");
        exit(2);
    }
    if ( p->pid == 0 )
    {
        close(a[1]);
        close(b[0]);
        child(p->um, a[0], b[1]);
    }
    close(a[0]);
    close(b[1]);
    p->to = a[1];
    p->from = b[0];
}

static void prober_stop(struct prober *p)
{
    close(p->to);
    close(p->from);
    waitpid(p->pid, NULL, 0);
}

/* Probe @b; false if the child died on it (it is restarted). */
static bool probe(struct prober *p, const uint8_t *b, struct probe *pr)
{
    if ( write(p->to, b, 15) == 15 &&
         read(p->from, pr, sizeof(*pr)) == sizeof(*pr) )
        return true;
    prober_stop(p);
    prober_start(p);
    return false;
}

/* Index of the opcode after prefixes (and REX in 64-bit mode). */
static unsigned int opcode_at(const uint8_t *b, enum x86_mode mode,
                              bool *opsize)
{
    unsigned int i = 0;

    *opsize = false;
    for ( ; i < 14; i++ )
    {
        if ( b[i] == 0x66 )
            *opsize = true;
        else if ( !memchr("\x26\x2e\x36\x3e\x64\x65\x67\xf0\xf2\xf3",
                          b[i], 10) &&
                  (mode != X86_MODE_64 || (b[i] & 0xf0) != 0x40) )
            break;
    }
    return i;
}

static bool near_branch(const uint8_t *b, enum x86_mode mode)
{
    bool opsize;
    unsigned int i = opcode_at(b, mode, &opsize);

    return mode == X86_MODE_64 && opsize &&
           (b[i] == 0xe8 || b[i] == 0xe9 ||
            (b[i] == 0x0f && (b[i + 1] & 0xf0) == 0x80));
}

/*
 * Unicorn 2.0.1 aborts the whole process ("tcg fatal error") on far
 * CALL/JMP (FF /3, /5) with a register operand, which is #UD (SDM
 * Vol. 2A "CALL", "JMP"); such strings are not given to it.
 */
static bool crashes_unicorn(const uint8_t *b, enum x86_mode mode)
{
    bool opsize;
    unsigned int i = opcode_at(b, mode, &opsize), reg = (b[i + 1] >> 3) & 7;

    /* Also LOCK CMPS: QEMU aborts on it too. */
    if ( memchr(b, 0xf0, i) && (b[i] & 0xfe) == 0xa6 )
        return true;
    return b[i] == 0xff && (b[i + 1] & 0xc0) == 0xc0 && (reg == 3 || reg == 5);
}

/*
 * Rewrite @b into what Unicorn 2.0.1 decodes it as, where it departs
 * from the SDM, and return that string's length by Orrery's decoder
 * (0 if nothing was rewritten or it does not decode):
 *  - it ignores LOCK where LOCK is #UD (SDM Vol. 2B "LOCK"): drop it
 *    (as 3E, a no-op for the length);
 *  - it keeps a REX that a later legacy prefix cancels (SDM Vol. 2A
 *    §2.2.1): move the last REX right before the opcode;
 *  - it decodes 8F /1-/7 as POP, which Intel leaves undefined (SDM
 *    Vol. 2D Table A-6) and AMD uses for XOP, and likewise C6/C7 with
 *    /1-/7 as MOV: make them /0.
 * These quirks are documented in tests/unit/emulate, where the
 * architectural result is asserted.
 */
/*
 * Register-only SSE forms with a memory operand (0F 50, 71-73, C5, D7)
 * are #UD (SDM Vol. 2D Table A-6); Unicorn stops decoding them part way
 * without reporting #UD, so its size for them means nothing.
 */
static bool reg_only_with_mem(const uint8_t *b, enum x86_mode mode)
{
    bool opsize;
    unsigned int at = opcode_at(b, mode, &opsize);

    if ( b[at] != 0x0f || at + 2 >= 15 || (b[at + 2] & 0xc0) == 0xc0 )
        return false;
    if ( b[at + 1] == 0xd6 || b[at + 1] == 0x78 )
        return memchr(b, 0xf2, at) || memchr(b, 0xf3, at) ||
               (b[at + 1] == 0x78 && opsize);
    return memchr("\x50\x71\x72\x73\xc5\xd7", b[at + 1], 6) != NULL;
}

/* VEX and EVEX: Unicorn 2.0.1 (QEMU 5) has no AVX. */
static bool vex(const uint8_t *b, enum x86_mode mode)
{
    struct x86_emulate_ctxt c = {
        .mode = mode, .insn_buf = b, .insn_buf_bytes = 15,
    };

    return x86_decode(&c, NULL) == X86EMUL_OKAY &&
           (c.insn.prefixes & (X86_PFX_VEX | X86_PFX_EVEX));
}

static int quirk_length(const uint8_t *b, enum x86_mode mode)
{
    uint8_t q[16];
    unsigned int i, n = 0, vec, rexes = 0;
    bool opsize, changed = false;
    unsigned int at = opcode_at(b, mode, &opsize);
    int rex = -1, len;

    for ( i = 0; i < at; i++ )
    {
        if ( mode == X86_MODE_64 && (b[i] & 0xf0) == 0x40 )
        {
            rex = b[i];
            rexes++;
            changed |= i + 1 < at;
            continue;
        }
        q[n++] = b[i] == 0xf0 ? 0x3e : b[i];
        changed |= b[i] == 0xf0;
    }
    if ( rex >= 0 )
        q[n++] = rex;
    for ( i = at; i < 15 && n < 15; i++ )
        q[n++] = b[i];
    if ( (b[at] == 0x8f || b[at] == 0xc6 || b[at] == 0xc7) &&
         (b[at + 1] & 0x38) )
    {
        q[at - (rexes ? rexes - 1 : 0) + 1] &= ~0x38;
        changed = true;
    }
    if ( !changed )
        return 0;
    len = x86_insn_length(q, n, mode, &vec);
    return len > 0 ? len + (rexes ? rexes - 1 : 0) : 0;
}

unsigned long lengths_diff(enum x86_mode mode, unsigned long n,
                           unsigned long seed)
{
    static const uint8_t pfx[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
                                   0x66, 0x67, 0xf0, 0xf2, 0xf3 };
    unsigned long agree = 0, rejects = 0, vendor = 0, crashed = 0, div = 0;
    unsigned long quirks = 0;
    struct prober p = {
        .um = mode == X86_MODE_64 ? UC_MODE_64 :
              mode == X86_MODE_32 ? UC_MODE_32 : UC_MODE_16,
    };
    unsigned long c;

    signal(SIGPIPE, SIG_IGN);
    prober_start(&p);
    rnd_seed(seed ^ 0x5eed);

    for ( c = 0; c < n; c++ )
    {
        uint8_t b[15];
        unsigned int i = 0, vec = 0;
        struct probe pr = { NO_SIZE, 0, -1 };
        const char *why = NULL;
        bool uc_invalid;
        int len, ql = 0;

        while ( i < 5 && rnd() % 3 == 0 )
            b[i++] = pfx[rnd() % sizeof(pfx)];
        if ( mode == X86_MODE_64 && rnd() % 2 )
            b[i++] = 0x40 | (rnd() & 15);
        if ( rnd() % 2 )
            b[i++] = 0x0f;
        while ( i < 15 )
            b[i++] = rnd();

        len = x86_insn_length(b, 15, mode, &vec);
        if ( crashes_unicorn(b, mode) || !probe(&p, b, &pr) )
        {
            crashed++;
            continue;
        }
        /* Unicorn's size means nothing for what it cannot decode. */
        uc_invalid = pr.size == NO_SIZE || pr.err == UC_ERR_INSN_INVALID ||
                     pr.vector == X86_EXC_UD || pr.vector == X86_EXC_NM;

        if ( vex(b, mode) )
            rejects++;
        else if ( !uc_invalid && (len <= 0 || pr.size != (uint32_t)len) &&
                  ((ql = quirk_length(b, mode)) == (int)pr.size ||
                   (ql && ql == (int)pr.size + 2 && near_branch(b, mode)) ||
                   (len == 0 && reg_only_with_mem(b, mode))) )
            quirks++;
        else if ( len > 0 )
        {
            if ( uc_invalid )
                rejects++;
            else if ( pr.size == (uint32_t)len )
                agree++;
            else if ( mode == X86_MODE_64 && pr.size + 2 == (uint32_t)len &&
                      near_branch(b, mode) )
                vendor++;
            else
                why = "length";
        }
        else if ( vec == X86_EXC_UD && uc_invalid )
            agree++;
        else if ( vec == X86_EXC_GP && pr.vector == X86_EXC_GP )
            agree++;
        else
            why = vec == X86_EXC_UD ? "orrery #UD" : "orrery #GP";

        if ( why && div++ < 10 )
        {
            printf("LENGTH DIVERGENCE (%s): orrery %d, unicorn %d (err %d "
                   "vector %d):", why, len,
                   pr.size == NO_SIZE ? -1 : (int)pr.size, pr.err, pr.vector);
            for ( i = 0; i < 15; i++ )
                printf(" %02x", b[i]);
            printf("\n");
        }
    }
    prober_stop(&p);
    printf("lengths: %lu random byte strings, %lu agree, %lu not decodable "
           "by Unicorn, %lu Unicorn quirks, %lu vendor (66 on near "
           "branch), %lu crash Unicorn, %lu divergences\n", n, agree,
           rejects, quirks, vendor, crashed, div);
    return div;
}
