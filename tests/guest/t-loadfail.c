// SPDX-License-Identifier: GPL-2.0
/*
 * A load whose buffer allocation fails (D8, D14), with the kernel's fault
 * injection: only in this process, only allocations that must not sleep,
 * which is what the load's buffer allocation is. Under umem the buffer is
 * whole pages from the page allocator (fail_page_alloc), otherwise a slab
 * object (failslab). The load fails with ENOMEM, leaves no module and no
 * node, and the log names the instance. With instances=3 and a later
 * buffer failing, no node was ever created: the nodes are registered
 * after every buffer exists.
 *
 * Kernels without fault injection (Debian's) report the cases as skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qtest.h"

#define FAILSLAB "/sys/kernel/debug/failslab/"
#define FAILPAGE "/sys/kernel/debug/fail_page_alloc/"

static int umem;
static char fs[64];	/* the fault injector's directory */

static const char *attr(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s%s", fs, name);
	return path;
}

static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = write(fd, text, strlen(text));
		close(fd);
	}
	if (n != (ssize_t)strlen(text)) {
		tap_diag("write '%s' to %s: %s", text, path, strerror(errno));
		return -1;
	}
	return 0;
}

static int gone(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 && errno == ENOENT;
}

/* The log since fd was opened, a line per record: "LEVEL text". */
static char *log_since(int fd)
{
	size_t len = 0, cap = 65536;
	char *text = calloc(1, cap), rec[8192], *msg;
	int level;

	while (text && fd >= 0 && (msg = q_kmsg_next(fd, rec, sizeof(rec), &level))) {
		if (len + strlen(msg) + 4 >= cap)
			break;
		len += (size_t)snprintf(text + len, cap - len, "%d %s\n", level, msg);
	}
	return text;
}

/* Lines of a log_since() text at warning level or above that contain needle. */
static int warnings_with(const char *log, const char *needle)
{
	int count = 0;

	for (const char *l = log; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		const char *hit = strstr(l, needle);

		if (l[0] >= '0' && l[0] <= '4' && hit && hit < eol) {
			tap_diag("log: %.*s", (int)(eol - l), l);
			count++;
		}
		l = *eol ? eol + 1 : eol;
	}
	return count;
}

/*
 * Arm the injector for this process: every allocation that must not sleep
 * fails, once `space` bytes' (failslab) or pages' (fail_page_alloc) worth
 * of them smaller than `space` went through. Other such allocations of a
 * load (kernfs' radix tree nodes) have a fallback; the buffers of the
 * instances have none.
 */
static int arm(long space)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld", space);
	if (umem ? put(attr("min-order"), "0") || put(attr("ignore-gfp-highmem"), "N") :
		   put(attr("cache-filter"), "N"))
		return -1;
	return put(attr("task-filter"), "Y") || put(attr("ignore-gfp-wait"), "Y") ||
	       put(attr("interval"), "1") || put(attr("times"), "-1") ||
	       put(attr("space"), text) || put(attr("verbose"), "0") ||
	       put(attr("probability"), "100");
}

static void disarm(void)
{
	put("/proc/self/make-it-fail", "0");
	put(attr("probability"), "0");
	put(attr("space"), "0");
	put(attr("times"), "1");
	put(attr("task-filter"), "N");
}

/* Load with instances=n while failslab is armed; the errno of finit_module. */
static int failing_load(int n, long space, int *loaded)
{
	char params[128];
	const char *base = getenv("QOTD_INSMOD_ARGS");
	int err;

	snprintf(params, sizeof(params), "%s instances=%d", base ? base : "", n);
	if (arm(space) || put("/proc/self/make-it-fail", "1")) {
		disarm();
		return -1;
	}
	err = q_finit(params);
	disarm();
	*loaded = q_loaded();
	return err;
}

int main(int argc, char **argv)
{
	/*
	 * What one buffer takes of the injector's budget: failslab counts
	 * bytes (a 128-byte object), fail_page_alloc pages (umem's one page).
	 */
	long object;
	int kfd, err, loaded = 0, nodes = 0;
	char *log;

	tap_init(argc, argv);
	umem = !strcmp(q_alloc(), "umem");
	object = umem ? 1 : QOTD_INIT_SIZE;
	snprintf(fs, sizeof(fs), "%s", umem ? FAILPAGE : FAILSLAB);
	if (access(attr("probability"), W_OK)) {
		tap_ok(1, "D8: load with a failing buffer allocation # SKIP no %s in this kernel", fs);
		return tap_done();
	}
	if (q_loaded())
		q_force_cleanup();

	kfd = q_kmsg_open();
	err = failing_load(1, 0, &loaded);
	log = log_since(kfd);
	if (!tap_eq(err, ENOMEM, "D8: the load fails with ENOMEM when the buffer allocation fails"))
		tap_diag("finit_module: %s", err > 0 ? strerror(err) : err ? "setup failed" : "success");
	tap_ok(!loaded && gone(q_node(0)) && gone("/sys/class/misc/qotd0"),
	       "D8: the failed load leaves no module and no /dev/qotd0");
	tap_ok(warnings_with(log, "qotd0") >= 1,
	       "D14: a warning in the kernel log names qotd0, whose allocation failed");
	free(log);
	if (kfd >= 0)
		close(kfd);
	if (loaded)
		q_force_cleanup();

	/*
	 * A later buffer of three fails: the ones before are freed, no node
	 * ever appears. The budget lets one buffer through, but a debug
	 * kernel's own bookkeeping may take from it first, without sleeping:
	 * under umem the stack depot of KASAN takes pages now and then (6.1
	 * and 7.3), under kmem and auto something of the 7.3 debug kernel's
	 * load takes slab memory. Which buffer fails is then not known, but
	 * exactly one does, and the load stops there. (failnth fails each
	 * buffer of a four-instance load in turn.)
	 */
	kfd = q_kmsg_open();
	err = failing_load(3, umem ? 3 : object + 1, &loaded);
	log = log_since(kfd);
	tap_eq(err, ENOMEM, "D8: with instances=3 and one buffer failing the load fails with ENOMEM");
	for (int k = 0; k < 3; k++)
		nodes += !gone(q_node(k));
	tap_ok(!loaded && nodes == 0, "D8: the failed load leaves no module and none of the 3 nodes");
	if (!tap_eq(warnings_with(log, "cannot allocate"), 1,
		    "D14: one warning names the instance whose allocation failed"))
		tap_diag("the load's log: %s", log ? log : "(none)");
	tap_eq(q_count_lines(log, "created /dev/qotd0"), 0,
	       "D8: no node was registered before every buffer existed (no \"created /dev/qotd0\")");
	free(log);
	if (kfd >= 0)
		close(kfd);
	if (loaded)
		q_force_cleanup();

	q_load_or_bail(NULL);
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "after the failed loads a load works as usual");
	return q_finish(1);
}
