/* SPDX-License-Identifier: MIT */
/* The first link's symbol table: empty (see tools/build/gensyms.py). */
        .section orrery_symtab, "a"
        .balign 8
        .globl orrery_sym_addr, orrery_sym_name_off, orrery_sym_names
        .globl orrery_sym_count
orrery_sym_count:
        .long 0
        .balign 8
orrery_sym_addr:
orrery_sym_name_off:
orrery_sym_names:
        .byte 0
