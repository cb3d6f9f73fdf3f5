// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading: the node (D1), the kernel log (D14), the
 * parameters, refused and allowed unloads (D9), bad parameters (D8).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "qtest.h"

static int gone(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 && errno == ENOENT;
}

/* Unload refused: delete_module fails with EWOULDBLOCK, rmmod exits non-zero. */
static void expect_refused(const char *why)
{
	static const char *const rmmod[] = { "rmmod", "qotd", NULL };
	int err = q_unload();
	int rc;

	tap_ok(err == EWOULDBLOCK, "D9: unload refused %s (delete_module: EWOULDBLOCK)", why);
	if (err != EWOULDBLOCK)
		tap_diag("delete_module gave %s", err ? strerror(err) : "success");
	if (err == 0) {
		/* Unloaded after all: load again so the test can go on. */
		q_load_or_bail(NULL);
		return;
	}
	rc = q_run(rmmod);
	tap_ok(rc != 0 && rc != 127 && q_loaded(),
	       "D9: rmmod qotd exits non-zero %s and the module stays (exit %d)", why, rc);
	if (rc == 0)
		q_load_or_bail(NULL);
	tap_ok(!gone(q_node(0)), "D9: %s is still there after the refused unload (%s)",
	       q_node(0), why);
}

static void expect_unloads(const char *why, int instances)
{
	int err = q_unload();

	if (!tap_ok(err == 0, "D9: unload allowed %s", why))
		tap_diag("delete_module: %s", strerror(err));
	tap_ok(!q_loaded(), "D9: qotd is not in /proc/modules after the unload (%s)", why);
	for (int k = 0; k < instances; k++) {
		char sys[64];

		snprintf(sys, sizeof(sys), "/sys/class/misc/qotd%d", k);
		if (!gone(q_node(k)) || !gone(sys)) {
			tap_ok(0, "D8: %s and %s are gone after the unload (%s)",
			       q_node(k), sys, why);
			return;
		}
	}
	tap_ok(1, "D8: every node and its sysfs directory is gone after the unload (%s)", why);
	if (err)
		q_force_cleanup();
}

static void check_node(void)
{
	struct stat st;
	char dev[32], want[32];
	int r = stat(q_node(0), &st);

	if (!tap_ok(r == 0, "D1: /dev/qotd0 exists after the load"))
		return;
	tap_ok(S_ISCHR(st.st_mode), "D1: /dev/qotd0 is a character device");
	tap_eq(st.st_mode & 07777, 0600, "D1: /dev/qotd0 has mode 0600");
	tap_ok(st.st_uid == 0 && st.st_gid == 0, "D1: /dev/qotd0 is owned by root:root (%u:%u)",
	       (unsigned int)st.st_uid, (unsigned int)st.st_gid);
	tap_eq(major(st.st_rdev), 10, "D1: /dev/qotd0 is a misc device (major 10)");
	snprintf(want, sizeof(want), "%u:%u\n", major(st.st_rdev), minor(st.st_rdev));
	if (q_read_file("/sys/class/misc/qotd0/dev", dev, sizeof(dev)) < 0)
		dev[0] = '\0';
	tap_ok(!strcmp(dev, want), "D1: /dev/qotd0 matches /sys/class/misc/qotd0/dev");
	tap_ok(gone(q_node(1)), "D1: no /dev/qotd1 with instances=1");
}

static void check_params(void)
{
	static const char *const names[] = { "instances", "max_size", "alloc" };
	char alloc[32] = "";

	tap_eq(q_param("instances"), 1, "parameter instances defaults to 1");
	tap_eq(q_param("max_size"), QOTD_DEFAULT_MAX_SIZE, "parameter max_size defaults to 65536");
	q_param_str("alloc", alloc, sizeof(alloc));
	tap_ok(!strcmp(alloc, q_alloc()), "parameter alloc reads back '%s' (got '%s')",
	       q_alloc(), alloc);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[128];
		struct stat st;

		snprintf(path, sizeof(path), "/sys/module/qotd/parameters/%s", names[i]);
		tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0444,
		       "parameter %s is read-only (0444)", names[i]);
	}
}

static void bad_param(const char *param)
{
	const char *base = getenv("QOTD_INSMOD_ARGS");
	char params[256];
	int rc, err;

	rc = q_insmod(param);
	tap_ok(rc != 0 && rc != 127 && !q_loaded() && gone(q_node(0)),
	       "D8: insmod with %s fails and leaves no module and no node (exit %d)",
	       param, rc);
	if (q_loaded())
		q_force_cleanup();
	snprintf(params, sizeof(params), "%s %s", base ? base : "", param);
	err = q_finit(params);
	if (!tap_eq(err, EINVAL, "D8: finit_module with %s fails with EINVAL", param))
		tap_diag("finit_module: %s", err ? strerror(err) : "success");
	if (q_loaded())
		q_force_cleanup();
}

static void many_instances(void)
{
	int kfd = q_kmsg_open();
	int missing = 0, unlogged = 0;
	char *log;

	q_load_or_bail("instances=64");
	log = kfd >= 0 ? q_kmsg_text(kfd) : NULL;
	tap_eq(q_param("instances"), 64, "instances=64: the parameter reads back 64");
	for (int k = 0; k < 64; k++) {
		char needle[32];
		struct stat st;

		if (stat(q_node(k), &st) || !S_ISCHR(st.st_mode)) {
			missing++;
			tap_diag("%s is missing", q_node(k));
		}
		snprintf(needle, sizeof(needle), "created /dev/qotd%d", k);
		if (q_count_lines(log, needle) != 1) {
			unlogged++;
			tap_diag("\"%s\" is not in the log exactly once", needle);
		}
	}
	tap_eq(missing, 0, "D1: instances=64 creates /dev/qotd0 ... /dev/qotd63");
	tap_ok(gone(q_node(64)), "D1: no /dev/qotd64 with instances=64");
	tap_ok(log && unlogged == 0,
	       "D14: the kernel log names each of the 64 nodes once (\"created /dev/qotdK\")");
	free(log);
	if (kfd >= 0)
		close(kfd);
	expect_unloads("with 64 unchanged instances", 64);
}

int main(int argc, char **argv)
{
	unsigned char buf[256];
	int kfd, fd;
	long long n;

	tap_init(argc, argv);
	if (!tap_ok(access(q_ko(), R_OK) == 0, "module file %s is readable", q_ko()))
		return tap_done();

	kfd = q_kmsg_open();
	q_load_or_bail(NULL);
	check_node();
	if (tap_ok(kfd >= 0, "D14: /dev/kmsg can be read")) {
		char *log = q_kmsg_text(kfd);

		tap_eq(q_count_lines(log, "created /dev/qotd0"), 1,
		       "D14: the kernel log says \"created /dev/qotd0\" once");
		free(log);
		close(kfd);
	}
	check_params();

	tap_ok(q_insmod(NULL) != 0 && q_loaded() && !gone(q_node(0)),
	       "a second insmod fails and the loaded module stays");

	/* An open fd holds the module. */
	fd = q_open(0, O_RDONLY);
	tap_ok(fd >= 0, "open /dev/qotd0 read-only");
	expect_refused("while an fd is open");
	close(fd);

	/* A zero-length write is no change (D3). */
	fd = q_open(0, O_RDWR);
	tap_eq(write(fd, "x", 0), 0, "D3: a zero-length write returns 0");
	close(fd);
	q_expect_changed(0, 0, "D3: a zero-length write does not set changed");
	expect_unloads("after a zero-length write", 1);

	/* A write holds the module until discard. */
	q_load_or_bail(NULL);
	fd = q_open(0, O_RDWR);
	tap_eq(pwrite(fd, "W", 1, 3), 1, "write one byte");
	close(fd);
	expect_refused("after a 1-byte write");
	memcpy(buf, q_initial, QOTD_INIT_SIZE);
	buf[3] = 'W';
	q_expect_content(0, buf, QOTD_INIT_SIZE, "D9: the refused unloads kept the written data");
	tap_eq(q_reset(0), 0, "discard");
	expect_unloads("after discard", 1);

	/* A resize alone holds it too, also to the same size (D6). */
	q_load_or_bail(NULL);
	fd = q_open(0, O_RDWR);
	tap_eq(q_ssz(fd, 256), 0, "resize to 256");
	expect_refused("after a resize alone");
	tap_eq(q_discard(fd), 0, "discard");
	tap_eq(q_ssz(fd, QOTD_INIT_SIZE), 0, "resize to the same size, 128");
	q_expect_changed(0, 1, "D6: a resize to the same size sets changed");
	close(fd);
	expect_refused("after a resize to the same size");
	tap_eq(q_reset(0), 0, "discard");
	expect_unloads("after resize and discard", 1);

	/* Bad parameters: the load fails, nothing is left. */
	bad_param("alloc=bogus");
	bad_param("alloc=");
	bad_param("instances=0");
	bad_param("instances=65");
	bad_param("instances=-1");
	bad_param("max_size=1");
	bad_param("max_size=127");
	bad_param("max_size=1073741825");

	/* The limits themselves are accepted. */
	q_load_or_bail("max_size=128");
	tap_eq(q_param("max_size"), 128, "max_size=128 is accepted and reads back");
	fd = q_open(0, O_RDWR);
	tap_errno(q_ssz(fd, 129), EINVAL, "D6: with max_size=128, resize to 129 fails with EINVAL");
	close(fd);
	expect_unloads("with max_size=128", 1);

	q_load_or_bail("max_size=1073741824");
	n = q_param("max_size");
	tap_eq(n, 1073741824LL, "max_size=1073741824 (1 GiB) is accepted and reads back");
	expect_unloads("with max_size=1073741824", 1);

	many_instances();

	/* A load after all the failures works as the first one did. */
	q_load_or_bail(NULL);
	q_expect_content(0, q_initial, QOTD_INIT_SIZE,
			 "D2: after the failed loads a new load gives the initial 128 bytes");
	return q_finish(1);
}
