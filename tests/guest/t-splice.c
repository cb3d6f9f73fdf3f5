// SPDX-License-Identifier: GPL-2.0
/*
 * splice(2) and sendfile(2) from the device (D18): the same bytes as
 * read(2), for every allocation strategy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "qtest.h"

#define MAX 65536

static unsigned char dev[MAX], got[MAX];

/* Fill the device with a pattern of size bytes; keep what read(2) gives. */
static ssize_t prepare(int fd, uint64_t size)
{
	for (size_t i = 0; i < size; i++)
		got[i] = (unsigned char)(i * 13 + 7);
	if (q_ssz(fd, size) || pwrite(fd, got, size, 0) != (ssize_t)size)
		return -1;
	return pread(fd, dev, sizeof(dev), 0);
}

/* Drain a pipe into got; the number of bytes. */
static size_t drain(int rd)
{
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(got) && (n = read(rd, got + len, sizeof(got) - len)) > 0)
		len += (size_t)n;
	return len;
}

static void test_size(int fd, uint64_t size)
{
	char path[] = "/tmp/qotd-splice.XXXXXX";
	ssize_t have = prepare(fd, size), n;
	int out = mkstemp(path), p[2];
	loff_t off = 0;
	off_t soff = 0;
	size_t total = 0;

	if (!tap_eq(have, (long long)size, "resize to %llu, fill and read it", (unsigned long long)size) ||
	    out < 0 || pipe(p))
		return;
	unlink(path);

	/* sendfile into a file, in one call for the whole buffer and more. */
	n = sendfile(out, fd, &soff, MAX + 100);
	memset(got, 0, sizeof(got));
	tap_mem(got, pread(out, got, sizeof(got), 0), dev, (size_t)size,
		"D18: sendfile of a %llu-byte device gives the bytes of read(2)",
		(unsigned long long)size);
	tap_eq(n, (long long)size, "D18: sendfile returned %llu", (unsigned long long)size);
	tap_eq(soff, (long long)size, "D18: sendfile moved its offset to the end");
	tap_eq(sendfile(out, fd, &soff, 100), 0, "D18: sendfile at the end gives 0");

	/* splice into a pipe, from offset 1, in pieces of at most 4000. */
	memset(got, 0, sizeof(got));
	off = 1;
	for (;;) {
		n = splice(fd, &off, p[1], NULL, 4000, 0);
		if (n <= 0)
			break;
		total += (size_t)n;
		while (n > 0) {
			ssize_t r = read(p[0], got + total - (size_t)n, (size_t)n);

			if (r <= 0)
				break;
			n -= r;
		}
	}
	tap_ok(n == 0, "D18: splice ends with 0 at the end of the device (last gave %zd%s%s)", n,
	       n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
	tap_mem(got, (long long)total, dev + 1, (size_t)size - 1,
		"D18: splice from offset 1 into a pipe gives the bytes of read(2)");
	close(p[0]);
	close(p[1]);
	close(out);
}

/* sendfile through the file offset, as cat does. */
static void test_file_offset(int fd)
{
	int p[2];
	ssize_t n;

	if (pipe(p))
		return;
	q_discard(fd);
	lseek(fd, 60, SEEK_SET);
	n = sendfile(p[1], fd, NULL, 1000);
	tap_eq(n, QOTD_INIT_SIZE - 60, "D18: sendfile from the file offset 60 gives 68 bytes");
	tap_eq(lseek(fd, 0, SEEK_CUR), QOTD_INIT_SIZE, "D18: and moves the file offset to the end");
	close(p[1]);
	tap_mem(got, (long long)drain(p[0]), q_initial + 60, QOTD_INIT_SIZE - 60,
		"D18: those are the bytes of read(2)");
	close(p[0]);
}

int main(int argc, char **argv)
{
	static const uint64_t sizes[] = { 1, QOTD_INIT_SIZE, 4097, MAX };
	int fd;

	tap_init(argc, argv);
	q_load_or_bail(NULL);
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0, "open /dev/qotd0")) {
		q_force_cleanup();
		return tap_done();
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_size(fd, sizes[i]);
	test_file_offset(fd);
	q_discard(fd);
	close(fd);
	return q_finish(1);
}
