/* SPDX-License-Identifier: MIT */
/*
 * hvm: the emulated PC devices of a type=hvm domain from inside a guest
 * -- the 8259A PIC pair, the 8254 PIT, the IOAPIC and the MC146818 RTC
 * (pic_pit.c, ioapic.c, rtc.c) -- and event upcalls through a GSI
 * (callback.c). Booted with `role=pvh` as a type=pvh
 * domain it checks the opposite: a PVH domain has only the vLAPIC, so
 * every one of those ports reads all ones and the IOAPIC page is
 * unclaimed MMIO (all ones too).
 */
#include "hvm.h"

const char test_title[] = "hvm: PIC, PIT, IOAPIC and RTC (or their absence)";

volatile unsigned int hits[256];
void (*volatile irq_hook)(unsigned int vector);

/* ---- IDT ------------------------------------------------------------------ */

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

void hvm_interrupt(unsigned int vector);

/* Nine caller-saved registers keep the stack aligned for the call. */
#define STUB(vec)                                                       \
    asm ( ".text\n"                                                     \
          "stub_" #vec ":\n"                                            \
          "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"   \
          "  push %r8; push %r9; push %r10; push %r11\n"                \
          "  mov $" #vec ", %edi\n"                                     \
          "  call hvm_interrupt\n"                                      \
          "  pop %r11; pop %r10; pop %r9; pop %r8\n"                    \
          "  pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"        \
          "  iretq\n" )
STUB(0x20); STUB(0x27); STUB(0x28); STUB(0x2f);
STUB(0x40); STUB(0x45); STUB(0x48);
extern char stub_0x20[], stub_0x27[], stub_0x28[], stub_0x2f[];
extern char stub_0x40[], stub_0x45[], stub_0x48[];

static void set_gate(unsigned int vec, void *fn)
{
    uintptr_t a = (uintptr_t)fn;

    idt[vec] = (struct idt_gate){
        .off0 = (uint16_t)a, .sel = 0x08, .type = 0x8e,
        .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
    };
}

static void load_idt(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d = {
        sizeof(idt) - 1, (uintptr_t)idt,
    };

    set_gate(0x20, stub_0x20);
    set_gate(0x27, stub_0x27);
    set_gate(0x28, stub_0x28);
    set_gate(0x2f, stub_0x2f);
    set_gate(0x40, stub_0x40);
    set_gate(0x45, stub_0x45);
    set_gate(0x48, stub_0x48);
    asm volatile ( "lidt %0" :: "m" (d) );
}

void hvm_interrupt(unsigned int vector)
{
    hits[vector]++;
    if ( irq_hook )
        irq_hook(vector);
    /* The vector says who delivered it: the vLAPIC (IOAPIC vectors) or
     * the PICs as ExtINT, which the vLAPIC does not see. Spurious IR7/
     * IR15 get no EOI (nothing is in service). */
    if ( vector >= V_IOAPIC )
        APIC_R(APIC_EOI) = 0;
    else if ( vector != 0x27 && vector != 0x2f )
    {
        if ( vector >= V_PIC_SLAVE )
            outb(0xa0, 0x20);       /* non-specific EOI to the slave */
        outb(0x20, 0x20);
    }
}

/* ---- Helpers ------------------------------------------------------------ */

void spin(uint64_t ns)
{
    uint64_t end = now_ns() + ns;

    while ( now_ns() < end )
        asm volatile ( "pause" ::: "memory" );
}

unsigned int count_for(unsigned int vec, uint64_t ns)
{
    unsigned int before = hits[vec];
    uint64_t end = now_ns() + ns;

    /* Spin with interrupts on rather than HLT: a device that never
     * interrupts must fail the count, not hang the test. */
    asm volatile ( "sti" ::: "memory" );
    while ( now_ns() < end )
        asm volatile ( "pause" ::: "memory" );
    asm volatile ( "cli" ::: "memory" );
    return hits[vec] - before;
}

/*
 * The count may not exceed the time taken / period + 2 (an edge already
 * latched at the start, and one at the end), and all RATE_WANT must come
 * within two seconds: under TCG on a loaded host the guest runs in
 * bursts and late ticks are dropped (as Xen's default HVM timer_mode,
 * no_missed_ticks_pending, drops them), so a count over a fixed interval
 * says little about a too-slow timer, but a fast one is always caught.
 */
void check_rate(const char *what, unsigned int vec, uint64_t period_ns)
{
    unsigned int before = hits[vec], n;
    uint64_t start = now_ns(), ns;

    asm volatile ( "sti" ::: "memory" );
    while ( hits[vec] - before < RATE_WANT &&
            now_ns() - start < 2000000000ULL )
        asm volatile ( "pause" ::: "memory" );
    asm volatile ( "cli" ::: "memory" );
    ns = now_ns() - start;
    n = hits[vec] - before;
    printf("%s: %u interrupts in %llu us (nominal %llu)\n", what, n,
           (unsigned long long)(ns / 1000),
           (unsigned long long)(ns / period_ns));
    check(n >= RATE_WANT && n <= ns / period_ns + 2,
          "%s: %u interrupts in %llu us, want %u, at most one per %llu ns",
          what, n, (unsigned long long)(ns / 1000), RATE_WANT,
          (unsigned long long)period_ns);
}

uint32_t ioapic_read(unsigned int reg)
{
    *IOAPIC_SEL = reg;
    return *IOAPIC_WIN;
}

void ioapic_write(unsigned int reg, uint32_t val)
{
    *IOAPIC_SEL = reg;
    *IOAPIC_WIN = val;
}

/* Both 8259As: edge, cascade on IR2, vectors 0x20/0x28, 8086 mode, all
 * masked. */
void pic_init(void)
{
    outb(0x20, 0x11); outb(0x21, V_PIC_MASTER); outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11); outb(0xa1, V_PIC_SLAVE); outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

/* ---- PVH: none of it is there -------------------------------------------- */

static void test_pvh(void)
{
    static const uint16_t ports[] = {
        0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x41, 0x42, 0x43,
        0x61, 0x70, 0x71,
    };

    /* Writes are dropped: program what a HVM guest would, then read. */
    pic_init();
    outb(0x43, 0x34);
    outb(0x40, 0xa9);
    outb(0x40, 0x04);
    outb(0x70, 0x0a);
    for ( unsigned int i = 0; i < ARRAY_SIZE(ports); i++ )
        check(inb(ports[i]) == 0xff, "PVH: port %#x reads %#x, not all ones",
              ports[i], inb(ports[i]));
    check(inw(0x40) == 0xffff && inl(0x70) == 0xffffffffu,
          "PVH: wide reads of the PIT/RTC ports are all ones");
    {
        uint8_t buf[8] = { 0 };
        bool all = true;

        insb(0x71, buf, sizeof(buf));
        for ( unsigned int i = 0; i < sizeof(buf); i++ )
            all = all && buf[i] == 0xff;
        check(all, "PVH: REP INSB from port 0x71 is all ones");
    }
    *IOAPIC_SEL = 1;
    check(*IOAPIC_SEL == 0xffffffffu && *IOAPIC_WIN == 0xffffffffu,
          "PVH: the IOAPIC page is unclaimed (reads all ones)");
    /* And nothing interrupts: no PIT or RTC behind those ports. */
    APIC_R(APIC_SVR) = 0x1ff;
    APIC_R(APIC_LVT0) = 0x700;
    check(count_for(V_PIC_MASTER, 20000000) == 0 &&
          count_for(V_IOAPIC, 1000000) == 0,
          "PVH: no PIC interrupt arrives");
}

static bool has_arg(const char *cmdline, const char *key)
{
    size_t n = strlen(key);

    for ( const char *s = cmdline; s && *s; s++ )
        if ( strncmp(s, key, n) == 0 )
            return true;
    return false;
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;

    load_idt();
    if ( has_arg(cmdline, "role=pvh") )
    {
        test_pvh();
        return;
    }
    /* The PIC reaches this vCPU through LVT0 in ExtINT mode (a firmware's
     * "virtual wire" set-up; Orrery has no firmware). */
    APIC_R(APIC_SVR) = 0x1ff;
    APIC_R(APIC_LVT0) = 0x700;
    printf("PIC and PIT\n");
    test_pic_pit();
    printf("IOAPIC\n");
    test_ioapic();
    printf("RTC\n");
    test_rtc();
    printf("Event upcalls through GSI 5\n");
    test_callback();
}
