/* SPDX-License-Identifier: MIT */
/*
 * Starting the smp kernel's APs wrongly and the other way: bad
 * VCPUOP_initialise/up arguments (each must leave vCPU 1 as it was), and
 * the INIT and STARTUP IPIs Linux starts its APs with.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "apic.h"
#include "guest.h"
#include "smp.h"
#include "smp_test.h"

/* Bad arguments; each leaves vCPU 1 uninitialised and down. */
void test_bad_arguments(void)
{
    struct vcpu_hvm_context c;
    long rc;

    rc = vcpu_op(VCPUOP_up, 1, NULL);
    check(rc == -EINVAL, "VCPUOP_up before initialise gave %ld", rc);
    smp_context64(&c, nr, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    rc = vcpu_op(VCPUOP_initialise, nr, &c);
    check(rc == -ENOENT, "initialise of vCPU %u (absent) gave %ld", nr, rc);
    rc = vcpu_op(VCPUOP_initialise, 4096, &c);
    check(rc == -ENOENT, "initialise of vCPU 4096 gave %ld", rc);
    rc = vcpu_op(VCPUOP_initialise, 1, (void *)BAD_GPA);
    check(rc == -EFAULT, "initialise from an unbacked address gave %ld", rc);
    rc = vcpu_op(VCPUOP_initialise, 0, &c);
    check(rc == -EEXIST, "initialise of the running vCPU 0 gave %ld", rc);

    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.mode = 7;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "mode 7 gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.pad = 1;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "non-zero pad gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.cpu_regs.x86_64.cr0 &= ~(1ull << 31);
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "64-bit mode without paging gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.cpu_regs.x86_64.rip = 0x0000800000000000ull;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "non-canonical RIP gave %ld", rc);
    /* A 32-bit start with a null CS. */
    c = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_32B };
    c.cpu_regs.x86_32.ss_ar = 0xc93;
    c.cpu_regs.x86_32.tr_ar = 0x8b;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "null CS gave %ld", rc);

    rc = vcpu_op(VCPUOP_is_up, 1, NULL);
    check(rc == 0, "vCPU 1 up after refused calls (%ld)", rc);
    rc = vcpu_op(VCPUOP_up, 1, NULL);
    check(rc == -EINVAL, "VCPUOP_up after refused initialise gave %ld", rc);
}

/* Real mode (SDM §10.4.4: CS = vector << 8, IP = 0, DS base 0):
 * mov $val, %ax; mov %ax, (SIPI_MARK); hlt; jmp .-1 */
#define SIPI_VECTOR 0x08
#define SIPI_MARK   0x7ff0
static void put_real_mode_code(unsigned int vector, uint16_t val)
{
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)(vector << 12);
    const uint8_t code[] = {
        0xb8, (uint8_t)val, (uint8_t)(val >> 8),
        0xa3, (uint8_t)SIPI_MARK, (uint8_t)(SIPI_MARK >> 8),
        0xf4, 0xeb, 0xfd,
    };

    for ( unsigned int i = 0; i < sizeof(code); i++ )
        p[i] = code[i];
}

static bool wait_down(unsigned int id)
{
    uint64_t end = now_ns() + 2000000000ull;

    while ( vcpu_op(VCPUOP_is_up, id, NULL) != 0 )
        if ( now_ns() > end )
            return false;
    return true;
}

void init_sipi(void)
{
    volatile uint16_t *mark = (volatile uint16_t *)SIPI_MARK;
    unsigned int id = nr - 1;
    struct vcpu_hvm_context c;
    uint64_t end;
    long rc;

    put_real_mode_code(SIPI_VECTOR, 0xbeef);
    put_real_mode_code(SIPI_VECTOR + 1, 0xdead);
    *mark = 0;
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL | ICR_ASSERT);
    check(wait_down(id), "INIT did not take vCPU %u down", id);
    rc = vcpu_op(VCPUOP_up, id, NULL);
    check(rc == -EINVAL, "VCPUOP_up after INIT gave %ld", rc);
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL);     /* de-assert: nothing */
    apic_send(0, id, SIPI_VECTOR, ICR_DM_STARTUP);
    end = now_ns() + 2000000000ull;
    while ( *mark != 0xbeef && now_ns() < end )
        asm volatile ( "pause" );
    check(*mark == 0xbeef, "STARTUP did not run vector %#x's code (%#x)",
          SIPI_VECTOR, *mark);
    check(vcpu_op(VCPUOP_is_up, id, NULL) == 1, "vCPU %u not up after SIPI",
          id);
    /* A second STARTUP finds it started: ignored. */
    *mark = 0;
    apic_send(0, id, SIPI_VECTOR + 1, ICR_DM_STARTUP);
    settle_ms(50);
    check(*mark == 0, "a second STARTUP restarted vCPU %u", id);
    smp_context64(&c, id, ap_main, ap_stack[id] + sizeof(ap_stack[id]));
    rc = vcpu_op(VCPUOP_initialise, id, &c);
    check(rc == -EEXIST, "initialise after STARTUP gave %ld", rc);
    /* INIT again, then back to C the PVH way. */
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL | ICR_ASSERT);
    check(wait_down(id), "second INIT did not take vCPU %u down", id);
    arrived[id] = 0;
    rc = smp_start_vcpu(id, ap_main, ap_stack[id] + sizeof(ap_stack[id]));
    check(rc == 0, "restarting vCPU %u gave %ld", id, rc);
    check(wait_for(&arrived[id], 1), "vCPU %u did not come back to C", id);
    check(!ap_error[id], "vCPU %u after INIT: %s", id,
          ap_error[id] ? ap_error[id] : "");
}
