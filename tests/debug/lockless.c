// SPDX-License-Identifier: GPL-2.0
/*
 * The state qotd reads without its lock, read while it changes: one
 * process keeps reading the sysfs attributes size, changed and allocated
 * of qotd0 and polling /dev/qotd0 (poll compares the change count without
 * the lock), while this one resizes the device between three sizes,
 * writes to it and discards it (discard looks at the size before taking
 * the lock). Every value read must be one the device really had. On the
 * KCSAN kernel an access to any of these fields that is not marked is a
 * data race, which the kernel log then reports.
 *
 *   lockless [SECONDS]     default 10
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtest.h"

static const long long sizes[] = { QOTD_INIT_SIZE, 100, 5000 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

struct shared {
	volatile int stop;
	unsigned long reads, polls, bad;
	char why[160];
};

static long long footprint[NSIZES];

static int one_of(long long v, const long long *set)
{
	for (size_t i = 0; i < NSIZES; i++)
		if (v == set[i])
			return 1;
	return 0;
}

static long long read_attr(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

static void reader(struct shared *sh)
{
	const char *names[] = { "size", "changed", "allocated" };
	int fds[3], dev = q_open(0, O_RDONLY);
	char path[96];

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/class/misc/qotd0/%s", names[i]);
		fds[i] = open(path, O_RDONLY);
	}
	while (!sh->stop) {
		long long v[3];
		struct pollfd p = { .fd = dev, .events = POLLIN | POLLPRI };

		for (int i = 0; i < 3; i++)
			v[i] = read_attr(fds[i]);
		if (!one_of(v[0], sizes) || (v[1] != 0 && v[1] != 1) || !one_of(v[2], footprint)) {
			if (!sh->bad++)
				snprintf(sh->why, sizeof(sh->why),
					 "size %lld, changed %lld, allocated %lld", v[0], v[1], v[2]);
		}
		sh->reads++;
		if (dev >= 0 && poll(&p, 1, 0) >= 0)
			sh->polls++;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	unsigned long ops = 0, failed = 0;
	struct shared *sh;
	pid_t pid;
	int fd, err, status;
	double end;

	d_init("lockless: ");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!d_ok(sh != MAP_FAILED, "shared memory for the reader"))
		return d_done();
	err = d_load("");
	if (!d_ok(err == 0, "load qotd.ko (%s)", err ? strerror(err) : d_alloc()))
		return d_done();
	fd = q_open(0, O_RDWR);
	if (!d_ok(fd >= 0, "open /dev/qotd0"))
		goto unload;

	/* What allocated says at each size, measured with nothing running. */
	for (size_t i = 0; i < NSIZES; i++) {
		q_ssz(fd, sizes[i]);
		footprint[i] = d_attr(0, "allocated");
	}
	q_discard(fd);

	pid = fork();
	if (pid == 0)
		reader(sh);
	end = d_now() + seconds;
	while (d_now() < end) {
		for (size_t i = 0; i < NSIZES; i++) {
			failed += q_ssz(fd, sizes[i]) != 0;
			failed += pwrite(fd, "x", 1, 0) != 1;
			ops += 2;
		}
		failed += q_discard(fd) != 0;
		ops++;
	}
	sh->stop = 1;
	waitpid(pid, &status, 0);
	d_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the reader ended normally");
	d_ok(failed == 0, "every resize, write and discard succeeded (%lu of %lu failed)", failed, ops);
	d_ok(sh->reads > 0 && ops > 0, "both sides made progress (%lu changes, %lu attribute reads, %lu polls)",
	     ops, sh->reads, sh->polls);
	if (!d_ok(sh->bad == 0, "every value read was one the device had (%lu were not)", sh->bad))
		d_diag("first bad read: %s", sh->why);
	close(fd);
unload:
	d_force_unload();
	d_ok(!d_loaded(), "qotd unloads");
	return d_done();
}
