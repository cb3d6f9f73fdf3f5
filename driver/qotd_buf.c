// SPDX-License-Identifier: GPL-2.0
/*
 * qotd - Quote of the Day, version 3: buffer allocation and bounds.
 *
 * Every strategy goes through kvmalloc(): a request that may sleep falls
 * back to virtually contiguous pages when physically contiguous ones are
 * short, so even a very large buffer does not depend on fragmentation, and
 * kvfree() releases any of them without being told the size, much like the
 * cookie of ddi_umem_free().  A request that must not sleep never reaches
 * vmalloc, which kvmalloc() knows.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qotd.h"

const char * const qotd_alloc_names[] = {
	[QOTD_ALLOC_UMEM] = "umem",
	[QOTD_ALLOC_KMEM] = "kmem",
	[QOTD_ALLOC_AUTO] = "auto",
};

int qotd_alloc_parse(const char *name, enum qotd_alloc *mode)
{
	int i = sysfs_match_string(qotd_alloc_names, name);

	if (i < 0)
		return i;
	*mode = i;
	return 0;
}

/* The number of bytes to ask for: whole pages, or exactly @size. */
static size_t qotd_request(size_t size, enum qotd_alloc mode)
{
	if (mode == QOTD_ALLOC_UMEM ||
	    (mode == QOTD_ALLOC_AUTO && size >= QOTD_AUTO_PAGES_FROM))
		return PAGE_ALIGN(size);
	return size;
}

/*
 * A zeroed buffer for @size bytes.  @gfp says whether the caller may sleep
 * and whom to charge; the contents are zero up to the end of the allocation,
 * so growing a buffer never shows what the memory held before.
 */
void *qotd_buf_alloc(size_t size, enum qotd_alloc mode, gfp_t gfp)
{
	return kvzalloc(qotd_request(size, mode), gfp);
}

/* Bytes of kernel memory that a buffer of @size bytes holds. */
size_t qotd_buf_footprint(const void *buf, size_t size, enum qotd_alloc mode)
{
	size_t req = qotd_request(size, mode);

	if (is_vmalloc_addr(buf))
		return PAGE_ALIGN(req);
	return kmalloc_size_roundup(req);
}

void qotd_buf_free(const void *buf)
{
	kvfree(buf);
}

/*
 * How many of @count bytes at file offset @pos lie inside a buffer of @size
 * bytes.  No addition is done on @pos, so no offset can overflow.
 */
size_t qotd_span(loff_t pos, size_t count, size_t size)
{
	if (pos < 0 || (u64)pos >= size)
		return 0;
	return min_t(size_t, count, size - (size_t)pos);
}
