/* SPDX-License-Identifier: MIT */
/*
 * memop: memory_op from inside a guest (xen-abi-facts §1.1). Here: the
 * reservation figures (current, maximum, maximum_ram_page,
 * maximum_gpfn), XENMEM_memory_map against the start info's map,
 * add_to_physmap of shared_info (moved when mapped at a second gfn; over
 * RAM it gives that page back) and of every grant-table frame up to the
 * limit. physmap.c moves RAM (gmfn, gmfn_range) and removes it;
 * reservation.c balloons out and in. Every bad argument gets its error.
 */
#include <orrery/lib.h>
#include <public/grant_table.h>

#include "memop.h"

const char test_title[] = "memop: reservation, memory map, physmap, balloon";

#define SHINFO_A  0x10000ULL            /* holes */
#define SHINFO_B  0x10001ULL
#define GNTTAB_AT 0x11000ULL

long reservation(unsigned int cmd, domid_t domid)
{
    return memory_op(cmd, &domid);
}

long move(unsigned int space, uint64_t idx, uint64_t gpfn, uint16_t size)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gpfn,
        .size = size,
    };

    return memory_op(XENMEM_add_to_physmap, &x);
}

static void test_figures(void)
{
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    long max = reservation(XENMEM_maximum_reservation, DOMID_SELF);
    long ram = memory_op(XENMEM_maximum_ram_page, NULL);
    long gpfn = reservation(XENMEM_maximum_gpfn, DOMID_SELF);
    long rc;

    printf("current %ld, maximum %ld, maximum_ram_page %#lx, maximum_gpfn "
           "%#lx\n", cur, max, ram, gpfn);
    /* 32 MiB of RAM and the 8 special pages, all populated at build. */
    check(max == (long)RAM_PAGES + 8, "maximum_reservation %ld", max);
    check(cur == max, "current_reservation %ld of %ld", cur, max);
    check(ram > max && ram <= 0x100000, "maximum_ram_page %#lx", ram);
    check(gpfn >= 0xfefff, "maximum_gpfn %#lx below the console page", gpfn);
    /* The domain's own id names it as DOMID_SELF does (d1: the only). */
    rc = reservation(XENMEM_current_reservation, 1);
    check(rc == cur, "current_reservation(d1) %ld", rc);

    rc = reservation(XENMEM_current_reservation, NO_DOMAIN);
    check(rc == -ESRCH, "current_reservation(d999) gave %ld", rc);
    rc = reservation(XENMEM_maximum_reservation, DOMID_FIRST_RESERVED + 5);
    check(rc < 0, "maximum_reservation(a reserved id) gave %ld", rc);
    rc = memory_op(XENMEM_current_reservation, (void *)BAD_PTR);
    check(rc == -EFAULT, "current_reservation with a bad pointer gave %ld",
          rc);
    rc = memory_op(XENMEM_maximum_gpfn, (void *)BAD_PTR);
    check(rc == -EFAULT, "maximum_gpfn with a bad pointer gave %ld", rc);
    rc = memory_op(99, NULL);
    check(rc == -ENOSYS, "memory_op 99 gave %ld", rc);
    rc = memory_op(XENMEM_machphys_mapping, NULL);
    check(rc == -ENOSYS, "machphys_mapping (not for HVM) gave %ld", rc);
}

static void test_memory_map(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e =
        (const void *)(uintptr_t)si->memmap_paddr;
    struct xen_e820_entry buf[8];
    struct xen_memory_map m = { .nr_entries = 8 };
    long rc;

    memset(buf, 0xa5, sizeof(buf));
    m.buffer = (uintptr_t)buf;
    rc = memory_op(XENMEM_memory_map, &m);
    check(rc == 0, "memory_map gave %ld", rc);
    check(m.nr_entries == si->memmap_entries, "memory_map: %u entries, start "
          "info %u", m.nr_entries, si->memmap_entries);
    for ( unsigned int i = 0; i < m.nr_entries && i < si->memmap_entries;
          i++ )
        check(buf[i].addr == e[i].addr && buf[i].size == e[i].size &&
              buf[i].type == e[i].type, "entry %u: %#llx+%#llx type %u, "
              "start info %#llx+%#llx type %u", i,
              (unsigned long long)buf[i].addr,
              (unsigned long long)buf[i].size, buf[i].type,
              (unsigned long long)e[i].addr, (unsigned long long)e[i].size,
              e[i].type);
    check(e[0].addr == 0 && e[0].size == RAM_PAGES << 12 && e[0].type == 1,
          "the first entry is not the 32 MiB of RAM");

    /* Room for one: one written, the next untouched. */
    memset(buf, 0xa5, sizeof(buf));
    m.nr_entries = 1;
    rc = memory_op(XENMEM_memory_map, &m);
    check(rc == 0 && m.nr_entries == 1 && buf[0].addr == e[0].addr &&
          buf[1].addr == 0xa5a5a5a5a5a5a5a5ULL,
          "memory_map for one entry: %ld, %u", rc, m.nr_entries);
    m.nr_entries = 0;
    rc = memory_op(XENMEM_memory_map, &m);
    check(rc == 0 && m.nr_entries == 0, "memory_map for none: %ld, %u", rc,
          m.nr_entries);

    m.nr_entries = 8;
    m.buffer = BAD_PTR;
    rc = memory_op(XENMEM_memory_map, &m);
    check(rc == -EFAULT, "memory_map into a bad buffer gave %ld", rc);
    rc = memory_op(XENMEM_memory_map, (void *)BAD_PTR);
    check(rc == -EFAULT, "memory_map with a bad pointer gave %ld", rc);
}

/*
 * shared_info at a hole, then at a second gfn: the frame moves (what
 * was written through the first mapping is read through the second,
 * and the first gfn is a hole again). Then the library maps it over
 * RAM at 15 MiB: that page is given back, one fewer in the reservation.
 */
static void test_shared_info(void)
{
    volatile struct shared_info *a = (void *)(uintptr_t)(SHINFO_A << 12);
    volatile struct shared_info *b = (void *)(uintptr_t)(SHINFO_B << 12);
    long cur, rc;

    check(is_hole(SHINFO_A), "gfn %#llx is not a hole",
          (unsigned long long)SHINFO_A);
    rc = move(XENMAPSPACE_shared_info, 0, SHINFO_A, 0);
    check(rc == 0, "add_to_physmap(shared_info) gave %ld", rc);
    /* The last mask word (ports 4032-4095, never bound here). */
    a->evtchn_mask[63] = 0x5eed0000cafeULL;
    check(a->evtchn_mask[63] == 0x5eed0000cafeULL, "shared_info not mapped");
    check(a->vcpu_info[0].time.version != ~0u, "no vcpu_time_info");

    rc = move(XENMAPSPACE_shared_info, 0, SHINFO_B, 0);
    check(rc == 0, "add_to_physmap(shared_info) again gave %ld", rc);
    check(b->evtchn_mask[63] == 0x5eed0000cafeULL,
          "the second mapping is not the same frame");
    check(is_hole(SHINFO_A), "the first gfn still maps shared_info");
    b->evtchn_mask[63] = 0;

    rc = move(XENMAPSPACE_shared_info, 1, SHINFO_A, 0);
    check(rc == -EINVAL, "add_to_physmap(shared_info, idx 1) gave %ld", rc);
    rc = move(XENMAPSPACE_shared_info, 0, 1ULL << 40, 0);
    check(rc == -EINVAL, "add_to_physmap(shared_info) past the p2m gave %ld",
          rc);

    cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    check(shared_info()->evtchn_mask[63] == 0, "the library's mapping");
    check(is_hole(SHINFO_B), "shared_info still at the second gfn");
    rc = reservation(XENMEM_current_reservation, DOMID_SELF);
    check(rc == cur - 1, "shared_info over RAM: reservation %ld, was %ld", rc,
          cur);
}

/* Every grant frame, 0 to the limit query_size reports, then -EINVAL. */
static void test_grant_frames(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    unsigned int i, max;
    long rc;

    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &q, 1);
    check(rc == 0 && q.status == GNTST_okay, "query_size gave %ld/%d", rc,
          q.status);
    max = q.max_nr_frames;
    check(max >= 1 && max <= 64, "max_nr_frames %u", max);
    for ( i = 0; i < max; i++ )
    {
        rc = move(XENMAPSPACE_grant_table, i, GNTTAB_AT + i, 0);
        if ( rc )
            break;
        /* A fresh frame: zeroes, not a hole's ones. */
        if ( page(GNTTAB_AT + i)[0] != 0 )
            break;
    }
    check(i == max, "grant frame %u of %u: add_to_physmap gave %ld", i, max,
          rc);
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &q, 1);
    check(rc == 0 && q.nr_frames == max, "after mapping all: %u frames",
          q.nr_frames);
    rc = move(XENMAPSPACE_grant_table, max, GNTTAB_AT + max, 0);
    check(rc == -EINVAL, "grant frame %u (past the limit) gave %ld", max, rc);
    check(is_hole(GNTTAB_AT + max), "the refused frame was mapped");
    /* Status frames exist in v2 only. */
    rc = move(XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status,
              GNTTAB_AT + max, 0);
    check(rc == -EINVAL, "a status frame under v1 gave %ld", rc);
    rc = move(XENMAPSPACE_grant_table, 1ULL << 32, GNTTAB_AT + max, 0);
    check(rc == -EINVAL, "grant frame idx 2^32 gave %ld", rc);
    /* The grant entry written through the mapping is the table's. */
    ((volatile struct grant_entry_v1 *)page(GNTTAB_AT))[8].domid = 0x7ff0;
    check(((volatile struct grant_entry_v1 *)page(GNTTAB_AT))[8].domid ==
          0x7ff0, "grant frame 0 does not keep a write");
    ((volatile struct grant_entry_v1 *)page(GNTTAB_AT))[8].domid = 0;
}

void test_main(const struct hvm_start_info *si)
{
    test_figures();
    test_memory_map(si);
    test_shared_info();
    test_grant_frames();
    test_gmfn();
    test_remove();
    test_reservation();
}
