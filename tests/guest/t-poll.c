// SPDX-License-Identifier: GPL-2.0
/*
 * poll, epoll and the state of each open file (D17), and qotdctl --watch
 * (C6), which is built on them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qtest.h"

#define ALWAYS (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

/* What poll() reports for fd at once, or -1. */
static int events(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDNORM |
						POLLWRNORM | POLLRDBAND | POLLWRBAND };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void expect_pri(int fd, int want, const char *what)
{
	int ev = events(fd);

	if (!tap_eq(ev, ALWAYS | (want ? POLLPRI : 0), "D17: %s: poll gives %s", what,
		    want ? "IN|RDNORM|OUT|WRNORM|PRI" : "IN|RDNORM|OUT|WRNORM, no PRI"))
		tap_diag("revents 0x%x", ev);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_poll(void)
{
	int a = q_open(0, O_RDONLY), b = q_open(0, O_RDWR), ep;
	unsigned char buf[QOTD_INIT_SIZE];
	struct epoll_event ev = { .events = EPOLLIN | EPOLLPRI }, got;
	struct iovec iov = { .iov_base = buf, .iov_len = 10 };

	if (!tap_ok(a >= 0 && b >= 0, "open /dev/qotd0 twice"))
		return;
	expect_pri(a, 0, "a fresh open");
	tap_eq(pwrite(b, "x", 1, 0), 1, "write 1 byte through the other fd");
	expect_pri(a, 1, "after a write by another fd");
	expect_pri(b, 1, "after its own write (it has not read since)");
	tap_eq(pread(a, buf, sizeof(buf), 0), QOTD_INIT_SIZE, "pread");
	expect_pri(a, 0, "a pread clears it");
	expect_pri(b, 1, "the other fd's state is its own");
	tap_eq(read(b, buf, sizeof(buf)), QOTD_INIT_SIZE, "read");
	expect_pri(b, 0, "a read clears it");

	tap_eq(pwrite(b, "", 0, 0), 0, "zero-length write");
	expect_pri(a, 0, "a zero-length write is no change");
	tap_errno(pwrite(b, "y", 1, QOTD_INIT_SIZE), ENOSPC, "a write past the end fails");
	expect_pri(a, 0, "a failed write is no change");

	tap_eq(q_ssz(b, 512), 0, "resize to 512");
	expect_pri(a, 1, "after a resize");
	tap_eq(readv(a, &iov, 1), 10, "readv");
	expect_pri(a, 0, "a readv clears it");
	tap_errno(pread(a, q_unmapped(Q_PAGE), 10, 0), EFAULT, "a pread into unmapped memory fails");
	expect_pri(a, 0, "and leaves it clear");
	tap_eq(q_discard(b), 0, "discard");
	expect_pri(a, 1, "after a discard");
	tap_errno(pread(a, q_unmapped(Q_PAGE), 10, 0), EFAULT, "a pread into unmapped memory fails");
	expect_pri(a, 1, "a failed read does not clear it");
	tap_eq(pread(a, buf, 1, 0), 1, "pread of 1 byte");
	tap_eq(q_discard(b), 0, "discard at the initial size");
	expect_pri(a, 1, "after a discard that keeps the size");
	tap_eq(pread(a, buf, 1, 4096), 0, "pread at the end (0 bytes, no error)");
	expect_pri(a, 0, "a read at the end clears it too");

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (tap_ok(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev) == 0, "epoll on the device")) {
		tap_eq(epoll_wait(ep, &got, 1, 0), 1, "D17: epoll: always ready");
		tap_eq(got.events, EPOLLIN, "D17: epoll: EPOLLIN without a change");
		tap_eq(pwrite(b, "z", 1, 0), 1, "write 1 byte");
		tap_eq(epoll_wait(ep, &got, 1, 0), 1, "D17: epoll: ready");
		tap_eq(got.events, EPOLLIN | EPOLLPRI, "D17: epoll: EPOLLPRI after a write");
		close(ep);
	}
	close(a);
	close(b);
	q_reset(0);
}

/*
 * Pollers blocked in other processes, two by poll() and one by epoll, are
 * all woken by one write.
 */
static void test_wakeup(void)
{
	int ready[2], result[2], w = q_open(0, O_RDWR);
	pid_t pids[3];
	int woken = 0, exact = 1;
	double t0;

	if (pipe(ready) || pipe(result) || w < 0)
		return;
	fflush(NULL);
	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int fd = q_open(0, O_RDONLY), n, ev = 0;
			char c = 'r';
			unsigned char buf[QOTD_INIT_SIZE];

			if (fd < 0 || pread(fd, buf, sizeof(buf), 0) < 0)
				_exit(2);
			if (write(ready[1], &c, 1) != 1)
				_exit(2);
			if (i < 2) {
				struct pollfd p = { .fd = fd, .events = POLLPRI };

				n = poll(&p, 1, 20000);
				ev = p.revents;
			} else {
				struct epoll_event e = { .events = EPOLLPRI }, out;
				int ep = epoll_create1(0);

				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
				n = epoll_wait(ep, &out, 1, 20000);
				ev = n == 1 ? (int)out.events : 0;
			}
			c = n == 1 && ev == POLLPRI ? 'w' : 'x';
			if (write(result[1], &c, 1) != 1)
				_exit(2);
			_exit(0);
		}
	}
	/* Only the children write these: one that dies ends the wait. */
	close(ready[1]);
	close(result[1]);
	for (int i = 0; i < 3; i++) {
		char c;

		if (read(ready[0], &c, 1) != 1)
			break;
	}
	q_msleep(300);	/* they are in poll() by now */
	t0 = now();
	tap_eq(pwrite(w, "w", 1, 0), 1, "write 1 byte while three processes wait");
	for (int i = 0; i < 3; i++) {
		char c = 0;

		if (read(result[0], &c, 1) == 1)
			woken++;
		if (c != 'w')
			exact = 0;
	}
	tap_ok(woken == 3 && exact && now() - t0 < 10,
	       "D17: one write wakes every blocked poller, two by poll and one by epoll, with POLLPRI alone (%d woken in %.2f s)",
	       woken, now() - t0);
	for (int i = 0; i < 3; i++)
		waitpid(pids[i], NULL, 0);
	close(ready[0]);
	close(result[0]);
	close(w);
	q_reset(0);
}

/* Stores through a mapping do not notify (umem: the only mappable one). */
static void test_mapped_store(void)
{
	int w = q_open(0, O_RDWR);
	unsigned char *m = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
	unsigned char buf[4];

	if (!tap_ok(m != MAP_FAILED, "map the device read-write"))
		return;
	tap_eq(pread(w, buf, 4, 0), 4, "pread");
	m[0] = 'S';
	expect_pri(w, 0, "a store through a mapping is no notified change");
	munmap(m, Q_PAGE);
	close(w);
	q_reset(0);
}

/* Read what qotdctl printed until want is complete, up to 10 s. */
static int expect_output(int fd, char *acc, size_t *len, size_t cap, const char *want)
{
	double until = now() + 10;

	while (*len < strlen(want) && now() < until) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, acc + *len, cap - 1 - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	acc[*len] = '\0';
	return *len == strlen(want) && !strcmp(acc, want);
}

static void test_watch(void)
{
	static const char *const quotes[] = {
		"A life is not important except in the impact it has on others. - Jackie Robinson\n",
		"Simplicity is prerequisite for reliability. - Edsger Dijkstra\n",
	};
	char acc[4096], want[4096] = Q_QUOTE;
	int out[2], w = q_open(0, O_RDWR), status = 0;
	size_t len = 0;
	pid_t pid;

	if (pipe(out) || w < 0)
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		execlp("qotdctl", "qotdctl", "-d", q_node(0), "-w", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (!tap_ok(expect_output(out[0], acc, &len, sizeof(acc), want),
		    "C6: qotdctl -w prints the quotation at once"))
		tap_diag("it printed: '%s'", acc);
	for (size_t i = 0; i < 2; i++) {
		/* Blocked in ppoll() by now: the change must wake it. */
		q_msleep(300);
		/* The NUL ends the text where the old one was longer. */
		tap_eq(pwrite(w, quotes[i], strlen(quotes[i]) + 1, 0), (long long)strlen(quotes[i]) + 1,
		       "write quotation %zu", i + 1);
		strcat(want, quotes[i]);
		if (!tap_ok(expect_output(out[0], acc, &len, sizeof(acc), want),
			    "C6: qotdctl -w prints quotation %zu once, after the earlier ones", i + 1))
			tap_diag("it printed: '%s'", acc);
	}
	q_msleep(300);
	tap_eq(q_discard(w), 0, "discard");
	strcat(want, Q_QUOTE);
	if (!tap_ok(expect_output(out[0], acc, &len, sizeof(acc), want),
		    "C6: qotdctl -w prints the initial quotation after a discard"))
		tap_diag("it printed: '%s'", acc);
	q_msleep(300);
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "C6: qotdctl -w exits 0 on SIGINT (status 0x%x)", status);
	{
		ssize_t n = read(out[0], acc + len, sizeof(acc) - 1 - len);

		tap_eq(n, 0, "C6: qotdctl -w printed nothing more: each quotation once, in order");
	}
	close(out[0]);
	close(w);
	q_reset(0);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	q_load_or_bail(NULL);
	test_poll();
	test_wakeup();
	if (!strcmp(q_alloc(), "umem"))
		test_mapped_store();
	test_watch();
	return q_finish(1);
}
