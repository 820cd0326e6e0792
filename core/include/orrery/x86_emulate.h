/* SPDX-License-Identifier: MIT */
/*
 * The x86 instruction emulator: decode and execute one instruction against
 * a register file, with every access to memory, I/O ports and system state
 * going through an ops table of callbacks. The hypervisor uses it to finish
 * instructions that fault on emulated MMIO and port I/O, and to find the
 * length of an instruction (QEMU's SVM has no next-RIP save); the unit
 * tests, the fuzzer and tools/emul-diff plug in their own callbacks.
 *
 * The shape follows Xen's x86_emulate (reference §2.5): the same return
 * codes, an ops table whose callbacks take (segment, offset) and apply
 * segmentation themselves, and exceptions reported through the context.
 *
 * Atomicity: an instruction either completes (OKAY, registers and RIP
 * updated) or leaves the register file untouched (EXCEPTION, RETRY,
 * UNHANDLEABLE), except a REP string instruction, which commits each
 * iteration: when it stops part way, RCX/RSI/RDI say how far it got and
 * RIP still points at it, so running it again resumes it. That includes
 * stopping after X86_REP_BATCH iterations with OKAY, so that a guest's
 * huge count cannot hold the hypervisor in one call.
 */
#ifndef ORRERY_X86_EMULATE_H
#define ORRERY_X86_EMULATE_H

#include <orrery/types.h>

/* Iterations of a REP string instruction per x86_emulate() call. */
#define X86_REP_BATCH 1024

/* Return codes (the values are Xen's). */
#define X86EMUL_OKAY            0
#define X86EMUL_UNHANDLEABLE    1   /* not emulated: nothing changed */
#define X86EMUL_EXCEPTION       2   /* ctxt->event holds the fault */
#define X86EMUL_RETRY           3   /* try again later: nothing changed */
#define X86EMUL_CMPXCHG_FAILED  7   /* cmpxchg callback: values differed */

enum x86_segment {
    x86_seg_es,
    x86_seg_cs,
    x86_seg_ss,
    x86_seg_ds,
    x86_seg_fs,
    x86_seg_gs,
    x86_seg_none,       /* no segment: ports, absolute linear addresses */
    x86_seg_gdtr,       /* read/write_segment only: base and limit */
    x86_seg_idtr,
    x86_seg_tr,         /* read/write_segment only: the TSS (I/O bitmap) */
    x86_seg_ldtr,       /* read/write_segment only: the LDT */
};

/* General-purpose registers in encoding order (SDM Vol. 2A Table 2-2). */
enum x86_gpr {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

/* RFLAGS bits (SDM Vol. 1 §3.4.3). */
#define X86_EFLAGS_CF   0x00000001u
#define X86_EFLAGS_MBS  0x00000002u  /* bit 1 reads as one */
#define X86_EFLAGS_PF   0x00000004u
#define X86_EFLAGS_AF   0x00000010u
#define X86_EFLAGS_ZF   0x00000040u
#define X86_EFLAGS_SF   0x00000080u
#define X86_EFLAGS_TF   0x00000100u
#define X86_EFLAGS_IF   0x00000200u
#define X86_EFLAGS_DF   0x00000400u
#define X86_EFLAGS_OF   0x00000800u
#define X86_EFLAGS_IOPL 0x00003000u
#define X86_EFLAGS_NT   0x00004000u
#define X86_EFLAGS_RF   0x00010000u
#define X86_EFLAGS_AC   0x00040000u
#define X86_EFLAGS_ID   0x00200000u
#define X86_EFLAGS_ARITH (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
                          X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* Exception vectors (SDM Vol. 3A §6.15). */
#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_AC  17

/* How an event is delivered (the VMX interruption types, as Xen's). */
#define X86_EVENTTYPE_HW_EXCEPTION      3   /* a fault or trap */
#define X86_EVENTTYPE_SW_INTERRUPT      4   /* INT n */
#define X86_EVENTTYPE_PRI_SW_EXCEPTION  5   /* INT1 (ICEBP) */
#define X86_EVENTTYPE_SW_EXCEPTION      6   /* INT3, INTO */

/* Control and model-specific registers the emulator itself consults. */
#define X86_CR0_PE      0x00000001u
#define X86_CR0_EM      0x00000004u
#define X86_CR0_TS      0x00000008u
#define X86_CR0_AM      0x00040000u
#define X86_CR4_TSD     0x00000004u
#define X86_CR4_DE      0x00000008u
#define X86_CR4_OSFXSR  0x00000200u
#define X86_CR4_UMIP    0x00000800u
#define X86_CR4_OSXSAVE 0x00040000u
#define X86_XCR0_SSE    0x00000002u
#define X86_XCR0_YMM    0x00000004u
#define X86_DR6_BD      0x00002000u /* debug register access detected */
#define X86_DR7_GD      0x00002000u /* general detect enable */
#define MSR_IA32_TSC    0x00000010u
#define MSR_TSC_AUX     0xc0000103u

struct x86_regs {
    uint64_t gpr[16];       /* enum x86_gpr order */
    uint64_t rip;
    uint64_t rflags;
};

/*
 * Optional instructions the emulated CPU has (ctxt->features), as its
 * CPUID reports them. Without the bit the encoding means what it meant
 * before the extension: F3 0F BC/BD are BSF/BSR (the F3 is ignored),
 * POPCNT, MOVBE and CMPXCHG16B are #UD (SDM Vol. 2 "TZCNT", "LZCNT").
 */
#define X86_FEAT_POPCNT 0x01    /* CPUID.1:ECX[23] */
#define X86_FEAT_LZCNT  0x02    /* CPUID.80000001H:ECX[5] (ABM) */
#define X86_FEAT_BMI1   0x04    /* CPUID.(7,0):EBX[3]: TZCNT */
#define X86_FEAT_MOVBE  0x08    /* CPUID.1:ECX[22] */
#define X86_FEAT_CX16   0x10    /* CPUID.1:ECX[13]: CMPXCHG16B */
#define X86_FEAT_RDTSCP 0x20    /* CPUID.80000001H:EDX[27] */
#define X86_FEAT_AVX    0x40    /* CPUID.1:ECX[28]: VEX moves */

/* ctxt->retire: side effects of an instruction that completed. */
#define X86_RETIRE_HLT      0x01    /* HLT: the vCPU waits for an event */
#define X86_RETIRE_STI      0x02    /* STI that set IF: one-instruction
                                     * interrupt shadow */
#define X86_RETIRE_MOV_SS   0x04    /* MOV SS / POP SS: shadow too */

/* Code size: CS.L=1 is 64, else CS.D selects 32 or 16. */
enum x86_mode {
    X86_MODE_16 = 2,
    X86_MODE_32 = 4,
    X86_MODE_64 = 8,
};

struct segment_register {
    uint16_t sel;
    uint16_t attr;          /* descriptor bits 40-47 and 52-55, packed */
    uint32_t limit;
    uint64_t base;
};

/* The fault an instruction raised; valid after X86EMUL_EXCEPTION. */
struct x86_event {
    uint8_t vector;
    uint8_t type;           /* X86_EVENTTYPE_* */
    uint8_t insn_len;       /* software events: the instruction's length
                             * (RIP still points at it) */
    bool has_error_code;
    uint32_t error_code;
    uint64_t cr2;           /* #PF only */
};

/* Opcode maps. */
enum x86_opc_map {
    X86_MAP_1B,             /* one-byte opcodes */
    X86_MAP_0F,
    X86_MAP_0F38,
    X86_MAP_0F3A,
    X86_MAP_3DNOW,          /* 0F 0F: opcode is the trailing byte */
};

/* Legacy prefixes seen (insn.prefixes). */
#define X86_PFX_LOCK    0x01
#define X86_PFX_REP     0x02    /* F3, when it was the last of F2/F3 */
#define X86_PFX_REPNE   0x04    /* F2, when it was the last of F2/F3 */
#define X86_PFX_OPSIZE  0x08    /* 66 */
#define X86_PFX_ADSIZE  0x10    /* 67 */
#define X86_PFX_VEX     0x20    /* C4/C5 VEX prefix */
#define X86_PFX_EVEX    0x40    /* 62 EVEX prefix (length only) */

#define X86_NO_REG 0xff

/* One decoded instruction. */
struct x86_insn {
    uint8_t len;            /* total length in bytes, 1..15 */
    uint8_t map;            /* enum x86_opc_map */
    uint8_t opcode;
    uint8_t prefixes;       /* X86_PFX_* */
    uint8_t rex;            /* the effective REX byte, 0 if none */
    uint8_t op_bytes;       /* operand size: 2, 4 or 8 */
    uint8_t ad_bytes;       /* address size: 2, 4 or 8 */
    uint8_t seg;            /* memory operand's segment (enum x86_segment) */
    bool seg_override;
    bool has_modrm;
    uint8_t modrm_mod, modrm_reg, modrm_rm; /* reg and rm include REX bits */
    bool mem;               /* ModRM names memory (mod != 3) */
    bool rip_rel;
    uint8_t ea_base;        /* memory operand: base GPR, or X86_NO_REG */
    uint8_t ea_index;       /* index GPR, or X86_NO_REG */
    uint8_t ea_scale;       /* index is shifted left by this (0-3) */
    uint8_t disp_bytes;
    uint8_t imm_bytes;      /* all immediate bytes, both of ENTER's */
    uint8_t vex_l;          /* VEX.L / EVEX.L'L */
    uint8_t vex_reg;        /* VEX.vvvv, uninverted */
    uint8_t vex_pp;         /* VEX/EVEX.pp: 0 none, 1 66, 2 F3, 3 F2 */
    uint64_t ea;            /* memory operand's offset (address size) */
    int64_t disp;
    uint64_t imm;           /* first immediate, sign- or zero-extended as
                             * the instruction defines; moffs goes here */
    uint64_t imm2;          /* ENTER's second, far pointer's selector */
};

/*
 * The last instruction decoded through a context, with its bytes: when
 * the bytes at RIP are the same again (a driver polling a device
 * register runs one instruction over and over), x86_decode() reuses the
 * decoding. It is keyed by the bytes, which are fetched and compared
 * every time, so it cannot go stale; a zeroed context starts it empty.
 */
struct x86_decode_memo {
    uint8_t bytes[15];
    uint8_t len;            /* 0: empty */
    uint8_t mode;
    struct x86_insn insn;
};

struct x86_emulate_ctxt;

struct cpuid_leaf {
    uint32_t a, b, c, d;
};

/*
 * Callbacks. Each returns an X86EMUL_* code; on EXCEPTION it has set
 * ctxt->event (x86_emul_hw_exception, x86_emul_pagefault). A NULL callback
 * makes instructions that need it UNHANDLEABLE. Memory callbacks get the
 * offset within @seg (already truncated to the address size) and apply
 * the segment base and checks themselves (x86_seg_check,
 * x86_alignment_check and x86_pf_error_code below help); the emulator
 * has already raised #GP/#SS for a non-canonical address in 64-bit mode
 * through ES, CS, SS or DS. Reads and writes are 1, 2, 4 or 8 bytes, 16
 * or 32 for the SSE/AVX moves; x86_seg_none means a linear address (the
 * descriptor tables and the TSS's I/O bitmap). A callback that fails
 * must have done nothing.
 */
struct x86_emulate_ops {
    int (*read)(enum x86_segment seg, uint64_t offset, void *buf,
                unsigned int bytes, struct x86_emulate_ctxt *ctxt);
    int (*insn_fetch)(enum x86_segment seg, uint64_t offset, void *buf,
                      unsigned int bytes, struct x86_emulate_ctxt *ctxt);
    int (*write)(enum x86_segment seg, uint64_t offset, const void *buf,
                 unsigned int bytes, struct x86_emulate_ctxt *ctxt);
    /*
     * If memory equals *@old, store *@new (atomically when @lock) and
     * return OKAY; otherwise copy the current value into *@old and return
     * X86EMUL_CMPXCHG_FAILED.
     */
    int (*cmpxchg)(enum x86_segment seg, uint64_t offset, void *old,
                   const void *new, unsigned int bytes, bool lock,
                   struct x86_emulate_ctxt *ctxt);
    int (*read_io)(unsigned int port, unsigned int bytes, uint32_t *val,
                   struct x86_emulate_ctxt *ctxt);
    int (*write_io)(unsigned int port, unsigned int bytes, uint32_t val,
                    struct x86_emulate_ctxt *ctxt);
    int (*read_segment)(enum x86_segment seg, struct segment_register *reg,
                        struct x86_emulate_ctxt *ctxt);
    int (*write_segment)(enum x86_segment seg,
                         const struct segment_register *reg,
                         struct x86_emulate_ctxt *ctxt);
    int (*read_cr)(unsigned int reg, uint64_t *val,
                   struct x86_emulate_ctxt *ctxt);
    int (*write_cr)(unsigned int reg, uint64_t val,
                    struct x86_emulate_ctxt *ctxt);
    int (*read_dr)(unsigned int reg, uint64_t *val,
                   struct x86_emulate_ctxt *ctxt);
    int (*write_dr)(unsigned int reg, uint64_t val,
                    struct x86_emulate_ctxt *ctxt);
    int (*read_msr)(uint32_t reg, uint64_t *val,
                    struct x86_emulate_ctxt *ctxt);
    int (*write_msr)(uint32_t reg, uint64_t val,
                     struct x86_emulate_ctxt *ctxt);
    int (*cpuid)(uint32_t leaf, uint32_t subleaf, struct cpuid_leaf *res,
                 struct x86_emulate_ctxt *ctxt);
    /* INVLPG: drop the translation of @offset in @seg. */
    int (*invlpg)(enum x86_segment seg, uint64_t offset,
                  struct x86_emulate_ctxt *ctxt);
    /*
     * Optional: REP MOVS (ES:@dst_off <- @src_seg:@src_off) and REP STOS
     * (ES:@dst_off <- @val) in bulk, forward (DF = 0), for callers that
     * know the memory is plain RAM, where reading ahead has no side
     * effect. Do up to *@reps elements of @bytes in element order (an
     * element may read an earlier one's destination), set *@reps to the
     * number done and return OKAY. If an element cannot be done, stop
     * before it: *@reps is the number done before it, the return code
     * and ctxt->event are its own, exactly as if it had been done alone.
     * UNHANDLEABLE asks the emulator to do the rest element by element
     * through read and write (MMIO). Neither range wraps the address
     * size, nor, in 64-bit mode, leaves the canonical half it starts in
     * through ES, CS, SS or DS.
     */
    int (*rep_movs)(enum x86_segment src_seg, uint64_t src_off,
                    uint64_t dst_off, unsigned int bytes,
                    unsigned long *reps, struct x86_emulate_ctxt *ctxt);
    int (*rep_stos)(uint64_t dst_off, uint64_t val, unsigned int bytes,
                    unsigned long *reps, struct x86_emulate_ctxt *ctxt);
    /*
     * SSE/AVX registers for the vector moves: read the low @bytes (16 or
     * 32) of XMM/YMM register @reg (0-15), or write them. A 16-byte
     * write (legacy SSE) leaves bits 255 and up alone; a 32-byte write
     * (VEX) also clears any bits above 255 the CPU has (SDM Vol. 1
     * §14.1.2, VLMAX).
     */
    int (*read_xmm)(unsigned int reg, void *buf, unsigned int bytes,
                    struct x86_emulate_ctxt *ctxt);
    int (*write_xmm)(unsigned int reg, const void *buf, unsigned int bytes,
                     struct x86_emulate_ctxt *ctxt);
};

struct x86_emulate_ctxt {
    /* In: the register file (out: updated), code and stack size. */
    struct x86_regs regs;
    enum x86_mode mode;
    uint8_t sp_bytes;       /* SS.B: 2 or 4 outside 64-bit mode; 0 means
                             * the same as the code size */
    uint32_t features;      /* X86_FEAT_* */
    uint8_t cpl;            /* current privilege level (0 in real mode);
                             * IOPL is in regs.rflags. Virtual-8086 mode
                             * is not modelled. */
    uint64_t xcr0;          /* XCR0 (XSETBV), for the VEX moves */
    /*
     * Optional: bytes already fetched at RIP (a VMCB's guest instruction
     * bytes). The decoder uses them before calling insn_fetch.
     */
    const uint8_t *insn_buf;
    uint8_t insn_buf_bytes;

    /* Out. */
    struct x86_insn insn;   /* the instruction decoded (len 0 if none) */
    struct x86_event event; /* after X86EMUL_EXCEPTION */
    uint32_t flags_undefined;   /* RFLAGS bits this instruction leaves
                                 * architecturally undefined */
    uint8_t retire;         /* X86_RETIRE_*, after OKAY */

    void *data;             /* the callbacks' owner */

    struct x86_decode_memo memo;    /* x86_decode()'s own: zero it (with
                                     * the context) before first use; keep
                                     * the context per vCPU to reuse it */
};

/*
 * Decode the instruction at ctxt->regs.rip into ctxt->insn, fetching
 * through ops->insn_fetch. Returns OKAY, or EXCEPTION with #UD (invalid
 * encoding), #GP(0) (longer than 15 bytes) or a fetch fault.
 */
int x86_decode(struct x86_emulate_ctxt *ctxt,
               const struct x86_emulate_ops *ops);

/* Decode and execute one instruction. */
int x86_emulate(struct x86_emulate_ctxt *ctxt,
                const struct x86_emulate_ops *ops);

/*
 * Length of the instruction at the start of @buf (@bytes available) in
 * @mode: 1..15, or 0 with *@vector set (X86_EXC_UD for an invalid
 * encoding, X86_EXC_GP for one longer than 15 bytes) or -1 if @buf ends
 * before the instruction does. Needs no callbacks.
 */
int x86_insn_length(const uint8_t *buf, unsigned int bytes,
                    enum x86_mode mode, unsigned int *vector);

static inline int x86_emul_hw_exception(unsigned int vector,
                                        int error_code,
                                        struct x86_emulate_ctxt *ctxt)
{
    ctxt->event.vector = vector;
    ctxt->event.type = X86_EVENTTYPE_HW_EXCEPTION;
    ctxt->event.insn_len = 0;
    ctxt->event.has_error_code = error_code >= 0;
    ctxt->event.error_code = error_code >= 0 ? error_code : 0;
    ctxt->event.cr2 = 0;
    return X86EMUL_EXCEPTION;
}

static inline int x86_emul_pagefault(uint32_t error_code, uint64_t cr2,
                                     struct x86_emulate_ctxt *ctxt)
{
    ctxt->event.vector = X86_EXC_PF;
    ctxt->event.type = X86_EVENTTYPE_HW_EXCEPTION;
    ctxt->event.insn_len = 0;
    ctxt->event.has_error_code = true;
    ctxt->event.error_code = error_code;
    ctxt->event.cr2 = cr2;
    return X86EMUL_EXCEPTION;
}

/*
 * Helpers for callbacks, which apply segmentation and paging themselves
 * (the emulator checks canonical addresses only for segments whose base
 * is architecturally zero in 64-bit mode: not FS and GS).
 */
enum x86_access { X86_ACCESS_READ, X86_ACCESS_WRITE, X86_ACCESS_FETCH };

/*
 * Check an access of @bytes at @offset through segment @seg described by
 * @reg: in 64-bit mode that the linear address is canonical (FS/GS:
 * base + offset); otherwise that the segment is present and usable, that
 * its type allows the access (no writes to code or read-only data, no
 * reads of execute-only code) and the limit (expand-up or expand-down,
 * SDM Vol. 3A §5.3-5.4). Returns OKAY, or EXCEPTION with #GP(0), or
 * #SS(0) for SS. @reg's attr holds descriptor bits 40-47 in bits 0-7 and
 * 52-55 in bits 8-11, its limit is in bytes (G already applied).
 */
int x86_seg_check(enum x86_segment seg, const struct segment_register *reg,
                  uint64_t offset, unsigned int bytes, enum x86_access acc,
                  struct x86_emulate_ctxt *ctxt);

/*
 * #AC(0) if alignment checking applies (CR0.AM, EFLAGS.AC and CPL 3) and
 * the linear address @lin of a @bytes-wide data access is misaligned
 * (SDM Vol. 3A §6.15 "Interrupt 17").
 */
int x86_alignment_check(uint64_t cr0, uint64_t lin, unsigned int bytes,
                        struct x86_emulate_ctxt *ctxt);

/* #PF error code bits (SDM Vol. 3A §4.7). */
#define X86_PFEC_PRESENT    0x01u   /* a protection fault, not not-present */
#define X86_PFEC_WRITE      0x02u
#define X86_PFEC_USER       0x04u   /* a user-mode (CPL 3) access */
#define X86_PFEC_RSVD       0x08u   /* a reserved bit set in an entry */
#define X86_PFEC_INSN       0x10u   /* an instruction fetch */

/*
 * The error code of a #PF for an @acc access: @present when the walk
 * reached a present entry that forbids it, @user for CPL 3, @rsvd for a
 * reserved-bit violation. The fetch bit is reported only when NX or SMEP
 * is on (@fetch_reported).
 */
static inline uint32_t x86_pf_error_code(enum x86_access acc, bool present,
                                         bool user, bool rsvd,
                                         bool fetch_reported)
{
    return (present || rsvd ? X86_PFEC_PRESENT : 0) |
           (acc == X86_ACCESS_WRITE ? X86_PFEC_WRITE : 0) |
           (user ? X86_PFEC_USER : 0) |
           (rsvd ? X86_PFEC_RSVD : 0) |
           (acc == X86_ACCESS_FETCH && fetch_reported ? X86_PFEC_INSN : 0);
}

#endif /* ORRERY_X86_EMULATE_H */
