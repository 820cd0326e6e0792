/* SPDX-License-Identifier: MIT */
/*
 * Walking a guest's own page tables, as the processor does (AMD APM vol. 2
 * §5.2-5.7): when the hypervisor must read guest memory by linear address
 * (an instruction to decode, an emulated access), it translates here and
 * the tables themselves are read through the guest's p2m.
 *
 * Modes: paging off; 32-bit (4 KiB pages, 4 MiB with CR4.PSE); PAE (three
 * levels, 2 MiB pages); long mode (four levels, 2 MiB and 1 GiB pages).
 * Rights are the intersection over levels: a user access needs U/S at
 * every level, a write needs R/W at every level (supervisor writes only
 * with CR0.WP), a fetch faults on NX at any level when EFER.NXE is set.
 * Accessed bits are set on every entry used and the dirty bit on the leaf
 * of a write. Not modelled: SMEP, SMAP, protection keys, 5-level paging.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>

#include "hvm.h"

#define PTE_P    (1ULL << 0)
#define PTE_RW   (1ULL << 1)
#define PTE_US   (1ULL << 2)
#define PTE_A    (1ULL << 5)
#define PTE_D    (1ULL << 6)
#define PTE_PS   (1ULL << 7)
#define PTE_NX   (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

#define CR0_PG   (1ULL << 31)
#define CR0_WP   (1ULL << 16)
#define CR4_PSE  (1ULL << 4)
#define CR4_PAE  (1ULL << 5)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

struct walk {
    struct vcpu *v;
    const struct hvm_paging *pg;
    enum hvm_access acc;
    bool user, writable, executable;
    uint32_t pfec;
};

static int read_entry(struct walk *w, uint64_t gpa, unsigned int size,
                      uint64_t *e)
{
    *e = 0;
    return copy_from_guest_phys(w->v, e, gpa, size) ? -ENXIO : 0;
}

/* Set A (and D) in the entry at @gpa, if not set already. */
static int mark_entry(struct walk *w, uint64_t gpa, unsigned int size,
                      uint64_t e, uint64_t bits)
{
    if ( (e & bits) == bits )
        return 0;
    e |= bits;
    return copy_to_guest_phys(w->v, gpa, &e, size) ? -ENXIO : 0;
}

static int fault(struct walk *w, bool present, bool rsvd)
{
    w->pfec |= (present ? PFEC_PRESENT : 0) | (rsvd ? PFEC_RSVD : 0);
    return -EFAULT;
}

/* Apply one level's rights; false when the access is refused. */
static bool level_allows(struct walk *w, uint64_t e, bool nx_valid)
{
    if ( w->user && !(e & PTE_US) )
        return false;
    if ( !(e & PTE_RW) )
        w->writable = false;
    if ( nx_valid && (e & PTE_NX) )
        w->executable = false;
    return true;
}

static int finish(struct walk *w, uint64_t leaf_gpa, unsigned int size,
                  uint64_t leaf, uint64_t page_base, uint64_t page_size,
                  uint64_t lin, uint64_t *gpa)
{
    bool wp = w->pg->cr0 & CR0_WP;
    int rc;

    if ( w->acc == HVM_WRITE && !w->writable && (w->user || wp) )
        return fault(w, true, false);
    if ( w->acc == HVM_FETCH && !w->executable )
        return fault(w, true, false);
    rc = mark_entry(w, leaf_gpa, size, leaf,
                    PTE_A | (w->acc == HVM_WRITE ? PTE_D : 0));
    if ( rc )
        return rc;
    *gpa = page_base + (lin & (page_size - 1));
    return 0;
}

/* Long mode and PAE: 8-byte entries, 9 bits a level. */
static int walk_64(struct walk *w, uint64_t lin, int top, uint64_t table,
                   uint64_t *gpa)
{
    bool nxe = w->pg->efer & EFER_NXE;
    /* NX set while EFER.NXE is clear is a reserved bit (§5.3.1). */
    uint64_t rsvd = nxe ? 0 : PTE_NX;

    for ( int level = top; level >= 0; level-- )
    {
        uint64_t idx = (lin >> (12 + 9 * level)) & 511, e, egpa;
        int rc;

        egpa = table + idx * 8;
        rc = read_entry(w, egpa, 8, &e);
        if ( rc )
            return rc;
        if ( !(e & PTE_P) )
            return fault(w, false, false);
        if ( (e & rsvd) || (level == 3 && (e & PTE_PS)) )
            return fault(w, true, true);
        if ( !level_allows(w, e, nxe) )
            return fault(w, true, false);
        if ( level == 0 || ((e & PTE_PS) && level <= 2) )
        {
            uint64_t size = 1ULL << (12 + 9 * level);

            return finish(w, egpa, 8, e, e & PTE_ADDR & ~(size - 1), size,
                          lin, gpa);
        }
        rc = mark_entry(w, egpa, 8, e, PTE_A);
        if ( rc )
            return rc;
        table = e & PTE_ADDR;
    }
    return -EINVAL;     /* not reached */
}

/* PAE: a 4-entry PDPT at CR3[31:5], then two 9-bit levels. PDPTEs carry
 * no rights; they are read at CR3 load, here at each walk. */
static int walk_pae(struct walk *w, uint64_t lin, uint64_t *gpa)
{
    uint64_t pdpte, egpa = (w->pg->cr3 & 0xffffffe0ULL) + ((lin >> 30) & 3) * 8;
    int rc = read_entry(w, egpa, 8, &pdpte);

    if ( rc )
        return rc;
    if ( !(pdpte & PTE_P) )
        return fault(w, false, false);
    return walk_64(w, lin, 1, pdpte & PTE_ADDR, gpa);
}

/* 32-bit paging: 4-byte entries, 10 bits a level; 4 MiB pages with PSE
 * (bits 20:13 of the PDE give address bits 39:32, PSE-36). */
static int walk_32(struct walk *w, uint64_t lin, uint64_t *gpa)
{
    uint64_t pde, pte, pde_gpa, pte_gpa;
    int rc;

    lin &= 0xffffffffULL;
    pde_gpa = (w->pg->cr3 & 0xfffff000ULL) + ((lin >> 22) & 1023) * 4;
    rc = read_entry(w, pde_gpa, 4, &pde);
    if ( rc )
        return rc;
    if ( !(pde & PTE_P) )
        return fault(w, false, false);
    if ( !level_allows(w, pde, false) )
        return fault(w, true, false);
    if ( (pde & PTE_PS) && (w->pg->cr4 & CR4_PSE) )
    {
        uint64_t base = (pde & 0xffc00000ULL) | ((pde & 0x1fe000ULL) << 19);

        return finish(w, pde_gpa, 4, pde, base, 1ULL << 22, lin, gpa);
    }
    rc = mark_entry(w, pde_gpa, 4, pde, PTE_A);
    if ( rc )
        return rc;
    pte_gpa = (pde & 0xfffff000ULL) + ((lin >> 12) & 1023) * 4;
    rc = read_entry(w, pte_gpa, 4, &pte);
    if ( rc )
        return rc;
    if ( !(pte & PTE_P) )
        return fault(w, false, false);
    if ( !level_allows(w, pte, false) )
        return fault(w, true, false);
    return finish(w, pte_gpa, 4, pte, pte & 0xfffff000ULL, PAGE_SIZE, lin,
                  gpa);
}

int hvm_linear_to_phys(struct vcpu *v, const struct hvm_paging *pg,
                       uint64_t lin, enum hvm_access acc, uint64_t *gpa,
                       uint32_t *pfec)
{
    struct walk w = {
        .v = v, .pg = pg, .acc = acc, .user = pg->cpl == 3,
        .writable = true, .executable = true,
        .pfec = (acc == HVM_WRITE ? PFEC_WRITE : 0) |
                (pg->cpl == 3 ? PFEC_USER : 0),
    };
    int rc;

    /* The instruction-fetch bit is reported only with NX in use. */
    if ( acc == HVM_FETCH && (pg->efer & EFER_NXE) )
        w.pfec |= PFEC_FETCH;

    if ( !(pg->cr0 & CR0_PG) )
    {
        *gpa = (pg->efer & EFER_LMA) ? lin : (lin & 0xffffffffULL);
        return 0;
    }
    if ( pg->efer & EFER_LMA )
        rc = walk_64(&w, lin, 3, pg->cr3 & PTE_ADDR, gpa);
    else if ( pg->cr4 & CR4_PAE )
        rc = walk_pae(&w, lin, gpa);
    else
        rc = walk_32(&w, lin, gpa);
    if ( rc == -EFAULT )
        *pfec = w.pfec;
    return rc;
}
