/* SPDX-License-Identifier: MIT */
/*
 * The length of every one-byte and 0F opcode in every mode, against grids
 * written from the opcode maps of the SDM Vol. 2D Appendix A (Tables A-2
 * and A-3, with the ModRM groups of Table A-6), independently of the
 * decoder's own tables. One character per opcode:
 *
 *   .  opcode only             M  ModRM (tested as a register, C0)
 *   m  ModRM, memory only (00) R  ModRM, register only (C0)
 *   b  Ib   w  Iw   z  Iz      B  ModRM + Ib     Z  ModRM + Iz
 *   v  Iv (Iz without REX.W)   o  moffs (address size)
 *   e  ENTER Iw,Ib             f  far pointer: Iz + selector
 *   T  group 8: ModRM + Ib, /4-/7 only (tested as E0)
 *   Q  register-only ModRM + Ib
 *   U  #UD in every mode       P  prefix, X  escape (not tested here)
 */
#include "suites.h"

#include <orrery/x86_emulate.h>

static const char *const map1[16] = {
    "MMMMbz..MMMMbz.X", "MMMMbz..MMMMbz..",     /* 00 10 */
    "MMMMbzP.MMMMbzP.", "MMMMbzP.MMMMbzP.",     /* 20 30 */
    "................", "................",     /* 40 50 */
    "..mMPPPPzZbB....", "bbbbbbbbbbbbbbbb",     /* 60 70 */
    "BZBBMMMMMMMMMmMM", "..........f.....",     /* 80 90 */
    "oooo....bz......", "bbbbbbbbvvvvvvvv",     /* A0 B0 */
    "BBw.mmBZe.w..b..", "MMMMbb..MMMMMMMM",     /* C0 D0 */
    "bbbbbbbbzzfb....", "P.PP..BZ......MM",     /* E0 F0 */
};

static const char *const map0f[16] = {
    "MMMMU.....UUUM.B", "MMMMMMMMMMMMMMMM",     /* 00 10 */
    "MMMMUUUUMMMMMMMM", "......U.XUXUUUUU",     /* 20 30 */
    "MMMMMMMMMMMMMMMM", "RMMMMMMMMMMMMMMM",     /* 40 50 */
    "MMMMMMMMMMMMMMMM", "BQQQMMM.MMUUMMMM",     /* 60 70 */
    "zzzzzzzzzzzzzzzz", "MMMMMMMMMMMMMMMM",     /* 80 90 */
    "...MBMUU...MBMMM", "MMmMmmMMUUTMMMMM",     /* A0 B0 */
    "MMBMBQBM........", "MMMMMMMRMMMMMMMM",     /* C0 D0 */
    "MMMMMMMMMMMMMMMM", "MMMMMMMMMMMMMMMU",     /* E0 F0 */
};

/* One-byte opcodes that are #UD in 64-bit mode (Table A-2 "i64"); C4,
 * C5 and 62 become VEX/EVEX there and are tested in test_decode.c. */
static const uint8_t inv64[] = {
    0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f,
    0x60, 0x61, 0x82, 0x9a, 0xce, 0xd4, 0xd5, 0xd6, 0xea,
};

static bool is_inv64(uint8_t op)
{
    unsigned int i;

    for ( i = 0; i < sizeof(inv64); i++ )
        if ( inv64[i] == op )
            return true;
    return false;
}

/* Expected length of @op's cell @c, or 0 for #UD; -1 means skip. */
static int expect(char c, enum x86_mode mode, unsigned int opc_bytes,
                  uint8_t *modrm)
{
    unsigned int z = mode == X86_MODE_16 ? 2 : 4;

    *modrm = 0xc0;
    switch ( c )
    {
    case '.': return opc_bytes;
    case 'M': case 'R': return opc_bytes + 1;
    case 'm': *modrm = 0x00; return opc_bytes + 1;
    case 'b': return opc_bytes + 1;
    case 'w': return opc_bytes + 2;
    case 'z': case 'v': return opc_bytes + z;
    case 'o': return opc_bytes + mode;
    case 'e': return opc_bytes + 3;
    case 'f': return opc_bytes + z + 2;
    case 'B': case 'Q': return opc_bytes + 2;
    case 'Z': return opc_bytes + 1 + z;
    case 'T': *modrm = 0xe0; return opc_bytes + 2;
    case 'U': return 0;
    }
    return -1;
}

static void check_map(const char *const grid[16], bool two_byte,
                      enum x86_mode mode)
{
    unsigned int op;

    for ( op = 0; op < 256; op++ )
    {
        uint8_t buf[16], modrm;
        unsigned int n = 0, vec = 0, i;
        char c = grid[op >> 4][op & 15];
        int want = expect(c, mode, two_byte ? 2 : 1, &modrm), got;

        if ( want < 0 )
            continue;
        if ( mode == X86_MODE_64 && !two_byte )
        {
            if ( (op & 0xf0) == 0x40 || op == 0xc4 || op == 0xc5 ||
                 op == 0x62 )
                continue;
            if ( is_inv64(op) )
                want = 0;
            if ( op == 0x63 )
                want = 2;           /* MOVSXD, not ARPL: same length */
        }
        if ( mode == X86_MODE_64 &&
             ((!two_byte && (op == 0xe8 || op == 0xe9)) ||
              (two_byte && (op & 0xf0) == 0x80)) )
            want = (two_byte ? 2 : 1) + 4;  /* rel32 at 64-bit size */
        if ( two_byte )
            buf[n++] = 0x0f;
        buf[n++] = op;
        /* /0 for the groups whose reg field matters: a valid member. */
        buf[n++] = modrm;
        for ( i = n; i < sizeof(buf); i++ )
            buf[i] = 0x11;
        got = x86_insn_length(buf, sizeof(buf), mode, &vec);
        if ( got != want || (want == 0 && vec != X86_EXC_UD) )
        {
            fprintf(stderr, "\n%u-bit %s%02x (%c): got %d (vector %u), "
                    "want %d\n", mode * 8, two_byte ? "0f " : "", op, c,
                    got, vec, want);
            CU_FAIL("length");
        }
    }
}

static void test_map1_16(void) { check_map(map1, false, X86_MODE_16); }
static void test_map1_32(void) { check_map(map1, false, X86_MODE_32); }
static void test_map1_64(void) { check_map(map1, false, X86_MODE_64); }
static void test_map0f_16(void) { check_map(map0f, true, X86_MODE_16); }
static void test_map0f_32(void) { check_map(map0f, true, X86_MODE_32); }
static void test_map0f_64(void) { check_map(map0f, true, X86_MODE_64); }

static int len_of(const char *s, unsigned int n, enum x86_mode mode,
                  unsigned int *vec)
{
    *vec = 0;
    return x86_insn_length((const uint8_t *)s, n, mode, vec);
}
#define LEN(s, mode) len_of((s), sizeof(s) - 1, (mode), &vec)

/* ModRM/SIB/displacement forms (SDM Vol. 2A Tables 2-1 to 2-3). */
static void test_addressing(void)
{
    unsigned int vec;

    /* 16-bit: mod 00 rm 110 is disp16; mod 01 disp8; mod 10 disp16. */
    CU_ASSERT_EQUAL(LEN("\x8b\x06\x34\x12", X86_MODE_16), 4);
    CU_ASSERT_EQUAL(LEN("\x8b\x46\x12", X86_MODE_16), 3);
    CU_ASSERT_EQUAL(LEN("\x8b\x80\x34\x12", X86_MODE_16), 4);
    /* No SIB in 16-bit addressing: rm 100 is [si]. */
    CU_ASSERT_EQUAL(LEN("\x8b\x04", X86_MODE_16), 2);
    /* 67 switches 16-bit code to 32-bit addressing and back. */
    CU_ASSERT_EQUAL(LEN("\x67\x8b\x04\x25\x78\x56\x34\x12", X86_MODE_16), 8);
    CU_ASSERT_EQUAL(LEN("\x67\x8b\x06\x34\x12", X86_MODE_32), 5);
    /* 32-bit: SIB; base 101 with mod 00 is disp32 without base. */
    CU_ASSERT_EQUAL(LEN("\x8b\x04\x24", X86_MODE_32), 3);
    CU_ASSERT_EQUAL(LEN("\x8b\x04\x25\x78\x56\x34\x12", X86_MODE_32), 7);
    CU_ASSERT_EQUAL(LEN("\x8b\x44\x24\x08", X86_MODE_32), 4);
    CU_ASSERT_EQUAL(LEN("\x8b\x84\x24\x78\x56\x34\x12", X86_MODE_32), 7);
    CU_ASSERT_EQUAL(LEN("\x8b\x05\x78\x56\x34\x12", X86_MODE_32), 6);
    /* 64-bit: RIP-relative is the same length; REX.B does not change
     * which rm values need a SIB or a displacement. */
    CU_ASSERT_EQUAL(LEN("\x8b\x05\x78\x56\x34\x12", X86_MODE_64), 6);
    CU_ASSERT_EQUAL(LEN("\x41\x8b\x04\x24", X86_MODE_64), 4);
    CU_ASSERT_EQUAL(LEN("\x41\x8b\x45\x00", X86_MODE_64), 4);
    /* MOV CR/DR ignore mod: never a displacement (SDM "MOV"). */
    CU_ASSERT_EQUAL(LEN("\x0f\x20\x05", X86_MODE_32), 3);
}

static void test_immediates(void)
{
    unsigned int vec;

    CU_ASSERT_EQUAL(LEN("\x66\x05\x34\x12", X86_MODE_32), 4);
    CU_ASSERT_EQUAL(LEN("\x66\x05\x78\x56\x34\x12", X86_MODE_16), 6);
    /* MOV r64, imm64 is the only 8-byte immediate. */
    CU_ASSERT_EQUAL(LEN("\x48\xb8\x01\x02\x03\x04\x05\x06\x07\x08",
                        X86_MODE_64), 10);
    CU_ASSERT_EQUAL(LEN("\x48\x05\x01\x02\x03\x04", X86_MODE_64), 6);
    CU_ASSERT_EQUAL(LEN("\x48\xc7\xc0\x01\x02\x03\x04", X86_MODE_64), 7);
    /* moffs follows the address size: 8 bytes in 64-bit mode, 4 with 67. */
    CU_ASSERT_EQUAL(LEN("\xa1\x01\x02\x03\x04\x05\x06\x07\x08",
                        X86_MODE_64), 9);
    CU_ASSERT_EQUAL(LEN("\x67\xa1\x01\x02\x03\x04", X86_MODE_64), 6);
    CU_ASSERT_EQUAL(LEN("\x66\xa1\x01\x02\x03\x04", X86_MODE_32), 6);
    /* Group 3: only TEST (/0, /1) has an immediate. */
    CU_ASSERT_EQUAL(LEN("\xf7\xc0\x01\x02\x03\x04", X86_MODE_32), 6);
    CU_ASSERT_EQUAL(LEN("\xf7\xd0", X86_MODE_32), 2);
    CU_ASSERT_EQUAL(LEN("\xf6\xc8\x01", X86_MODE_32), 3);
    /* ENTER Iw, Ib; far pointers; near branches in 64-bit mode keep
     * rel32 whatever 66 says (Intel). */
    CU_ASSERT_EQUAL(LEN("\xc8\x10\x00\x01", X86_MODE_64), 4);
    CU_ASSERT_EQUAL(LEN("\x66\xea\x00\x10\x08\x00", X86_MODE_32), 6);
    CU_ASSERT_EQUAL(LEN("\x66\xe8\x01\x02\x03\x04", X86_MODE_64), 6);
    CU_ASSERT_EQUAL(LEN("\x66\xe8\x01\x02", X86_MODE_32), 4);
    /* Three-byte maps: 0F 38 no immediate, 0F 3A one. */
    CU_ASSERT_EQUAL(LEN("\x66\x0f\x38\x00\xc1", X86_MODE_64), 5);
    CU_ASSERT_EQUAL(LEN("\x66\x0f\x3a\x0f\xc1\x08", X86_MODE_64), 6);
    /* 3DNow!: ModRM, then the opcode as a trailing byte. */
    CU_ASSERT_EQUAL(LEN("\x0f\x0f\xc1\x9e", X86_MODE_32), 4);
}

CU_TestInfo lengths_tests[] = {
    ORR_CASE(test_map1_16),
    ORR_CASE(test_map1_32),
    ORR_CASE(test_map1_64),
    ORR_CASE(test_map0f_16),
    ORR_CASE(test_map0f_32),
    ORR_CASE(test_map0f_64),
    ORR_CASE(test_addressing),
    ORR_CASE(test_immediates),
    CU_TEST_INFO_NULL,
};
