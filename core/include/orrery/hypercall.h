/* SPDX-License-Identifier: MIT */
/*
 * The hypercall entry path, the same for every architecture: the arch's
 * VMCALL/VMMCALL/HVC exit handler fills a struct hypercall_regs from the
 * guest's registers (x86-64: number in RAX, arguments in RDI, RSI, RDX,
 * R10, R8; reference §1.1), calls hypercall_dispatch(), then writes
 * r->ret back to RAX -- or, when r->restart is set, writes the updated
 * arguments back and re-executes the hypercall instruction instead of
 * advancing past it (a continuation, so long operations stay
 * preemptible).
 *
 * Guest memory is reached only through copy_from_guest()/copy_to_guest(),
 * which check every byte's frame in the caller's p2m. Guest handles are
 * linear addresses of the calling vCPU, as in Xen for HVM/PVH guests
 * (hvm_copy_*_guest_linear): each page is translated through the guest's
 * own page tables (arch_guest_linear_to_phys), then the guest-physical
 * range is checked. The *_phys variants take guest-physical addresses
 * (domain building, the emulator, page-table walks, gfn-based areas).
 */
#ifndef ORRERY_HYPERCALL_H
#define ORRERY_HYPERCALL_H

#include <orrery/types.h>

struct vcpu;

#define HYPERCALL_NR_ARGS 5

struct hypercall_regs {
    uint64_t nr;                        /* __HYPERVISOR_* */
    uint64_t args[HYPERCALL_NR_ARGS];   /* IN, and OUT on restart */
    int64_t ret;                        /* OUT: 0, a value, or -errno */
    bool restart;                       /* OUT: re-execute, don't return */
};

/* A handler: its arguments, modifiable for a continuation, are r->args. */
typedef int64_t hypercall_fn(struct vcpu *v, struct hypercall_regs *r);

/*
 * Run hypercall r->nr for @v. Numbers outside the table, not implemented,
 * or not allowed for the domain's guest type return -ENOSYS, as Xen does
 * for a hypercall a guest type may not use.
 */
void hypercall_dispatch(struct vcpu *v, struct hypercall_regs *r);

/*
 * Continuations. A handler that has done a chunk of work asks
 * hypercall_preempt_check(); when it says so, the handler stores its
 * progress in r->args and returns hypercall_continue(r). The guest
 * re-enters the same hypercall with those arguments.
 *
 * Preemption is due when a softirq is pending on this CPU (a timer, a
 * remote request) or when the call has used up its work budget: units of
 * work per entry, counted by hypercall_preempt_check() itself. The budget
 * keeps every entry short even when nothing else is pending, and lets
 * tests force continuations deterministically.
 */
bool hypercall_preempt_check(void);
int64_t hypercall_continue(struct hypercall_regs *r);
#define HYPERCALL_DEFAULT_BUDGET 64
/* Set the per-entry budget (0: the default). Returns the old one. */
unsigned int hypercall_set_budget(unsigned int units);

/*
 * Copy between hypervisor memory and @v's domain's guest memory at
 * guest address @gaddr. The whole range is checked first -- no wrap past
 * 2^64 or the top of guest-physical space, every frame mapped with a type
 * the hypervisor may read (for from) or write (for to) on the guest's
 * behalf and the p2m access allowing it -- then copied; on -EFAULT
 * nothing was copied. RAM and grant mappings qualify; MMIO, foreign
 * mappings, populate-on-demand and holes do not.
 *
 * @gaddr is linear (above); a range whose pages the guest's tables map
 * to scattered frames is checked and copied page by page: every page is
 * translated before a byte moves, but a frame found unusable midway
 * leaves the pages before it copied (as Xen's copies may).
 */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gaddr, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gaddr, const void *src,
                  size_t len);
/* Write @len bytes: @src (of @src_len <= len bytes) then zeroes, so that
 * a fixed-size output buffer holds no stale bytes. */
int copy_to_guest_padded(struct vcpu *v, uint64_t gaddr, const void *src,
                         size_t src_len, size_t len);
/* The same at guest-physical @gaddr, with no translation. */
int copy_from_guest_phys(struct vcpu *v, void *dst, uint64_t gaddr,
                         size_t len);
int copy_to_guest_phys(struct vcpu *v, uint64_t gaddr, const void *src,
                       size_t len);
int copy_to_guest_padded_phys(struct vcpu *v, uint64_t gaddr,
                              const void *src, size_t src_len, size_t len);

/*
 * For a batch whose ops are read in chunks and whose results go back in
 * place. copy_from_guest_inout() reads @len <= PAGE_SIZE bytes as
 * copy_from_guest() does, but only if every page is writable too
 * (-EFAULT otherwise, nothing read), and gives the frames of the range's
 * first and last page in @frames, so the caller can tell an op that
 * writes over the array itself. copy_to_guest_fields() writes @n fields
 * of @size <= @stride bytes from the packed array @src to @gaddr,
 * @gaddr + @stride, ..., all within a page's worth of bytes (@n * @stride
 * <= PAGE_SIZE, else -EINVAL), and nothing between them; the range is
 * checked first, and on -EFAULT nothing was written (the linear ones:
 * unless the guest's tables scatter the range over two frames, which
 * are then written one after the other, as copy_to_guest() does).
 */
int copy_from_guest_inout(struct vcpu *v, void *dst, uint64_t gaddr,
                          size_t len, mfn_t frames[2]);
int copy_to_guest_fields(struct vcpu *v, uint64_t gaddr, size_t stride,
                         const void *src, size_t size, unsigned int n);
int copy_from_guest_inout_phys(struct vcpu *v, void *dst, uint64_t gaddr,
                               size_t len, mfn_t frames[2]);
int copy_to_guest_fields_phys(struct vcpu *v, uint64_t gaddr, size_t stride,
                              const void *src, size_t size, unsigned int n);

/* Per-type allow list: may a domain of @guest_type call @nr? */
bool hypercall_allowed(unsigned int guest_type, uint64_t nr);

/* ---- The handlers (one file each in core/hypercall) --------------------- */

int64_t do_xen_version(struct vcpu *v, struct hypercall_regs *r);
int64_t do_console_io(struct vcpu *v, struct hypercall_regs *r);

/* The Xen version the ABI follows: XENVER_version returns 4.18. */
#define ORRERY_XEN_MAJOR 4
#define ORRERY_XEN_MINOR 18

/* console_io: bytes an unprivileged domain may write per second
 * (a token bucket holding at most one second's worth). */
#define CONSOLE_DOMU_BYTES_PER_SEC 8192

#endif /* ORRERY_HYPERCALL_H */
