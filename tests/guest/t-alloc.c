// SPDX-License-Identifier: GPL-2.0
/*
 * The allocated attribute is exact (D6, D8, sysfs): for each strategy and
 * a range of sizes, what the driver says is behind a buffer is compared
 * with what the kernel says is behind it.
 *
 * - A virtually contiguous buffer has one line in /proc/vmallocinfo whose
 *   caller is in qotd; its pages=N is the memory behind it (a huge mapping
 *   would show more pages than the size needs; the guard page has none).
 *   vmalloc keeps its array of N page pointers in a second area of its
 *   own once the array outgrows a page; that is vmalloc's bookkeeping, not
 *   the buffer. VmallocUsed in /proc/meminfo grows by the pages of both
 *   over the resize, give or take what the rest of the kernel did.
 * - Any other buffer has no such line, and allocated must be the size the
 *   strategy promises: whole pages under umem, the slab's size class or the
 *   page allocator's power of two under kmem and auto.
 *
 * The sizes around 2 MiB and up are those where kvmalloc() would map huge
 * pages and round up to a multiple of 2 MiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qtest.h"

#define MAX_SIZE (16u << 20)
/*
 * VmallocUsed is a cross-check only (vmallocinfo is the exact one): it
 * moves with vmalloc done by others during a resize, and on 7.3 it also
 * lags, one step's figure up to 9 % off and the next one off the other
 * way. A 2 MiB-page mapping of a 5 MiB buffer would be 20 % off.
 */
#define VM_SLACK(want) ((64 << 10) + llabs(want) / 8)

/*
 * Pages behind qotd's vmalloc areas, and how many areas; -1 on error.
 * With show, the lines go to the TAP stream as comments.
 */
static long long qotd_vmalloc_lines(int *areas, int show, long long *largest)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	char line[512];
	long long pages = 0, n;

	*areas = 0;
	if (largest)
		*largest = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (!strstr(line, "[qotd]"))
			continue;
		p = strstr(line, " pages=");
		(*areas)++;
		if (show)
			tap_diag("vmallocinfo: %.*s", (int)strcspn(line, "\n"), line);
		n = p ? strtoll(p + 7, NULL, 10) : 0;
		pages += n;
		if (largest && n > *largest)
			*largest = n;
	}
	fclose(f);
	return pages;
}

static long long qotd_vmalloc_pages(int *areas)
{
	return qotd_vmalloc_lines(areas, 0, NULL);
}

static long long meminfo(const char *field)
{
	char buf[4096], *p, key[64];
	long long kb;

	if (q_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	snprintf(key, sizeof(key), "\n%s:", field);
	p = strstr(buf, key);
	if (!p || sscanf(p + strlen(key), "%lld", &kb) != 1)
		return -1;
	return kb * 1024;
}

static unsigned long long page_align(unsigned long long n)
{
	return (n + Q_PAGE - 1) & ~(unsigned long long)(Q_PAGE - 1);
}

/* What a buffer from the slab or page allocator occupies: kmalloc's classes. */
static unsigned long long kmalloc_size(unsigned long long n)
{
	unsigned long long c;

	if (n <= 8)
		return 8;
	if (n > 64 && n <= 96)
		return 96;
	if (n > 128 && n <= 192)
		return 192;
	for (c = 16; c < n; c <<= 1)
		;
	return c;
}

static unsigned long long promised(unsigned long long size, const char *alloc)
{
	if (!strcmp(alloc, "umem"))
		return page_align(size);
	if (!strcmp(alloc, "auto") && size >= Q_PAGE)
		return kmalloc_size(page_align(size));
	return kmalloc_size(size);
}

static void check(int fd, unsigned long long size, const char *alloc)
{
	long long vm_before = meminfo("VmallocUsed"), vm_after, pages, allocated;
	long long prev_pages, buffer;
	int areas;

	prev_pages = qotd_vmalloc_pages(&areas);
	if (!tap_ok(q_ssz(fd, size) == 0, "set size %llu", size))
		return;
	allocated = q_attr(0, "allocated");
	vm_after = meminfo("VmallocUsed");
	pages = qotd_vmalloc_lines(&areas, 0, &buffer);
	if (pages < 0 || prev_pages < 0 || vm_before < 0 || vm_after < 0) {
		tap_ok(0, "read /proc/vmallocinfo and /proc/meminfo");
		return;
	}
	if (areas) {
		long long delta = vm_after - vm_before;
		long long want = (pages - prev_pages) * Q_PAGE;
		long long array = buffer * (long long)sizeof(void *);
		/* The page array: kmalloc'ed up to a page, vmalloc'ed above. */
		long long array_pages = array > Q_PAGE ? (array + Q_PAGE - 1) / Q_PAGE : 0;

		if (!tap_ok(allocated == buffer * Q_PAGE &&
			    areas == 1 + (array_pages > 0) && pages == buffer + array_pages,
			    "D6: at %llu bytes allocated is what vmallocinfo maps for qotd's buffer (%lld; %lld pages, %d area(s) in all with %lld)",
			    size, allocated, buffer, areas, pages))
			qotd_vmalloc_lines(&areas, 1, NULL);
		tap_ok(allocated == (long long)page_align(size),
		       "D6: a %llu-byte vmalloc buffer occupies exactly its pages (%lld)", size, allocated);
		tap_ok(delta >= want - VM_SLACK(want) && delta <= want + VM_SLACK(want),
		       "D6: VmallocUsed moved by the pages qotd's buffers gained (%+lld, want %+lld)",
		       delta, want);
	} else {
		tap_eq(allocated, promised(size, alloc),
		       "D6: at %llu bytes with no vmalloc area allocated is the %s size", size, alloc);
	}
}

int main(int argc, char **argv)
{
	static const unsigned long long sizes[] = {
		1, 100, 128, 4096, 4097, 12288, 65536, 1 << 20,
		2 << 20, (2 << 20) + 1, 5 << 20, 8 << 20, 1 << 20,
	};
	const char *alloc = q_alloc();
	char param[64];
	long long allocated;
	int fd, areas;

	tap_init(argc, argv);
	snprintf(param, sizeof(param), "max_size=%u", MAX_SIZE);
	q_load_or_bail(param);
	allocated = q_attr(0, "allocated");
	tap_eq(allocated, promised(QOTD_INIT_SIZE, alloc),
	       "D8: after load allocated is the %s size for 128 bytes", alloc);
	tap_ok(qotd_vmalloc_pages(&areas) == 0 && areas == 0,
	       "D8: the buffer allocated at load is not vmalloc'ed");
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0, "open /dev/qotd0")) {
		q_force_cleanup();
		return tap_done();
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check(fd, sizes[i], alloc);
	tap_ok(q_discard(fd) == 0, "discard");
	tap_eq(q_attr(0, "allocated"), promised(QOTD_INIT_SIZE, alloc),
	       "D7: after discard allocated is the %s size for 128 bytes", alloc);
	close(fd);
	return q_finish(1);
}
