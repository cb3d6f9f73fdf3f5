// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs attributes of a device: /sys/class/misc/qotd0/{size,changed,
 * allocated} track the state; they are read-only. "allocated" follows the
 * allocation strategy: whole pages (umem), byte-granular slab (kmem), slab
 * below a page and pages from a page up (auto).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qtest.h"

static const char *attrs[] = { "size", "changed", "allocated" };

static void expect_text(const char *attr, const char *want, const char *when)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/class/misc/qotd0/%s", attr);
	if (q_read_file(path, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "(unreadable: %s)", strerror(errno));
	if (!tap_ok(!strcmp(buf, want), "sysfs %s reads exactly \"%.*s\\n\" %s", attr,
		    (int)strlen(want) - 1, want, when))
		tap_diag("got \"%s\"", buf);
}

/* Whole pages for umem and for auto from a page up; a slab object otherwise. */
static void expect_allocated(long long size)
{
	long long a = q_attr(0, "allocated");
	const char *alloc = q_alloc();
	int pages = !strcmp(alloc, "umem") || (!strcmp(alloc, "auto") && size >= Q_PAGE);

	if (pages)
		tap_ok(a >= size && a % Q_PAGE == 0 && a < 2 * size + Q_PAGE,
		       "sysfs allocated for size %lld with alloc=%s is whole pages (%lld)",
		       size, alloc, a);
	else
		tap_ok(a >= size && a <= 2 * size + 8 && (size >= Q_PAGE / 2 || a < Q_PAGE),
		       "sysfs allocated for size %lld with alloc=%s is a slab object, not a page (%lld)",
		       size, alloc, a);
}

int main(int argc, char **argv)
{
	static const long long sizes[] = { 1, 100, 128, 129, 1000, 2048, 4095, 4096,
					   4097, 5000, 8192, 12289, 65536 };
	long long initial_alloc;
	int fd;

	tap_init(argc, argv);
	q_load_or_bail(NULL);

	for (size_t i = 0; i < 3; i++) {
		char path[128];
		struct stat st;

		snprintf(path, sizeof(path), "/sys/class/misc/qotd0/%s", attrs[i]);
		tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0444,
		       "sysfs %s exists with mode 0444", attrs[i]);
		tap_errno(open(path, O_WRONLY), EACCES, "sysfs %s cannot be opened for writing (EACCES)",
			  attrs[i]);
	}
	expect_text("size", "128\n", "after the load");
	expect_text("changed", "0\n", "after the load");
	expect_allocated(QOTD_INIT_SIZE);
	initial_alloc = q_attr(0, "allocated");
	if (!strcmp(q_alloc(), "umem"))
		tap_eq(initial_alloc, Q_PAGE, "umem: the 128-byte buffer takes one whole page");
	else
		tap_ok(initial_alloc >= QOTD_INIT_SIZE && initial_alloc < Q_PAGE,
		       "%s: the 128-byte buffer takes less than a page (%lld)", q_alloc(), initial_alloc);

	fd = q_open(0, O_RDWR);
	tap_eq(pwrite(fd, "x", 1, 0), 1, "write 1 byte");
	expect_text("changed", "1\n", "after a write");
	expect_text("size", "128\n", "after a write");
	tap_eq(q_discard(fd), 0, "discard");
	expect_text("changed", "0\n", "after discard");

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char want[32], when[64];

		if (q_ssz(fd, (uint64_t)sizes[i])) {
			tap_ok(0, "resize to %lld", sizes[i]);
			continue;
		}
		snprintf(want, sizeof(want), "%lld\n", sizes[i]);
		snprintf(when, sizeof(when), "after a resize to %lld", sizes[i]);
		expect_text("size", want, when);
		expect_allocated(sizes[i]);
	}
	expect_text("changed", "1\n", "after the resizes");
	tap_eq(q_discard(fd), 0, "discard");
	expect_text("size", "128\n", "after discard");
	expect_text("changed", "0\n", "after discard");
	tap_eq(q_attr(0, "allocated"), initial_alloc, "sysfs allocated after discard is as after the load");
	tap_eq(q_ssz(fd, QOTD_INIT_SIZE), 0, "resize to 128, the same size");
	expect_text("changed", "1\n", "after a resize to the same size");
	tap_eq(q_discard(fd), 0, "discard");
	close(fd);
	return q_finish(1);
}
