/* SPDX-License-Identifier: MIT */
/*
 * Ring 3. A hypercall from CPL > 0 is -EPERM and does nothing
 * (xen-abi-facts §1.1): VMMCALL directly and through the hypercall page
 * give -EPERM for xen_version, and a SCHEDOP_shutdown(poweroff) from ring
 * 3 gives -EPERM and leaves the domain running (the test carrying on
 * proves it). Faults from ring 3 reach the guest with the U bit in the
 * #PF error code, and CR4.TSD makes RDTSC at CPL 3 #GP(0) (AMD APM
 * vol. 2 §5.6, §3.1.3). Each piece of user code ends with int $0x80
 * (a DPL-3 gate), which carries its RAX back.
 */
#include <orrery/errno.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/xen.h>

#include "traps.h"

#define CR4_TSD (1ULL << 2)
#define PF_P    (1u << 0)
#define PF_U    (1u << 2)

static uint8_t user_stack[8192] __attribute__((aligned(16)));
uint32_t user_reason = SHUTDOWN_poweroff;

asm ( ".text\n"
      "user_version:\n"
      "  mov $17, %eax; xor %edi, %edi; xor %esi, %esi\n"
      "  vmmcall\n"
      "  int $0x80\n"
      "user_page_version:\n"
      "  xor %edi, %edi; xor %esi, %esi\n"
      "  lea hypercall_page+17*32(%rip), %rax\n"
      "  call *%rax\n"
      "  int $0x80\n"
      "user_shutdown:\n"
      "  mov $29, %eax; mov $2, %edi; lea user_reason(%rip), %rsi\n"
      "  vmmcall\n"
      "  int $0x80\n"
      "user_load:\n"
      "at_user_load: mov (%rdi), %rax\n"
      "  int $0x80\n"
      "user_rdtsc:\n"
      "  xor %eax, %eax\n"
      "at_user_rdtsc: rdtsc\n"
      "  int $0x80\n" );
extern char user_version[], user_page_version[], user_shutdown[];
extern char user_load[], at_user_load[], user_rdtsc[], at_user_rdtsc[];

static void run_user(const char *code, uint64_t arg)
{
    unsigned int n = last_trap.count;

    enter_user((uintptr_t)code, (uintptr_t)(user_stack + sizeof(user_stack)),
               arg);
    check(last_trap.count == n + 1, "user code came back without a trap");
    check((last_trap.cs & 3) == 3, "the trap came from CS %#llx",
          (unsigned long long)last_trap.cs);
}

/* The user code's int $0x80: its RAX is the answer. */
static long user_result(const char *what)
{
    check(last_trap.vector == USER_VECTOR, "%s: ended with vector %u", what,
          last_trap.vector);
    return (long)last_trap.rax;
}

static void test_hypercalls(void)
{
    long rc;

    run_user(user_version, 0);
    rc = user_result("VMMCALL");
    check(rc == -EPERM, "xen_version by VMMCALL from ring 3 gave %ld", rc);

    run_user(user_page_version, 0);
    rc = user_result("hypercall page");
    check(rc == -EPERM, "xen_version through the page from ring 3 gave %ld",
          rc);

    run_user(user_shutdown, 0);
    rc = user_result("shutdown");
    check(rc == -EPERM, "SCHEDOP_shutdown from ring 3 gave %ld", rc);

    /* Ring 0 still may. */
    rc = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    check(rc > 0, "xen_version from ring 0 after ring 3 gave %ld", rc);
}

static void test_faults(void)
{
    uint64_t cr4 = read_cr4();

    /* A user page is readable from ring 3 ... */
    run_user(user_load, SUP_PAGE_VA + 4096);
    check(last_trap.vector == USER_VECTOR, "user load of a user page: "
          "vector %u", last_trap.vector);
    /* ... a supervisor page is #PF with P|U, at the load. */
    run_user(user_load, SUP_PAGE_VA + 0x40);
    check(last_trap.vector == 14, "user load of a supervisor page: vector %u",
          last_trap.vector);
    check(last_trap.error == (PF_P | PF_U), "its error code %#llx",
          (unsigned long long)last_trap.error);
    check(last_trap.cr2 == SUP_PAGE_VA + 0x40, "its CR2 %#llx",
          (unsigned long long)last_trap.cr2);
    check(last_trap.rip == (uintptr_t)at_user_load, "its RIP %#llx",
          (unsigned long long)last_trap.rip);

    /* RDTSC at CPL 3: allowed, then #GP(0) under CR4.TSD. */
    run_user(user_rdtsc, 0);
    check(last_trap.vector == USER_VECTOR, "user rdtsc: vector %u",
          last_trap.vector);
    write_cr4(cr4 | CR4_TSD);
    run_user(user_rdtsc, 0);
    check(last_trap.vector == 13 && last_trap.error == 0 &&
          last_trap.rip == (uintptr_t)at_user_rdtsc,
          "user rdtsc under CR4.TSD: vector %u error %#llx rip %#llx",
          last_trap.vector, (unsigned long long)last_trap.error,
          (unsigned long long)last_trap.rip);
    write_cr4(cr4);
}

void test_user(void)
{
    paging_init();
    test_hypercalls();
    test_faults();
}
