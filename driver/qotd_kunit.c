// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of qotd's helpers: offset clamping and buffer allocation.
 * qotd_kunit.ko, built when the kernel has KUnit; it runs them when it
 * loads, using what qotd.ko exports for it alone.
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include "qotd.h"
#include "qotd_compat.h"

static void qotd_span_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qotd_span(0, 10, 128), 10);
	KUNIT_EXPECT_EQ(test, qotd_span(0, 1000, 128), 128);
	KUNIT_EXPECT_EQ(test, qotd_span(120, 10, 128), 8);
	KUNIT_EXPECT_EQ(test, qotd_span(127, SIZE_MAX, 128), 1);
	KUNIT_EXPECT_EQ(test, qotd_span(128, 1, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(129, 1, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(5, 0, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(-1, 10, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(LLONG_MIN, 10, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(LLONG_MAX, SIZE_MAX, 128), 0);
	KUNIT_EXPECT_EQ(test, qotd_span(SZ_1G - 1, SIZE_MAX, SZ_1G), 1);
}

static void qotd_alloc_parse_test(struct kunit *test)
{
	enum qotd_alloc mode = QOTD_ALLOC_AUTO;

	KUNIT_EXPECT_EQ(test, qotd_alloc_parse("umem", &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, QOTD_ALLOC_UMEM);
	KUNIT_EXPECT_EQ(test, qotd_alloc_parse("kmem\n", &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, QOTD_ALLOC_KMEM);
	KUNIT_EXPECT_EQ(test, qotd_alloc_parse("auto", &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, QOTD_ALLOC_AUTO);
	KUNIT_EXPECT_EQ(test, qotd_alloc_parse("pages", &mode), -EINVAL);
	KUNIT_EXPECT_EQ(test, qotd_alloc_parse("", &mode), -EINVAL);
	KUNIT_EXPECT_EQ(test, mode, QOTD_ALLOC_AUTO);
}

struct qotd_alloc_case {
	enum qotd_alloc mode;
	size_t size;
	size_t footprint;	/* bytes of kernel memory expected */
	bool page_aligned;
};

static const struct qotd_alloc_case qotd_alloc_cases[] = {
	{ QOTD_ALLOC_UMEM, 1, PAGE_SIZE, true },
	{ QOTD_ALLOC_UMEM, 128, PAGE_SIZE, true },
	{ QOTD_ALLOC_UMEM, PAGE_SIZE + 1, 2 * PAGE_SIZE, true },
	{ QOTD_ALLOC_UMEM, SZ_64K, SZ_64K, true },
	{ QOTD_ALLOC_KMEM, 128, 128, false },
	{ QOTD_ALLOC_KMEM, 100, 128, false },
	{ QOTD_ALLOC_AUTO, 128, 128, false },
	{ QOTD_ALLOC_AUTO, PAGE_SIZE, PAGE_SIZE, true },
	{ QOTD_ALLOC_AUTO, SZ_16M, SZ_16M, true },
};

static void qotd_alloc_case_desc(const struct qotd_alloc_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %zu bytes",
		 qotd_alloc_names[c->mode], c->size);
}

KUNIT_ARRAY_PARAM(qotd_alloc, qotd_alloc_cases, qotd_alloc_case_desc);

/* Zeroed, as large as promised, and page-aligned where pages are promised. */
static void qotd_buf_alloc_test(struct kunit *test)
{
	const struct qotd_alloc_case *c = test->param_value;
	unsigned char *buf;
	size_t i;

	buf = qotd_buf_alloc(c->size, c->mode, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < c->size; i++)
		if (buf[i])
			break;
	KUNIT_EXPECT_EQ(test, i, c->size);
	KUNIT_EXPECT_EQ(test, qotd_buf_footprint(buf, c->size, c->mode),
			c->footprint);
	if (c->page_aligned)
		KUNIT_EXPECT_EQ(test, offset_in_page(buf), 0);
	/* umem may sleep here: pages that can be mapped, never slab. */
	if (c->mode == QOTD_ALLOC_UMEM)
		KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(buf));
	qotd_buf_free(buf, c->size, c->mode);
}

/*
 * What a caller that must not sleep gets: one attempt, never vmalloc();
 * umem from the page allocator, the others from the slab.  Whether the
 * attempt succeeds depends on the memory free at the time, so only the
 * choice is tested.
 */
static void qotd_buf_nowait_test(struct kunit *test)
{
	const gfp_t nowait = GFP_NOWAIT | __GFP_NOWARN;

	KUNIT_EXPECT_EQ(test, qotd_buf_source(PAGE_SIZE, QOTD_ALLOC_UMEM, nowait),
			QOTD_SRC_PAGES);
	KUNIT_EXPECT_EQ(test, qotd_buf_source(128, QOTD_ALLOC_KMEM, nowait),
			QOTD_SRC_SLAB);
	KUNIT_EXPECT_EQ(test, qotd_buf_source(128, QOTD_ALLOC_AUTO, nowait),
			QOTD_SRC_SLAB);
	KUNIT_EXPECT_FALSE(test, qotd_buf_may_fall_back(SZ_1M, nowait));
	KUNIT_EXPECT_FALSE(test, qotd_buf_may_fall_back(PAGE_SIZE, nowait));
}

/* A caller that may sleep: umem maps base pages, slab falls back. */
static void qotd_buf_sleep_test(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL;

	KUNIT_EXPECT_EQ(test, qotd_buf_source(128, QOTD_ALLOC_UMEM, gfp),
			QOTD_SRC_VMALLOC);
	KUNIT_EXPECT_EQ(test, qotd_buf_source(SZ_1M, QOTD_ALLOC_KMEM, gfp),
			QOTD_SRC_SLAB);
	KUNIT_EXPECT_EQ(test, qotd_buf_source(KMALLOC_MAX_SIZE + 1,
					      QOTD_ALLOC_KMEM, gfp),
			QOTD_SRC_VMALLOC);
	KUNIT_EXPECT_FALSE(test, qotd_buf_may_fall_back(PAGE_SIZE, gfp));
	KUNIT_EXPECT_TRUE(test, qotd_buf_may_fall_back(PAGE_SIZE + 1, gfp));
}

/*
 * The slab try before a fallback neither reclaims hard nor warns, whatever
 * the caller asked of the allocation; everything else is kept.
 */
static void qotd_buf_gfp_try_test(struct kunit *test)
{
	const gfp_t ioctl = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL |
			    __GFP_NOWARN;
	gfp_t gfp = qotd_buf_gfp_try(ioctl);

	KUNIT_EXPECT_TRUE(test, gfp & __GFP_NORETRY);
	KUNIT_EXPECT_FALSE(test, gfp & __GFP_RETRY_MAYFAIL);
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_NOWARN);
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_ACCOUNT);
	/* gfp_t is __bitwise: compared, not handed to KUNIT_EXPECT_EQ(). */
	KUNIT_EXPECT_TRUE(test, (gfp & GFP_KERNEL) == GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, qotd_buf_gfp_try(GFP_KERNEL) ==
			  (GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN));
}

static struct kunit_case qotd_kunit_cases[] = {
	KUNIT_CASE(qotd_span_test),
	KUNIT_CASE(qotd_alloc_parse_test),
	KUNIT_CASE_PARAM(qotd_buf_alloc_test, qotd_alloc_gen_params),
	KUNIT_CASE(qotd_buf_nowait_test),
	KUNIT_CASE(qotd_buf_sleep_test),
	KUNIT_CASE(qotd_buf_gfp_try_test),
	{}
};

static struct kunit_suite qotd_kunit_suite = {
	.name = "qotd",
	.test_cases = qotd_kunit_cases,
};

kunit_test_suites(&qotd_kunit_suite);

MODULE_DESCRIPTION("KUnit tests of qotd's buffer helpers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QOTD_KUNIT_NS);
