/* SPDX-License-Identifier: MIT */
/*
 * First instructions. Both ways in arrive in 32-bit protected mode with
 * paging off and flat segments:
 *   - PVH (QEMU -kernel, Xen's XEN_ELFNOTE_PHYS32_ENTRY): EBX = physical
 *     address of struct hvm_start_info (reference §1.4);
 *   - multiboot2 (GRUB): EAX = 0x36d76289, EBX = physical address of the
 *     boot information (Multiboot2 spec §3.3).
 * Application processors arrive at ap_start32 from the real-mode
 * trampoline (smp/trampoline.S), also in 32-bit protected mode.
 *
 * From here: boot page tables (identity + direct map of the low 4 GiB,
 * the image at -2 GiB), long mode (AMD APM vol. 2 §14.6), a jump to the
 * linked (high) addresses, a stack, and C.
 */
#include <asm/layout.h>

#define PHYS(sym) ((sym) - IMAGE_VIRT_BASE)

#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define MB2_BOOT_MAGIC   0x36d76289

/* ---- Multiboot2 header: within the first 32 KiB, 8-byte aligned ---- */
        .section .multiboot2, "a"
        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* Entry address tag (type 3): the ELF entry is a 64-bit virtual
         * address, so tell GRUB the physical 32-bit one. */
        .balign 8
        .short 3, 0
        .long 12
        .long PHYS(mb2_start32)
        /* End tag. */
        .balign 8
        .short 0, 0
        .long 8
mb2_header_end:

/* ---- Xen PVH ELF note (XEN_ELFNOTE_PHYS32_ENTRY = 18) ---- */
        .section .note.Xen, "a", @note
        .balign 4
        .long 4                 /* namesz: "Xen\0" */
        .long 8                 /* descsz */
        .long 18                /* type */
        .asciz "Xen"
        .balign 4
        .quad PHYS(pvh_start32)

        .section .text.head, "ax"
        .code32

        .globl pvh_start32
pvh_start32:
        cld
        cli
        mov     $BOOT_PROTO_PVH, %esi
        jmp     bsp_start32

        .globl mb2_start32
mb2_start32:
        cld
        cli
        cmp     $MB2_BOOT_MAGIC, %eax
        jne     no_boot_protocol
        mov     $BOOT_PROTO_MB2, %esi

bsp_start32:
        mov     %ebx, %edi                      /* boot info, physical */

        /* Long mode needs CPUID 0x80000001 EDX.LM (bit 29). */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode

        /* Zero .bss: not every loader does it for us. */
        mov     $PHYS(__bss_start), %ebx
1:      cmp     $PHYS(__bss_end), %ebx
        jae     2f
        movl    $0, (%ebx)
        add     $4, %ebx
        jmp     1b
2:
        /* Four page directories of 2 MiB pages: physical 0 - 4 GiB. */
        mov     $PHYS(boot_pd), %ebx
        xor     %ecx, %ecx
3:      mov     %ecx, %eax
        shl     $21, %eax
        or      $0x83, %eax                     /* present, writable, 2M */
        mov     %eax, (%ebx, %ecx, 8)
        mov     %ecx, %eax
        shr     $11, %eax                       /* bits 32+ of the address */
        mov     %eax, 4(%ebx, %ecx, 8)
        inc     %ecx
        cmp     $2048, %ecx
        jb      3b

        mov     $PHYS(boot_stack_top), %esp
        jmp     enable_long_mode

/* An application processor, from the trampoline. */
        .globl ap_start32
ap_start32:
        cld
        mov     $0, %esi                        /* 0: not the BSP */
        xor     %edi, %edi

enable_long_mode:
        lgdt    PHYS(boot_gdtr)
        mov     $SEL_DATA, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs

        mov     %cr4, %eax
        or      $(1 << 5), %eax                 /* CR4.PAE */
        mov     %eax, %cr4
        mov     $PHYS(boot_pml4), %eax
        mov     %eax, %cr3

        /* EFER.LME, and EFER.NXE when CPUID 0x80000001 EDX.NX (bit 20). */
        mov     $0x80000001, %eax
        cpuid
        mov     %edx, %ebx
        mov     $0xc0000080, %ecx
        rdmsr
        or      $(1 << 8), %eax
        bt      $20, %ebx
        jnc     4f
        or      $(1 << 11), %eax
4:      wrmsr

        /* Paging on, write protection honoured in ring 0 (CR0.WP). */
        mov     %cr0, %eax
        or      $((1 << 31) | (1 << 16) | 1), %eax
        mov     %eax, %cr0

        ljmp    $SEL_CODE64, $PHYS(start64_low)

no_boot_protocol:
no_long_mode:
        /* Say why on COM1 (polled), then stop. */
        mov     $PHYS(msg_no_start), %ebx
5:      movb    (%ebx), %al
        test    %al, %al
        jz      7f
        mov     %eax, %ecx
        mov     $0x3fd, %dx
6:      inb     %dx, %al
        test    $0x20, %al
        jz      6b
        mov     %ecx, %eax
        mov     $0x3f8, %dx
        outb    %al, %dx
        inc     %ebx
        jmp     5b
7:      hlt
        jmp     7b

        .code64
start64_low:
        /* Still on identity-mapped addresses: move to the linked ones. */
        movabs  $start64_high, %rax
        jmp     *%rax

        .text
start64_high:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        test    %esi, %esi
        jz      ap_start64

        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp
        /* x86_start(protocol, boot info physical address) */
        mov     %esi, %eax
        mov     %edi, %esi
        mov     %eax, %edi
        call    x86_start
        ud2

ap_start64:
        /* The BSP left this CPU's stack top and number for us. */
        movabs  $ap_boot_stack, %rax
        mov     (%rax), %rsp
        movabs  $ap_boot_cpu, %rax
        mov     (%rax), %edi
        xor     %ebp, %ebp
        call    x86_start_secondary
        ud2

        .section .rodata
msg_no_start:
        .asciz "Orrery: not started by PVH or multiboot2, or no 64-bit CPU\r\n"

        .data
        .balign 8
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff                /* 0x10: data */
        .quad 0x00cf9a000000ffff                /* 0x18: 32-bit code */
boot_gdt_end:
boot_gdtr:
        .short boot_gdt_end - boot_gdt - 1
        .long PHYS(boot_gdt)

        .globl ap_boot_stack, ap_boot_cpu
ap_boot_stack:  .quad 0
ap_boot_cpu:    .quad 0

/*
 * Boot page tables: PML4[0] and PML4[256] (the direct map) share one PDPT
 * covering 0-4 GiB; PML4[511] maps the top 2 GiB so that PDPT[510] is
 * physical 0-1 GiB, where the image sits. arch_paging_init() replaces them
 * with tables that honour W^X; APs still enter through these.
 */
        .balign 4096
        .globl boot_pml4
boot_pml4:
        .quad PHYS(boot_pdpt_low) + 3
        .fill 255, 8, 0
        .quad PHYS(boot_pdpt_low) + 3           /* 256: direct map */
        .fill 254, 8, 0
        .quad PHYS(boot_pdpt_high) + 3          /* 511: the image */
boot_pdpt_low:
        .quad PHYS(boot_pd) + 0x0000 + 3
        .quad PHYS(boot_pd) + 0x1000 + 3
        .quad PHYS(boot_pd) + 0x2000 + 3
        .quad PHYS(boot_pd) + 0x3000 + 3
        .fill 508, 8, 0
boot_pdpt_high:
        .fill 510, 8, 0
        .quad PHYS(boot_pd) + 3                 /* 510: physical 0-1 GiB */
        .quad 0
boot_pd:
        .fill 2048, 8, 0                        /* filled in at boot */

        .bss
        .balign 4096
boot_stack:
        .skip BOOT_STACK_SIZE
        .globl boot_stack_top
boot_stack_top:
