/* SPDX-License-Identifier: MIT */
/*
 * The hypercall page (reference §1.3): 128 stubs of 32 bytes, stub i
 * being `mov eax, i; vmmcall; ret` (vmcall on Intel), padded with 0xCC.
 * Stub 23 (iret) is ud2: HVM guests have no iret hypercall.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>

#include "hvm.h"

#define STUB_SIZE  32
#define NR_STUBS   (PAGE_SIZE / STUB_SIZE)     /* 128: they tile the page */
#define STUB_IRET  23

const uint8_t hvm_vmmcall_insn[3] = { 0x0f, 0x01, 0xd9 };
const uint8_t hvm_vmcall_insn[3] = { 0x0f, 0x01, 0xc1 };

static void make_stub(unsigned int i, const uint8_t insn[3],
                      uint8_t p[STUB_SIZE])
{
    memset(p, 0xcc, STUB_SIZE);
    if ( i == STUB_IRET )
    {
        p[0] = 0x0f;                /* ud2 */
        p[1] = 0x0b;
        return;
    }
    p[0] = 0xb8;                    /* mov eax, imm32 */
    p[1] = (uint8_t)i;
    p[2] = p[3] = p[4] = 0;
    memcpy(p + 5, insn, 3);
    p[8] = 0xc3;                    /* ret */
}

void hvm_fill_hypercall_page(uint8_t page[PAGE_SIZE], const uint8_t insn[3])
{
    for ( unsigned int i = 0; i < NR_STUBS; i++ )
        make_stub(i, insn, page + i * STUB_SIZE);
}

int hvm_write_hypercall_page(struct vcpu *v, uint64_t val,
                             const uint8_t insn[3])
{
    uint8_t stub[STUB_SIZE];

    /* The low 12 bits must be zero (reference §1.3). */
    if ( val & (PAGE_SIZE - 1) )
        return -EINVAL;
    /* copy_to_guest only writes the guest's own writable RAM; the stubs
     * share one page, so if the first can be written all can. */
    for ( unsigned int i = 0; i < NR_STUBS; i++ )
    {
        make_stub(i, insn, stub);
        if ( copy_to_guest_phys(v, val + i * STUB_SIZE, stub, STUB_SIZE) )
            return -EINVAL;
    }
    return 0;
}
