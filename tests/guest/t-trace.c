// SPDX-License-Identifier: GPL-2.0
/*
 * The trace events (D19), enabled through tracefs in an instance of this
 * test's own: for each operation, exactly the events it should record,
 * every field of each checked, in order.
 *
 *   load        qotd_alloc site=load with a no-sleep mask, where the
 *               kernel can enable a module's events before it loads
 *               (":mod:qotd" in set_event); elsewhere a skip that says so
 *   first write qotd_changed changed=1; a second write records nothing
 *   discard     at the initial size: qotd_discard realloc=0 and
 *               qotd_changed changed=0, no qotd_alloc, no qotd_free
 *   grow        qotd_alloc site=resize (a sleeping, charged mask),
 *   shrink      qotd_resize, qotd_changed on the first change, qotd_free
 *   same size   of what the buffer had
 *   discard     at another size: qotd_alloc site=discard, qotd_discard
 *               realloc=1, qotd_changed, qotd_free
 *   ENOMEM      a resize in a memory cgroup too small for it: qotd_alloc
 *               ok=0 bytes=0 and nothing else; the device as it was
 *   dev         a resize of the second instance names qotd1
 *
 * bytes is checked against the "allocated" attribute: after the call for
 * qotd_alloc, before it for qotd_free.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"
#include "qtrace.h"

#define INSTANCE "qotd-t-trace"
#define MAXEV 64
#define CG "qotd-t-trace"
#define LIMIT (1 << 20)
#define BIG (4 << 20)

static struct qt_event ev[MAXEV];

static const char *alloc_name;

/* "qotd_alloc dev=qotdK size=... site=SITE ok=1", every field but gfp. */
static const char *want_alloc(int k, long long size, long long bytes, const char *site, int ok)
{
	static char w[4][256];
	static int next;
	char *p = w[next++ % 4];

	snprintf(p, 256, "qotd_alloc dev=qotd%d size=%lld bytes=%lld strategy=%s gfp=* site=%s ok=%d",
		 k, size, bytes, alloc_name, site, ok);
	return p;
}

static const char *want_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *want_fmt(const char *fmt, ...)
{
	static char w[8][256];
	static int next;
	char *p = w[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, 256, fmt, ap);
	va_end(ap);
	return p;
}

/* The gfp of the qotd_alloc among n events: sleeping and charged. */
static void check_sleeping_gfp(int n, const char *what)
{
	for (int i = 0; i < n; i++) {
		const char *gfp = qt_field(&ev[i], "gfp");

		if (strcmp(ev[i].name, "qotd_alloc"))
			continue;
		if (!tap_ok(gfp && qt_gfp_named(gfp) && qt_gfp_has(gfp, "GFP_KERNEL_ACCOUNT") &&
			    qt_gfp_has(gfp, "__GFP_NOWARN"),
			    "D19: %s: qotd_alloc gfp names GFP_KERNEL_ACCOUNT and __GFP_NOWARN (%s)",
			    what, gfp ? gfp : "none"))
			qt_show(ev, n);
	}
}

/* Resize node k from a fresh fd and take the events; allocated before/after. */
static int resize(int k, long long size, long long *before, long long *after)
{
	int fd = q_open(k, O_RDWR);
	int ret;

	*before = q_attr(k, "allocated");
	ret = fd >= 0 ? q_ssz(fd, (uint64_t)size) : -1;
	if (fd >= 0)
		close(fd);
	*after = q_attr(k, "allocated");
	return ret;
}

static void test_resize(long long from, long long to, int first_change, const char *what)
{
	long long before, after;
	int ret, n;

	qt_clear();
	ret = resize(0, to, &before, &after);
	n = qt_take(ev, MAXEV);
	if (!tap_eq(ret, 0, "%s: resize %lld -> %lld", what, from, to))
		return;
	if (first_change)
		qt_expect(ev, n, (const char *const[]){
				  want_alloc(0, to, after, "resize", 1),
				  want_fmt("qotd_resize dev=qotd0 old=%lld new=%lld", from, to),
				  "qotd_changed dev=qotd0 changed=1",
				  want_fmt("qotd_free dev=qotd0 bytes=%lld", before),
				  NULL },
			  "D19: %s %lld -> %lld: qotd_alloc, qotd_resize, qotd_changed, qotd_free of the old %lld bytes",
			  what, from, to, before);
	else
		qt_expect(ev, n, (const char *const[]){
				  want_alloc(0, to, after, "resize", 1),
				  want_fmt("qotd_resize dev=qotd0 old=%lld new=%lld", from, to),
				  want_fmt("qotd_free dev=qotd0 bytes=%lld", before),
				  NULL },
			  "D19: %s %lld -> %lld: qotd_alloc, qotd_resize, qotd_free of the old %lld bytes",
			  what, from, to, before);
	check_sleeping_gfp(n, what);
}

static void test_discard(long long from, int changed)
{
	long long before = q_attr(0, "allocated"), after;
	int fd = q_open(0, O_RDWR), ret, n;

	qt_clear();
	ret = fd >= 0 ? q_discard(fd) : -1;
	if (fd >= 0)
		close(fd);
	after = q_attr(0, "allocated");
	n = qt_take(ev, MAXEV);
	if (!tap_eq(ret, 0, "discard at size %lld", from))
		return;
	if (from == QOTD_INIT_SIZE) {
		if (changed)
			qt_expect(ev, n, (const char *const[]){
					  "qotd_discard dev=qotd0 old=128 realloc=0",
					  "qotd_changed dev=qotd0 changed=0",
					  NULL },
				  "D19: discard at the initial size: qotd_discard realloc=0, qotd_changed changed=0, no qotd_alloc or qotd_free");
		else
			qt_expect(ev, n, (const char *const[]){
					  "qotd_discard dev=qotd0 old=128 realloc=0",
					  NULL },
				  "D19: discard at the initial size, unchanged: qotd_discard realloc=0 alone");
		return;
	}
	qt_expect(ev, n, (const char *const[]){
			  want_alloc(0, QOTD_INIT_SIZE, after, "discard", 1),
			  want_fmt("qotd_discard dev=qotd0 old=%lld realloc=1", from),
			  "qotd_changed dev=qotd0 changed=0",
			  want_fmt("qotd_free dev=qotd0 bytes=%lld", before),
			  NULL },
		  "D19: discard at size %lld: qotd_alloc site=discard, qotd_discard realloc=1, qotd_changed changed=0, qotd_free of %lld bytes",
		  from, before);
	check_sleeping_gfp(n, "discard");
}

static void test_writes(void)
{
	int fd = q_open(0, O_RDWR), n;

	qt_clear();
	tap_eq(fd >= 0 ? pwrite(fd, "X", 1, 0) : -1, 1, "write 1 byte");
	n = qt_take(ev, MAXEV);
	qt_expect(ev, n, (const char *const[]){ "qotd_changed dev=qotd0 changed=1", NULL },
		  "D19: the first write records qotd_changed changed=1 and nothing else");
	tap_eq(fd >= 0 ? pwrite(fd, "Y", 1, 1) : -1, 1, "write 1 more byte");
	n = qt_take(ev, MAXEV);
	qt_expect(ev, n, (const char *const[]){ NULL },
		  "D19: a second write records nothing (changed does not flip)");
	if (fd >= 0)
		close(fd);
}

/* ---- a failed allocation: a resize charged to a small memory cgroup ---- */

/* Resize node 0 to BIG from a child in the cgroup; its errno, or -1. */
static int resize_in_cgroup(void)
{
	int p[2], res = -1, status;
	pid_t pid;

	if (pipe(p))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd, err = -1;

		close(p[0]);
		/* Out of the OOM killer's reach: the charge simply fails. */
		fd = q_open(0, O_RDWR);
		if (fd >= 0 && !q_write_file("/proc/self/oom_score_adj", "-1000") &&
		    !q_memcg_enter(CG))
			err = q_ssz(fd, BIG) ? errno : 0;
		if (write(p[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &res, sizeof(res)) != sizeof(res))
		res = -1;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return res;
}

static void test_enomem(void)
{
	long long size = q_size_of(0), allocated = q_attr(0, "allocated");
	long long changed = q_attr(0, "changed");
	unsigned char before[QOTD_INIT_SIZE], after[QOTD_INIT_SIZE];
	int mounted = 0, err, n, fd = q_open(0, O_RDONLY);

	if (!tap_ok(fd >= 0 && size == QOTD_INIT_SIZE && pread(fd, before, sizeof(before), 0) ==
						     (ssize_t)sizeof(before),
		    "ENOMEM: read the device first")) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (!tap_ok(q_memcg_create(CG, LIMIT, &mounted) == 0, "ENOMEM: a memory cgroup with memory.max = %d",
		    LIMIT)) {
		close(fd);
		return;
	}
	qt_clear();
	err = resize_in_cgroup();
	n = qt_take(ev, MAXEV);
	tap_eq(err, ENOMEM, "ENOMEM: a resize to %d bytes in the cgroup fails with ENOMEM", BIG);
	qt_expect(ev, n, (const char *const[]){ want_alloc(0, BIG, 0, "resize", 0), NULL },
		  "D19: a failed allocation records qotd_alloc ok=0 bytes=0 and nothing else");
	check_sleeping_gfp(n, "failed resize");
	tap_ok(pread(fd, after, sizeof(after), 0) == (ssize_t)sizeof(after) &&
	       !memcmp(before, after, sizeof(before)) && q_size_of(0) == size &&
	       q_attr(0, "allocated") == allocated && q_attr(0, "changed") == changed,
	       "ENOMEM: size, content, allocated and changed are as they were");
	close(fd);
	q_memcg_remove(CG, mounted);
}

/* ---- load ----------------------------------------------------------------- */

/*
 * The load's allocation can only be seen if the events are enabled before
 * the module exists: ":mod:qotd" in set_event, which newer kernels keep
 * for a module that is not loaded yet (their tracefs README says "Can
 * enable module events via: :mod:"; 6.1's names ":mod:" only for
 * set_ftrace_filter). Returns whether that is armed.
 */
static int arm_load_events(void)
{
	int has = qt_readme_has("Can enable module events via: :mod:");
	int err = qt_write("set_event", ":mod:qotd");

	if (!has && err) {
		tap_ok(1, "# SKIP D19: the load's qotd_alloc: this kernel's tracefs cannot enable the events of a module before it loads (its README does not offer \":mod:\" for set_event; writing \":mod:qotd\" to set_event: %s)",
		       strerror(err));
		return 0;
	}
	if (!tap_ok(!err, "D19: \":mod:qotd\" written to set_event before the load (the README offers it)"))
		tap_diag("set_event: %s", strerror(err));
	return !err;
}

static void check_load_events(void)
{
	long long allocated[2] = { q_attr(0, "allocated"), q_attr(1, "allocated") };
	int n = qt_take(ev, MAXEV);

	if (!qt_expect(ev, n, (const char *const[]){
			       want_alloc(0, QOTD_INIT_SIZE, allocated[0], "load", 1),
			       want_alloc(1, QOTD_INIT_SIZE, allocated[1], "load", 1),
			       NULL },
		       "D19: the load records qotd_alloc site=load for qotd0 and qotd1"))
		return;
	for (int i = 0; i < n; i++) {
		const char *gfp = qt_field(&ev[i], "gfp");

		/*
		 * No __GFP_NOWARN demanded: newer kernels (6.12 and 7.3 here)
		 * put it in GFP_NOWAIT itself, and show_gfp_flags() then
		 * names GFP_NOWAIT alone.
		 */
		tap_ok(gfp && qt_gfp_named(gfp) && qt_gfp_has(gfp, "GFP_NOWAIT") &&
		       !qt_gfp_has(gfp, "GFP_KERNEL") && !qt_gfp_has(gfp, "GFP_KERNEL_ACCOUNT") &&
		       !qt_gfp_has(gfp, "GFP_ATOMIC") && !qt_gfp_has(gfp, "__GFP_DIRECT_RECLAIM"),
		       "D19: the load's allocation for qotd%d must not sleep: gfp names GFP_NOWAIT and nothing that reclaims or dips into reserves (%s)",
		       i, gfp ? gfp : "none");
	}
}

int main(int argc, char **argv)
{
	static const char *const events[] = { "qotd_alloc", "qotd_free", "qotd_resize",
					      "qotd_discard", "qotd_changed" };
	char why[200], path[160];
	const char *root;
	long long before, after;
	int armed, err, n;

	tap_init(argc, argv);
	alloc_name = q_alloc();
	root = qt_tracefs(why, sizeof(why));
	if (!root) {
		tap_ok(1, "# SKIP D19: trace events: %s", why);
		return tap_done();
	}
	err = qt_instance(INSTANCE);
	if (!tap_ok(!err, "tracefs instance %s/instances/%s", root, INSTANCE)) {
		tap_diag("mkdir: %s", strerror(err));
		return tap_done();
	}

	armed = arm_load_events();
	q_load_or_bail("instances=2 max_size=16777216");
	if (armed)
		check_load_events();

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/qotd/%s/format", root, events[i]);
		tap_ok(access(path, R_OK) == 0, "D19: tracefs has the event qotd:%s", events[i]);
	}
	err = qt_write("events/qotd/enable", "1");
	if (!tap_ok(!err, "D19: enable the qotd events in the instance")) {
		tap_diag("events/qotd/enable: %s", strerror(err));
		q_force_cleanup();
		qt_instance_remove();
		return tap_done();
	}
	qt_clear();

	test_writes();
	test_discard(QOTD_INIT_SIZE, 1);
	test_discard(QOTD_INIT_SIZE, 0);
	test_resize(QOTD_INIT_SIZE, 5000, 1, "grow");
	test_resize(5000, 100, 0, "shrink");
	test_resize(100, 100, 0, "same size");
	test_resize(100, 70000, 0, "grow past a page");
	test_discard(70000, 1);
	test_enomem();

	/* The other instance: dev names it. */
	qt_clear();
	err = resize(1, 4096, &before, &after);
	n = qt_take(ev, MAXEV);
	if (tap_eq(err, 0, "resize qotd1 to 4096"))
		qt_expect(ev, n, (const char *const[]){
				  want_alloc(1, 4096, after, "resize", 1),
				  "qotd_resize dev=qotd1 old=128 new=4096",
				  "qotd_changed dev=qotd1 changed=1",
				  want_fmt("qotd_free dev=qotd1 bytes=%lld", before),
				  NULL },
			  "D19: events of qotd1 name dev=qotd1");
	q_reset(1);
	n = qt_take(ev, MAXEV);
	qt_expect(ev, n, (const char *const[]){
			  want_alloc(1, QOTD_INIT_SIZE, q_attr(1, "allocated"), "discard", 1),
			  "qotd_discard dev=qotd1 old=4096 realloc=1",
			  "qotd_changed dev=qotd1 changed=0",
			  want_fmt("qotd_free dev=qotd1 bytes=%lld", after),
			  NULL },
		  "D19: discard of qotd1 at 4096 bytes");

	/* Disabled, the same calls record nothing. */
	qt_write("events/qotd/enable", "0");
	resize(0, 300, &before, &after);
	q_reset(0);
	n = qt_take(ev, MAXEV);
	qt_expect(ev, n, (const char *const[]){ NULL },
		  "D19: with the events disabled a resize and a discard record nothing");

	n = q_finish(2);
	qt_instance_remove();
	return n;
}
