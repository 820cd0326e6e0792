/* SPDX-License-Identifier: MIT */
/*
 * Decode attributes of every one-byte and 0F two-byte opcode: whether a
 * ModRM byte follows, the immediate, and the 64-bit mode operand-size and
 * validity rules. Transcribed from the opcode maps of the Intel SDM
 * Vol. 2D, Appendix A (Tables) and the AMD APM Vol. 3,
 * Appendix A. These tables give the length of every instruction, also the
 * ones the emulator does not execute.
 */
#include "private.h"

#define ___  0                          /* opcode byte only */
#define M    D_MODRM
#define Mb   (D_MODRM | IMM_B)
#define Mz   (D_MODRM | IMM_Z)
#define Ib   IMM_B
#define Iw   IMM_W
#define Iz   IMM_Z
#define Iv   IMM_V
#define Ob   IMM_MOFFS
#define PFX  D_PREFIX
#define UD   D_INV
#define I64  D_INV64
#define D64  D_D64
#define F64  D_F64
#define ESC  D_ESC                  /* escape: another map or VEX/EVEX */
#define FRM  D_FORM                 /* see x86_invalid_form() */

const uint16_t x86_opc_1b[256] = {
    /* 00-07: ADD, PUSH/POP ES; 08-0F: OR, PUSH CS, escape */
    M, M, M, M, Ib, Iz, I64, I64,  M, M, M, M, Ib, Iz, I64, ESC,
    /* 10-17: ADC, PUSH/POP SS; 18-1F: SBB, PUSH/POP DS */
    M, M, M, M, Ib, Iz, I64, I64,  M, M, M, M, Ib, Iz, I64, I64,
    /* 20-27: AND, ES:, DAA; 28-2F: SUB, CS:, DAS */
    M, M, M, M, Ib, Iz, PFX, I64,  M, M, M, M, Ib, Iz, PFX, I64,
    /* 30-37: XOR, SS:, AAA; 38-3F: CMP, DS:, AAS */
    M, M, M, M, Ib, Iz, PFX, I64,  M, M, M, M, Ib, Iz, PFX, I64,
    /* 40-4F: INC/DEC r (REX in 64-bit mode, taken before this table) */
    ___, ___, ___, ___, ___, ___, ___, ___,
    ___, ___, ___, ___, ___, ___, ___, ___,
    /* 50-5F: PUSH r, POP r */
    D64, D64, D64, D64, D64, D64, D64, D64,
    D64, D64, D64, D64, D64, D64, D64, D64,
    /* 60-67: PUSHA, POPA, BOUND (EVEX), ARPL/MOVSXD, FS:, GS:, 66, 67 */
    I64, I64, M | I64 | ESC | FRM, M, PFX, PFX, PFX, PFX,
    /* 68-6F: PUSH Iz, IMUL Iz, PUSH Ib, IMUL Ib, INS, OUTS */
    Iz | D64, Mz, Ib | D64, Mb, ___, ___, ___, ___,
    /* 70-7F: Jcc Jb */
    Ib | F64, Ib | F64, Ib | F64, Ib | F64,
    Ib | F64, Ib | F64, Ib | F64, Ib | F64,
    Ib | F64, Ib | F64, Ib | F64, Ib | F64,
    Ib | F64, Ib | F64, Ib | F64, Ib | F64,
    /* 80-87: group 1, TEST, XCHG */
    Mb, Mz, Mb | I64, Mb, M, M, M, M,
    /* 88-8F: MOV, MOV Sreg, LEA, MOV Sreg, POP Ev (group 1A) */
    M, M, M, M, M | FRM, M | FRM, M | FRM, M | D64 | FRM,
    /* 90-97: XCHG rAX (90: NOP, F3 90: PAUSE) */
    ___, ___, ___, ___, ___, ___, ___, ___,
    /* 98-9F: CBW, CWD, CALLF Ap, FWAIT, PUSHF, POPF, SAHF, LAHF */
    ___, ___, IMM_FAR | I64, ___, D64, D64, ___, ___,
    /* A0-A7: MOV moffs, MOVS, CMPS */
    Ob, Ob, Ob, Ob, ___, ___, ___, ___,
    /* A8-AF: TEST Ib/Iz, STOS, LODS, SCAS */
    Ib, Iz, ___, ___, ___, ___, ___, ___,
    /* B0-B7: MOV r8, Ib */
    Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib,
    /* B8-BF: MOV r, Iv */
    Iv, Iv, Iv, Iv, Iv, Iv, Iv, Iv,
    /* C0-C7: group 2 Ib, RET Iw, RET, LES (VEX3), LDS (VEX2), group 11 */
    Mb, Mb, Iw | F64, F64, M | I64 | ESC | FRM, M | I64 | ESC | FRM,
    Mb | FRM, Mz | FRM,
    /* C8-CF: ENTER, LEAVE, RETF Iw, RETF, INT3, INT Ib, INTO, IRET */
    IMM_ENTER | D64, D64, Iw, ___, ___, Ib, I64, ___,
    /* D0-D7: group 2 by 1/CL, AAM, AAD, SALC (undocumented), XLAT */
    M, M, M, M, Ib | I64, Ib | I64, I64, ___,
    /* D8-DF: x87 escapes */
    M, M, M, M, M, M, M, M,
    /* E0-E7: LOOPNE, LOOPE, LOOP, JrCXZ, IN/OUT imm8 */
    Ib | F64, Ib | F64, Ib | F64, Ib | F64, Ib, Ib, Ib, Ib,
    /* E8-EF: CALL Jz, JMP Jz, JMPF Ap, JMP Jb, IN/OUT DX */
    Iz | F64, Iz | F64, IMM_FAR | I64, Ib | F64, ___, ___, ___, ___,
    /* F0-F7: LOCK, INT1, REPNE, REP, HLT, CMC, group 3 */
    PFX, ___, PFX, PFX, ___, ___, M | IMM_GRP3, M | IMM_GRP3,
    /* F8-FF: CLC, STC, CLI, STI, CLD, STD, group 4, group 5 */
    ___, ___, ___, ___, ___, ___, M | FRM, M | FRM | D_GRP5,
};

const uint16_t x86_opc_0f[256] = {
    /* 00-07: group 6, group 7, LAR, LSL, -, SYSCALL, CLTS, SYSRET */
    M | FRM, M, M, M, UD, ___, ___, ___,
    /* 08-0F: INVD, WBINVD, -, UD2, -, PREFETCHW, FEMMS, 3DNow! (Ib) */
    ___, ___, UD, UD, UD, M, ___, Mb,
    /* 10-17: SSE moves */
    M, M, M, M, M, M, M, M,
    /* 18-1F: prefetch hints, reserved NOPs, NOP Ev */
    M, M, M, M, M, M, M, M,
    /* 20-27: MOV from/to CR/DR, (MOV TR: gone) */
    M | D_MODREG | FRM, M | D_MODREG | FRM, M | D_MODREG | FRM,
    M | D_MODREG | FRM, UD, UD, UD, UD,
    /* 28-2F: SSE */
    M, M, M, M, M, M, M, M,
    /* 30-37: WRMSR, RDTSC, RDMSR, RDPMC, SYSENTER, SYSEXIT, -, GETSEC */
    ___, ___, ___, ___, ___, ___, UD, ___,
    /* 38-3F: three-byte maps 38 and 3A (taken before this table) */
    UD, UD, UD, UD, UD, UD, UD, UD,
    /* 40-4F: CMOVcc */
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 50-6F: SSE/MMX */
    M | FRM, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 70-77: PSHUF Ib, groups 12-14 Ib, PCMPEQ, EMMS */
    Mb, Mb | FRM, Mb | FRM, Mb | FRM, M, M, M, ___,
    /* 78-7F: VMREAD, VMWRITE, -, -, HADD, HSUB, MOVD/Q */
    M | FRM, M, UD, UD, M, M, M, M,
    /* 80-8F: Jcc Jz */
    Iz | F64, Iz | F64, Iz | F64, Iz | F64,
    Iz | F64, Iz | F64, Iz | F64, Iz | F64,
    Iz | F64, Iz | F64, Iz | F64, Iz | F64,
    Iz | F64, Iz | F64, Iz | F64, Iz | F64,
    /* 90-9F: SETcc */
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* A0-A7: PUSH FS, POP FS, CPUID, BT, SHLD Ib, SHLD CL, -, - */
    D64, D64, ___, M, Mb, M, UD, UD,
    /* A8-AF: PUSH GS, POP GS, RSM, BTS, SHRD Ib, SHRD CL, group 15, IMUL */
    D64, D64, ___, M, Mb, M, M, M,
    /* B0-B7: CMPXCHG, LSS, BTR, LFS, LGS, MOVZX */
    M, M, M | FRM, M, M | FRM, M | FRM, M, M,
    /* B8-BF: POPCNT, UD1, group 8 Ib, BTC, BSF/TZCNT, BSR/LZCNT, MOVSX */
    M | FRM, M | UD, Mb | FRM, M, M, M, M, M,
    /* C0-C7: XADD, CMPPS Ib, MOVNTI, PINSRW Ib, PEXTRW Ib, SHUFPS Ib, g9 */
    M, M, Mb, M, Mb, Mb | FRM, Mb, M,
    /* C8-CF: BSWAP */
    ___, ___, ___, ___, ___, ___, ___, ___,
    /* D0-FF: SSE/MMX; FF is UD0, which takes a ModRM on Intel */
    M, M, M, M, M, M, M | FRM, M | FRM, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M | UD,
};
