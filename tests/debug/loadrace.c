// SPDX-License-Identifier: GPL-2.0
/*
 * Opens racing a load that fails: a load with instances=4 has its Nth
 * allocation failed (fail-nth) for every N in qotd's part of the load,
 * while another process keeps opening the nodes, writing a byte and
 * holding the file open for a moment. A node is live from the moment it
 * is registered, so when a later instance fails, the earlier nodes have
 * been registered for a while. qotd refuses every open (ENODEV) until
 * the whole load has succeeded, so no file can point into the module a
 * failed load frees (KASAN would say so in the kernel log) or keep a
 * module reference: an open that succeeds during a load that then fails
 * is a failure here.
 *
 *   loadrace [FIRST [COUNT]]
 *
 * FIRST defaults to what failnth left in /tmp/failnth-load-start minus 10,
 * COUNT to 220 (qotd's part of a load with four instances).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dtest.h"

struct shared {
	volatile int active;	/* the parent is inside finit_module */
	volatile int idle;	/* the opener holds no file */
	volatile int stop;
	unsigned long opens, writes, refused, attempts;
	unsigned long opens_now;	/* opens during the current load */
};

static struct shared *sh;

static void opener(void)
{
	struct timespec hold = { 0, 2 * 1000 * 1000 };

	while (!sh->stop) {
		int fds[4], any = 0;

		if (!sh->active) {
			sh->idle = 1;
			sched_yield();
			continue;
		}
		sh->idle = 0;
		for (int k = 0; k < 4; k++) {
			fds[k] = q_open(k, O_RDWR);
			if (fds[k] < 0) {
				if (errno == ENODEV)
					__atomic_add_fetch(&sh->refused, 1, __ATOMIC_RELAXED);
				continue;
			}
			any = 1;
			__atomic_add_fetch(&sh->opens, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&sh->opens_now, 1, __ATOMIC_RELAXED);
			if (write(fds[k], "x", 1) == 1)
				__atomic_add_fetch(&sh->writes, 1, __ATOMIC_RELAXED);
		}
		if (any)
			nanosleep(&hold, NULL);
		for (int k = 0; k < 4; k++)
			if (fds[k] >= 0)
				close(fds[k]);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long first = argc > 1 ? atol(argv[1]) : d_get_ll("/tmp/failnth-load-start", 0) - 10;
	long count = argc > 2 ? atol(argv[2]) : 220;
	int nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	int ko = open(d_ko(), O_RDONLY | O_CLOEXEC), bad = 0, failed = 0, stuck = 0;
	int leaked_open = 0;
	char params[256];
	double t0 = d_now();
	pid_t pid;

	d_init("loadrace: ");
	if (first < 1)
		first = 300;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!d_ok(sh != MAP_FAILED && nth >= 0 && ko >= 0, "set up (fail-nth, %s)", d_ko()))
		return d_done();
	if (d_loaded())
		d_force_unload();
	d_params(params, sizeof(params), "instances=4");
	d_put("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	d_put("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	d_put("/sys/kernel/debug/fail_page_alloc/min-order", "0");

	pid = fork();
	if (pid == 0)
		opener();
	for (long n = first; n < first + count; n++) {
		char text[16], left[16];
		int len = snprintf(text, sizeof(text), "%ld", n), ret;
		ssize_t got;

		sh->opens_now = 0;
		sh->active = 1;
		if (pwrite(nth, text, (size_t)len, 0) != len)
			break;
		ret = (int)syscall(SYS_finit_module, ko, params, 0);
		got = pread(nth, left, sizeof(left) - 1, 0);
		if (pwrite(nth, "0", 1, 0) != 1)
			break;
		sh->active = 0;
		while (!sh->idle)
			sched_yield();
		sh->attempts++;
		failed += ret != 0;
		if (ret == 0) {
			d_force_unload();
			if (d_loaded()) {
				stuck++;
				d_diag("N=%ld: loaded and cannot be unloaded (refcnt %lld)", n, d_refcnt());
			}
		} else if (d_loaded()) {
			bad++;
			d_diag("N=%ld: the load failed but qotd is loaded", n);
		}
		if (ret != 0 && sh->opens_now) {
			leaked_open++;
			d_diag("N=%ld: %lu open(s) succeeded during a load that failed",
			       n, sh->opens_now);
		}
		if (got > 0 && atol(left) != 0)
			break;	/* beyond the load's allocations */
	}
	sh->stop = 1;
	sh->active = 1;
	waitpid(pid, NULL, 0);
	d_put("/sys/kernel/debug/failslab/ignore-gfp-wait", "Y");
	d_put("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "Y");
	d_put("/sys/kernel/debug/fail_page_alloc/min-order", "1");
	d_diag("%lu loads from allocation %ld (%d failed) in %.1f s; the opener opened %lu times (after loads that succeeded), wrote %lu, was refused %lu times",
	       sh->attempts, first, failed, d_now() - t0, sh->opens, sh->writes, sh->refused);
	d_ok(!bad && !stuck, "loads failing while the nodes are being opened leave nothing loaded");
	d_ok(!leaked_open, "no open succeeded during a load that failed (%d loads let one through)",
	     leaked_open);
	d_ok(sh->refused > 0, "the opener reached a registered node during a load and was refused (%lu times)",
	     sh->refused);
	return d_done();
}
