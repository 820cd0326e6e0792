/* SPDX-License-Identifier: MIT */
/* console_io: writes with the domain prefix, rate limits, reads. */
#include "hc_test.h"

#define BUF 0x3000

static int64_t con(struct domain *d, unsigned int cmd, uint64_t count,
                   uint64_t buf)
{
    return hc_call(d, __HYPERVISOR_console_io, cmd, count, buf);
}

static void put(struct domain *d, const char *s)
{
    memcpy(hc_guest_ptr(d, BUF), s, strlen(s));
}

/* Guest frames are not contiguous in machine memory: fill page by page. */
static void fill(struct domain *d, uint64_t gaddr, int c, size_t len)
{
    size_t off;

    for ( off = 0; off < len; off += PAGE_SIZE )
        memset(hc_guest_ptr(d, gaddr + off), c, MIN(len - off, PAGE_SIZE));
}

static void test_write_prefixes_each_line(void)
{
    char want[32];

    put(hc_u1, "hello\nworld\n");
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, 12, BUF), 0);
    snprintf(want, sizeof(want), "(d%u) hello\n", hc_u1->domain_id);
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
    snprintf(want, sizeof(want), "(d%u) world\n", hc_u1->domain_id);
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
}

static void test_write_bad_buffer(void)
{
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, 8, HC_GFN_HOLE * PAGE_SIZE),
                    -EFAULT);
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, 64,
                        HC_RAM_PAGES * PAGE_SIZE - 8), -EFAULT);
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, 8, ~0ULL - 2), -EFAULT);
    CU_ASSERT_EQUAL(con(hc_u1, 7, 8, BUF), -EPERM);     /* unknown: priv */
    CU_ASSERT_EQUAL(con(hc_d0, 7, 8, BUF), -ENOSYS);
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, 0, 0), 0);
}

/* An unprivileged domain may write CONSOLE_DOMU_BYTES_PER_SEC a second;
 * the rest is dropped and counted, and time earns more. */
static void test_domu_rate_limit(void)
{
    struct hypercall_regs r;
    const char *p;
    size_t ys = 0;

    fill(hc_u1, 0, 'y', 3 * PAGE_SIZE);
    hypercall_set_budget(1000);
    r = (struct hypercall_regs){
        .nr = __HYPERVISOR_console_io,
        .args = { CONSOLEIO_write, 3 * PAGE_SIZE, 0 },
    };
    hypercall_dispatch(hc_u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, 0);
    CU_ASSERT_FALSE(r.restart);
    for ( p = sim_console_text(); *p; p++ )
        ys += *p == 'y';
    CU_ASSERT_EQUAL(ys, CONSOLE_DOMU_BYTES_PER_SEC);
    ORR_ASSERT_EQ_U64(hc_u1->console.dropped,
                      3 * PAGE_SIZE - CONSOLE_DOMU_BYTES_PER_SEC);

    /* Half a second later, half a second's worth more. */
    sim_advance(MILLISECS(500));
    sim_console_clear();
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_write, PAGE_SIZE * 2, 0), 0);
    for ( ys = 0, p = sim_console_text(); *p; p++ )
        ys += *p == 'y';
    CU_ASSERT_EQUAL(ys, CONSOLE_DOMU_BYTES_PER_SEC / 2);

    /* The control domain is never limited. */
    fill(hc_d0, 0, 'z', 3 * PAGE_SIZE);
    sim_console_clear();
    CU_ASSERT_EQUAL(con(hc_d0, CONSOLEIO_write, 3 * PAGE_SIZE, 0), 0);
    for ( ys = 0, p = sim_console_text(); *p; p++ )
        ys += *p == 'z';
    CU_ASSERT_EQUAL(ys, 3 * PAGE_SIZE);
    hypercall_set_budget(0);
}

static void test_read_is_for_the_control_domain(void)
{
    char *g = (char *)hc_guest_ptr(hc_d0, BUF);
    int64_t n;

    printk("marker-for-read\n");
    CU_ASSERT_EQUAL(con(hc_u1, CONSOLEIO_read, 100, BUF), -EPERM);
    memset(g, 0, 4096);
    n = con(hc_d0, CONSOLEIO_read, 4095, BUF);
    CU_ASSERT(n > 0 && n <= 4095);
    CU_ASSERT_EQUAL(con(hc_d0, CONSOLEIO_read, 100,
                        HC_GFN_HOLE * PAGE_SIZE), -EFAULT);
}

CU_TestInfo console_io_tests[] = {
    ORR_CASE(test_write_prefixes_each_line),
    ORR_CASE(test_write_bad_buffer),
    ORR_CASE(test_domu_rate_limit),
    ORR_CASE(test_read_is_for_the_control_domain),
    CU_TEST_INFO_NULL,
};
