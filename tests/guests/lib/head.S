/* SPDX-License-Identifier: MIT */
/*
 * The test kernels' PVH entry (reference §1.4): 32-bit protected mode,
 * paging off, EBX = hvm_start_info. Switches to long mode on its own
 * tables -- the first 4 GiB identity-mapped with 2 MiB pages, so MMIO
 * below 4 GiB is reachable -- and calls
 * guest_main(start_info) on a 16 KiB stack (AMD APM vol. 2 §14.6: PAE,
 * then EFER.LME, then CR0.PG with a 64-bit code segment to jump to).
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

        .section .note.Xen, "a"
        .balign 4
        .long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .long guest_start32

        .section .text.head, "ax"
        .code32
        .globl guest_start32
guest_start32:
        cli
        mov     %ebx, %esi                      /* start info, for later */
        lgdt    gdt_desc
        mov     $pml4, %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax                     /* CR4.PAE */
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx               /* EFER */
        rdmsr
        or      $0x900, %eax                    /* LME, NXE */
        wrmsr
        mov     %cr0, %eax
        or      $0x80000001, %eax               /* PG, PE */
        mov     %eax, %cr0
        ljmp    $0x08, $start64

        .code64
start64:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        lea     stack_top(%rip), %rsp
        mov     %esi, %edi
        call    guest_main
1:      hlt
        jmp     1b

        .data
        .balign 8
gdt:
        .quad 0
        .quad 0x00af9b000000ffff                /* 0x08: 64-bit code */
        .quad 0x00cf93000000ffff                /* 0x10: data */
gdt_desc:
        .word gdt_desc - gdt - 1
        .long gdt

        .balign 4096
pml4:
        .quad pdpt + 0x3                        /* present, writable */
        .fill 511, 8, 0
pdpt:
        .quad pd + 0x3
        .quad pd + 0x1003
        .quad pd + 0x2003
        .quad pd + 0x3003
        .fill 508, 8, 0
pd:
        .set i, 0
        .rept 2048
        .quad (i << 21) + 0x83                  /* 2 MiB, present, writable */
        .set i, i + 1
        .endr

        .bss
        .balign 16
        .skip 16384
stack_top:
