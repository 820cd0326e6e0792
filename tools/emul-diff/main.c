/* SPDX-License-Identifier: MIT */
/*
 * emul-diff: Orrery's x86 emulator against Unicorn Engine.
 *
 *   emul-diff --mode 16|32|64 --cases N [--seed S] [--lengths N]
 *             [--show N] [--verbose] [--trace]
 *
 * Each case is a random instruction of a form the emulator executes,
 * with random registers, flags and memory; it runs in both engines, and
 * GPRs, RIP, the flags the instruction defines, the data window, port
 * writes and the exception are compared. --lengths adds a differential
 * of instruction lengths over random byte strings (lengths.c). Exit
 * status: 0 when nothing diverged, 1 otherwise, 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "lengths.h"

struct stats {
    unsigned long cases, ok, exc, unmapped, unh, div;
};

static unsigned int show = 5;
static bool verbose, trace;

static void dump_state(const char *who, const struct machine *m,
                       const struct result *r)
{
    static const char *names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    unsigned int i, n = m->mode == X86_MODE_64 ? 16 : 8;

    printf("  %s: outcome %d vector %u rip %#llx rflags %#llx\n   ", who,
           r->outcome, r->vector, (unsigned long long)m->regs.rip,
           (unsigned long long)m->regs.rflags);
    for ( i = 0; i < n; i++ )
        printf(" %s=%#llx", names[i], (unsigned long long)m->regs.gpr[i]);
    printf("\n");
}

/* Returns a description of the first difference, or NULL. */
static const char *compare(const struct machine *a, const struct result *ra,
                           const struct machine *b, const struct result *rb)
{
    static char why[128];
    uint64_t mask = a->mode == X86_MODE_64 ? ~0ull : 0xffffffffull;
    /* The flags CPL-0 code may change (TF, VM and RF are never set). */
    uint64_t fmask = (X86_EFLAGS_ARITH | X86_EFLAGS_DF | X86_EFLAGS_IF |
                      X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_AC |
                      X86_EFLAGS_ID) & ~ra->flags_undefined;
    unsigned int i;

    if ( ra->outcome != rb->outcome )
        return "outcome";
    if ( ra->outcome == OUT_EXCEPTION )
        return ra->vector == rb->vector ? NULL : "exception vector";
    if ( ra->outcome != OUT_OK )
        return NULL;
    for ( i = 0; i < (a->mode == X86_MODE_64 ? 16u : 8u); i++ )
        if ( (a->regs.gpr[i] ^ b->regs.gpr[i]) & mask )
        {
            snprintf(why, sizeof(why), "gpr %u", i);
            return why;
        }
    if ( (a->regs.rip ^ b->regs.rip) & mask )
        return "rip";
    if ( (a->regs.rflags ^ b->regs.rflags) & fmask )
    {
        snprintf(why, sizeof(why), "rflags (differ %#llx)",
                 (unsigned long long)((a->regs.rflags ^ b->regs.rflags) &
                                      fmask));
        return why;
    }
    for ( i = 0; i < DATA_SIZE; i++ )
        if ( a->data[i] != b->data[i] )
        {
            snprintf(why, sizeof(why), "memory at %#x", DATA_BASE + i);
            return why;
        }
    if ( memcmp(a->xmm, b->xmm,
                sizeof(a->xmm[0]) * (a->mode == X86_MODE_64 ? 16 : 8)) )
        return "xmm registers";
    if ( a->nr_outs != b->nr_outs ||
         memcmp(a->outs, b->outs, sizeof(a->outs[0]) *
                (a->nr_outs < MAX_OUTS ? a->nr_outs : MAX_OUTS)) )
        return "port output";
    return NULL;
}

static bool form_valid(const struct form *f, enum x86_mode mode)
{
    if ( (f->flags & F_NO64) && mode == X86_MODE_64 )
        return false;
    if ( (f->flags & F_ONLY64) && mode != X86_MODE_64 )
        return false;
    if ( (f->flags & F_NO16) && mode == X86_MODE_16 )
        return false;
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: emul-diff --mode 16|32|64 --cases N [--seed S] "
            "[--lengths N] [--show N] [--verbose]\n");
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long cases = 1000, lengths = 0, seed = 1, total_div = 0;
    enum x86_mode mode = 0;
    struct stats *st;
    struct uc_runner *u;
    unsigned long c, shown = 0, nr_unh = 0;
    uint32_t features;
    uint64_t cr0, cr4;
    int i;

    for ( i = 1; i < argc; i++ )
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;

        if ( !strcmp(a, "--verbose") || !strcmp(a, "--trace") )
        {
            *(a[2] == 'v' ? &verbose : &trace) = true;
            continue;
        }
        if ( !v )
            return usage();
        i++;
        if ( !strcmp(a, "--mode") )
            mode = !strcmp(v, "16") ? X86_MODE_16 : !strcmp(v, "32") ?
                   X86_MODE_32 : !strcmp(v, "64") ? X86_MODE_64 : 0;
        else
        {
            unsigned long n = strtoul(v, &end, 0);

            if ( *end || !*v )
                return usage();
            if ( !strcmp(a, "--cases") )
                cases = n;
            else if ( !strcmp(a, "--seed") )
                seed = n;
            else if ( !strcmp(a, "--lengths") )
                lengths = n;
            else if ( !strcmp(a, "--show") )
                show = n;
            else
                return usage();
        }
    }
    if ( !mode )
        return usage();

    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("emul-diff: mode %u-bit, seed %lu\n", mode * 8, seed);
    rnd_seed(seed);
    st = calloc(nr_forms, sizeof(*st));
    u = uc_runner_new(mode);
    features = uc_features(u);
    uc_control_regs(u, &cr0, &cr4);
    printf("features: popcnt %d lzcnt %d tzcnt %d movbe %d cx16 %d\n",
           !!(features & X86_FEAT_POPCNT), !!(features & X86_FEAT_LZCNT),
           !!(features & X86_FEAT_BMI1), !!(features & X86_FEAT_MOVBE),
           !!(features & X86_FEAT_CX16));

    for ( c = 0; c < cases; c++ )
    {
        static struct machine m, a, b;
        struct result ra = { 0 }, rb = { 0 };
        const struct form *f;
        unsigned int fi, len;
        const char *why;

        do
            fi = rnd() % nr_forms;
        while ( !form_valid(&forms[fi], mode) );
        f = &forms[fi];
        m.mode = mode;
        m.features = features;
        m.cr0 = cr0;
        m.cr4 = cr4;
        len = gen_case(f, &m);
        if ( !len )
        {
            c--;
            continue;
        }
        a = m;
        b = m;
        orrery_run(&a, &ra);
        st[fi].cases++;
        if ( ra.outcome == OUT_UNHANDLEABLE )
        {
            st[fi].unh++;
            nr_unh++;
            continue;
        }
        if ( trace )
        {
            printf("case %lu:", c);
            for ( i = 0; i < (int)len; i++ )
                printf(" %02x", m.code[INSN_AT - CODE_BASE + i]);
            printf("\n");
            fflush(stdout);
        }
        uc_run(u, &b, &rb);
        why = compare(&a, &ra, &b, &rb);
        if ( !why )
        {
            if ( ra.outcome == OUT_OK )
                st[fi].ok++;
            else if ( ra.outcome == OUT_EXCEPTION )
                st[fi].exc++;
            else
                st[fi].unmapped++;
            continue;
        }
        st[fi].div++;
        total_div++;
        if ( shown++ < show )
        {
            printf("DIVERGENCE #%lu (%s): %s\n  bytes:", c, f->name, why);
            for ( i = 0; i < (int)len; i++ )
                printf(" %02x", m.code[INSN_AT - CODE_BASE + i]);
            printf("\n");
            dump_state("before ", &m, &ra);
            dump_state("orrery ", &a, &ra);
            dump_state("unicorn", &b, &rb);
        }
    }

    printf("\n%-20s %7s %7s %6s %6s %5s %5s\n", "form", "cases", "agree",
           "exc", "unmap", "unh", "div");
    for ( c = 0; c < nr_forms; c++ )
    {
        const struct stats *s = &st[c];

        if ( !s->cases || (!verbose && !s->div && !s->unh) )
            continue;
        printf("%s%02x %-15s %7lu %7lu %6lu %6lu %5lu %5lu\n",
               forms[c].map ? "0f" : "  ", forms[c].op, forms[c].name,
               s->cases, s->ok + s->exc + s->unmapped, s->exc, s->unmapped,
               s->unh, s->div);
    }
    {
        unsigned long nf = 0, nv = 0;

        for ( c = 0; c < nr_forms; c++ )
        {
            nf += st[c].cases > 0;
            nv += st[c].cases > 0 && !st[c].div && !st[c].unh && st[c].ok;
        }
        printf("forms: %lu exercised, %lu verified (all agree, some "
               "completed)\n", nf, nv);
    }
    printf("cases: %lu\nunhandleable: %lu\ndivergences: %lu\n", cases, nr_unh,
           total_div);
    uc_runner_free(u);
    free(st);

    if ( lengths )
        total_div += lengths_diff(mode, lengths, seed);
    return total_div || nr_unh ? 1 : 0;
}
