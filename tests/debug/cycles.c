// SPDX-License-Identifier: GPL-2.0
/*
 * Load/unload cycles: COUNT times (default 200) load qotd.ko and unload it
 * again, in four kinds taken in turn, each with 1 to 4 instances and the
 * allocation strategies umem, kmem and auto in turn:
 *
 *   plain    load, unload
 *   open     load, open a node, unload refused (EWOULDBLOCK), close, unload
 *   write    load, write, unload refused, discard, unload
 *   resize   load, resize (sometimes to a size that needs vmalloc), write,
 *            unload refused, discard, unload
 *
 * After each: the module is gone and no /dev/qotd* or /sys/class/misc/qotd*
 * is left. Whether memory leaked is for kmemleak to say (run-all.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtest.h"

enum kind { K_PLAIN, K_OPEN, K_WRITE, K_RESIZE, NKINDS };
static const char *const kind_names[NKINDS] = { "plain", "open", "write", "resize" };
static const char *const allocs[] = { "umem", "kmem", "auto" };
static const uint64_t resize_to[] = { 1, 200, 4096, 5000, 100000, 300000 };

/* One cycle; NULL if all went as it should, else what did not. */
static const char *cycle(int i, enum kind kind)
{
	static char why[300];
	int instances = 1 + (i / NKINDS) % 4, k = i % instances, fd = -1, err;
	char extra[96];

	snprintf(extra, sizeof(extra), "alloc=%s instances=%d max_size=1048576",
		 allocs[(i / (NKINDS * 4)) % 3], instances);
	err = d_load(extra);
	if (err) {
		snprintf(why, sizeof(why), "load %s: %s", extra, strerror(err));
		return why;
	}
	why[0] = '\0';
	if (kind != K_PLAIN) {
		fd = q_open(k, O_RDWR);
		if (fd < 0) {
			snprintf(why, sizeof(why), "open %s: %s", q_node(k), strerror(errno));
			goto out;
		}
	}
	if (kind == K_RESIZE && q_ssz(fd, resize_to[(i / NKINDS) % 6])) {
		snprintf(why, sizeof(why), "resize %s to %llu: %s", q_node(k),
			 (unsigned long long)resize_to[(i / NKINDS) % 6], strerror(errno));
		goto out;
	}
	if ((kind == K_WRITE || kind == K_RESIZE) && pwrite(fd, "cycle", 1, 0) != 1) {
		snprintf(why, sizeof(why), "write %s: %s", q_node(k), strerror(errno));
		goto out;
	}
	if (kind != K_PLAIN) {
		err = d_unload();
		if (err != EWOULDBLOCK) {
			snprintf(why, sizeof(why), "unload while %s: %s, not EWOULDBLOCK",
				 kind == K_OPEN ? "open" : "open and changed",
				 err ? strerror(err) : "it worked");
			fd = -1;	/* gone with the module, if it unloaded */
			goto out;
		}
	}
	if (kind == K_WRITE || kind == K_RESIZE) {
		if (q_discard(fd)) {
			snprintf(why, sizeof(why), "discard %s: %s", q_node(k), strerror(errno));
			goto out;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	if (d_loaded()) {
		err = d_unload();
		if (err && !why[0])
			snprintf(why, sizeof(why), "unload: %s", strerror(err));
	}
	if (d_loaded()) {
		d_force_unload();
		if (!why[0])
			snprintf(why, sizeof(why), "still loaded after unload");
	}
	if (!why[0] && d_leftovers(why, sizeof(why)))
		return why;
	return why[0] ? why : NULL;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 200, bad = 0, done[NKINDS] = { 0 };
	double t0;

	d_init("cycles: ");
	if (d_loaded())
		d_force_unload();
	t0 = d_now();
	for (int i = 0; i < count; i++) {
		enum kind kind = (enum kind)(i % NKINDS);
		const char *why = cycle(i, kind);

		if (why) {
			if (bad++ < 10)
				d_diag("cycle %d (%s): %s", i + 1, kind_names[kind], why);
		} else {
			done[kind]++;
		}
	}
	d_diag("%d load/unload cycles in %.1f s: plain %d, open %d, write %d, resize %d done cleanly",
	       count, d_now() - t0, done[K_PLAIN], done[K_OPEN], done[K_WRITE], done[K_RESIZE]);
	d_ok(count > 0 && !bad, "%d load/unload cycles (plain, with an open fd, with a write, with a resize) all clean (%d not)",
	     count, bad);
	return d_done();
}
