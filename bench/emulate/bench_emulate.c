/* SPDX-License-Identifier: MIT */
/*
 * bench-emulate: what one emulated MMIO access costs. For each
 * instruction the hypervisor completes after an MMIO exit -- mov store,
 * mov load, movzx load, add to memory, lock cmpxchg, rep movsb of 64
 * bytes -- it times x86_emulate() (decode, execute, callbacks that fetch
 * from a code buffer and read/write a device buffer), then Unicorn
 * running the same single instruction with a memory hook: uc_emu_start
 * per instruction on a reused engine, the code ending in HLT so the
 * translation stays cached (reference/unicorn-notes.md). rep_movsb64
 * copies RAM to RAM, which a caller does through the bulk rep_movs
 * callback; rep_movsb64_mmio is the same instruction on memory the
 * caller must see byte by byte (no rep_movs: 64 reads and 64 writes
 * through the callbacks, as Unicorn's hook sees them). _orrery_cold is
 * the same without the context's decode memo (every run decoded from
 * its bytes). Prints
 * `name: value unit` lines, the ratio last; each figure is the best of
 * five runs. `bench-emulate [N [NAME [orrery]]]` runs N times longer,
 * only NAME (all if empty), only Orrery's side (for profilers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orrery/x86_emulate.h>
#include <unicorn/unicorn.h>

#define CODE    0x1000
#define DATA    0x10000         /* the "device" page */

struct bench {
    const char *name;
    const char *bytes;
    unsigned int len;
    bool ram;                   /* the caller has rep_movs for it */
};

static const struct bench benches[] = {
    /* mov [rbx], eax; mov eax, [rbx]; movzx eax, byte [rbx] */
    { "mov_store",  "\x89\x03", 2, false },
    { "mov_load",   "\x8b\x03", 2, false },
    { "movzx_load", "\x0f\xb6\x03", 3, false },
    /* add [rbx], eax; lock cmpxchg [rbx], ecx */
    { "add_mem",    "\x01\x03", 2, false },
    { "cmpxchg",    "\xf0\x0f\xb1\x0b", 4, false },
    /* rep movsb, rcx = 64 */
    { "rep_movsb64", "\xf3\xa4", 2, true },
    { "rep_movsb64_mmio", "\xf3\xa4", 2, false },
};

static uint8_t code[4096], dev[8192];
static volatile uint64_t sink;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- Orrery: thin callbacks, as a device model would have ------------- */

static int b_fetch(enum x86_segment seg, uint64_t off, void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    (void)seg;
    (void)c;
    memcpy(buf, &code[off - CODE], bytes);
    return X86EMUL_OKAY;
}

static int b_read(enum x86_segment seg, uint64_t off, void *buf,
                  unsigned int bytes, struct x86_emulate_ctxt *c)
{
    (void)seg;
    (void)c;
    memcpy(buf, &dev[off - DATA], bytes);
    return X86EMUL_OKAY;
}

static int b_write(enum x86_segment seg, uint64_t off, const void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    (void)seg;
    (void)c;
    memcpy(&dev[off - DATA], buf, bytes);
    return X86EMUL_OKAY;
}

static int b_cmpxchg(enum x86_segment seg, uint64_t off, void *old,
                     const void *new, unsigned int bytes, bool lock,
                     struct x86_emulate_ctxt *c)
{
    (void)seg;
    (void)lock;
    (void)c;
    if ( memcmp(&dev[off - DATA], old, bytes) )
    {
        memcpy(old, &dev[off - DATA], bytes);
        return X86EMUL_CMPXCHG_FAILED;
    }
    memcpy(&dev[off - DATA], new, bytes);
    return X86EMUL_OKAY;
}

/* RAM: all elements in one go, in element order (they may overlap). */
static int b_rep_movs(enum x86_segment seg, uint64_t src, uint64_t dst,
                      unsigned int bytes, unsigned long *reps,
                      struct x86_emulate_ctxt *c)
{
    uint64_t n = *reps * bytes, i;

    (void)seg;
    (void)c;
    if ( src - DATA + n > sizeof(dev) || dst - DATA + n > sizeof(dev) )
        return X86EMUL_UNHANDLEABLE;
    if ( dst > src && dst < src + n )
        for ( i = 0; i < n; i++ )
            dev[dst - DATA + i] = dev[src - DATA + i];
    else
        memcpy(&dev[dst - DATA], &dev[src - DATA], n);
    return X86EMUL_OKAY;
}

static const struct x86_emulate_ops ops = {
    .read = b_read, .insn_fetch = b_fetch, .write = b_write,
    .cmpxchg = b_cmpxchg,
};

static const struct x86_emulate_ops ram_ops = {
    .read = b_read, .insn_fetch = b_fetch, .write = b_write,
    .cmpxchg = b_cmpxchg, .rep_movs = b_rep_movs,
};

static void set_regs(struct x86_regs *r)
{
    memset(r, 0, sizeof(*r));
    r->rip = CODE;
    r->rflags = 2;
    r->gpr[X86_RBX] = DATA;
    r->gpr[X86_RSI] = DATA;
    r->gpr[X86_RDI] = DATA + 0x1000;
    r->gpr[X86_RCX] = 64;
}

/*
 * @cold: forget the context's decode memo before each run, so that every
 * instruction is decoded from its bytes (the memo is what a guest's
 * polling loop gets; Unicorn's figure has its translation cache warm).
 */
static double orrery_ns(const struct bench *b, unsigned long iters,
                        bool cold)
{
    struct x86_emulate_ctxt c = { .mode = X86_MODE_64 };
    struct x86_regs start;
    uint64_t t0;
    unsigned long i;

    memcpy(code, b->bytes, b->len);
    set_regs(&start);
    t0 = now_ns();
    for ( i = 0; i < iters; i++ )
    {
        c.regs = start;
        if ( cold )
            c.memo.len = 0;
        if ( x86_emulate(&c, b->ram ? &ram_ops : &ops) != X86EMUL_OKAY )
        {
            fprintf(stderr, "bench-emulate: %s failed\n", b->name);
            exit(1);
        }
        sink += c.regs.gpr[X86_RAX];
    }
    return (double)(now_ns() - t0) / iters;
}

/* ---- Unicorn: the same instruction, one uc_emu_start each ------------ */

static void mem_hook(uc_engine *uc, uc_mem_type type, uint64_t addr,
                     int size, int64_t value, void *user)
{
    (void)uc;
    (void)type;
    (void)value;
    (void)user;
    sink += addr + size;
}

static double unicorn_ns(uc_engine *uc, const struct bench *b,
                         unsigned long iters)
{
    uint8_t page[4096];
    uint64_t rbx = DATA, rsi = DATA, rdi = DATA + 0x1000, rcx = 64, rax;
    uint64_t t0;
    unsigned long i;

    memset(page, 0xf4, sizeof(page));           /* HLT after the insn */
    memcpy(page, b->bytes, b->len);
    uc_mem_write(uc, CODE, page, sizeof(page));
    uc_ctl_remove_cache(uc, CODE, CODE + sizeof(page));
    uc_reg_write(uc, UC_X86_REG_RBX, &rbx);
    t0 = now_ns();
    for ( i = 0; i < iters; i++ )
    {
        /* Reset what the instructions change. */
        rax = 0;
        uc_reg_write(uc, UC_X86_REG_RAX, &rax);
        uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
        uc_reg_write(uc, UC_X86_REG_RSI, &rsi);
        uc_reg_write(uc, UC_X86_REG_RDI, &rdi);
        if ( uc_emu_start(uc, CODE, CODE + 0x800, 0, 0) != UC_ERR_OK )
        {
            fprintf(stderr, "bench-emulate: unicorn %s failed\n", b->name);
            exit(1);
        }
    }
    return (double)(now_ns() - t0) / iters;
}

int main(int argc, char **argv)
{
    unsigned long scale = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
    bool orrery_only = argc > 3 && !strcmp(argv[3], "orrery");
    unsigned int i;
    uc_engine *uc;
    uc_hook h;

    if ( !scale )
    {
        fprintf(stderr, "usage: bench-emulate [scale]\n");
        return 2;
    }
    if ( uc_open(UC_ARCH_X86, UC_MODE_64, &uc) != UC_ERR_OK ||
         uc_mem_map(uc, CODE, 4096, UC_PROT_ALL) != UC_ERR_OK ||
         uc_mem_map(uc, DATA, sizeof(dev), UC_PROT_ALL) != UC_ERR_OK ||
         uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
                     mem_hook, NULL, DATA, DATA + sizeof(dev) - 1) !=
         UC_ERR_OK )
    {
        fprintf(stderr, "bench-emulate: cannot set up Unicorn\n");
        return 1;
    }

    for ( i = 0; i < sizeof(benches) / sizeof(benches[0]); i++ )
    {
        const struct bench *b = &benches[i];
        double o, oc, u;

        if ( argc > 2 && argv[2][0] && strcmp(argv[2], b->name) )
            continue;
        unsigned int rep;

        /* Best of five runs: the machine is shared, the minimum is the
         * cost of the code, the rest is interference. */
        o = u = oc = 1e30;
        orrery_ns(b, 10000 * scale, false);             /* warm up */
        if ( !orrery_only )
            unicorn_ns(uc, b, 1000 * scale);
        for ( rep = 0; rep < 5; rep++ )
        {
            double t = orrery_ns(b, 200000 * scale, false);

            o = t < o ? t : o;
            t = orrery_ns(b, 200000 * scale, true);
            oc = t < oc ? t : oc;
            if ( orrery_only )
                continue;
            t = unicorn_ns(uc, b, 20000 * scale);
            u = t < u ? t : u;
        }
        printf("%s_orrery: %.1f ns\n", b->name, o);
        printf("%s_orrery_cold: %.1f ns\n", b->name, oc);
        if ( orrery_only )
            continue;
        printf("%s_unicorn: %.1f ns\n", b->name, u);
        printf("%s_speedup: %.1f x\n", b->name, u / o);
    }
    uc_close(uc);
    return 0;
}
