// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency (D10): readers, writers, resizers and a discarder hammer one
 * device from separate processes for QOTD_STRESS_SECONDS (default 5), and
 * every result is checked against what the operations can produce.
 *
 * Every write covers the whole buffer from offset 0 (16 KiB, more than any
 * size used) with a 4-byte tag repeated: the writer's letter and a sequence
 * number, no byte of it zero. Resizes choose from a fixed set of sizes and
 * keep the head; discards restore the quotation. So at any moment the
 * buffer is a prefix of one base (a tag pattern or the quotation) followed
 * by zeros, its first byte is never zero, and its size is one of the set.
 * A read must show exactly that; a tag it shows must come from a write
 * already started; and once a reader has seen a writer's tag N it can never
 * see an older tag of the same writer again (writes are exclusive and each
 * writer's writes are sequential). Get size, lseek SEEK_END, the sysfs size
 * and the return value of every write (the size at the time) must be sizes
 * from the set.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qtest.h"

#define WRITERS 2
#define READERS 2
#define RESIZERS 1
#define DISCARDERS 1
#define NPROC (WRITERS + READERS + RESIZERS + DISCARDERS)
#define WLEN 16384
#define MAXSEQ (1u << 21)

static const uint64_t sizes[] = { 1, 2, 3, 5, 60, 100, 128, 129, 1000,
				  4095, 4096, 4097, 8192, 12289 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

enum check { C_CONTENT, C_ORDER, C_SIZE, C_WRITE, C_RESIZE, C_DISCARD, NCHECKS };

static const char *const check_names[NCHECKS] = {
	[C_CONTENT] = "D10: every concurrent read shows a consistent buffer (a prefix of one write's pattern or of the quotation, then zeros)",
	[C_ORDER] = "D10: tags seen by a reader come from started writes and never go back in time",
	[C_SIZE] = "D10: get size, lseek SEEK_END, the sysfs size and read lengths are always sizes that were set",
	[C_WRITE] = "D10: every concurrent write returns the size at the time (a size that was set)",
	[C_RESIZE] = "D10: every concurrent resize succeeds",
	[C_DISCARD] = "D10: every concurrent discard succeeds",
};

struct shared {
	int stop;
	uint32_t started[WRITERS];
	unsigned long ops[NPROC];
	unsigned long gsz, lseeks, sysfs, reads;
	unsigned long errors[NCHECKS];
	int have_first[NCHECKS];
	char first[NCHECKS][240];
};

static struct shared *sh;

static void fail(enum check c, const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&sh->errors[c], 1, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&sh->have_first[c], 1, __ATOMIC_SEQ_CST))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->first[c], sizeof(sh->first[c]), fmt, ap);
	va_end(ap);
}

static int stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST);
}

static int valid_size(long long n)
{
	for (size_t i = 0; i < NSIZES; i++)
		if ((long long)sizes[i] == n)
			return 1;
	return 0;
}

static void make_tag(unsigned char tag[4], int w, uint32_t seq)
{
	tag[0] = (unsigned char)('a' + w);
	tag[1] = (unsigned char)(0x80 | (seq & 0x7f));
	tag[2] = (unsigned char)(0x80 | ((seq >> 7) & 0x7f));
	tag[3] = (unsigned char)(0x80 | ((seq >> 14) & 0x7f));
}

static void writer(int w, int fd)
{
	unsigned char *buf = malloc(WLEN), tag[4];

	for (uint32_t seq = 0; !stopping() && seq < MAXSEQ; seq++) {
		ssize_t n;

		make_tag(tag, w, seq);
		for (size_t i = 0; i < WLEN; i++)
			buf[i] = tag[i % 4];
		__atomic_store_n(&sh->started[w], seq + 1, __ATOMIC_SEQ_CST);
		n = pwrite(fd, buf, WLEN, 0);
		if (!valid_size(n))
			fail(C_WRITE, "writer %d: write of %d bytes returned %zd (%s)", w, WLEN, n,
			     n < 0 ? strerror(errno) : "not a size that was set");
		sh->ops[w]++;
	}
	free(buf);
}

/* Check one snapshot of the whole buffer; last[] is this reader's history. */
static void check_read(int r, const unsigned char *buf, ssize_t n, long long last[WRITERS])
{
	ssize_t m = n;

	if (!valid_size(n)) {
		fail(C_SIZE, "reader %d: read returned %zd (%s)", r, n,
		     n < 0 ? strerror(errno) : "not a size that was set");
		return;
	}
	while (m > 0 && !buf[m - 1])
		m--;
	if (m == 0) {
		fail(C_CONTENT, "reader %d: %zd bytes, all zero", r, n);
		return;
	}
	if (buf[0] == q_initial[0]) {
		if (memcmp(buf, q_initial, (size_t)m))
			fail(C_CONTENT, "reader %d: %zd bytes starting with 'O' that are not the quotation",
			     r, n);
		return;
	}
	if (buf[0] < 'a' || buf[0] >= 'a' + WRITERS) {
		fail(C_CONTENT, "reader %d: first byte 0x%02x is neither a tag nor the quotation", r, buf[0]);
		return;
	}
	for (ssize_t i = 1; i < m; i++) {
		if ((i < 4 && !(buf[i] & 0x80)) || (i >= 4 && buf[i] != buf[i % 4])) {
			fail(C_CONTENT, "reader %d: byte %zd (0x%02x) breaks the pattern of tag %02x %02x %02x %02x (%zd bytes, %zd before the zeros)",
			     r, i, buf[i], buf[0], buf[1], buf[2], buf[3], n, m);
			return;
		}
	}
	if (m >= 4) {
		int w = buf[0] - 'a';
		long long seq = (buf[1] & 0x7f) | (buf[2] & 0x7f) << 7 | (long long)(buf[3] & 0x7f) << 14;
		long long started = __atomic_load_n(&sh->started[w], __ATOMIC_SEQ_CST);

		if (seq >= started)
			fail(C_ORDER, "reader %d: tag %lld of writer %d, but only %lld writes started",
			     r, seq, w, started);
		if (seq < last[w])
			fail(C_ORDER, "reader %d: tag %lld of writer %d after tag %lld", r, seq, w, last[w]);
		else
			last[w] = seq;
	}
}

static void reader(int r, int fd, int slot)
{
	unsigned char *buf = malloc(WLEN);
	long long last[WRITERS] = { 0 };
	unsigned long i = 0;

	while (!stopping()) {
		uint64_t size = 0;
		ssize_t n;
		off_t end;

		/* Alternate pread with lseek + read: both must be snapshots. */
		if (i % 2) {
			n = pread(fd, buf, WLEN, 0);
		} else {
			lseek(fd, 0, SEEK_SET);
			n = read(fd, buf, WLEN);
		}
		check_read(r, buf, n, last);
		__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);

		if (q_gsz(fd, &size) || !valid_size((long long)size))
			fail(C_SIZE, "reader %d: get size gave %llu (%s)", r, (unsigned long long)size,
			     strerror(errno));
		__atomic_add_fetch(&sh->gsz, 1, __ATOMIC_RELAXED);
		end = lseek(fd, 0, SEEK_END);
		if (!valid_size(end))
			fail(C_SIZE, "reader %d: lseek SEEK_END gave %lld", r, (long long)end);
		__atomic_add_fetch(&sh->lseeks, 1, __ATOMIC_RELAXED);
		if (i % 8 == 0) {
			long long s = q_attr(0, "size");

			if (!valid_size(s))
				fail(C_SIZE, "reader %d: sysfs size gave %lld", r, s);
			__atomic_add_fetch(&sh->sysfs, 1, __ATOMIC_RELAXED);
		}
		sh->ops[slot]++;
		i++;
	}
	free(buf);
}

static void resizer(int fd, int slot, unsigned int seed)
{
	while (!stopping()) {
		uint64_t s = sizes[rand_r(&seed) % NSIZES];

		if (q_ssz(fd, s))
			fail(C_RESIZE, "resize to %llu: %s", (unsigned long long)s, strerror(errno));
		sh->ops[slot]++;
	}
}

static void discarder(int fd, int slot)
{
	while (!stopping()) {
		if (q_discard(fd))
			fail(C_DISCARD, "discard: %s", strerror(errno));
		sh->ops[slot]++;
		q_msleep(2);	/* give the others time between resets */
	}
}

int main(int argc, char **argv)
{
	static const char *const roles[NPROC] = { "writer 0", "writer 1", "reader 0", "reader 1",
						  "resizer", "discarder" };
	const char *env = getenv("QOTD_STRESS_SECONDS");
	unsigned int secs = env ? (unsigned int)atoi(env) : 5;
	pid_t pids[NPROC];
	int progress = 1, died = 0;

	tap_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!tap_ok(sh != MAP_FAILED, "shared memory for the workers"))
		return tap_done();
	memset(sh, 0, sizeof(*sh));
	q_load_or_bail(NULL);

	fflush(NULL);
	for (int p = 0; p < NPROC; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			int fd = q_open(0, O_RDWR);

			if (fd < 0)
				_exit(2);
			if (p < WRITERS)
				writer(p, fd);
			else if (p < WRITERS + READERS)
				reader(p - WRITERS, fd, p);
			else if (p < WRITERS + READERS + RESIZERS)
				resizer(fd, p, 12345u + (unsigned int)p);
			else
				discarder(fd, p);
			close(fd);
			_exit(0);
		}
	}
	tap_diag("%d processes for %u s", NPROC, secs);
	sleep(secs);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (int p = 0; p < NPROC; p++) {
		int status = 0;

		if (pids[p] < 0 || waitpid(pids[p], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			died++;
			tap_diag("%s ended badly (status 0x%x)", roles[p], status);
		}
		tap_diag("%s: %lu operations", roles[p], sh->ops[p]);
		if (!sh->ops[p])
			progress = 0;
	}
	tap_diag("reads %lu, get size %lu, lseek %lu, sysfs size %lu", sh->reads, sh->gsz, sh->lseeks,
		 sh->sysfs);
	tap_diag("writes started: writer 0 %u, writer 1 %u", sh->started[0], sh->started[1]);
	tap_ok(!died, "D10: every worker process exited normally");
	tap_ok(progress, "D10: every worker made progress");
	for (int c = 0; c < NCHECKS; c++) {
		if (!tap_ok(!sh->errors[c], "%s", check_names[c]))
			tap_diag("%lu failures; the first: %s", sh->errors[c], sh->first[c]);
	}

	tap_eq(q_reset(0), 0, "discard after the storm");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D7: after the storm discard gives the initial 128 bytes");
	q_expect_changed(0, 0, "D7: after the storm discard clears changed");
	return q_finish(1);
}
