/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise for HVM/PVH vCPUs through the hypercall path: a good
 * 64-bit and 32-bit start state reach the platform normalised (sim
 * records them), VCPUOP_up needs it, and every bad input gets Xen's
 * error and leaves the vCPU uninitialised.
 */
#include <orrery/vcpu_context.h>
#include <public/hvm/hvm_vcpu.h>

#include "vo_test.h"

#define CR0_PE_PG 0x80000001ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull

static int64_t vcpu_op(struct domain *d, unsigned int vcpu, uint64_t cmd,
                       uint64_t id, uint64_t arg)
{
    return vo_call(d, vcpu, __HYPERVISOR_vcpu_op, cmd, id, arg);
}

static struct vcpu_hvm_context good64(void)
{
    struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_64B };

    c.cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
        .rip = 0x101234, .rsp = 0x8000, .rdi = 7, .rbx = 0xb,
        .rflags = 0x2, .cr0 = CR0_PE_PG, .cr3 = 0x3000, .cr4 = CR4_PAE,
        .efer = EFER_LME,
    };
    return c;
}

/* libxenguest's PVH start state: flat 32-bit, paging off. */
static struct vcpu_hvm_context good32(void)
{
    struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_32B };

    c.cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
        .eip = 0x100000, .ebx = 0x5000, .esp = 0x9000, .eflags = 0x2,
        .cr0 = 0x11,
        .cs_limit = ~0u, .ds_limit = ~0u, .ss_limit = ~0u, .es_limit = ~0u,
        .tr_limit = 0x67,
        .cs_ar = 0xc9b, .ds_ar = 0xc93, .ss_ar = 0xc93, .es_ar = 0xc93,
        .tr_ar = 0x8b,
    };
    return c;
}

/* VCPUOP_initialise of u1's vCPU 1 with @c at VO_ARG. */
static int64_t init_with(const struct vcpu_hvm_context *c)
{
    vo_poke(vo_u1, VO_ARG, c, sizeof(*c));
    return vcpu_op(vo_u1, 0, VCPUOP_initialise, 1, VO_ARG);
}

int64_t vo_initialise(struct domain *d, unsigned int target)
{
    struct vcpu_hvm_context c = good64();

    vo_poke(d, VO_ARG, &c, sizeof(c));
    return vcpu_op(d, 0, VCPUOP_initialise, target, VO_ARG);
}

/* A refused context: -EINVAL, and vCPU 1 can still be initialised. */
static void refused(const struct vcpu_hvm_context *c, const char *what)
{
    int64_t rc = init_with(c);

    if ( rc != -EINVAL )
        printf("\n  %s: got %lld\n", what, (long long)rc);
    CU_ASSERT_EQUAL(rc, -EINVAL);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), -EINVAL);
}

static void test_64bit_state_loaded(void)
{
    struct vcpu_hvm_context c = good64();
    const struct hvm_vcpu_state *s;

    c.cpu_regs.x86_64.rflags = ~0ull;       /* only real flags survive */
    CU_ASSERT_EQUAL(init_with(&c), 0);
    s = sim_vcpu_context(vo_u1->vcpu[1]);
    CU_ASSERT_FATAL(s != NULL);
    ORR_ASSERT_EQ_U64(s->rip, 0x101234);
    ORR_ASSERT_EQ_U64(s->rsp, 0x8000);
    ORR_ASSERT_EQ_U64(s->rdi, 7);
    ORR_ASSERT_EQ_U64(s->rbx, 0xb);
    ORR_ASSERT_EQ_U64(s->rflags, 0x3f7fd7);
    ORR_ASSERT_EQ_U64(s->cr3, 0x3000);
    ORR_ASSERT_EQ_U64(s->efer, EFER_LME | EFER_LMA);
    /* Xen's flat long-mode segments. */
    CU_ASSERT_EQUAL(s->cs.attr, 0xa9b);
    CU_ASSERT_EQUAL(s->ss.attr, 0xc93);
    CU_ASSERT_EQUAL(s->tr.attr, 0x8b);
    CU_ASSERT_EQUAL(s->tr.limit, 0x67);
}

static void test_32bit_state_loaded(void)
{
    struct vcpu_hvm_context c = good32();
    const struct hvm_vcpu_state *s;

    c.cpu_regs.x86_32.cs_limit = 0xfffff;   /* in pages, with G */
    c.cpu_regs.x86_32.ds_ar = 0;            /* a null DS is fine */
    CU_ASSERT_EQUAL(init_with(&c), 0);
    s = sim_vcpu_context(vo_u1->vcpu[1]);
    CU_ASSERT_FATAL(s != NULL);
    ORR_ASSERT_EQ_U64(s->rip, 0x100000);
    ORR_ASSERT_EQ_U64(s->rbx, 0x5000);
    ORR_ASSERT_EQ_U64(s->efer, 0);
    CU_ASSERT_EQUAL(s->cs.limit, 0xffffffffu);
    CU_ASSERT_EQUAL(s->cs.attr, 0xc9b);     /* accessed */
    CU_ASSERT_EQUAL(s->ds.attr, 0);
    CU_ASSERT_EQUAL(s->tr.attr, 0x8b);      /* busy */
}

/* A 32-bit start with long mode on: LMA comes from LME and PG. */
static void test_32bit_long_mode_sets_lma(void)
{
    struct vcpu_hvm_context c = good32();

    c.cpu_regs.x86_32.cr0 = CR0_PE_PG;
    c.cpu_regs.x86_32.cr4 = CR4_PAE;
    c.cpu_regs.x86_32.efer = EFER_LME;
    CU_ASSERT_EQUAL(init_with(&c), 0);
    ORR_ASSERT_EQ_U64(sim_vcpu_context(vo_u1->vcpu[1])->efer,
                      EFER_LME | EFER_LMA);
}

static void test_up_needs_initialise(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);  /* down */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 1);
    /* Down and up again keeps the state (Xen: still initialised). */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 1, 0), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    vo_check_join(vo_u1);
}

static void test_double_initialise(void)
{
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), -EEXIST);
    /* vCPU 0 has its builder's state. */
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 0), -EEXIST);
}

static void test_bad_pointer(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, 1,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    /* The last 64 bytes of RAM: the 128-byte context runs off the end. */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, 1,
                            (uint64_t)VO_RAM_PAGES * PAGE_SIZE - 64),
                    -EFAULT);
    /* -EFAULT before -EEXIST, as Xen copies first. */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), -EINVAL);
}

static void test_bad_vcpu_id(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, VO_VCPUS, VO_ARG),
                    -ENOENT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, ~0ull, VO_ARG),
                    -ENOENT);
}

/* Xen: a vCPU without a vcpu_info (ids from 32 on, until the guest
 * registers one) cannot be initialised. */
static void test_no_vcpu_info(void)
{
    struct domain *d = vo_domain(0, XEN_LEGACY_MAX_VCPUS + 1);

    CU_ASSERT_EQUAL(vo_initialise(d, XEN_LEGACY_MAX_VCPUS), -EINVAL);
    CU_ASSERT_EQUAL(vo_initialise(d, XEN_LEGACY_MAX_VCPUS - 1), 0);
    domain_destroy(d);
}

static void test_bad_mode_and_padding(void)
{
    struct vcpu_hvm_context c = good64();

    c.mode = 2;
    refused(&c, "mode 2");
    c.mode = ~0u;
    refused(&c, "mode ~0");
    c = good64();
    c.pad = 1;
    refused(&c, "pad");
    c = good32();
    c.cpu_regs.x86_32.pad1 = 1;
    refused(&c, "pad1");
    c = good32();
    c.cpu_regs.x86_32.pad2[2] = 1;
    refused(&c, "pad2");
}

/* Each bad segment of a 32-bit start, one field changed at a time. */
static void test_bad_segments(void)
{
    static const struct {
        const char *what;
        size_t off;         /* of the uint16_t _ar field */
        uint16_t ar;
    } cases[] = {
#define AR(f) __builtin_offsetof(struct vcpu_hvm_x86_32, f)
        { "AR bits 15:12", AR(ds_ar), 0x1c93 },
        { "null CS", AR(cs_ar), 0 },
        { "null SS", AR(ss_ar), 0 },
        { "null TR", AR(tr_ar), 0 },
        { "TR a data segment", AR(tr_ar), 0xc93 },
        { "TR a 16-bit TSS", AR(tr_ar), 0x083 },
        { "CS a system segment", AR(cs_ar), 0xc8b },
        { "CS not present", AR(cs_ar), 0xc1b },
        { "CS a data segment", AR(cs_ar), 0xc93 },
        { "SS read-only", AR(ss_ar), 0xc91 },
        { "SS a code segment", AR(ss_ar), 0xc9b },
        { "DS execute-only", AR(ds_ar), 0xc99 },
        { "ES not present", AR(es_ar), 0xc13 },
        { "SS.DPL 3 with CS.DPL 0", AR(ss_ar), 0xcf3 },
        { "DS.DPL 3 with CS.DPL 0", AR(ds_ar), 0xcf3 },
        { "CS.L and CS.D in long mode", AR(cs_ar), 0xe9b },
#undef AR
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        struct vcpu_hvm_context c = good32();

        if ( i == ARRAY_SIZE(cases) - 1 )
        {
            c.cpu_regs.x86_32.cr0 = CR0_PE_PG;
            c.cpu_regs.x86_32.cr4 = CR4_PAE;
            c.cpu_regs.x86_32.efer = EFER_LME;
        }
        memcpy((char *)&c.cpu_regs.x86_32 + cases[i].off, &cases[i].ar, 2);
        refused(&c, cases[i].what);
    }
}

static void test_eip_outside_cs(void)
{
    struct vcpu_hvm_context c = good32();

    c.cpu_regs.x86_32.cs_ar = 0x49b;        /* byte granular */
    c.cpu_regs.x86_32.cs_limit = 0xffff;
    c.cpu_regs.x86_32.eip = 0x10000;
    refused(&c, "EIP past a byte-granular CS");
    c.cpu_regs.x86_32.eip = 0xffff;
    CU_ASSERT_EQUAL(init_with(&c), 0);
}

static void test_bad_64bit(void)
{
    struct vcpu_hvm_context c = good64();

    c.cpu_regs.x86_64.rip = 0x0000800000000000ull;
    refused(&c, "non-canonical RIP");
    c = good64();
    c.cpu_regs.x86_64.cr0 = 1;
    refused(&c, "no CR0.PG");
    c = good64();
    c.cpu_regs.x86_64.cr4 = 0;
    refused(&c, "no CR4.PAE");
    c = good64();
    c.cpu_regs.x86_64.efer = 0;
    refused(&c, "no EFER.LME");
    /* A canonical upper-half RIP is fine. */
    c = good64();
    c.cpu_regs.x86_64.rip = 0xffff800000001000ull;
    CU_ASSERT_EQUAL(init_with(&c), 0);
}

/* One bad control register in the good 64-bit state: the register at
 * @off gets @bits ORed in, or becomes @bits when @replace. */
static const struct {
    size_t off;
    bool replace;
    uint64_t bits;
    const char *what;
} bad_regs64[] = {
    { offsetof(struct vcpu_hvm_x86_64, cr0), false, 1ull << 32,
      "CR0 bit 32" },
    { offsetof(struct vcpu_hvm_x86_64, cr0), false, 1ull << 29,
      "CR0.NW without CD" },
    { offsetof(struct vcpu_hvm_x86_64, cr4), false, 1ull << 12,
      "CR4 reserved bit 12" },
    { offsetof(struct vcpu_hvm_x86_64, cr3), true, 1ull << 60,
      "CR3 bit 60" },
    { offsetof(struct vcpu_hvm_x86_64, efer), false, 1ull << 12,
      "EFER.SVME" },
    { offsetof(struct vcpu_hvm_x86_64, efer), false, 1ull << 1,
      "EFER reserved bit 1" },
};

static void test_bad_control_registers(void)
{
    struct vcpu_hvm_context c;

    for ( unsigned int i = 0; i < ARRAY_SIZE(bad_regs64); i++ )
    {
        uint64_t *reg;

        c = good64();
        reg = (uint64_t *)((char *)&c.cpu_regs.x86_64 + bad_regs64[i].off);
        *reg = bad_regs64[i].replace ? bad_regs64[i].bits
                                     : *reg | bad_regs64[i].bits;
        refused(&c, bad_regs64[i].what);
    }
    c = good32();
    c.cpu_regs.x86_32.cr0 = 0x80000000;
    refused(&c, "CR0.PG without PE");
    c = good32();
    c.cpu_regs.x86_32.efer = EFER_LMA;
    refused(&c, "EFER.LMA without LME");
    c = good32();
    c.cpu_regs.x86_32.cr0 = CR0_PE_PG;
    c.cpu_regs.x86_32.efer = EFER_LME;
    refused(&c, "long mode without PAE");
}

/* The platform may refuse (no guest state): its error, nothing set. */
static void test_platform_refuses(void)
{
    sim_vcpu_context_fail(-EOPNOTSUPP);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), -EOPNOTSUPP);
    sim_vcpu_context_fail(0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
}

/* u1 initialising its vCPU 1 leaves d0's vCPU 1 as it was. */
static void test_other_domain_untouched(void)
{
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_d0, 0, VCPUOP_up, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_initialise(vo_d0, 1), 0);
}

CU_TestInfo vcpu_init_tests[] = {
    ORR_CASE(test_64bit_state_loaded),
    ORR_CASE(test_32bit_state_loaded),
    ORR_CASE(test_32bit_long_mode_sets_lma),
    ORR_CASE(test_up_needs_initialise),
    ORR_CASE(test_double_initialise),
    ORR_CASE(test_bad_pointer),
    ORR_CASE(test_bad_vcpu_id),
    ORR_CASE(test_no_vcpu_info),
    ORR_CASE(test_bad_mode_and_padding),
    ORR_CASE(test_bad_segments),
    ORR_CASE(test_eip_outside_cs),
    ORR_CASE(test_bad_64bit),
    ORR_CASE(test_bad_control_registers),
    ORR_CASE(test_platform_refuses),
    ORR_CASE(test_other_domain_untouched),
    CU_TEST_INFO_NULL,
};
