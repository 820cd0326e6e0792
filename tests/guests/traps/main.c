/* SPDX-License-Identifier: MIT */
/*
 * traps: the exceptions a guest causes are its own (issue 7). Orrery
 * intercepts no exception vector, so each of these must reach the
 * guest's IDT with the architecture's RIP and error code (AMD APM vol. 2
 * §8.2): ud2 -> #UD at the ud2 (skipped by the handler), int3 -> #BP
 * after it, div by 0 -> #DE, a non-canonical address -> #GP(0), an MSR
 * no one emulates -> #GP(0) injected by the hypervisor at the
 * RDMSR/WRMSR, a page not present -> #PF with CR2 and the error code.
 * CR0/CR4 writes (not intercepted under NPT) must take effect: SSE
 * needs CR4.OSFXSR (else #UD) and CR0.TS raises #NM. paging.c covers
 * CR0.WP, read-only and no-execute pages and INVLPG; user.c hypercalls
 * and faults from ring 3.
 */
#include <public/version.h>
#include <public/xen.h>

#include "traps.h"

const char test_title[] = "traps: exceptions, CR0/CR4, INVLPG, ring 3";

#define CR0_TS      (1ULL << 3)
#define CR0_EM      (1ULL << 2)
#define CR4_OSFXSR  (1ULL << 9)
#define MSR_EFER    0xc0000080u
#define EFER_LMA    (1ULL << 10)
#define UNKNOWN_MSR 0x12345678u

/* Each trigger marks its faulting instruction (at_*) and where the
 * handler resumes (after_*). Caller-saved registers only. */
asm ( ".text\n"
      ".globl do_load, at_load, after_load, do_store, at_store, after_store\n"
      ".globl do_call, after_call\n"
      "do_ud2:\n"
      "at_ud2: ud2\n"
      "after_ud2: ret\n"
      "do_int3: int3\n"
      "after_int3: ret\n"
      "do_div0: xor %ecx, %ecx; mov $1, %eax; xor %edx, %edx\n"
      "at_div0: div %ecx\n"
      "after_div0: ret\n"
      "do_load:\n"
      "at_load: mov (%rdi), %rax\n"
      "after_load: ret\n"
      "do_store:\n"
      "at_store: movb $0x5a, (%rdi)\n"
      "after_store: ret\n"
      "do_rdmsr: mov %edi, %ecx; xor %eax, %eax; xor %edx, %edx\n"
      "at_rdmsr: rdmsr\n"
      "after_rdmsr: shl $32, %rdx; or %rdx, %rax; ret\n"
      "do_wrmsr: mov %edi, %ecx; xor %eax, %eax; xor %edx, %edx\n"
      "at_wrmsr: wrmsr\n"
      "after_wrmsr: ret\n"
      "do_sse:\n"
      "at_sse: xorps %xmm0, %xmm0\n"
      "after_sse: ret\n"
      /* A fault at the target resumes at after_call with the return
       * address still pushed: its ret goes to after_call once more. */
      "do_call: call *%rdi\n"
      "after_call: ret\n" );

#define TRIGGER(n) \
    uint64_t do_##n(uint64_t arg); extern char at_##n[], after_##n[]
TRIGGER(ud2);
TRIGGER(div0);
TRIGGER(rdmsr);
TRIGGER(wrmsr);
TRIGGER(sse);
uint64_t do_int3(uint64_t arg);
extern char after_int3[];

/* Run @fn(@arg), resuming at @after if it traps: did it? */
bool run_trap(uint64_t (*fn)(uint64_t), uint64_t arg, const char *after,
              uint64_t *ret)
{
    unsigned int n = last_trap.count;
    uint64_t r;

    resume_at = (uintptr_t)after;
    r = fn(arg);
    resume_at = 0;
    if ( ret )
        *ret = r;
    return last_trap.count != n;
}

void expect_trap(const char *what, uint64_t (*fn)(uint64_t), uint64_t arg,
                 const char *at, const char *after, unsigned int vector,
                 uint64_t error)
{
    if ( !run_trap(fn, arg, after, NULL) )
    {
        check(false, "%s: no trap", what);
        return;
    }
    check(last_trap.vector == vector, "%s: vector %u, not %u", what,
          last_trap.vector, vector);
    check(last_trap.rip == (uintptr_t)at, "%s: RIP %#llx, not %#llx", what,
          (unsigned long long)last_trap.rip,
          (unsigned long long)(uintptr_t)at);
    check(last_trap.error == error, "%s: error code %#llx, not %#llx", what,
          (unsigned long long)last_trap.error, (unsigned long long)error);
    check(last_trap.cs == KERNEL_CS, "%s: CS %#llx", what,
          (unsigned long long)last_trap.cs);
}

void expect_no_trap(const char *what, uint64_t (*fn)(uint64_t), uint64_t arg)
{
    check(!run_trap(fn, arg, NULL, NULL), "%s trapped", what);
}

static void test_exceptions(void)
{
    uint64_t v;

    expect_trap("ud2", do_ud2, 0, at_ud2, after_ud2, 6, 0);
    /* #BP is a trap: RIP is past the int3. */
    expect_trap("int3", do_int3, 0, after_int3, after_int3, 3, 0);
    expect_trap("div by 0", do_div0, 0, at_div0, after_div0, 0, 0);
    expect_trap("non-canonical load", do_load, 0x8000000000000000ULL,
                at_load, after_load, 13, 0);
    expect_trap("non-canonical store", do_store, 0xffff7fff00000000ULL,
                at_store, after_store, 13, 0);

    /* Not present: past head.S's 4 GiB map. P=0, read / write. */
    expect_trap("load from an unmapped page", do_load, 0x100000000ULL,
                at_load, after_load, 14, 0);
    check(last_trap.cr2 == 0x100000000ULL, "CR2 %#llx after the load",
          (unsigned long long)last_trap.cr2);
    expect_trap("store to an unmapped page", do_store, 0x100000008ULL,
                at_store, after_store, 14, 2);
    check(last_trap.cr2 == 0x100000008ULL, "CR2 %#llx after the store",
          (unsigned long long)last_trap.cr2);

    /* MSRs: unknown ones are #GP(0) from the hypervisor, at the
     * instruction; a known one reads as the processor has it. */
    expect_trap("rdmsr of an unknown MSR", do_rdmsr, UNKNOWN_MSR, at_rdmsr,
                after_rdmsr, 13, 0);
    expect_trap("wrmsr of an unknown MSR", do_wrmsr, UNKNOWN_MSR, at_wrmsr,
                after_wrmsr, 13, 0);
    check(!run_trap(do_rdmsr, MSR_EFER, after_rdmsr, &v),
          "rdmsr(EFER) trapped");
    check(v & EFER_LMA, "EFER %#llx: long mode not active",
          (unsigned long long)v);
}

/* CR0 and CR4 writes reach the processor (no intercept under NPT). */
static void test_control_registers(void)
{
    uint64_t cr0 = read_cr0(), cr4 = read_cr4();

    check(!(cr0 & CR0_EM) && !(cr4 & CR4_OSFXSR),
          "start state CR0 %#llx CR4 %#llx", (unsigned long long)cr0,
          (unsigned long long)cr4);
    /* Without CR4.OSFXSR an SSE instruction is #UD (APM vol. 2 §11.3). */
    expect_trap("xorps, OSFXSR clear", do_sse, 0, at_sse, after_sse, 6, 0);
    write_cr4(cr4 | CR4_OSFXSR);
    check(read_cr4() == (cr4 | CR4_OSFXSR), "CR4 reads %#llx",
          (unsigned long long)read_cr4());
    expect_no_trap("xorps, OSFXSR set", do_sse, 0);
    /* CR0.TS: the next SSE instruction is #NM. */
    write_cr0(cr0 | CR0_TS);
    check(read_cr0() == (cr0 | CR0_TS), "CR0 reads %#llx",
          (unsigned long long)read_cr0());
    expect_trap("xorps, CR0.TS set", do_sse, 0, at_sse, after_sse, 7, 0);
    asm volatile ( "clts" );
    check(read_cr0() == cr0, "CR0 %#llx after clts",
          (unsigned long long)read_cr0());
    expect_no_trap("xorps after clts", do_sse, 0);
    write_cr4(cr4);
    expect_trap("xorps, OSFXSR cleared again", do_sse, 0, at_sse, after_sse,
                6, 0);
    check(read_cr4() == cr4, "CR4 %#llx at the end",
          (unsigned long long)read_cr4());
}

void test_main(const struct hvm_start_info *si)
{
    long ver;

    (void)si;
    traps_init();
    /* A hypercall from ring 0 works (user.c compares ring 3's). */
    ver = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    check(ver > 0, "xen_version from ring 0 gave %ld", ver);
    test_exceptions();
    test_control_registers();
    test_paging();
    test_user();
    printf("%u traps taken\n", last_trap.count);
}
