// SPDX-License-Identifier: GPL-2.0
/*
 * The trace of a failed allocation (D19), with fail-nth: each allocation
 * that a set size or a discard makes is failed in turn, with qotd's events
 * enabled in a tracefs instance of this program's own.
 *
 *   failtrace
 *
 * For each N: set up the state, arm /proc/thread-self/fail-nth, make the
 * call, disarm, and read what was recorded.
 *   ENOMEM    exactly one event, qotd_alloc with ok=0 and bytes=0 for the
 *             size asked and the call's site; size, content, changed,
 *             allocated and the module's reference count as before
 *   success   (the failure was absorbed, e.g. by the vmalloc fallback)
 *             the events of a call that worked, qotd_alloc with ok=1 and
 *             the bytes that allocated then shows
 * The loop ends at the first N the call does not reach. Some N must have
 * made some call fail, or nothing was tested (a large kmem or auto resize
 * alone may not fail: its vmalloc fallback absorbs any one failure).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtest.h"
#include "qtrace.h"

#define DBG "/sys/kernel/debug/"
#define INSTANCE "qotd-failtrace"
#define MAX_POINTS 2000
#define MAXEV 32

/* Every slab and page allocation of the call counts, sleeping or not. */
static struct d_knob knobs[] = {
	{ .path = DBG "failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "failslab/cache-filter", .value = "N" },
	{ .path = DBG "failslab/verbose", .value = "0" },
	{ .path = DBG "fail_page_alloc/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "fail_page_alloc/min-order", .value = "0" },
	{ .path = DBG "fail_page_alloc/verbose", .value = "0" },
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

static int nth_fd = -1;
static const char *alloc_name;
static struct qt_event ev[MAXEV];

static int setup_injection(void)
{
	for (size_t i = 0; i < NKNOBS; i++) {
		if (d_knob_set(&knobs[i])) {
			tap_diag("cannot write %s to %s", knobs[i].value, knobs[i].path);
			return -1;
		}
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return nth_fd < 0 ? -1 : 0;
}

struct state {
	uint64_t size;
	long long changed, allocated, refcnt;
	unsigned char data[8192];
	ssize_t got;
};

static void state_take(int fd, struct state *s)
{
	if (q_gsz(fd, &s->size))
		s->size = 0;
	s->changed = d_attr(0, "changed");
	s->allocated = d_attr(0, "allocated");
	s->refcnt = d_refcnt();
	s->got = pread(fd, s->data, sizeof(s->data), 0);
}

static int state_same(const struct state *a, const struct state *b)
{
	return a->size == b->size && a->changed == b->changed &&
	       a->allocated == b->allocated && a->refcnt == b->refcnt &&
	       a->got == b->got && (a->got <= 0 || !memcmp(a->data, b->data, (size_t)a->got));
}

/* Node 0 at @size, written over its first bytes (changed) or not. */
static int set_state(int fd, uint64_t size, int written)
{
	if (q_discard(fd))
		return -1;
	if (size != QOTD_INIT_SIZE && q_ssz(fd, size))
		return -1;
	if (written && pwrite(fd, "\x81\x82\x83", 3, 0) != 3)
		return -1;
	return 0;
}

/* The events of the call, as want lists: fills want[], returns it. */
static const char *const *success_events(int discard, uint64_t from, uint64_t to, int changed,
					 long long bytes, long long old_bytes)
{
	static char w[4][200];
	static const char *want[5];
	int n = 0;

	snprintf(w[0], sizeof(w[0]),
		 "qotd_alloc dev=qotd0 size=%llu bytes=%lld strategy=%s gfp=* site=%s ok=1",
		 (unsigned long long)to, bytes, alloc_name, discard ? "discard" : "resize");
	want[n++] = w[0];
	if (discard)
		snprintf(w[1], sizeof(w[1]), "qotd_discard dev=qotd0 old=%llu realloc=1",
			 (unsigned long long)from);
	else
		snprintf(w[1], sizeof(w[1]), "qotd_resize dev=qotd0 old=%llu new=%llu",
			 (unsigned long long)from, (unsigned long long)to);
	want[n++] = w[1];
	if (discard ? changed : !changed)
		want[n++] = discard ? "qotd_changed dev=qotd0 changed=0" :
				      "qotd_changed dev=qotd0 changed=1";
	snprintf(w[3], sizeof(w[3]), "qotd_free dev=qotd0 bytes=%lld", old_bytes);
	want[n++] = w[3];
	want[n] = NULL;
	return want;
}

/*
 * One operation from one state, failed at each allocation in turn; returns
 * how many of the failures made the call fail.
 */
static int test_op(int fd, int discard, uint64_t from, int written, uint64_t to)
{
	char label[160], alloc_ok0[200];
	const char *const failed_want[] = { alloc_ok0, NULL };
	int failed = 0, absorbed = 0, bad_failed = 0, bad_absorbed = 0, bad_state = 0, reached = 0;
	struct state before, after;

	if (discard)
		snprintf(label, sizeof(label), "[%s] discard from size %llu%s", alloc_name,
			 (unsigned long long)from, written ? " (written)" : "");
	else
		snprintf(label, sizeof(label), "[%s] set size %llu%s -> %llu", alloc_name,
			 (unsigned long long)from, written ? " (written)" : "",
			 (unsigned long long)to);
	snprintf(alloc_ok0, sizeof(alloc_ok0),
		 "qotd_alloc dev=qotd0 size=%llu bytes=0 strategy=%s gfp=* site=%s ok=0",
		 (unsigned long long)to, alloc_name, discard ? "discard" : "resize");

	for (unsigned int n = 1; n <= MAX_POINTS; n++) {
		int ret, err, nev;
		long left;

		if (set_state(fd, from, written)) {
			tap_ok(0, "%s: set up the state for N=%u: %s", label, n, strerror(errno));
			return failed;
		}
		state_take(fd, &before);
		qt_clear();
		d_nth_arm(nth_fd, n);
		ret = discard ? q_discard(fd) : q_ssz(fd, to);
		err = ret ? errno : 0;
		left = d_nth_disarm(nth_fd);
		nev = qt_take(ev, MAXEV);
		state_take(fd, &after);

		if (left != 0) {
			reached = 1;
			/* Beyond reach: the call must simply have worked. */
			if (!tap_ok(!err, "%s: with no failure injected the call works", label))
				tap_diag("failed with %s", strerror(err));
			else
				qt_expect(ev, nev, success_events(discard, from, to, written,
								  after.allocated, before.allocated),
					  "%s: with no failure injected, its events", label);
			break;
		}
		if (err == ENOMEM) {
			failed++;
			/* A point is reported only when it is wrong, the first few. */
			if (!qt_matches(ev, nev, failed_want) && bad_failed++ < 3)
				qt_expect(ev, nev, failed_want,
					  "%s: N=%u failed: qotd_alloc ok=0 bytes=0 alone", label, n);
			if (!state_same(&before, &after)) {
				bad_state++;
				tap_diag("N=%u: ENOMEM but the state changed (size %llu -> %llu, changed %lld -> %lld, allocated %lld -> %lld)",
					 n, (unsigned long long)before.size,
					 (unsigned long long)after.size, before.changed,
					 after.changed, before.allocated, after.allocated);
			}
		} else if (!err) {
			const char *const *want = success_events(discard, from, to, written,
								 after.allocated,
								 before.allocated);

			absorbed++;
			if (!qt_matches(ev, nev, want) && bad_absorbed++ < 3)
				qt_expect(ev, nev, want,
					  "%s: N=%u absorbed: the events of a call that worked", label,
					  n);
		} else {
			tap_ok(0, "%s: N=%u failed with %s, not ENOMEM", label, n, strerror(err));
		}
	}
	tap_diag("%s: %d failure points made the call fail, %d were absorbed", label, failed,
		 absorbed);
	tap_ok(reached, "%s: the call was run past its last allocation", label);
	/*
	 * A slab attempt with a vmalloc fallback absorbs any one failure:
	 * then no point fails the call, and main() sees that some other did.
	 */
	if (failed) {
		tap_ok(!bad_failed,
		       "D19: %s: each of %d injected failures that gave ENOMEM recorded qotd_alloc ok=0 bytes=0 and nothing else",
		       label, failed);
		tap_ok(!bad_state,
		       "%s: each of %d ENOMEM left size, content, changed, allocated and refcnt as they were",
		       label, failed);
	}
	if (absorbed)
		tap_ok(!bad_absorbed,
		       "D19: %s: each of %d absorbed failures recorded the events of a call that worked",
		       label, absorbed);
	return failed;
}

int main(int argc, char **argv)
{
	char why[200];
	const char *root;
	int fd, err, failed;

	tap_init(argc, argv);
	alloc_name = d_alloc();
	root = qt_tracefs(why, sizeof(why));
	if (!root) {
		tap_ok(1, "# SKIP [%s] failed allocations traced: %s", alloc_name, why);
		return tap_done();
	}
	err = qt_instance(INSTANCE);
	if (!tap_ok(!err, "[%s] tracefs instance %s/instances/%s", alloc_name, root, INSTANCE))
		return tap_done();
	if (!tap_ok(setup_injection() == 0, "[%s] fail-nth, failslab and fail_page_alloc set up",
		    alloc_name)) {
		d_knobs_restore(knobs, NKNOBS);
		qt_instance_remove();
		return tap_done();
	}
	if (d_loaded())
		d_force_unload();
	err = d_load("max_size=1048576");
	if (!tap_ok(!err, "[%s] load qotd.ko", alloc_name)) {
		tap_diag("finit_module: %s", strerror(err));
		goto out;
	}
	fd = q_open(0, O_RDWR);
	err = qt_write("events/qotd/enable", "1");
	if (!tap_ok(fd >= 0 && !err, "[%s] open %s, enable the qotd events", alloc_name,
		    q_node(0)))
		goto out_unload;

	failed = test_op(fd, 0, QOTD_INIT_SIZE, 0, 4096);
	failed += test_op(fd, 0, QOTD_INIT_SIZE, 1, 100000);
	failed += test_op(fd, 1, 4097, 1, QOTD_INIT_SIZE);
	tap_ok(failed > 0, "D19: [%s] fail-nth made %d of these calls fail with ENOMEM (none: nothing was tested)",
	       alloc_name, failed);

	q_discard(fd);
	close(fd);
out_unload:
	err = d_unload();
	tap_ok(!err, "[%s] unload qotd", alloc_name);
	if (d_loaded())
		d_force_unload();
out:
	d_knobs_restore(knobs, NKNOBS);
	qt_instance_remove();
	return tap_done();
}
