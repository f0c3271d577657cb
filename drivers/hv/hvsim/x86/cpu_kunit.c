// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for hvsim's x86 interpreter.  The test vectors are shared
 * with the userspace harness in tools/testing/hvsim-cpu, which also checks
 * the flag logic against the host CPU.  Part of hvsim_kunit
 * (CONFIG_MSHV_HVSIM_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "cpu_test_vectors.h"

static void hvt_vec_desc(const struct hvt_vec *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

/* The vectors live in two tables; walk them as one. */
static const void *hvt_vec_gen_params(const void *prev, char *desc)
{
	const struct hvt_vec *p = prev;
	size_t i;

	if (!p)
		i = 0;
	else if (p >= hvt_vectors_basic && p < hvt_vectors_basic + HVT_NR_BASIC)
		i = p - hvt_vectors_basic + 1;
	else
		i = HVT_NR_BASIC + (p - hvt_vectors_pm) + 1;
	if (i >= HVT_NR_VECTORS)
		return NULL;
	hvt_vec_desc(hvt_vec_at(i), desc);
	return hvt_vec_at(i);
}

static void hvsim_cpu_vector_test(struct kunit *test)
{
	const struct hvt_vec *t = test->param_value;
	char msg[160] = "";
	u8 *ram;

	ram = kunit_kzalloc(test, HVT_MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_EXPECT_EQ_MSG(test, hvt_run(t, ram, msg, sizeof(msg)), 0,
			    "%s", msg);
}

/*
 * The programs of cpu_test_vectors.h that are more than one vector
 * (interrupt and NMI delivery, the interrupt window, address
 * translation): each sets up its own memory and reports in @msg.
 */
struct hvsim_cpu_prog {
	const char *name;
	int (*run)(u8 *ram, char *msg, size_t msglen);
};

static const struct hvsim_cpu_prog hvsim_cpu_progs[] = {
	{ "interrupt", hvt_interrupt_test },
	{ "irq_window", hvt_irq_window_test },
	{ "nmi", hvt_nmi_test },
	{ "xlate", hvt_xlate_test },
};

static void hvsim_cpu_prog_desc(const struct hvsim_cpu_prog *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvsim_cpu_prog, hvsim_cpu_progs, hvsim_cpu_prog_desc);

static void hvsim_cpu_prog_test(struct kunit *test)
{
	const struct hvsim_cpu_prog *p = test->param_value;
	char msg[160] = "";
	u8 *ram;

	ram = kunit_kzalloc(test, HVT_MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_EXPECT_EQ_MSG(test, p->run(ram, msg, sizeof(msg)), 0, "%s", msg);
}

static void hvsim_cpu_reset_test(struct kunit *test)
{
	struct hvsim_cpu_state st;

	memset(&st, 0xa5, sizeof(st));
	hvsim_cpu_reset(&st);
	KUNIT_EXPECT_EQ(test, st.rip, 0xfff0ULL);
	KUNIT_EXPECT_EQ(test, st.rflags, 0x2ULL);
	KUNIT_EXPECT_EQ(test, st.cr0, 0x60000010ULL);
	KUNIT_EXPECT_EQ(test, st.gpr[HVSIM_RDX], 0x600ULL);
	KUNIT_EXPECT_EQ(test, st.gpr[HVSIM_RAX], 0ULL);
	KUNIT_EXPECT_EQ(test, st.seg[HVSIM_CS].selector, 0xf000);
	KUNIT_EXPECT_EQ(test, st.seg[HVSIM_CS].base, 0xffff0000ULL);
	KUNIT_EXPECT_EQ(test, st.seg[HVSIM_DS].base, 0ULL);
	KUNIT_EXPECT_EQ(test, st.seg[HVSIM_DS].limit, 0xffffU);
	KUNIT_EXPECT_EQ(test, st.efer, 0ULL);
}

/* The first instruction after reset is fetched at 0xFFFFFFF0. */
static void hvsim_cpu_reset_vector_test(struct kunit *test)
{
	struct hvt_mem m = { 0 };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;

	m.ram = kunit_kzalloc(test, HVT_MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.ram);
	hvsim_cpu_reset(&st);
	KUNIT_EXPECT_EQ(test, hvsim_cpu_run(&st, &hvt_mem_ops, &m, 10, &ex),
			0UL);
	KUNIT_EXPECT_EQ(test, ex.reason, HVSIM_EXIT_UNMAPPED_GPA);
	KUNIT_EXPECT_EQ(test, ex.mem.gpa, 0xfffffff0ULL);
	KUNIT_EXPECT_FALSE(test, ex.mem.write);
	KUNIT_EXPECT_EQ(test, ex.insn_bytes, 0);
}

static void hvsim_cpu_budget_zero_test(struct kunit *test)
{
	struct hvt_mem m = { 0 };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;

	hvsim_cpu_reset(&st);
	KUNIT_EXPECT_EQ(test, hvsim_cpu_run(&st, &hvt_mem_ops, &m, 0, &ex),
			0UL);
	KUNIT_EXPECT_EQ(test, ex.reason, HVSIM_EXIT_NONE);
	KUNIT_EXPECT_EQ(test, st.rip, 0xfff0ULL);
}

static struct kunit_case hvsim_cpu_cases[] = {
	KUNIT_CASE_PARAM(hvsim_cpu_vector_test, hvt_vec_gen_params),
	KUNIT_CASE_PARAM(hvsim_cpu_prog_test, hvsim_cpu_prog_gen_params),
	KUNIT_CASE(hvsim_cpu_reset_test),
	KUNIT_CASE(hvsim_cpu_reset_vector_test),
	KUNIT_CASE(hvsim_cpu_budget_zero_test),
	{}
};

static struct kunit_suite hvsim_cpu_suite = {
	.name = "hvsim-cpu",
	.test_cases = hvsim_cpu_cases,
};

kunit_test_suite(hvsim_cpu_suite);
