// SPDX-License-Identifier: GPL-2.0
/*
 * No starving readers (D10). Four processes write the whole 64 KiB buffer
 * in a loop, so that one of them nearly always holds the lock and another
 * nearly always waits for it; meanwhile this process reads one byte at a
 * time. A lock that lets a waiting writer keep every new reader out lets
 * a read in only at a moment when no writer waits, which with four writers
 * may take seconds and thousands of writes; the kernel's rw_semaphore
 * queues a reader behind the writers already waiting and lets it in when
 * its turn comes. Reads go on
 * for READ_WINDOW_S seconds; each must complete within READ_BOUND_S (an
 * alarm interrupts one that does not), and every writer must have kept
 * writing all the while, or the test showed nothing. (That a read queued
 * before a write is served before it, t-signal checks exactly.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qtest.h"

#define BUF_SIZE 65536
#define WRITERS 4
#define READ_WINDOW_S 3	/* reading for this long, one byte at a time */
#define READ_BOUND_S 10	/* a reader waits for a few writes at most */
#define WARMUP_MS 300	/* writers contending before the first read */

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static long total(volatile long *counts)
{
	long sum = 0;

	for (int i = 0; i < WRITERS; i++)
		sum += __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
	return sum;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write the whole buffer until *stop; count the writes in *count. */
static void writer(volatile int *stop, volatile long *count)
{
	static unsigned char data[BUF_SIZE];
	int fd = q_open(0, O_WRONLY);

	if (fd < 0)
		_exit(2);
	memset(data, 'W', sizeof(data));
	while (!*stop) {
		if (pwrite(fd, data, sizeof(data), 0) != (ssize_t)sizeof(data))
			_exit(3);
		__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	volatile long *counts;
	volatile int *stop;
	pid_t pids[WRITERS];
	double worst = 0, start;
	long overtaken = 0;
	int fd, done = 0, failed = 0, status, writers_ok = 1;
	long before[WRITERS], during_min = -1;
	unsigned char byte;

	tap_init(argc, argv);
	q_load_or_bail(NULL);
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0 && q_ssz(fd, BUF_SIZE) == 0, "set size %d", BUF_SIZE)) {
		q_force_cleanup();
		return tap_done();
	}
	/* Shared with the writers: a stop flag and their counts. */
	stop = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED) {
		tap_ok(0, "shared page: %s", strerror(errno));
		q_force_cleanup();
		return tap_done();
	}
	counts = (volatile long *)(stop + 16);
	fflush(NULL);
	for (int i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			writer(stop, &counts[i]);
	}
	q_msleep(WARMUP_MS);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	for (int i = 0; i < WRITERS; i++)
		before[i] = counts[i];
	start = now_s();
	for (int n = 0; now_s() - start < READ_WINDOW_S; n++) {
		double t0 = now_s(), t;
		long w0 = total(counts), w;
		ssize_t got;

		alarmed = 0;
		alarm(READ_BOUND_S);
		got = pread(fd, &byte, 1, n % BUF_SIZE);
		alarm(0);
		t = now_s() - t0;
		w = total(counts) - w0;
		if (w > overtaken)
			overtaken = w;
		if (t > worst)
			worst = t;
		if (got != 1) {
			tap_diag("read %d: %zd (%s) after %.3f s%s", n, got,
				 got < 0 ? strerror(errno) : "-", t,
				 alarmed ? ", interrupted by the alarm" : "");
			failed = 1;
			break;
		}
		done++;
	}
	for (int i = 0; i < WRITERS; i++) {
		long wrote = counts[i] - before[i];

		if (during_min < 0 || wrote < during_min)
			during_min = wrote;
	}
	*stop = 1;
	for (int i = 0; i < WRITERS; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			writers_ok = 0;
	}

	tap_ok(!failed && done > 0,
	       "D10: for %d s every one-byte read completed within %d s while four writers looped (%d reads, slowest %.3f s)",
	       READ_WINDOW_S, READ_BOUND_S, done, worst);
	/*
	 * How many writes overtook a read depends on how the host schedules
	 * the guest's CPUs, so it is shown, not judged; t-signal checks the
	 * order of service itself.
	 */
	tap_diag("at most %ld writes completed while one read waited", overtaken);
	tap_ok(writers_ok && during_min > 0,
	       "D10: every writer kept writing while the reads waited (the least busy wrote %ld times)",
	       during_min);
	tap_ok(q_discard(fd) == 0, "discard");
	close(fd);
	return q_finish(1);
}
