/* SPDX-License-Identifier: MIT */
/*
 * The NPT entry format for core/p2m's table walker (p2m_pt.h).
 *
 * Nested tables are ordinary long-mode tables walked with guest-physical
 * addresses (APM vol. 2 §15.25.5). Every nested access counts as a user
 * access, so U/S is set at every level; NX is honoured because the host
 * runs with EFER.NXE. A present entry is always readable, so a type or
 * access the hardware cannot express (no read, or no frame at all: pod,
 * mmio_dm, paged) is written not-present and faults as #NPF, where the
 * software decides. The bits the hardware ignores carry the p2m's own
 * state:
 *
 *   bit 9      used (a table, or a leaf of any type, present or not)
 *   bit 10     no frame (the address field is unused)
 *   bits 52-55 p2m type, bits 56-58 p2m access
 *
 * Leaves above level 0 set PS even when not present, so the walker can
 * tell them from tables.
 */
#include <orrery/lib.h>

#include "npt.h"

#define NPT_SW_USED    (1ULL << 9)
#define NPT_SW_NOFRAME (1ULL << 10)
#define NPT_TYPE_SHIFT 52
#define NPT_ACC_SHIFT  56

bool npt_has_1g;

/* Which types map a frame the guest may touch directly, and how. */
static bool type_present(p2m_type_t t)
{
    switch ( t )
    {
    case p2m_ram_rw: case p2m_ram_ro: case p2m_ram_logdirty:
    case p2m_mmio_direct: case p2m_grant_map_rw: case p2m_grant_map_ro:
    case p2m_ram_shared: case p2m_map_foreign:
        return true;
    default:
        return false;
    }
}

static bool type_writable(p2m_type_t t)
{
    /* logdirty and shared fault on write: the first write is recorded
     * or the page unshared before the guest may write it. */
    return t == p2m_ram_rw || t == p2m_mmio_direct ||
           t == p2m_grant_map_rw || t == p2m_map_foreign;
}

static p2m_pte_t npt_make_leaf(mfn_t mfn, p2m_type_t t, p2m_access_t a,
                               unsigned int level)
{
    p2m_pte_t e = NPT_SW_USED | ((uint64_t)t << NPT_TYPE_SHIFT) |
                  ((uint64_t)a << NPT_ACC_SHIFT);

    if ( level )
        e |= NPT_PS;
    if ( mfn_x(mfn) == mfn_x(INVALID_MFN) )
        return e | NPT_SW_NOFRAME;
    e |= (mfn_x(mfn) << PAGE_SHIFT) & NPT_ADDR_MASK;

    if ( type_present(t) && (a & p2m_access_r) )
    {
        e |= NPT_P | NPT_US;
        if ( type_writable(t) && (a & p2m_access_w) )
            e |= NPT_RW;
        if ( !(a & p2m_access_x) || t == p2m_mmio_direct )
            e |= NPT_NX;
        if ( t == p2m_mmio_direct )
            e |= NPT_PCD | NPT_PWT;     /* uncached (APM vol. 2 §7.8) */
    }
    return e;
}

static p2m_pte_t npt_make_table(mfn_t mfn)
{
    /* Rights are the intersection over levels: tables grant all. */
    return NPT_SW_USED | NPT_P | NPT_RW | NPT_US |
           ((mfn_x(mfn) << PAGE_SHIFT) & NPT_ADDR_MASK);
}

static bool npt_is_used(p2m_pte_t e)
{
    return e & NPT_SW_USED;
}

static bool npt_is_leaf(p2m_pte_t e, unsigned int level)
{
    return level == 0 || (e & NPT_PS);
}

static mfn_t npt_mfn(p2m_pte_t e)
{
    if ( e & NPT_SW_NOFRAME )
        return INVALID_MFN;
    return _mfn((e & NPT_ADDR_MASK) >> PAGE_SHIFT);
}

static p2m_type_t npt_type(p2m_pte_t e)
{
    return (p2m_type_t)((e >> NPT_TYPE_SHIFT) & 0xf);
}

static p2m_access_t npt_access(p2m_pte_t e)
{
    return (p2m_access_t)((e >> NPT_ACC_SHIFT) & 0x7);
}

static const struct p2m_pt_bits npt_bits = {
    .used = NPT_SW_USED,
    .leaf = NPT_PS,
    .noframe = NPT_SW_NOFRAME,
    .addr = NPT_ADDR_MASK,
    .type_shift = NPT_TYPE_SHIFT,
    .access_shift = NPT_ACC_SHIFT,
};

static const struct p2m_pt_format npt_format = {
    .make_leaf = npt_make_leaf,
    .make_table = npt_make_table,
    .is_used = npt_is_used,
    .is_leaf = npt_is_leaf,
    .mfn = npt_mfn,
    .type = npt_type,
    .access = npt_access,
    .bits = &npt_bits,
};

static int npt_init(struct p2m_domain *p2m)
{
    return p2m_pt_init(p2m, &npt_format);
}

/* 2 MiB nested pages are always there in long mode; 1 GiB ones only with
 * the Page1GB feature. */
static bool npt_order_ok(unsigned int order)
{
    return order == P2M_ORDER_4K || order == P2M_ORDER_2M ||
           (order == P2M_ORDER_1G && npt_has_1g);
}

const struct p2m_backend_ops p2m_npt_ops = {
    .name = "npt",
    .init = npt_init,
    .teardown = p2m_pt_teardown,
    .set_entry = p2m_pt_set_entry,
    .get_entry = p2m_pt_get_entry,
    .for_each_entry = p2m_pt_for_each,
    .order_ok = npt_order_ok,
};
