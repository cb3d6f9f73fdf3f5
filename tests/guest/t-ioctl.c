// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls: get size (D5), set size (D6), discard (D7), their encoding
 * and the legacy command values (D12, D13), bad commands and pointers
 * (D11). Built twice: as a 64-bit program and with -m32, which goes
 * through the driver's compat_ioctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "qtest.h"

#define GUARD 0xA5

/* A u64 (or a size_t) between guard bytes, to see what an ioctl writes. */
struct guarded {
	unsigned char pre[8];
	union {
		uint64_t u64;
		size_t sz;
		uint32_t u32[2];
		unsigned char b[8];
	} v;
	unsigned char post[8];
};

static void guard(struct guarded *g)
{
	memset(g, GUARD, sizeof(*g));
}

/* Every byte outside the first n of v is still GUARD. */
static int untouched_beyond(const struct guarded *g, size_t n)
{
	for (size_t i = 0; i < 8; i++)
		if (g->pre[i] != GUARD || g->post[i] != GUARD ||
		    (i >= n && g->v.b[i] != GUARD))
			return 0;
	return 1;
}

static unsigned char *expected(size_t size, const unsigned char *head, size_t head_len)
{
	unsigned char *e = calloc(1, size);

	memcpy(e, head, head_len < size ? head_len : size);
	return e;
}

/* The device holds the initial quotation, padded with zeros to size. */
static void expect_initial_padded(size_t size, const char *what)
{
	unsigned char *e = expected(size, q_initial, QOTD_INIT_SIZE);

	q_expect_content(0, e, size, "%s", what);
	free(e);
}

static void test_encoding(void)
{
	tap_ok(_IOC_TYPE(QOTDIOCGSZ) == 0xC4 && _IOC_NR(QOTDIOCGSZ) == 1 &&
	       _IOC_DIR(QOTDIOCGSZ) == _IOC_READ && _IOC_SIZE(QOTDIOCGSZ) == 8,
	       "D12: QOTDIOCGSZ is _IOR(0xC4, 1, __u64) = 0x%08lx", (unsigned long)QOTDIOCGSZ);
	tap_ok(_IOC_TYPE(QOTDIOCSSZ) == 0xC4 && _IOC_NR(QOTDIOCSSZ) == 2 &&
	       _IOC_DIR(QOTDIOCSSZ) == _IOC_WRITE && _IOC_SIZE(QOTDIOCSSZ) == 8,
	       "D12: QOTDIOCSSZ is _IOW(0xC4, 2, __u64) = 0x%08lx", (unsigned long)QOTDIOCSSZ);
	tap_ok(_IOC_TYPE(QOTDIOCDISCARD) == 0xC4 && _IOC_NR(QOTDIOCDISCARD) == 3 &&
	       _IOC_DIR(QOTDIOCDISCARD) == _IOC_NONE && _IOC_SIZE(QOTDIOCDISCARD) == 0,
	       "D12: QOTDIOCDISCARD is _IO(0xC4, 3) = 0x%08lx", (unsigned long)QOTDIOCDISCARD);
	tap_ok(QOTD_LEGACY_IOCGSZ == 0x71746401 && QOTD_LEGACY_IOCSSZ == 0x71746402 &&
	       QOTD_LEGACY_IOCDISCARD == 0x71746403,
	       "D13: the legacy values are 0x71746401, 0x71746402, 0x71746403");
}

static void test_get_size(int fdr, int fdw, int fdrw)
{
	struct guarded g;

	guard(&g);
	tap_eq(ioctl(fdr, QOTDIOCGSZ, &g.v), 0, "D5: QOTDIOCGSZ on an O_RDONLY fd succeeds");
	tap_eq((long long)g.v.u64, QOTD_INIT_SIZE, "D5: QOTDIOCGSZ gives the buffer size, 128");
	tap_ok(untouched_beyond(&g, 8), "D12: QOTDIOCGSZ writes exactly 8 bytes");

	guard(&g);
	tap_errno(ioctl(fdw, QOTDIOCGSZ, &g.v), EACCES, "D5: QOTDIOCGSZ on an O_WRONLY fd fails with EACCES");
	tap_ok(untouched_beyond(&g, 0), "D5: the refused QOTDIOCGSZ wrote nothing");

	guard(&g);
	tap_eq(ioctl(fdrw, QOTDIOCGSZ, &g.v), 0, "D5: QOTDIOCGSZ on an O_RDWR fd succeeds");
	tap_eq((long long)g.v.u64, QOTD_INIT_SIZE, "D5: QOTDIOCGSZ on O_RDWR gives 128");

	tap_eq(q_ssz(fdrw, 300), 0, "resize to 300");
	guard(&g);
	ioctl(fdr, QOTDIOCGSZ, &g.v);
	tap_eq((long long)g.v.u64, 300, "D5: after a resize to 300, QOTDIOCGSZ gives 300");
	tap_eq(q_discard(fdrw), 0, "discard");
	guard(&g);
	ioctl(fdr, QOTDIOCGSZ, &g.v);
	tap_eq((long long)g.v.u64, QOTD_INIT_SIZE, "D5: after discard, QOTDIOCGSZ gives 128");
}

static void test_legacy(int fdr, int fdw, int fdrw)
{
	struct guarded g;
	size_t n = sizeof(size_t);

	guard(&g);
	tap_eq(ioctl(fdr, QOTD_LEGACY_IOCGSZ, &g.v), 0, "D13: legacy GSZ (0x71746401) succeeds");
	tap_eq((long long)g.v.sz, QOTD_INIT_SIZE, "D13: legacy GSZ gives 128 in a size_t");
	tap_ok(untouched_beyond(&g, n), "D13: legacy GSZ writes exactly sizeof(size_t) = %zu bytes", n);
	guard(&g);
	tap_errno(ioctl(fdw, QOTD_LEGACY_IOCGSZ, &g.v), EACCES,
		  "D13: legacy GSZ on an O_WRONLY fd fails with EACCES");
	tap_ok(untouched_beyond(&g, 0), "D13: the refused legacy GSZ wrote nothing");

	/* The size is a size_t: 4 bytes from a 32-bit caller, 8 otherwise. */
	memset(&g, 0xFF, sizeof(g));
	g.v.sz = 200;
	tap_eq(ioctl(fdrw, QOTD_LEGACY_IOCSSZ, &g.v), 0,
	       "D13: legacy SSZ (0x71746402) to 200 with 0xFF bytes after the size_t succeeds");
	tap_eq(q_size_of(0), 200, "D13: after legacy SSZ the size is 200 (reads sizeof(size_t) = %zu bytes)", n);
	expect_initial_padded(200, "D13: legacy SSZ kept the head and zeroed the rest");
	q_expect_changed(0, 1, "D13: legacy SSZ sets changed");

	if (n == 8) {
		g.v.u64 = (1ULL << 32) | 300;
		tap_errno(ioctl(fdrw, QOTD_LEGACY_IOCSSZ, &g.v), EINVAL,
			  "D13: legacy SSZ to 2^32+300 from a 64-bit caller fails with EINVAL (8-byte size_t)");
		tap_eq(q_size_of(0), 200, "D13: the failed legacy SSZ left the size at 200");
	}
	g.v.sz = 250;
	tap_errno(ioctl(fdr, QOTD_LEGACY_IOCSSZ, &g.v), EACCES,
		  "D13: legacy SSZ on an O_RDONLY fd fails with EACCES");
	tap_errno(ioctl(fdr, QOTD_LEGACY_IOCDISCARD, 0), EACCES,
		  "D13: legacy DISCARD on an O_RDONLY fd fails with EACCES");
	tap_eq(q_size_of(0), 200, "D13: the refused legacy commands left the size at 200");
	tap_eq(ioctl(fdw, QOTD_LEGACY_IOCDISCARD, 0), 0, "D13: legacy DISCARD (0x71746403) succeeds");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D13: legacy DISCARD restores the initial 128 bytes");
	q_expect_changed(0, 0, "D13: legacy DISCARD clears changed");

	/* The Linux-encoded command takes a __u64 also from 32-bit callers. */
	g.v.u64 = (1ULL << 32) | 300;
	tap_errno(ioctl(fdrw, QOTDIOCSSZ, &g.v), EINVAL,
		  "D12: QOTDIOCSSZ to 2^32+300 fails with EINVAL (the whole __u64 is read)");
	tap_eq(q_size_of(0), QOTD_INIT_SIZE, "D12: the failed QOTDIOCSSZ left the size at 128");
	q_expect_changed(0, 0, "D12: the failed QOTDIOCSSZ did not set changed");
}

static void test_set_size(int fdr, int fdrw, uint64_t max)
{
	uint64_t size = 123;
	unsigned char *pat, *e;
	void *hole = q_unmapped(Q_PAGE);
	size_t i;

	tap_errno(q_ssz(fdr, 256), EACCES, "D6: QOTDIOCSSZ on an O_RDONLY fd fails with EACCES");
	tap_errno(q_ssz(fdrw, 0), EINVAL, "D6: QOTDIOCSSZ to 0 fails with EINVAL");
	tap_errno(q_ssz(fdrw, max + 1), EINVAL, "D6: QOTDIOCSSZ to max_size + 1 = %llu fails with EINVAL",
		  (unsigned long long)max + 1);
	tap_errno(q_ssz(fdrw, UINT64_MAX), EINVAL, "D6: QOTDIOCSSZ to 2^64-1 fails with EINVAL");
	tap_errno(q_ssz(fdrw, 1ULL << 63), EINVAL, "D6: QOTDIOCSSZ to 2^63 fails with EINVAL");
	tap_errno(ioctl(fdrw, QOTDIOCSSZ, hole), EFAULT,
		  "D6: QOTDIOCSSZ with an unmapped pointer fails with EFAULT");
	tap_errno(ioctl(fdrw, QOTDIOCSSZ, NULL), EFAULT, "D6: QOTDIOCSSZ with NULL fails with EFAULT");
	tap_errno(ioctl(fdrw, QOTD_LEGACY_IOCSSZ, hole), EFAULT,
		  "D11: legacy SSZ with an unmapped pointer fails with EFAULT");
	tap_errno(ioctl(fdr, QOTDIOCGSZ, hole), EFAULT,
		  "D11: QOTDIOCGSZ with an unmapped pointer fails with EFAULT");
	tap_errno(ioctl(fdr, QOTD_LEGACY_IOCGSZ, hole), EFAULT,
		  "D11: legacy GSZ with an unmapped pointer fails with EFAULT");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D6: the refused resizes changed nothing");
	q_expect_changed(0, 0, "D6: the refused resizes did not set changed");

	tap_eq(q_ssz(fdrw, 5000), 0, "D6: resize to 5000");
	expect_initial_padded(5000, "D6: growing keeps the 128 bytes, the new 4872 read as zero");
	q_expect_changed(0, 1, "D6: a resize sets changed");

	pat = malloc(5000);
	for (i = 0; i < 5000; i++)
		pat[i] = (unsigned char)(i % 251 + 1);
	tap_eq(pwrite(fdrw, pat, 5000, 0), 5000, "fill the 5000 bytes (no zero byte)");
	tap_eq(q_ssz(fdrw, 10), 0, "D6: resize to 10");
	q_expect_content(0, pat, 10, "D6: shrinking to 10 keeps the first 10 bytes");
	tap_eq(q_ssz(fdrw, 5000), 0, "D6: resize back to 5000");
	e = expected(5000, pat, 10);
	q_expect_content(0, e, 5000, "D6: shrink then grow: bytes 10..4999 read as zero (nothing stale)");
	free(e);

	tap_eq(pwrite(fdrw, pat, 5000, 0), 5000, "fill the 5000 bytes again");
	tap_eq(q_ssz(fdrw, 4097), 0, "D6: resize to 4097");
	tap_eq(q_ssz(fdrw, 8192), 0, "D6: resize to 8192");
	e = expected(8192, pat, 4097);
	q_expect_content(0, e, 8192, "D6: 5000 -> 4097 -> 8192 keeps 4097 bytes, zeros after");
	free(e);

	tap_eq(q_ssz(fdrw, 1), 0, "D6: resize to 1");
	q_expect_content(0, pat, 1, "D6: a 1-byte buffer reads as 1 byte");
	tap_ok(q_gsz(fdr, &size) == 0 && size == 1, "D6: QOTDIOCGSZ gives 1");
	tap_eq(q_ssz(fdrw, max), 0, "D6: resize to max_size exactly (%llu)", (unsigned long long)max);
	e = expected(max, pat, 1);
	q_expect_content(0, e, max, "D6: the max_size buffer: the kept byte, then zeros");
	free(e);
	tap_eq(pwrite(fdrw, "Z", 1, (off_t)max - 1), 1, "D6: write the last byte of the max_size buffer");
	tap_errno(pwrite(fdrw, "Z", 1, (off_t)max), ENOSPC, "D6: write at max_size fails with ENOSPC");

	tap_eq(q_discard(fdrw), 0, "discard");
	tap_eq(q_ssz(fdrw, QOTD_INIT_SIZE), 0, "D6: resize to the same size, 128");
	q_expect_changed(0, 1, "D6: a resize to the same size sets changed");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D6: a resize to the same size keeps the content");
	tap_eq(q_discard(fdrw), 0, "discard");
	free(pat);
}

/*
 * Freed buffers full of 0xAA, then a grow: the allocator is likely to hand
 * the same memory back, and none of it may show.
 */
static void test_no_stale(int fdrw, uint64_t max)
{
	static const uint64_t sizes[] = { 64, 200, 1000, 2048, 4096, 5000, 8192, 16384, 65536 };
	unsigned char *fill = malloc(65536), *buf = malloc(65536 + Q_PAGE);
	int stale = 0, tries = 0;

	if (q_init_on_alloc() == 1)
		tap_diag("this kernel zeroes every allocation (init_on_alloc=1): a missing zeroing in the driver cannot show here, copies past the old end still can");
	memset(fill, 0xAA, 65536);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t s = sizes[i];

		if (s > max)
			continue;
		for (int round = 0; round < 4; round++) {
			ssize_t n;

			tries++;
			if (q_ssz(fdrw, s) || pwrite(fdrw, fill, s, 0) != (ssize_t)s ||
			    q_ssz(fdrw, 1) || q_ssz(fdrw, s)) {
				stale++;
				tap_diag("size %llu: resize or fill failed: %s", (unsigned long long)s,
					 strerror(errno));
				continue;
			}
			n = q_pread0(fdrw, buf, 65536 + Q_PAGE);
			if (n != (ssize_t)s || buf[0] != 0xAA) {
				stale++;
				tap_diag("size %llu: read %zd bytes, first 0x%02x", (unsigned long long)s, n,
					 buf[0]);
				continue;
			}
			for (ssize_t j = 1; j < n; j++) {
				if (buf[j]) {
					stale++;
					tap_diag("size %llu: byte %zd is 0x%02x after 1 -> %llu",
						 (unsigned long long)s, j, buf[j], (unsigned long long)s);
					break;
				}
			}
		}
	}
	tap_ok(stale == 0,
	       "D11: growing never exposes stale memory (fill with 0xAA, shrink to 1, grow back; %d tries)",
	       tries);
	tap_eq(q_discard(fdrw), 0, "discard");
	free(fill);
	free(buf);
}

static void test_discard(int fdr, int fdrw, uint64_t max)
{
	static const uint64_t sizes[] = { 1, 127, 128, 129, 4096, 65536 };
	unsigned char *fill = malloc(65536);

	memset(fill, 'D', 65536);
	tap_eq(q_discard(fdrw), 0, "D7: discard of an unchanged device succeeds");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D7: discard of an unchanged device: the initial 128 bytes");
	q_expect_changed(0, 0, "D7: discard of an unchanged device: changed stays 0");

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t s = sizes[i];

		if (s > max)
			continue;
		if (q_ssz(fdrw, s) || pwrite(fdrw, fill, s, 0) != (ssize_t)s) {
			tap_ok(0, "D7: resize to %llu and fill it", (unsigned long long)s);
			continue;
		}
		q_expect_changed(0, 1, "D7: size %llu, filled: changed is 1", (unsigned long long)s);
		tap_eq(q_discard(fdrw), 0, "D7: discard from size %llu succeeds", (unsigned long long)s);
		q_expect_content(0, q_initial, QOTD_INIT_SIZE,
				 "D7: discard from size %llu gives exactly the initial 128 bytes",
				 (unsigned long long)s);
		q_expect_changed(0, 0, "D7: discard from size %llu clears changed", (unsigned long long)s);
	}

	tap_eq(pwrite(fdrw, "Q", 1, 0), 1, "write one byte");
	tap_errno(q_discard(fdr), EACCES, "D7: discard on an O_RDONLY fd fails with EACCES");
	q_expect_changed(0, 1, "D7: the refused discard left changed set");
	{
		unsigned char e[QOTD_INIT_SIZE];

		memcpy(e, q_initial, sizeof(e));
		e[0] = 'Q';
		q_expect_content(0, e, sizeof(e), "D7: the refused discard left the content alone");
	}
	tap_eq(q_discard(fdrw), 0, "discard");
	free(fill);
}

static void test_unknown(int fdrw)
{
	uint64_t v = 128;

	tap_errno(ioctl(fdrw, _IO(QOTD_IOC_MAGIC, 99), &v), ENOTTY,
		  "D11: _IO(0xC4, 99) fails with ENOTTY");
	tap_errno(ioctl(fdrw, 0x71746404, &v), ENOTTY, "D11: 0x71746404 fails with ENOTTY");
	tap_errno(ioctl(fdrw, 0x71746400, &v), ENOTTY, "D11: 0x71746400 fails with ENOTTY");
	tap_errno(ioctl(fdrw, _IOR(QOTD_IOC_MAGIC, 1, uint32_t), &v), ENOTTY,
		  "D11: _IOR(0xC4, 1, __u32) (wrong size) fails with ENOTTY");
	tap_errno(ioctl(fdrw, _IOW(QOTD_IOC_MAGIC, 2, uint32_t), &v), ENOTTY,
		  "D11: _IOW(0xC4, 2, __u32) (wrong size) fails with ENOTTY");
	tap_errno(ioctl(fdrw, _IOR(QOTD_IOC_MAGIC, 3, uint64_t), &v), ENOTTY,
		  "D11: _IOR(0xC4, 3, __u64) (discard with a direction) fails with ENOTTY");
	/* The values of qotd 1.0, whose magic another driver has since taken. */
	tap_errno(ioctl(fdrw, _IOR(0xB8, 1, uint64_t), &v), ENOTTY,
		  "D12: 1.0's _IOR(0xB8, 1, __u64) fails with ENOTTY");
	tap_errno(ioctl(fdrw, _IOW(0xB8, 2, uint64_t), &v), ENOTTY,
		  "D12: 1.0's _IOW(0xB8, 2, __u64) fails with ENOTTY");
	tap_errno(ioctl(fdrw, _IO(0xB8, 3), &v), ENOTTY, "D12: 1.0's _IO(0xB8, 3) fails with ENOTTY");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D11: the unknown commands changed nothing");
	q_expect_changed(0, 0, "D11: the unknown commands did not set changed");
}

int main(int argc, char **argv)
{
	int fdr, fdw, fdrw;
	long long max;

	tap_init(argc, argv);
	tap_diag("%s: %zu-bit size_t", tap_prog(), sizeof(size_t) * 8);
	test_encoding();
	q_load_or_bail(NULL);
	fdr = q_open(0, O_RDONLY);
	fdw = q_open(0, O_WRONLY);
	fdrw = q_open(0, O_RDWR);
	max = q_param("max_size");
	if (!tap_ok(fdr >= 0 && fdw >= 0 && fdrw >= 0 && max >= QOTD_INIT_SIZE,
		    "open /dev/qotd0 three ways, read max_size (%lld)", max)) {
		q_force_cleanup();
		return tap_done();
	}
	test_get_size(fdr, fdw, fdrw);
	test_legacy(fdr, fdw, fdrw);
	test_set_size(fdr, fdrw, (uint64_t)max);
	test_no_stale(fdrw, (uint64_t)max);
	test_discard(fdr, fdrw, (uint64_t)max);
	test_unknown(fdrw);
	close(fdr);
	close(fdw);
	close(fdrw);
	return q_finish(1);
}
