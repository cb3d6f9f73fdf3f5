/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotd - Quote of the Day, version 3: what the driver's parts share.
 */
#ifndef QOTD_H
#define QOTD_H

#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/* How an instance's buffer is allocated (module parameter "alloc"). */
enum qotd_alloc {
	QOTD_ALLOC_UMEM,	/* whole zeroed pages, as ddi_umem_alloc() */
	QOTD_ALLOC_KMEM,	/* byte-granular zeroed slab, as kmem_zalloc() */
	QOTD_ALLOC_AUTO,	/* slab below QOTD_AUTO_PAGES_FROM, pages above */
};

/*
 * Under "auto", buffers of at least this many bytes take whole pages.  Below
 * it a slab object is smaller than a page; from here on the slab rounds up to
 * a page or more anyway, so pages cost nothing extra and keep the buffer
 * page-aligned.
 */
#define QOTD_AUTO_PAGES_FROM	PAGE_SIZE

extern const char * const qotd_alloc_names[];

int qotd_alloc_parse(const char *name, enum qotd_alloc *mode);
void *qotd_buf_alloc(size_t size, enum qotd_alloc mode, gfp_t gfp);
size_t qotd_buf_footprint(const void *buf, size_t size, enum qotd_alloc mode);
void qotd_buf_free(void *buf, size_t size, enum qotd_alloc mode);
size_t qotd_request(size_t size, enum qotd_alloc mode);
struct page *qotd_buf_page(const void *buf, size_t offset);
size_t qotd_span(loff_t pos, size_t count, size_t size);

/* Where qotd_buf_alloc() goes first. */
enum qotd_source {
	QOTD_SRC_PAGES,		/* alloc_pages_exact(): whole pages, no sleep */
	QOTD_SRC_SLAB,		/* kmalloc(), perhaps then vmalloc() */
	QOTD_SRC_VMALLOC,	/* __vmalloc(): base pages, may sleep */
};

#if IS_ENABLED(CONFIG_KUNIT)
/* Static unless KUnit is there to test them. */
enum qotd_source qotd_buf_source(size_t size, enum qotd_alloc mode, gfp_t gfp);
bool qotd_buf_may_fall_back(size_t size, gfp_t gfp);
gfp_t qotd_buf_gfp_try(gfp_t gfp);
#endif

#endif /* QOTD_H */
