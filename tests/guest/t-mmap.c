// SPDX-License-Identifier: GPL-2.0
/*
 * mmap (D16): under alloc=umem a shared mapping shows the buffer, stores
 * through it are the buffer's, and resize and discard invalidate every
 * mapping of the device, whichever file, process or node made it. Under
 * kmem and auto, mmap fails with ENODEV.
 *
 * Loaded with max_size=268435456, so that a mapping can be compared with
 * read(2) from one page up to 256 MiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define BIG (256LL << 20)
#define CHUNK (1 << 20)

static unsigned char *chunk, *want;

static size_t page_align(uint64_t n)
{
	return (size_t)((n + Q_PAGE - 1) & ~(uint64_t)(Q_PAGE - 1));
}

/* The byte written at offset o by fill_pattern(): never zero. */
static unsigned char pat(uint64_t o, unsigned int seed)
{
	return (unsigned char)(1 + (o * 7 + (o >> 12) * 31 + seed) % 255);
}

static int fill_pattern(int fd, uint64_t size, unsigned int seed)
{
	for (uint64_t off = 0; off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;

		for (size_t i = 0; i < n; i++)
			chunk[i] = pat(off + i, seed);
		if (pwrite(fd, chunk, n, (off_t)off) != (ssize_t)n)
			return -1;
	}
	return 0;
}

static void *map(int fd, size_t len, int prot, off_t off)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * A mapping equals read(2) and the pattern, chunk by chunk, and the rest of
 * its last page reads as zero.
 */
static void test_equals_read(int wfd, uint64_t size)
{
	int rfd = q_open(0, O_RDONLY);
	size_t len = page_align(size);
	unsigned char *m;
	long long bad = -1;
	const char *why = "";

	if (q_ssz(wfd, size) || fill_pattern(wfd, size, (unsigned int)size)) {
		tap_ok(0, "D16: resize to %llu and fill it", (unsigned long long)size);
		close(rfd);
		return;
	}
	m = map(rfd, len, PROT_READ, 0);
	if (!tap_ok(m != NULL, "D16: PROT_READ MAP_SHARED mapping of %zu bytes of an O_RDONLY fd", len)) {
		tap_diag("mmap: %s", strerror(errno));
		close(rfd);
		return;
	}
	for (uint64_t off = 0; off < size && bad < 0; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;

		if (pread(rfd, chunk, n, (off_t)off) != (ssize_t)n) {
			bad = (long long)off, why = "pread was short";
			break;
		}
		for (size_t i = 0; i < n; i++)
			want[i] = pat(off + i, (unsigned int)size);
		if (memcmp(m + off, chunk, n)) {
			bad = (long long)off, why = "mapping differs from read(2)";
			tap_mem(m + off, (long long)n, chunk, n, "D16: mapping at %llu vs read(2)",
				(unsigned long long)off);
		} else if (memcmp(chunk, want, n)) {
			bad = (long long)off, why = "read(2) differs from what was written";
		}
	}
	if (!tap_ok(bad < 0, "D16: a mapping of a %llu-byte buffer equals read(2), byte for byte",
		    (unsigned long long)size))
		tap_diag("at the chunk from %lld: %s", bad, why);
	bad = -1;
	for (size_t i = (size_t)size; i < len; i++)
		if (m[i]) {
			bad = (long long)i;
			break;
		}
	if (!tap_ok(bad < 0, "D16: the %zu bytes of the last page past size %llu read as zero",
		    len - (size_t)size, (unsigned long long)size))
		tap_diag("byte %lld is 0x%02x", bad, m[bad]);
	munmap(m, len);
	close(rfd);
}

static void test_refusals(int wfd)
{
	int rfd = q_open(0, O_RDONLY);
	long long max = q_param("max_size");
	void *p;

	errno = 0;
	p = mmap(NULL, Q_PAGE, PROT_READ, MAP_PRIVATE, wfd, 0);
	tap_errno(p == MAP_FAILED ? -1 : 0, EINVAL, "D16: MAP_PRIVATE fails with EINVAL");
	if (p != MAP_FAILED)
		munmap(p, Q_PAGE);
	p = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	tap_errno(p == MAP_FAILED ? -1 : 0, EACCES,
		  "D16: PROT_WRITE MAP_SHARED on an O_RDONLY fd fails with EACCES");
	if (p != MAP_FAILED)
		munmap(p, Q_PAGE);
	p = mmap(NULL, Q_PAGE, PROT_READ, MAP_SHARED, wfd, (off_t)page_align((uint64_t)max));
	tap_errno(p == MAP_FAILED ? -1 : 0, EINVAL,
		  "D16: a mapping at offset max_size (%lld) fails with EINVAL", max);
	if (p != MAP_FAILED)
		munmap(p, Q_PAGE);
	p = mmap(NULL, 2 * Q_PAGE, PROT_READ, MAP_SHARED, wfd,
		 (off_t)page_align((uint64_t)max) - Q_PAGE);
	tap_errno(p == MAP_FAILED ? -1 : 0, EINVAL,
		  "D16: a mapping that ends past max_size fails with EINVAL");
	if (p != MAP_FAILED)
		munmap(p, 2 * Q_PAGE);

	p = map(rfd, Q_PAGE, PROT_READ, 0);
	if (tap_ok(p != NULL, "D16: PROT_READ MAP_SHARED of an O_RDONLY fd works")) {
		tap_errno(mprotect(p, Q_PAGE, PROT_READ | PROT_WRITE), EACCES,
			  "D16: mprotect(PROT_WRITE) of that mapping fails with EACCES");
		munmap(p, Q_PAGE);
	}
	p = map(wfd, Q_PAGE, PROT_READ, 0);
	if (tap_ok(p != NULL, "D16: PROT_READ MAP_SHARED of an O_RDWR fd works")) {
		tap_errno(mprotect(p, Q_PAGE, PROT_READ | PROT_WRITE), EACCES,
			  "D16: a read-only mapping cannot become writable (mprotect: EACCES)");
		errno = 0;
		tap_errno(mremap(p, Q_PAGE, 2 * Q_PAGE, 0) == MAP_FAILED ? -1 : 0, EFAULT,
			  "D16: mremap cannot grow a mapping (EFAULT)");
		munmap(p, Q_PAGE);
	}
	close(rfd);
}

/* Stores through a mapping, and what marks the device changed. */
static void test_stores(int wfd)
{
	unsigned char *m, buf[QOTD_INIT_SIZE];

	q_reset(0);
	m = map(wfd, Q_PAGE, PROT_READ, 0);
	if (m) {
		tap_mem(m, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
			"D16: a read-only mapping shows the initial 128 bytes");
		q_expect_changed(0, 0, "D16: reading through a read-only mapping leaves the device unchanged");
		munmap(m, Q_PAGE);
	}
	m = map(wfd, Q_PAGE, PROT_READ | PROT_WRITE, 0);
	if (!tap_ok(m != NULL, "D16: PROT_READ|PROT_WRITE MAP_SHARED of an O_RDWR fd works"))
		return;
	q_expect_changed(0, 0, "D16: mapping it for writing alone changes nothing");
	memcpy(m, "Mapped", 6);
	memcpy(want, q_initial, QOTD_INIT_SIZE);
	memcpy(want, "Mapped", 6);
	tap_mem(buf, pread(wfd, buf, sizeof(buf), 0), want, QOTD_INIT_SIZE,
		"D16: a store through the mapping is seen by read(2)");
	q_expect_changed(0, 1, "D16: a store through a writable mapping marks the device changed");
	tap_eq(pwrite(wfd, "Written", 7, 10), 7, "pwrite at offset 10");
	tap_mem(m + 10, 7, "Written", 7, "D16: a write(2) is seen through the mapping");

	/*
	 * Discard invalidates even at an unchanged size: the next store must
	 * fault again, and mark the device changed again.
	 */
	m[QOTD_INIT_SIZE + 1] = 0xee;	/* past the end, in the mapped page */
	tap_eq(q_discard(wfd), 0, "discard");
	q_expect_changed(0, 0, "discard clears changed");
	m[0] = 'O';
	q_expect_changed(0, 1, "D16: a store after the discard marks the device changed again");
	want[0] = 0;
	tap_ok(pread(wfd, want, 1, 0) == 1 && want[0] == 'O',
	       "D16: and lands in the discarded buffer");
	tap_eq(q_discard(wfd), 0, "discard");
	tap_mem(m, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
		"D16: after a discard the mapping shows the initial quotation");
	memset(want, 0, Q_PAGE);
	tap_mem(m + QOTD_INIT_SIZE, Q_PAGE - QOTD_INIT_SIZE, want, Q_PAGE - QOTD_INIT_SIZE,
		"D16: after a discard the rest of the mapped page is zero");
	munmap(m, Q_PAGE);
	q_reset(0);
}

/* Resizes under a mapping: shrink, grow, and SIGBUS past the end. */
static void test_resize(int wfd)
{
	size_t len = 4 * Q_PAGE;
	unsigned char *m;

	q_reset(0);
	m = map(wfd, len, PROT_READ | PROT_WRITE, 0);
	if (!tap_ok(m != NULL, "D16: a 4-page mapping of a 128-byte buffer"))
		return;
	tap_eq(q_probe(m + QOTD_INIT_SIZE, 0), 0, "D16: the rest of the first page is mapped");
	tap_eq(q_probe(m + Q_PAGE, 0), SIGBUS, "D16: a load from page 1 of a 1-page buffer is SIGBUS");
	tap_eq(q_probe(m + 3 * Q_PAGE + 5, 1), SIGBUS, "D16: a store to page 3 is SIGBUS");

	/* Bytes past the size in the last page must not survive a grow. */
	memset(m + QOTD_INIT_SIZE, 0xee, Q_PAGE - QOTD_INIT_SIZE);
	tap_eq(q_ssz(wfd, 3 * Q_PAGE + 1), 0, "grow to 3 pages + 1 byte under the mapping");
	tap_mem(m, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
		"D16: after a grow the mapping made before it shows the head kept");
	memset(want, 0, len);
	tap_mem(m + QOTD_INIT_SIZE, 3 * Q_PAGE + 1 - QOTD_INIT_SIZE, want,
		3 * Q_PAGE + 1 - QOTD_INIT_SIZE,
		"D16: after a grow the new bytes read as zero through the mapping (init_on_alloc=%d)",
		q_init_on_alloc());
	tap_eq(q_probe(m + 3 * Q_PAGE + 100, 0), 0,
	       "D16: the partly used last page (page 3 of size 3 pages + 1) is mapped");
	tap_eq(pwrite(wfd, "NEW", 3, 2 * Q_PAGE), 3, "pwrite at offset 8192");
	tap_mem(m + 2 * Q_PAGE, 3, "NEW", 3,
		"D16: the mapping made before the resize reaches the new buffer");
	m[Q_PAGE] = 'M';
	tap_ok(pread(wfd, want, 1, Q_PAGE) == 1 && want[0] == 'M',
	       "D16: a store through it lands in the new buffer");

	tap_eq(q_ssz(wfd, Q_PAGE + 10), 0, "shrink to 1 page + 10 bytes under the mapping");
	tap_eq(q_probe(m + 2 * Q_PAGE, 0), SIGBUS,
	       "D16: after a shrink a load from a page wholly past the end is SIGBUS");
	tap_eq(q_probe(m + 3 * Q_PAGE, 1), SIGBUS,
	       "D16: after a shrink a store to a page wholly past the end is SIGBUS");
	tap_eq(q_probe(m + Q_PAGE + 11, 0), 0, "D16: the page holding the new end is still mapped");
	tap_eq(m[Q_PAGE], 'M', "D16: and shows the kept byte");
	tap_eq(m[Q_PAGE + 10], 0, "D16: bytes past the new end in that page read as zero");

	tap_eq(q_ssz(wfd, 2 * Q_PAGE * 1024), 0, "grow to 8 MiB under the mapping");
	tap_eq(q_probe(m + 3 * Q_PAGE, 0), 0, "D16: after growing again page 3 is back");
	tap_eq(m[3 * Q_PAGE], 0, "D16: and reads as zero");
	tap_eq(q_discard(wfd), 0, "discard");
	tap_mem(m, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
		"D16: after a discard the mapping shows the initial quotation");
	tap_eq(q_probe(m + Q_PAGE, 0), SIGBUS, "D16: after a discard page 1 is SIGBUS");
	munmap(m, len);
	q_reset(0);
}

/* A pipe message: one byte. */
static void say(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(3);
}

static char hear(int fd)
{
	char c = 0;

	return read(fd, &c, 1) == 1 ? c : 0;
}

/*
 * Invalidation reaches another process's mapping, and one made through a
 * second node of the same device made with mknod: the child maps, the
 * parent resizes, the child looks.
 */
static void test_other_mappers(int wfd)
{
	char alias[] = "/tmp/qotd-alias";
	unsigned int maj, min;
	int to_child[2], to_parent[2], status = 0, failed_before = tap_failures();
	pid_t pid;

	q_reset(0);
	if (q_ssz(wfd, 2 * Q_PAGE) || pwrite(wfd, "before", 6, Q_PAGE) != 6) {
		tap_ok(0, "resize to 2 pages and write");
		return;
	}
	unlink(alias);
	if (q_devnum(0, &maj, &min) ||
	    !tap_ok(mknod(alias, S_IFCHR | 0600, makedev(maj, min)) == 0,
		    "mknod %s c %u %u: a second node of qotd0", alias, maj, min))
		return;
	if (pipe(to_child) || pipe(to_parent))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(alias, O_RDONLY | O_CLOEXEC), fd2 = q_open(0, O_RDONLY);
		unsigned char *a, *b;

		close(to_parent[0]);
		close(to_child[1]);
		a = fd >= 0 ? map(fd, 2 * Q_PAGE, PROT_READ, 0) : NULL;
		b = fd2 >= 0 ? map(fd2, 2 * Q_PAGE, PROT_READ, 0) : NULL;

		if (!a || !b)
			_exit(2);
		tap_mem(a + Q_PAGE, 6, "before", 6, "D16: child: the second node's mapping shows page 1");
		tap_mem(b + Q_PAGE, 6, "before", 6, "D16: child: its own /dev/qotd0 mapping shows page 1");
		say(to_parent[1], 'm');
		if (hear(to_child[0]) != 'r')
			_exit(2);
		tap_eq(q_probe(a + Q_PAGE, 0), SIGBUS,
		       "D16: the parent's shrink reaches a mapping through the mknod node (SIGBUS)");
		tap_eq(q_probe(b + Q_PAGE, 0), SIGBUS,
		       "D16: the parent's shrink reaches another process's mapping (SIGBUS)");
		tap_mem(a, 5, "after", 5,
			"D16: the mknod node's mapping shows the parent's new buffer");
		say(to_parent[1], 'd');
		if (hear(to_child[0]) != 'g')
			_exit(2);
		tap_mem(a + Q_PAGE, 3, "big", 3,
			"D16: after the parent's grow the mknod node's mapping reaches page 1 again");
		_exit(tap_failures() > failed_before ? 1 : 0);
	}
	/* Only the child writes these, so a child that dies ends the wait. */
	close(to_parent[1]);
	close(to_child[0]);
	if (hear(to_parent[0]) != 'm') {
		tap_ok(0, "the child mapped the device");
	} else {
		tap_eq(q_ssz(wfd, 100), 0, "parent: shrink to 100 bytes");
		tap_eq(pwrite(wfd, "after", 5, 0), 5, "parent: write");
		say(to_child[1], 'r');
		hear(to_parent[0]);
		tap_eq(q_ssz(wfd, 3 * Q_PAGE), 0, "parent: grow to 3 pages");
		tap_eq(pwrite(wfd, "big", 3, Q_PAGE), 3, "parent: write page 1");
		say(to_child[1], 'g');
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the child's checks passed (status 0x%x)", status);
	unlink(alias);
	close(to_child[1]);
	close(to_parent[0]);
	q_reset(0);
}

/*
 * A mapping outlives close(): it keeps the file, so it still shows the
 * device, and invalidation still reaches it.
 */
static void test_outlives_close(void)
{
	int fd = q_open(0, O_RDWR), other = q_open(0, O_RDWR);
	unsigned char *m = fd >= 0 ? map(fd, 2 * Q_PAGE, PROT_READ | PROT_WRITE, 0) : NULL;

	if (!tap_ok(m != NULL && other >= 0, "map 2 pages, then close the fd"))
		return;
	close(fd);
	tap_mem(m, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
		"D16: after close() the mapping still shows the buffer");
	tap_eq(q_ssz(other, 2 * Q_PAGE), 0, "grow through another fd");
	m[Q_PAGE] = 'c';
	tap_ok(pread(other, want, 1, Q_PAGE) == 1 && want[0] == 'c',
	       "D16: after close() a store through the mapping reaches the grown buffer");
	tap_eq(q_discard(other), 0, "discard through the other fd");
	tap_eq(q_probe(m + Q_PAGE, 0), SIGBUS,
	       "D16: after close() the mapping is still invalidated by a discard");
	munmap(m, 2 * Q_PAGE);
	close(other);
}

/*
 * read(2) and write(2) whose user buffer is a mapping of the same device,
 * both directions, from two threads that also map and unmap, while another
 * process resizes in a loop: every call completes with its full count.
 */
#define SELF_LEN (16 * Q_PAGE)
#define SELF_ROUNDS 300

struct self_arg {
	int fd;
	int errors;
	int done;
	unsigned char *m;
};

static void *self_io(void *argp)
{
	struct self_arg *a = argp;

	for (int i = 0; i < SELF_ROUNDS; i++) {
		/* Device bytes 0..16K -> mapping bytes 32K..48K, and back. */
		if (pread(a->fd, a->m + 8 * Q_PAGE, 4 * Q_PAGE, 0) != 4 * Q_PAGE)
			__atomic_add_fetch(&a->errors, 1, __ATOMIC_RELAXED);
		if (pwrite(a->fd, a->m + 8 * Q_PAGE, 4 * Q_PAGE, 4 * Q_PAGE) != 4 * Q_PAGE)
			__atomic_add_fetch(&a->errors, 1, __ATOMIC_RELAXED);
		/* Drop the pages, so the next copy faults them in again. */
		madvise(a->m, SELF_LEN, MADV_DONTNEED);
		__atomic_add_fetch(&a->done, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *self_mapper(void *argp)
{
	struct self_arg *a = argp;

	while (__atomic_load_n(&a->done, __ATOMIC_RELAXED) < SELF_ROUNDS) {
		void *p = mmap(NULL, Q_PAGE, PROT_READ, MAP_SHARED, a->fd, 0);

		if (p == MAP_FAILED)
			__atomic_add_fetch(&a->errors, 1, __ATOMIC_RELAXED);
		else
			munmap(p, Q_PAGE);
	}
	return NULL;
}

static void test_self_buffer(int wfd)
{
	struct self_arg a = { .fd = wfd };
	pthread_t io, mapper;
	int status = 0;
	pid_t pid;

	q_reset(0);
	if (q_ssz(wfd, SELF_LEN)) {
		tap_ok(0, "resize to 64 KiB");
		return;
	}
	a.m = map(wfd, SELF_LEN, PROT_READ | PROT_WRITE, 0);
	if (!tap_ok(a.m != NULL, "map 64 KiB read-write"))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = q_open(0, O_RDWR);

		/* Between 60 KiB and 64 KiB: never below what the copies use. */
		for (int i = 0; fd >= 0; i++)
			if (q_ssz(fd, SELF_LEN - (uint64_t)(i % 2) * Q_PAGE))
				_exit(1);
		_exit(2);
	}
	pthread_create(&io, NULL, self_io, &a);
	pthread_create(&mapper, NULL, self_mapper, &a);
	pthread_join(io, NULL);
	pthread_join(mapper, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "D16: the resizer ran until stopped (status 0x%x)", status);
	tap_ok(a.done == SELF_ROUNDS && !a.errors,
	       "D16: %d rounds of read(2) into and write(2) from a mapping of the same device, "
	       "with mmap/munmap and resizes alongside, all completed in full (%d errors)",
	       a.done, a.errors);
	munmap(a.m, SELF_LEN);
	q_reset(0);
}

/*
 * Faults racing resizes: a thread drops and faults in the first page of a
 * mapping over and over while this one resizes (a new buffer each time),
 * writes a new number at offset 0 and loads it through the mapping. Once
 * the resize has returned, no fault may still map the old buffer's page.
 */
#define RACE_ROUNDS 3000

struct race_arg {
	volatile unsigned char *m;
	int stop;
	unsigned long faults;
};

static void *race_faulter(void *argp)
{
	struct race_arg *a = argp;

	while (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
		madvise((void *)a->m, Q_PAGE, MADV_DONTNEED);
		(void)a->m[0];
		a->faults++;
	}
	return NULL;
}

static void test_fault_race(int wfd)
{
	struct race_arg a = { 0 };
	int stale = 0, first = -1;
	pthread_t thread;

	a.m = map(wfd, Q_PAGE, PROT_READ, 0);
	if (!tap_ok(a.m != NULL, "map the first page read-only"))
		return;
	pthread_create(&thread, NULL, race_faulter, &a);
	for (int i = 1; i <= RACE_ROUNDS; i++) {
		int got;

		if (q_ssz(wfd, i % 2 ? Q_PAGE : Q_PAGE / 2) || pwrite(wfd, &i, sizeof(i), 0) != sizeof(i))
			break;
		memcpy(&got, (const void *)a.m, sizeof(got));
		if (got != i && !stale++)
			first = i;
	}
	__atomic_store_n(&a.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	if (!tap_ok(!stale, "D16: %d resizes raced by %lu faults: the mapping always shows the new buffer",
		    RACE_ROUNDS, a.faults))
		tap_diag("%d stale views, the first in round %d", stale, first);
	munmap((void *)a.m, Q_PAGE);
	q_reset(0);
}

/* Last: the module stays while mapped, and unloads after munmap and reset. */
static void test_unload(int wfd)
{
	unsigned char *m = map(wfd, Q_PAGE, PROT_READ | PROT_WRITE, 0);
	int fd2 = q_open(0, O_RDONLY);
	unsigned char *r = fd2 >= 0 ? map(fd2, Q_PAGE, PROT_READ, 0) : NULL;
	int err;

	close(fd2);
	close(wfd);
	if (!tap_ok(m && r, "a writable and a read-only mapping, all fds closed"))
		return;
	q_reset(0);
	tap_eq(r[0], q_initial[0], "read through the read-only mapping");
	err = q_unload();
	tap_ok(err == EWOULDBLOCK || err == EBUSY,
	       "D16: rmmod is refused while a read-only mapping exists (%s)", strerror(err));
	m[0] = 'X';
	munmap(r, Q_PAGE);
	munmap(m, Q_PAGE);
	q_expect_changed(0, 1, "D16: the store through the writable mapping marked the device changed");
	err = q_unload();
	tap_ok(err == EWOULDBLOCK || err == EBUSY,
	       "D9: after munmap rmmod is still refused: the device is changed (%s)", strerror(err));
	tap_eq(q_reset(0), 0, "reset");
}

int main(int argc, char **argv)
{
	static const uint64_t sizes[] = { QOTD_INIT_SIZE, Q_PAGE, Q_PAGE + 1, 65536,
					  CHUNK + 1, BIG };
	int wfd;

	tap_init(argc, argv);
	chunk = malloc(CHUNK);
	want = malloc(CHUNK);
	q_load_or_bail("max_size=268435456");
	wfd = q_open(0, O_RDWR);
	if (!tap_ok(wfd >= 0 && chunk && want, "open /dev/qotd0 read-write")) {
		q_force_cleanup();
		return tap_done();
	}

	if (strcmp(q_alloc(), "umem")) {
		int rfd = q_open(0, O_RDONLY);
		void *p = mmap(NULL, Q_PAGE, PROT_READ, MAP_SHARED, rfd, 0);

		tap_errno(p == MAP_FAILED ? -1 : 0, ENODEV,
			  "D16: alloc=%s: mmap fails with ENODEV", q_alloc());
		p = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, wfd, 0);
		tap_errno(p == MAP_FAILED ? -1 : 0, ENODEV,
			  "D16: alloc=%s: a writable mapping fails with ENODEV too", q_alloc());
		q_ssz(wfd, 8 * Q_PAGE);
		p = mmap(NULL, Q_PAGE, PROT_READ, MAP_SHARED, wfd, 0);
		tap_errno(p == MAP_FAILED ? -1 : 0, ENODEV,
			  "D16: alloc=%s: a page-sized buffer cannot be mapped either (ENODEV)",
			  q_alloc());
		q_reset(0);
		close(rfd);
		close(wfd);
		return q_finish(1);
	}

	test_refusals(wfd);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_equals_read(wfd, sizes[i]);
	q_reset(0);
	test_stores(wfd);
	test_resize(wfd);
	test_other_mappers(wfd);
	test_outlives_close();
	test_self_buffer(wfd);
	test_fault_race(wfd);
	test_unload(wfd);
	free(chunk);
	free(want);
	return q_finish(1);
}
