// SPDX-License-Identifier: GPL-2.0
/*
 * instances=4: four independent buffers (D1), each of which alone holds
 * the module while changed (D9), all nodes gone after the unload.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qtest.h"

#define N 4

static int gone(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 && errno == ENOENT;
}

static void expect_refused(const char *why)
{
	int err = q_unload();

	if (!tap_eq(err, EWOULDBLOCK, "D9: unload refused %s (EWOULDBLOCK)", why) && err == 0)
		q_load_or_bail("instances=4");
}

int main(int argc, char **argv)
{
	unsigned char want[N][1000];
	size_t want_len[N];
	int kfd, missing = 0, fd;
	char *log;

	tap_init(argc, argv);
	kfd = q_kmsg_open();
	q_load_or_bail("instances=4");
	log = kfd >= 0 ? q_kmsg_text(kfd) : NULL;
	for (int k = 0; k < N; k++) {
		struct stat st;
		char needle[32];

		if (stat(q_node(k), &st) || !S_ISCHR(st.st_mode) || (st.st_mode & 07777) != 0600)
			missing++;
		snprintf(needle, sizeof(needle), "created /dev/qotd%d", k);
		tap_eq(q_count_lines(log, needle), 1, "D14: the kernel log says \"%s\" once", needle);
	}
	free(log);
	if (kfd >= 0)
		close(kfd);
	tap_eq(missing, 0, "D1: instances=4 gives /dev/qotd0 ... /dev/qotd3, mode 0600");
	tap_ok(gone(q_node(N)), "D1: no /dev/qotd4 with instances=4");

	/* Different content in each, then one resized. */
	for (int k = 0; k < N; k++) {
		char text[32];
		int len = snprintf(text, sizeof(text), "instance %d says hello", k);

		fd = q_open(k, O_RDWR);
		tap_eq(pwrite(fd, text, (size_t)len, (off_t)k), len, "write to %s", q_node(k));
		close(fd);
		memset(want[k], 0, sizeof(want[k]));
		memcpy(want[k], q_initial, QOTD_INIT_SIZE);
		memcpy(want[k] + k, text, (size_t)len);
		want_len[k] = QOTD_INIT_SIZE;
	}
	fd = q_open(2, O_RDWR);
	tap_eq(q_ssz(fd, 1000), 0, "resize /dev/qotd2 to 1000");
	close(fd);
	want_len[2] = 1000;
	for (int k = 0; k < N; k++) {
		q_expect_content(k, want[k], want_len[k], "D1: %s holds its own content and size (%zu)",
				 q_node(k), want_len[k]);
		tap_eq(q_attr(k, "size"), (long long)want_len[k], "sysfs size of qotd%d is %zu", k,
		       want_len[k]);
		q_expect_changed(k, 1, "sysfs changed of qotd%d is 1", k);
	}
	expect_refused("with all four changed");

	/* Discard one: only that one is reset. */
	tap_eq(q_reset(2), 0, "discard /dev/qotd2");
	q_expect_content(2, q_initial, QOTD_INIT_SIZE, "D7: discard of qotd2 restores qotd2");
	for (int k = 0; k < N; k++)
		if (k != 2)
			q_expect_content(k, want[k], want_len[k],
					 "D1: discard of qotd2 leaves %s alone", q_node(k));
	for (int k = 0; k < N; k++)
		q_reset(k);

	/* Each instance alone holds the module. */
	for (int k = 0; k < N; k++) {
		char why[64];

		fd = q_open(k, O_RDWR);
		tap_eq(pwrite(fd, "!", 1, 0), 1, "write 1 byte to %s only", q_node(k));
		close(fd);
		for (int j = 0; j < N; j++)
			if (j != k && q_attr(j, "changed") != 0)
				tap_ok(0, "the write to qotd%d left qotd%d unchanged", k, j);
		snprintf(why, sizeof(why), "while only qotd%d is changed (write)", k);
		expect_refused(why);
		tap_eq(q_reset(k), 0, "discard %s", q_node(k));
	}
	fd = q_open(3, O_RDWR);
	tap_eq(q_ssz(fd, QOTD_INIT_SIZE), 0, "resize qotd3 to 128");
	close(fd);
	expect_refused("while only qotd3 is changed (resize to the same size)");
	tap_eq(q_reset(3), 0, "discard qotd3");
	fd = q_open(1, O_RDONLY);
	expect_refused("while an fd of an unchanged qotd1 is open");
	close(fd);

	for (int k = 0; k < N; k++)
		q_expect_content(k, q_initial, QOTD_INIT_SIZE, "%s is back to the initial content",
				 q_node(k));
	if (tap_eq(q_unload(), 0, "D9: unload allowed once every instance is discarded")) {
		int left = 0;

		for (int k = 0; k < N; k++) {
			char sys[64];

			snprintf(sys, sizeof(sys), "/sys/class/misc/qotd%d", k);
			left += !gone(q_node(k)) + !gone(sys);
		}
		tap_eq(left, 0, "D8: /dev/qotd0 ... /dev/qotd3 and their sysfs directories are gone");
	} else {
		q_force_cleanup();
	}
	return tap_done();
}
