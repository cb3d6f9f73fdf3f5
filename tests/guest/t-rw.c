// SPDX-License-Identifier: GPL-2.0
/*
 * read, write and lseek: D2, D3, D4, and the bad-input rows of D11 that
 * concern them (unmapped buffers, partial copies, offsets near LLONG_MAX).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "qtest.h"

static unsigned char model[QOTD_INIT_SIZE];

static void reset_model(int fd)
{
	tap_eq(q_discard(fd), 0, "discard");
	memcpy(model, q_initial, sizeof(model));
}

/* Make the whole buffer (128 bytes) content, and the model with it. */
static void fill(int fd, const unsigned char *content)
{
	if (pwrite(fd, content, QOTD_INIT_SIZE, 0) != QOTD_INIT_SIZE)
		tap_ok(0, "fill the buffer");
	memcpy(model, content, sizeof(model));
}

static void test_read(int fd)
{
	static const long long offs[] = { 0, 59, 100, 127, 128, 1000 };
	unsigned char buf[Q_PAGE], *big, c;
	unsigned char got[QOTD_INIT_SIZE + 8];
	size_t total = 0;
	int steps = 0;
	ssize_t n;

	n = q_pread0(fd, buf, sizeof(buf));
	tap_mem(buf, n, q_initial, QOTD_INIT_SIZE,
		"D2: a fresh read gives exactly 128 bytes: the quote and 68 NULs");
	tap_ok(!memcmp(buf, Q_QUOTE, Q_QUOTE_LEN) && n == QOTD_INIT_SIZE,
	       "D2: the quote is \"On the whole, I'd rather be in Philadelphia. - W. C. Fields\\n\"");

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		long long off = offs[i];
		size_t want = off >= QOTD_INIT_SIZE ? 0 : (size_t)(QOTD_INIT_SIZE - off);

		n = pread(fd, buf, sizeof(buf), off);
		tap_mem(buf, n, q_initial + (want ? off : 0), want,
			"D2: pread of 4096 bytes at offset %lld gives %zu bytes", off, want);
	}
	n = pread(fd, buf, 10, 100);
	tap_mem(buf, n, q_initial + 100, 10, "D2: pread of 10 bytes at offset 100 gives those 10 bytes");

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, QOTD_INIT_SIZE);
	tap_mem(buf, n, q_initial, QOTD_INIT_SIZE, "D2: read of 128 bytes from offset 0");
	tap_eq(lseek(fd, 0, SEEK_CUR), QOTD_INIT_SIZE, "D2: the read moved the offset to 128");
	tap_eq(read(fd, buf, sizeof(buf)), 0, "D2: read at the end returns 0");
	tap_eq(lseek(fd, 0, SEEK_CUR), QOTD_INIT_SIZE, "D2: read at the end leaves the offset at 128");

	/*
	 * A huge count is no problem: the copy stops at the end. (Through
	 * syscall(): the compiler rightly objects to such a read().)
	 */
	big = malloc(Q_PAGE);
	lseek(fd, 0, SEEK_SET);
	n = syscall(SYS_read, fd, big, (size_t)1 << 30);
	tap_mem(big, n, q_initial, QOTD_INIT_SIZE, "D2: read with count 1 GiB gives the 128 bytes");
	lseek(fd, 0, SEEK_SET);
	n = syscall(SYS_read, fd, big, (size_t)0x7ffff000);
	tap_mem(big, n, q_initial, QOTD_INIT_SIZE, "D2: read with count 0x7ffff000 gives the 128 bytes");
	free(big);

	/* One byte at a time. */
	lseek(fd, 0, SEEK_SET);
	for (;;) {
		n = read(fd, &c, 1);
		if (n != 1 || total >= sizeof(got))
			break;
		got[total++] = c;
		steps++;
	}
	tap_ok(n == 0, "D2: reading 1 byte at a time ends with 0 (last read gave %zd)", n);
	tap_mem(got, (long long)total, q_initial, QOTD_INIT_SIZE,
		"D2: reading 1 byte at a time gives the 128 bytes in %d reads", steps);
}

static void test_write(int fd)
{
	unsigned char buf[256];
	uint64_t size = 0;

	reset_model(fd);
	tap_eq(pwrite(fd, "XYZ", 3, 10), 3, "D3: pwrite of 3 bytes at offset 10 returns 3");
	memcpy(model + 10, "XYZ", 3);
	q_expect_content(0, model, sizeof(model),
			 "D3: the write replaced bytes 10-12 and nothing else");
	q_expect_changed(0, 1, "D3: a 1-or-more byte write sets changed");

	lseek(fd, 20, SEEK_SET);
	tap_eq(write(fd, "abcde", 5), 5, "D3: write of 5 bytes at the file offset 20");
	memcpy(model + 20, "abcde", 5);
	tap_eq(lseek(fd, 0, SEEK_CUR), 25, "D3: the write moved the offset to 25");
	q_expect_content(0, model, sizeof(model), "D3: the write went to offset 20");

	tap_eq(pwrite(fd, "0123456789", 10, 120), 8,
	       "D3: a 10-byte write at offset 120 is short: returns 8");
	memcpy(model + 120, "01234567", 8);
	q_expect_content(0, model, sizeof(model),
			 "D3: the short write stored 8 bytes; the size stays 128");

	lseek(fd, 126, SEEK_SET);
	tap_eq(write(fd, "PQRS", 4), 2, "D3: write() of 4 bytes at offset 126 is short: returns 2");
	memcpy(model + 126, "PQ", 2);
	tap_eq(lseek(fd, 0, SEEK_CUR), QOTD_INIT_SIZE, "D3: the short write moved the offset to 128");
	tap_errno(write(fd, "x", 1), ENOSPC, "D3: write() at the end (offset 128) fails with ENOSPC");
	tap_errno(pwrite(fd, "x", 1, QOTD_INIT_SIZE), ENOSPC,
		  "D3: pwrite at offset 128 fails with ENOSPC");
	tap_errno(pwrite(fd, "x", 1, 200), ENOSPC, "D3: pwrite at offset 200 fails with ENOSPC");
	tap_errno(pwrite(fd, "x", 1, 1LL << 20), ENOSPC, "D3: pwrite at offset 1 MiB fails with ENOSPC");
	tap_eq(pwrite(fd, "x", 0, 5), 0, "D3: a zero-length pwrite at offset 5 returns 0");
	q_expect_content(0, model, sizeof(model),
			 "D3: the failed and empty writes changed nothing");
	tap_ok(q_gsz(fd, &size) == 0 && size == QOTD_INIT_SIZE,
	       "D3: writes never change the size (QOTDIOCGSZ says %llu)", (unsigned long long)size);

	for (int i = 0; i < 256; i++)
		buf[i] = (unsigned char)(0xff - i);
	tap_eq(pwrite(fd, buf, sizeof(buf), 0), QOTD_INIT_SIZE,
	       "D3: a 256-byte write at offset 0 stores 128");
	memcpy(model, buf, QOTD_INIT_SIZE);
	q_expect_content(0, model, sizeof(model), "D3: the 256-byte write filled the buffer exactly");

	/* Unchanged device, empty write: still unchanged. */
	reset_model(fd);
	tap_eq(pwrite(fd, "x", 0, 0), 0, "D3: a zero-length write at offset 0 returns 0");
	q_expect_changed(0, 0, "D3: a zero-length write does not set changed");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D3: a zero-length write changes nothing");
	tap_eq(pwrite(fd, "!", 1, 127), 1, "D3: a 1-byte write at offset 127");
	q_expect_changed(0, 1, "D3: a 1-byte write sets changed");
	model[127] = '!';
	q_expect_content(0, model, sizeof(model), "D3: the 1-byte write changed byte 127 only");
	reset_model(fd);
}

/* An offset left past the end by a shrink through another fd. */
static void test_offset_past_end(int fd)
{
	unsigned char buf[64];
	int other = q_open(0, O_RDWR);

	reset_model(fd);
	tap_eq(lseek(fd, 100, SEEK_SET), 100, "D4: seek to 100");
	tap_eq(q_ssz(other, 50), 0, "resize to 50 through another fd");
	tap_eq(read(fd, buf, sizeof(buf)), 0, "D2: read at an offset left past the end by a shrink returns 0");
	tap_errno(write(fd, "x", 1), ENOSPC,
		  "D3: write at an offset left past the end by a shrink fails with ENOSPC");
	tap_eq(lseek(fd, 0, SEEK_CUR), 100, "D4: the offset stays at 100");
	tap_eq(lseek(fd, 0, SEEK_END), 50, "D4: SEEK_END 0 is the new size, 50");
	tap_errno(lseek(fd, 1, SEEK_CUR), EINVAL, "D4: SEEK_CUR +1 from 50 fails with EINVAL");
	q_expect_content(0, q_initial, 50, "D3: the shrink kept the first 50 bytes");
	close(other);
	reset_model(fd);
}

static void test_seek(int fd)
{
	tap_eq(lseek(fd, 0, SEEK_SET), 0, "D4: SEEK_SET 0");
	tap_eq(lseek(fd, 64, SEEK_SET), 64, "D4: SEEK_SET 64");
	tap_eq(lseek(fd, 128, SEEK_SET), 128, "D4: SEEK_SET 128 (the size)");
	tap_errno(lseek(fd, 129, SEEK_SET), EINVAL, "D4: SEEK_SET 129 (size + 1) fails with EINVAL");
	tap_errno(lseek(fd, -1, SEEK_SET), EINVAL, "D4: SEEK_SET -1 fails with EINVAL");
	tap_errno(lseek(fd, LLONG_MAX, SEEK_SET), EINVAL, "D4: SEEK_SET LLONG_MAX fails with EINVAL");
	tap_eq(lseek(fd, 0, SEEK_CUR), 128, "D4: failed seeks leave the offset alone");

	lseek(fd, 64, SEEK_SET);
	tap_eq(lseek(fd, 10, SEEK_CUR), 74, "D4: SEEK_CUR +10 from 64");
	tap_eq(lseek(fd, -74, SEEK_CUR), 0, "D4: SEEK_CUR -74 from 74");
	tap_errno(lseek(fd, -1, SEEK_CUR), EINVAL, "D4: SEEK_CUR -1 from 0 fails with EINVAL");
	tap_eq(lseek(fd, 128, SEEK_CUR), 128, "D4: SEEK_CUR +128 from 0");
	tap_errno(lseek(fd, 1, SEEK_CUR), EINVAL, "D4: SEEK_CUR +1 from 128 fails with EINVAL");
	lseek(fd, 100, SEEK_SET);
	tap_errno(lseek(fd, LLONG_MAX, SEEK_CUR), EINVAL,
		  "D4: SEEK_CUR LLONG_MAX from 100 fails with EINVAL");
	tap_eq(lseek(fd, 0, SEEK_CUR), 100, "D4: the offset stays at 100");

	tap_eq(lseek(fd, 0, SEEK_END), QOTD_INIT_SIZE, "D4: SEEK_END 0 is the size, 128");
	tap_eq(lseek(fd, -128, SEEK_END), 0, "D4: SEEK_END -128");
	tap_eq(lseek(fd, -28, SEEK_END), 100, "D4: SEEK_END -28");
	tap_errno(lseek(fd, -129, SEEK_END), EINVAL, "D4: SEEK_END -129 fails with EINVAL");
	tap_errno(lseek(fd, 1, SEEK_END), EINVAL, "D4: SEEK_END +1 fails with EINVAL");
	tap_errno(lseek(fd, LLONG_MIN, SEEK_END), EINVAL, "D4: SEEK_END LLONG_MIN fails with EINVAL");
	tap_errno(lseek(fd, 0, 5), EINVAL, "D4: an unknown whence fails with EINVAL");

	tap_eq(q_ssz(fd, 512), 0, "resize to 512");
	tap_eq(lseek(fd, 0, SEEK_END), 512, "D4: after a resize to 512, SEEK_END 0 is 512");
	tap_eq(lseek(fd, 512, SEEK_SET), 512, "D4: after a resize to 512, SEEK_SET 512");
	tap_errno(lseek(fd, 513, SEEK_SET), EINVAL, "D4: after a resize to 512, SEEK_SET 513 fails");
	reset_model(fd);
	tap_errno(lseek(fd, 129, SEEK_SET), EINVAL, "D4: after discard, SEEK_SET 129 fails again");
}

static void test_bad_pointers(int fd)
{
	unsigned char *half = q_half_mapped();
	unsigned char a[QOTD_INIT_SIZE], buf[QOTD_INIT_SIZE];
	void *hole = q_unmapped(Q_PAGE);
	ssize_t n;

	if (!tap_ok(half && hole, "set up unmapped memory"))
		return;

	/* Unchanged device: a faulting write must leave it unchanged. */
	reset_model(fd);
	tap_errno(pwrite(fd, hole, QOTD_INIT_SIZE, 0), EFAULT,
		  "D11: write from an unmapped buffer fails with EFAULT");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE,
			 "D11: the EFAULT write left the content unchanged");
	q_expect_changed(0, 0, "D11: the EFAULT write did not set changed");
	tap_errno(pread(fd, hole, QOTD_INIT_SIZE, 0), EFAULT,
		  "D11: read into an unmapped buffer fails with EFAULT");
	lseek(fd, 5, SEEK_SET);
	tap_errno(read(fd, hole, 10), EFAULT, "D11: read() into an unmapped buffer fails with EFAULT");
	tap_eq(lseek(fd, 0, SEEK_CUR), 5, "D11: the EFAULT read left the offset at 5");
	tap_errno(write(fd, hole, 10), EFAULT, "D11: write() from an unmapped buffer fails with EFAULT");
	tap_eq(lseek(fd, 0, SEEK_CUR), 5, "D11: the EFAULT write left the offset at 5");

	/* Known content everywhere, before each case: each stands alone. */
	memset(a, 'A', sizeof(a));
	fill(fd, a);
	tap_errno(pwrite(fd, hole, 16, 32), EFAULT,
		  "D11: write of 16 bytes from an unmapped buffer at offset 32 fails with EFAULT");
	q_expect_content(0, model, sizeof(model),
			 "D11: the EFAULT write did not touch the buffer (no zeroed bytes)");

	/* The second half of the source is unmapped: partial progress. */
	fill(fd, a);
	memset(half, 'B', Q_PAGE);
	n = pwrite(fd, half + Q_PAGE - 64, QOTD_INIT_SIZE, 0);
	tap_eq(n, 64, "D11: write of 128 bytes of which 64 are mapped returns 64");
	memset(model, 'B', 64);
	q_expect_content(0, model, sizeof(model),
			 "D11: the partial write stored 64 bytes and left the other 64 alone");

	fill(fd, a);
	tap_eq(pwrite(fd, half + Q_PAGE - 1, 20, 100), 1,
	       "D11: write of 20 bytes of which 1 is mapped returns 1");
	model[100] = 'B';
	q_expect_content(0, model, sizeof(model),
			 "D11: the 1-byte partial write stored byte 100 only");

	fill(fd, a);
	lseek(fd, 0, SEEK_SET);
	memset(half, 'C', Q_PAGE);
	tap_eq(write(fd, half + Q_PAGE - 10, 50), 10, "D11: write() with 10 of 50 bytes mapped returns 10");
	memset(model, 'C', 10);
	tap_eq(lseek(fd, 0, SEEK_CUR), 10, "D11: the partial write() moved the offset by 10");
	q_expect_content(0, model, sizeof(model),
			 "D11: the partial write() stored 10 bytes and left the rest alone");

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i + 1);
	fill(fd, a);
	memset(half, 0xEE, Q_PAGE);
	n = pread(fd, half + Q_PAGE - 64, QOTD_INIT_SIZE, 0);
	tap_mem(half + Q_PAGE - 64, n, model, 64,
		"D11: read of 128 bytes into a buffer of which 64 are mapped returns the first 64");
	lseek(fd, 0, SEEK_SET);
	tap_eq(read(fd, half + Q_PAGE - 16, 100), 16, "D11: read() with 16 of 100 bytes mapped returns 16");
	tap_mem(half + Q_PAGE - 16, 16, model, 16, "D11: the partial read() copied the first 16 bytes");
	tap_eq(lseek(fd, 0, SEEK_CUR), 16, "D11: the partial read moved the offset by 16");
	n = q_pread0(fd, buf, sizeof(buf));
	tap_mem(buf, n, model, sizeof(model), "D11: the partial reads changed nothing");
	munmap(half, Q_PAGE);
	reset_model(fd);
}

/* Vectored I/O goes through the same paths: several buffers, one call. */
static void test_vectors(int fd)
{
	unsigned char a[10], b[20], c[30], buf[QOTD_INIT_SIZE];
	unsigned char *half = q_half_mapped();
	struct iovec iov[3] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	ssize_t n;

	reset_model(fd);
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	tap_eq(pwritev(fd, iov, 3, 5), 60, "D3: pwritev of 10+20+30 bytes at offset 5 returns 60");
	memcpy(model + 5, a, 10);
	memcpy(model + 15, b, 20);
	memcpy(model + 35, c, 30);
	q_expect_content(0, model, sizeof(model), "D3: pwritev stored the three buffers in order");
	tap_eq(pwritev(fd, iov, 3, 100), 28, "D3: pwritev of 60 bytes at offset 100 is short: returns 28");
	memcpy(model + 100, a, 10);
	memcpy(model + 110, b, 18);
	q_expect_content(0, model, sizeof(model), "D3: the short pwritev stored 28 bytes");

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	n = preadv(fd, iov, 3, 90);
	tap_eq(n, 38, "D2: preadv of 60 bytes at offset 90 is short: returns 38");
	memcpy(buf, a, 10);
	memcpy(buf + 10, b, 20);
	memcpy(buf + 30, c, 8);
	tap_mem(buf, n, model + 90, 38, "D2: preadv filled the buffers in order");

	if (half) {
		struct iovec bad[2] = { { a, sizeof(a) }, { half + Q_PAGE, 20 } };

		memset(a, 'v', sizeof(a));
		tap_eq(pwritev(fd, bad, 2, 0), 10,
		       "D11: pwritev whose second buffer is unmapped returns the 10 bytes of the first");
		memset(model, 'v', 10);
		q_expect_content(0, model, sizeof(model),
				 "D11: the partial pwritev stored 10 bytes and left the rest alone");
		munmap(half, Q_PAGE);
	}
	reset_model(fd);
}

static void test_big_offsets(int fd)
{
	unsigned char buf[16] = "0123456789abcdef";

	reset_model(fd);
	tap_errno(pread(fd, buf, 10, LLONG_MAX - 5), EINVAL,
		  "D11: pread of 10 bytes at LLONG_MAX-5 (offset + count overflows) fails with EINVAL");
	tap_errno(pwrite(fd, buf, 10, LLONG_MAX - 5), EINVAL,
		  "D11: pwrite of 10 bytes at LLONG_MAX-5 (offset + count overflows) fails with EINVAL");
	tap_eq(pread(fd, buf, 5, LLONG_MAX - 5), 0, "D11: pread of 5 bytes at LLONG_MAX-5 returns 0");
	tap_errno(pwrite(fd, buf, 5, LLONG_MAX - 5), ENOSPC,
		  "D11: pwrite of 5 bytes at LLONG_MAX-5 fails with ENOSPC");
	tap_eq(pread(fd, buf, 1, LLONG_MAX - 1), 0, "D11: pread of 1 byte at LLONG_MAX-1 returns 0");
	tap_errno(pwrite(fd, buf, 1, LLONG_MAX - 1), ENOSPC,
		  "D11: pwrite of 1 byte at LLONG_MAX-1 fails with ENOSPC");
	tap_eq(pread(fd, buf, 10, (1LL << 32) + 10), 0,
	       "D11: pread at 2^32+10 returns 0 (no truncation to 32 bits)");
	tap_errno(pwrite(fd, buf, 10, (1LL << 32) + 10), ENOSPC,
		  "D11: pwrite at 2^32+10 fails with ENOSPC (no truncation to 32 bits)");
	tap_eq(pread(fd, buf, 10, LLONG_MAX - 4095), 0, "D11: pread at 2^63-4096 returns 0");
	tap_errno(pread(fd, buf, 10, -1), EINVAL, "D11: pread at offset -1 fails with EINVAL");
	tap_errno(pwrite(fd, buf, 10, -1), EINVAL, "D11: pwrite at offset -1 fails with EINVAL");
	tap_errno(pwrite(fd, buf, 10, LLONG_MIN), EINVAL, "D11: pwrite at LLONG_MIN fails with EINVAL");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D11: the large offsets changed nothing");
	q_expect_changed(0, 0, "D11: the large offsets did not set changed");
}

int main(int argc, char **argv)
{
	int fd;

	tap_init(argc, argv);
	q_load_or_bail(NULL);
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0, "open /dev/qotd0 read-write")) {
		q_force_cleanup();
		return tap_done();
	}
	test_read(fd);
	test_write(fd);
	test_offset_past_end(fd);
	test_seek(fd);
	test_bad_pointers(fd);
	test_vectors(fd);
	test_big_offsets(fd);
	close(fd);
	return q_finish(1);
}
