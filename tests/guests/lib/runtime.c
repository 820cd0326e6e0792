/* SPDX-License-Identifier: MIT */
/*
 * Start-up and results. guest_main() finds Xen's CPUID leaves, installs
 * the hypercall page through its MSR (reference §1.2-1.3; a page still
 * holding its 0xC3 poison is an ERROR, as in XTF), runs test_main(),
 * prints the one result line and powers the domain off -- or crashes it
 * from panic().
 */
#include <orrery/lib.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

uint32_t xen_cpuid_base;
uint8_t hypercall_page[4096] __attribute__((aligned(4096)));

static enum { SUCCESS, SKIP, FAILURE } result = SUCCESS;
static const char *skip_reason;

static __attribute__((noreturn)) void shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
    for ( ;; )
        asm volatile ( "hlt" );
}

void check(bool ok, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    if ( ok )
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printf("FAIL: %s\n", buf);
    result = FAILURE;
}

void skip(const char *why)
{
    if ( result == SUCCESS )
    {
        result = SKIP;
        skip_reason = why;
    }
}

void panic(const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printf("PANIC: %s\n", buf);
    printf("Test result: ERROR\n");
    shutdown(SHUTDOWN_crash);
}

static bool find_xen(void)
{
    for ( uint32_t base = 0x40000000; base < 0x40010000; base += 0x100 )
    {
        uint32_t r[4];

        cpuid(base, 0, r);
        if ( r[1] == 0x566e6558 && r[2] == 0x65584d4d &&
             r[3] == 0x4d4d566e && r[0] - base >= 2 )
        {
            xen_cpuid_base = base;
            return true;
        }
    }
    return false;
}

void guest_main(const struct hvm_start_info *si)
{
    uint32_t r[4];

    if ( !find_xen() )
    {
        /* No hypervisor to print through: the debug port is all there is. */
        for ( const char *p = "no Xen CPUID leaves\n"; *p; p++ )
            asm volatile ( "outb %0, $0xe9" :: "a" (*p) );
        for ( ;; )
            asm volatile ( "hlt" );
    }
    memset(hypercall_page, 0xc3, sizeof(hypercall_page));
    cpuid(xen_cpuid_base + 2, 0, r);
    wrmsr(r[1], (uint64_t)(uintptr_t)hypercall_page);
    if ( hypercall_page[0] == 0xc3 )
    {
        for ( const char *p = "hypercall page not written\n"; *p; p++ )
            asm volatile ( "outb %0, $0xe9" :: "a" (*p) );
        for ( ;; )
            asm volatile ( "hlt" );
    }

    printf("--- %s ---\n", test_title);
    if ( si->magic != XEN_HVM_START_MAGIC_VALUE )
        panic("start info magic %#x", si->magic);
    test_main(si);
    if ( result == SKIP )
        printf("Test result: SKIP (%s)\n", skip_reason);
    else
        printf("Test result: %s\n", result == SUCCESS ? "SUCCESS" : "FAILURE");
    shutdown(SHUTDOWN_poweroff);
}
