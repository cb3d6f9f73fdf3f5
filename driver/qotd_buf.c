// SPDX-License-Identifier: GPL-2.0
/*
 * qotd - Quote of the Day, version 3: buffer allocation and bounds.
 *
 * The tutorial's two allocators, and where each one's memory comes from:
 *
 *  umem  whole zeroed pages that can be exported to user space, as
 *        ddi_umem_alloc() hands out.  Never a slab object: at load they come
 *        straight from the page allocator without sleeping; a resize, which
 *        may sleep, takes virtually contiguous pages, so that a large buffer
 *        does not depend on fragmentation.
 *  kmem  byte-granular zeroed memory, as kmem_zalloc(): a slab object (or,
 *        above the largest slab, compound pages), with the same virtually
 *        contiguous fallback for a caller that may sleep.
 *  auto  kmem below a page, kmem rounded up to whole pages from a page on.
 *
 * The fallback is kvmalloc()'s policy written out, because kvmalloc() maps
 * requests of 2 MiB and more with huge pages and rounds them up to 2 MiB
 * multiples: qotd reports the memory behind a buffer exactly, and __vmalloc()
 * maps base pages only.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "qotd.h"
#include "qotd_compat.h"

const char * const qotd_alloc_names[] = {
	[QOTD_ALLOC_UMEM] = "umem",
	[QOTD_ALLOC_KMEM] = "kmem",
	[QOTD_ALLOC_AUTO] = "auto",
};
EXPORT_SYMBOL_IF_KUNIT(qotd_alloc_names);

int qotd_alloc_parse(const char *name, enum qotd_alloc *mode)
{
	int i = sysfs_match_string(qotd_alloc_names, name);

	if (i < 0)
		return i;
	*mode = i;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qotd_alloc_parse);

/* The number of bytes to ask for: whole pages, or exactly @size. */
size_t qotd_request(size_t size, enum qotd_alloc mode)
{
	if (mode == QOTD_ALLOC_UMEM ||
	    (mode == QOTD_ALLOC_AUTO && size >= QOTD_AUTO_PAGES_FROM))
		return PAGE_ALIGN(size);
	return size;
}

/*
 * Which allocator a request goes to first.  A caller that must not sleep
 * gets one attempt and no fallback: vmalloc() may sleep.
 */
VISIBLE_IF_KUNIT enum qotd_source
qotd_buf_source(size_t size, enum qotd_alloc mode, gfp_t gfp)
{
	if (mode != QOTD_ALLOC_UMEM)
		return size <= KMALLOC_MAX_SIZE ? QOTD_SRC_SLAB :
		       QOTD_SRC_VMALLOC;
	return gfpflags_allow_blocking(gfp) ? QOTD_SRC_VMALLOC :
	       QOTD_SRC_PAGES;
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_source);

/* Whether a failed slab attempt can still be served by vmalloc(). */
VISIBLE_IF_KUNIT bool qotd_buf_may_fall_back(size_t size, gfp_t gfp)
{
	return size > PAGE_SIZE && gfpflags_allow_blocking(gfp);
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_may_fall_back);

/*
 * The flags of a slab attempt that vmalloc() can take over, as kvmalloc()
 * chooses them: a try that neither reclaims nor compacts hard, whatever
 * persistence the caller asked of the allocation as a whole, and no
 * warning.  The caller's persistence applies to the fallback.
 */
VISIBLE_IF_KUNIT gfp_t qotd_buf_gfp_try(gfp_t gfp)
{
	return (gfp & ~__GFP_RETRY_MAYFAIL) | __GFP_NORETRY | __GFP_NOWARN;
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_gfp_try);

/*
 * A zeroed buffer for @size bytes.  @gfp says whether the caller may sleep,
 * whom to charge and how hard to try; the contents are zero up to the end
 * of the allocation, so growing a buffer never shows what the memory held
 * before.
 */
void *qotd_buf_alloc(size_t size, enum qotd_alloc mode, gfp_t gfp)
{
	size_t req = qotd_request(size, mode);
	void *buf;

	switch (qotd_buf_source(req, mode, gfp)) {
	case QOTD_SRC_PAGES:
		return alloc_pages_exact(req, gfp | __GFP_ZERO);
	case QOTD_SRC_SLAB:
		if (!qotd_buf_may_fall_back(req, gfp))
			return kzalloc(req, gfp);
		buf = kzalloc(req, qotd_buf_gfp_try(gfp));
		if (buf)
			return buf;
		fallthrough;
	case QOTD_SRC_VMALLOC:
		if (!gfpflags_allow_blocking(gfp))
			return NULL;
		return __vmalloc(req, gfp | __GFP_ZERO);
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_alloc);

/*
 * Bytes of kernel memory behind a buffer of @size bytes: the slab object's
 * real size, or the pages mapped (__vmalloc() maps base pages, one per
 * PAGE_SIZE, and its guard page has none; alloc_pages_exact() frees the
 * pages past the request).
 */
size_t qotd_buf_footprint(const void *buf, size_t size, enum qotd_alloc mode)
{
	size_t req = qotd_request(size, mode);

	if (is_vmalloc_addr(buf) || mode == QOTD_ALLOC_UMEM)
		return PAGE_ALIGN(req);
	return kmalloc_size_roundup(req);
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_footprint);

/*
 * The page that holds byte @offset of a umem buffer, for a mapping to
 * install: vmalloc memory and alloc_pages_exact()'s both come as order-0
 * pages that each have a reference of their own.
 */
struct page *qotd_buf_page(const void *buf, size_t offset)
{
	const void *p = buf + offset;

	return is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);
}

/* Free what qotd_buf_alloc(@size, @mode) returned; NULL is ignored. */
void qotd_buf_free(void *buf, size_t size, enum qotd_alloc mode)
{
	if (!buf)
		return;
	if (is_vmalloc_addr(buf))
		vfree(buf);
	else if (mode == QOTD_ALLOC_UMEM)
		free_pages_exact(buf, qotd_request(size, mode));
	else
		kfree(buf);
}
EXPORT_SYMBOL_IF_KUNIT(qotd_buf_free);

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
EXPORT_SYMBOL_IF_KUNIT(qotd_span);
