/* SPDX-License-Identifier: MIT */
/*
 * Which decoded encodings are #UD: LOCK where it is not allowed, and the
 * ModRM forms the opcode maps leave undefined (register operands where
 * memory is required and the reverse, reserved /digit values, control
 * and debug registers that do not exist).
 */
#include "private.h"

/*
 * LOCK is allowed only on these read-modify-write instructions with a
 * memory destination; anything else raises #UD (SDM Vol. 2B "LOCK").
 */
bool x86_lock_allowed(const struct x86_insn *insn)
{
    uint8_t op = insn->opcode, reg = insn->modrm_reg & 7;

    if ( !insn->mem || (insn->prefixes & (X86_PFX_VEX | X86_PFX_EVEX)) )
        return false;
    if ( insn->map == X86_MAP_1B )
    {
        if ( op < 0x40 )
            return (op & 7) <= 1 && (op & 0xf8) != 0x38;  /* not CMP */
        switch ( op )
        {
        case 0x80: case 0x81: case 0x82: case 0x83:
            return reg != 7;                                /* not CMP */
        case 0x86: case 0x87:
            return true;                                    /* XCHG */
        case 0xf6: case 0xf7:
            return reg == 2 || reg == 3;                    /* NOT, NEG */
        case 0xfe: case 0xff:
            return reg <= 1;                                /* INC, DEC */
        }
        return false;
    }
    if ( insn->map == X86_MAP_0F )
    {
        switch ( op )
        {
        case 0xab: case 0xb3: case 0xbb:                    /* BTS BTR BTC */
        case 0xb0: case 0xb1: case 0xc0: case 0xc1:         /* CMPXCHG XADD */
            return true;
        case 0xba:
            return reg >= 5;
        case 0xc7:
            return reg == 1;                                /* CMPXCHG8B */
        }
    }
    return false;
}

/* Encodings that are #UD whatever follows (beyond the table's D_INV). */
bool x86_invalid_form(const struct x86_insn *insn, enum x86_mode mode)
{
    uint8_t op = insn->opcode, reg = insn->modrm_reg & 7;
    bool mem = insn->mem;

    if ( insn->map == X86_MAP_1B )
    {
        switch ( op )
        {
        case 0x62: case 0x8d: case 0xc4: case 0xc5:   /* BOUND LEA LES LDS */
            return !mem;
        case 0x8c:
            return reg > 5;
        case 0x8e:
            return reg > 5 || reg == x86_seg_cs;
        case 0x8f:
            return reg != 0;        /* AMD's XOP uses the others */
        case 0xc6: case 0xc7:
            /* /7 with ModRM F8 is XABORT/XBEGIN (RTM). */
            return reg != 0 && !(reg == 7 && insn->modrm_mod == 3 &&
                                 (insn->modrm_rm & 7) == 0);
        case 0xfe:
            return reg > 1;
        case 0xff:
            return reg == 7 || ((reg == 3 || reg == 5) && !mem);
        }
        return false;
    }
    if ( insn->map == X86_MAP_0F && !(insn->prefixes & X86_PFX_VEX) )
    {
        switch ( op )
        {
        case 0x00:
            return reg > 5;
        /* Register-only forms: MOVMSKPS/PD, shift groups 12-14, PEXTRW,
         * PMOVMSKB (SDM Vol. 2D Table A-6: groups 12-14 need mod = 11). */
        case 0x50: case 0x71: case 0x72: case 0x73: case 0xc5: case 0xd7:
            return mem;
        /* MOVQ2DQ/MOVDQ2Q (F3/F2 0F D6), AMD's EXTRQ/INSERTQ (66/F2
         * 0F 78) take registers only. */
        case 0xd6:
            return mem && (insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE));
        case 0x78:
            return mem && (insn->prefixes & (X86_PFX_OPSIZE | X86_PFX_REPNE));
        case 0xb2: case 0xb4: case 0xb5:                /* LSS LFS LGS */
            return !mem;
        case 0xb8:                  /* POPCNT needs F3 (no JMPE here) */
            return !(insn->prefixes & X86_PFX_REP);
        case 0xba:
            return reg < 4;
        case 0x20: case 0x22:
            /* CR0, CR2-CR4 and, in 64-bit mode, CR8 exist. */
            return !(insn->modrm_reg == 0 ||
                     (insn->modrm_reg >= 2 && insn->modrm_reg <= 4) ||
                     (mode == X86_MODE_64 && insn->modrm_reg == 8));
        case 0x21: case 0x23:
            return insn->modrm_reg > 7;     /* REX.R: no DR8-DR15 */
        }
    }
    return false;
}
