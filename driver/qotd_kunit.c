// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of qotd's helpers: offset clamping and buffer allocation.
 * Built into qotd.ko when the kernel has KUnit; they run when it loads.
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "qotd.h"

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
	qotd_buf_free(buf);
}

/* Load's allocation must work without sleeping and never use vmalloc. */
static void qotd_buf_alloc_nowait_test(struct kunit *test)
{
	void *buf = qotd_buf_alloc(128, QOTD_ALLOC_UMEM,
				   GFP_NOWAIT | __GFP_NOWARN);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(buf));
	qotd_buf_free(buf);
}

static struct kunit_case qotd_kunit_cases[] = {
	KUNIT_CASE(qotd_span_test),
	KUNIT_CASE(qotd_alloc_parse_test),
	KUNIT_CASE_PARAM(qotd_buf_alloc_test, qotd_alloc_gen_params),
	KUNIT_CASE(qotd_buf_alloc_nowait_test),
	{}
};

static struct kunit_suite qotd_kunit_suite = {
	.name = "qotd",
	.test_cases = qotd_kunit_cases,
};

kunit_test_suites(&qotd_kunit_suite);
