/* SPDX-License-Identifier: MIT */
/*
 * The software radix format (the backend sim uses): the shape of x86-64
 * and Arm 4 KiB-granule tables (p2m_pt.c walks it), in an encoding only
 * software reads.
 *
 *   bit 0      used (a table, or a leaf of any type)
 *   bit 1      leaf (implied at level 0)
 *   bit 2      no frame (pod, mmio_dm, paged: the mfn field is unused)
 *   bits 12-51 mfn: of the next table, or of the leaf's first frame
 *   bits 52-55 type, bits 56-58 access
 */
#include <orrery/p2m_pt.h>

#define RX_USED      (1ULL << 0)
#define RX_LEAF      (1ULL << 1)
#define RX_NOFRAME   (1ULL << 2)
#define RX_MFN_SHIFT 12
#define RX_MFN_MASK  ((1ULL << 40) - 1)
#define RX_TYPE_SHIFT 52
#define RX_ACC_SHIFT 56

static p2m_pte_t rx_make_leaf(mfn_t mfn, p2m_type_t t, p2m_access_t a,
                              unsigned int level)
{
    p2m_pte_t e = RX_USED | ((uint64_t)t << RX_TYPE_SHIFT) |
                  ((uint64_t)a << RX_ACC_SHIFT);

    if ( level )
        e |= RX_LEAF;
    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        e |= RX_NOFRAME;
    else
        e |= (mfn_x(mfn) & RX_MFN_MASK) << RX_MFN_SHIFT;
    return e;
}

static p2m_pte_t rx_make_table(mfn_t mfn)
{
    return RX_USED | (mfn_x(mfn) << RX_MFN_SHIFT);
}

static bool rx_is_used(p2m_pte_t e)
{
    return e & RX_USED;
}

static bool rx_is_leaf(p2m_pte_t e, unsigned int level)
{
    return level == 0 || (e & RX_LEAF);
}

static mfn_t rx_mfn(p2m_pte_t e)
{
    if ( e & RX_NOFRAME )
        return INVALID_MFN;
    return _mfn((e >> RX_MFN_SHIFT) & RX_MFN_MASK);
}

static p2m_type_t rx_type(p2m_pte_t e)
{
    return (p2m_type_t)((e >> RX_TYPE_SHIFT) & 0xf);
}

static p2m_access_t rx_access(p2m_pte_t e)
{
    return (p2m_access_t)((e >> RX_ACC_SHIFT) & 0x7);
}

static const struct p2m_pt_bits radix_bits = {
    .used = RX_USED,
    .leaf = RX_LEAF,
    .noframe = RX_NOFRAME,
    .addr = RX_MFN_MASK << RX_MFN_SHIFT,
    .type_shift = RX_TYPE_SHIFT,
    .access_shift = RX_ACC_SHIFT,
};

static const struct p2m_pt_format radix_format = {
    .make_leaf = rx_make_leaf,
    .make_table = rx_make_table,
    .is_used = rx_is_used,
    .is_leaf = rx_is_leaf,
    .mfn = rx_mfn,
    .type = rx_type,
    .access = rx_access,
    .bits = &radix_bits,
};

static int rx_init(struct p2m_domain *p2m)
{
    return p2m_pt_init(p2m, &radix_format);
}

const struct p2m_backend_ops p2m_radix_ops = {
    .name = "radix",
    .init = rx_init,
    .teardown = p2m_pt_teardown,
    .set_entry = p2m_pt_set_entry,
    .get_entry = p2m_pt_get_entry,
    .for_each_entry = p2m_pt_for_each,
    .order_ok = p2m_pt_order_ok,
};
