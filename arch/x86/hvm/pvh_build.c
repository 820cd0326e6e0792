/* SPDX-License-Identifier: MIT */
/*
 * The PVH domain builder (pvh_build.h). Guest-physical layout:
 *
 *   [0, mem)          RAM: the kernel's segments where its ELF says
 *                     (p_paddr), then, page-aligned after the highest,
 *                     hvm_start_info, the module list, the memory map and
 *                     the command line; a ramdisk (the one module) in the
 *                     last pages of RAM
 *   [0xFEFF8000, 0xFF000000)
 *                     the special pages: RAM the guest owns, reported
 *                     reserved; the first holds the ACPI tables
 *                     (pvh_acpi.c, start info's rsdp_paddr), the last the
 *                     console ring, drained by the hypervisor
 *                     (core/domain/console_ring.c)
 *
 * The start state is Xen's (reference §1.4): 32-bit, paging off, EBX the
 * start_info address, entry from XEN_ELFNOTE_PHYS32_ENTRY.
 */
#include <orrery/elf.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/vcpu_ops.h>

#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/io/console.h>

#include "pvh_acpi.h"
#include "pvh_build.h"

#define E820_RAM      1
#define E820_RESERVED 2

/* Everything the builder writes after the kernel. */
struct start_area {
    struct hvm_start_info si;
    struct hvm_modlist_entry mod;
    struct hvm_memmap_table_entry map[2];
};

static int guest_copy(void *ctx, uint64_t pa, const void *src, size_t n)
{
    return copy_to_guest_phys(ctx, pa, src, n);
}

static int guest_zero(void *ctx, uint64_t pa, size_t n)
{
    static const uint8_t zeros[256];

    while ( n )
    {
        size_t k = n < sizeof(zeros) ? n : sizeof(zeros);
        int rc = copy_to_guest_phys(ctx, pa, zeros, k);

        if ( rc )
            return rc;
        pa += k;
        n -= k;
    }
    return 0;
}

static int fail(const char **why, const char *msg, int rc)
{
    *why = msg;
    return rc;
}

static int check_image(const struct pvh_config *cfg, struct elf_image *img,
                       const char **why)
{
    int rc = elf_parse(cfg->kernel, cfg->kernel_size, img, why);

    if ( rc )
        return rc;
    if ( img->machine != ELF_EM_X86_64 && img->machine != ELF_EM_386 )
        return fail(why, "the kernel is not an x86 ELF image", -EINVAL);
    if ( !img->has_phys32_entry )
        return fail(why, "the kernel has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY)",
                    -EINVAL);
    if ( img->highest > cfg->mem_bytes )
        return fail(why, "the kernel does not fit in the domain's memory",
                    -ENOMEM);
    if ( img->phys32_entry < img->lowest || img->phys32_entry >= img->highest )
        return fail(why, "the PVH entry point is outside the kernel", -EINVAL);
    return 0;
}

/*
 * hvm_start_info, module list, memory map and command line after the
 * kernel; the ramdisk, if any, page-aligned at the end of RAM, where it
 * stays clear of the kernel and of everything above, as Linux wants its
 * initramfs (it reserves the range before it allocates).
 */
static int write_start_info(struct vcpu *v, const struct pvh_config *cfg,
                            uint64_t at, const char **why)
{
    size_t cmdlen = cfg->cmdline ? strlen(cfg->cmdline) + 1 : 0;
    uint64_t cmd_pa = at + sizeof(struct start_area);
    uint64_t rd_pa = cfg->ramdisk_size > cfg->mem_bytes ? 0 :
        (cfg->mem_bytes - cfg->ramdisk_size) & ~(uint64_t)(PAGE_SIZE - 1);
    struct start_area a = {
        .si = {
            .magic = XEN_HVM_START_MAGIC_VALUE,
            .version = 1,
            .flags = cfg->privileged ? SIF_PRIVILEGED : 0,
            .cmdline_paddr = cmdlen ? cmd_pa : 0,
            .rsdp_paddr = PVH_ACPI_RSDP,
            .memmap_paddr = at + offsetof(struct start_area, map),
            .memmap_entries = 2,
            .nr_modules = cfg->ramdisk_size ? 1 : 0,
            .modlist_paddr = cfg->ramdisk_size
                             ? at + offsetof(struct start_area, mod) : 0,
        },
        .mod = { .paddr = cfg->ramdisk_size ? rd_pa : 0,
                 .size = cfg->ramdisk_size },
        .map = {
            { .addr = 0, .size = cfg->mem_bytes, .type = E820_RAM },
            { .addr = PVH_SPECIAL_PFN_START << PAGE_SHIFT,
              .size = PVH_SPECIAL_PAGES << PAGE_SHIFT,
              .type = E820_RESERVED },
        },
    };

    if ( cmd_pa + cmdlen > cfg->mem_bytes )
        return fail(why, "no room after the kernel for its start info",
                    -ENOMEM);
    if ( cfg->ramdisk_size &&
         (cfg->ramdisk_size > cfg->mem_bytes || rd_pa < cmd_pa + cmdlen) )
        return fail(why, "the ramdisk does not fit in the domain's memory "
                         "above the kernel", -ENOMEM);
    if ( cfg->ramdisk_size &&
         copy_to_guest_phys(v, rd_pa, cfg->ramdisk, cfg->ramdisk_size) )
        return fail(why, "cannot copy the ramdisk", -EFAULT);
    if ( copy_to_guest_phys(v, at, &a, sizeof(a)) ||
         (cmdlen && copy_to_guest_phys(v, cmd_pa, cfg->cmdline, cmdlen)) )
        return fail(why, "cannot write the start info", -EFAULT);
    return 0;
}

/* The same map for XENMEM_memory_map as start info's. */
static int set_memory_map(struct domain *d, const struct pvh_config *cfg,
                          const char **why)
{
    const struct memmap_entry map[2] = {
        { .addr = 0, .size = cfg->mem_bytes, .type = E820_RAM },
        { .addr = PVH_SPECIAL_PFN_START << PAGE_SHIFT,
          .size = PVH_SPECIAL_PAGES << PAGE_SHIFT, .type = E820_RESERVED },
    };
    int rc = domain_set_memory_map(d, map, 2);

    return rc ? fail(why, "cannot record the memory map", rc) : 0;
}

/* The console ring (zeroed, connected) and its parameters. */
static int setup_console(struct domain *d, const char **why)
{
    struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF,
                                          .remote_dom = DOMID_SELF };
    int rc = evtchn_alloc_unbound(d, &alloc);

    if ( rc )
        return fail(why, "cannot allocate the console event channel", rc);
    rc = hvm_param_write(d, HVM_PARAM_CONSOLE_PFN, PVH_CONSOLE_PFN);
    if ( !rc )
        rc = hvm_param_write(d, HVM_PARAM_CONSOLE_EVTCHN, alloc.port);
    if ( !rc )
        rc = console_ring_attach(d, _gfn(PVH_CONSOLE_PFN));
    /* No xenstore yet: store pfn and event channel stay 0. */
    return rc ? fail(why, "cannot set up the console", rc) : 0;
}

int pvh_build(const struct pvh_config *cfg, struct domain **out,
              struct pvh_start *start, const char **why)
{
    uint64_t pages = cfg->mem_bytes >> PAGE_SHIFT;
    struct domain_create_config dc = {
        .domid = DOMID_INVALID, .guest_type = cfg->guest_type,
        .flags = cfg->privileged ? ORR_CDF_privileged : 0,
        .max_vcpus = cfg->max_vcpus,
        .max_pages = pages + PVH_SPECIAL_PAGES,
        .p2m_ops = cfg->p2m_ops, .name = cfg->name,
    };
    struct elf_image img;
    struct domain *d;
    uint64_t at;
    int rc;

    if ( !pages || (cfg->mem_bytes & (PAGE_SIZE - 1)) ||
         cfg->mem_bytes > PVH_RAM_LIMIT )
        return fail(why, "memory must be whole pages below 0xFEC00000",
                    -EINVAL);
    rc = check_image(cfg, &img, why);
    if ( rc )
        return rc;
    rc = domain_create(&dc, &d);
    if ( rc )
        return fail(why, "cannot create the domain", rc);

    rc = p2m_populate_ram(d, _gfn(0), pages);
    if ( !rc )
        rc = p2m_populate_ram(d, _gfn(PVH_SPECIAL_PFN_START),
                              PVH_SPECIAL_PAGES);
    if ( rc )
    {
        fail(why, "not enough memory for the domain", rc);
        goto out;
    }
    rc = elf_load(&img, guest_copy, guest_zero, d->vcpu[0]);
    if ( rc )
    {
        fail(why, "cannot load the kernel's segments", rc);
        goto out;
    }
    at = ROUNDUP(img.highest, PAGE_SIZE);
    rc = write_start_info(d->vcpu[0], cfg, at, why);
    if ( !rc )
        rc = set_memory_map(d, cfg, why);
    if ( !rc )
        rc = setup_console(d, why);
    if ( !rc && (rc = pvh_acpi_write(d->vcpu[0], cfg->max_vcpus,
                                     cfg->guest_type == ORR_GUEST_HVM)) )
        fail(why, "cannot write the ACPI tables", rc);
    if ( rc )
        goto out;

    start->entry = img.phys32_entry;
    start->start_info = (uint32_t)at;
    *out = d;
    return 0;

 out:
    domain_destroy(d);
    return rc;
}
