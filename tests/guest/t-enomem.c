// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure of set size (D6): the new buffer is charged to the
 * caller's memory cgroup, so a resize from a process in a cgroup with a
 * small memory.max fails with ENOMEM, and size, content and "changed" are
 * untouched. The same resize from outside that cgroup succeeds.
 *
 * Twice: from a process with oom_score_adj -1000, which the memory cgroup's
 * OOM killer cannot pick, and from an ordinary one, which must get ENOMEM
 * too rather than be killed for asking too much.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG CG_ROOT "/qotd-enomem"
#define LIMIT (1 << 20)
#define TARGET (4 << 20)
#define START 1000

static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Set up the limited cgroup; 0, or -1 with a reason. */
static int setup_cgroup(int *mounted)
{
	char buf[256], limit[32];

	if (access(CG_ROOT "/cgroup.controllers", F_OK)) {
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL)) {
			tap_diag("mount cgroup2 on %s: %s", CG_ROOT, strerror(errno));
			return -1;
		}
		*mounted = 1;
	}
	if (q_read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "memory")) {
		tap_diag("no memory controller in %s/cgroup.controllers", CG_ROOT);
		return -1;
	}
	if (put(CG_ROOT "/cgroup.subtree_control", "+memory")) {
		tap_diag("enable the memory controller: %s", strerror(errno));
		return -1;
	}
	rmdir(CG);
	if (mkdir(CG, 0755)) {
		tap_diag("mkdir %s: %s", CG, strerror(errno));
		return -1;
	}
	snprintf(limit, sizeof(limit), "%d", LIMIT);
	if (put(CG "/memory.max", limit)) {
		tap_diag("set memory.max: %s", strerror(errno));
		return -1;
	}
	put(CG "/memory.swap.max", "0");
	return 0;
}

/*
 * Resize to TARGET from a child in the limited cgroup with the given
 * oom_score_adj; res: the ioctl's result and errno (-3: could not set up,
 * -4: no answer), status: the child's wait status.
 */
static void resize_in_cgroup(int fd, const char *oom_adj, int res[2], int *status)
{
	int p[2];
	pid_t pid;

	res[0] = -4;
	res[1] = 0;
	*status = 0;
	if (pipe(p))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char me[32];

		close(p[0]);
		snprintf(me, sizeof(me), "%d", (int)getpid());
		if (put("/proc/self/oom_score_adj", oom_adj) || put(CG "/cgroup.procs", me)) {
			res[0] = -3;
			res[1] = errno;
		} else {
			res[0] = q_ssz(fd, TARGET);
			res[1] = res[0] ? errno : 0;
		}
		if (write(p[1], res, 2 * sizeof(int)) != 2 * sizeof(int))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], res, 2 * sizeof(int)) != 2 * sizeof(int)) {
		res[0] = -4;
		res[1] = 0;
	}
	close(p[0]);
	if (pid > 0)
		waitpid(pid, status, 0);
}

static void show_events(void)
{
	char ev[512];

	if (q_read_file(CG "/memory.events", ev, sizeof(ev)) > 0)
		for (char *l = strtok(ev, "\n"); l; l = strtok(NULL, "\n"))
			if (strncmp(l, "oom", 3) == 0)
				tap_diag("memory.events: %s", l);
}

int main(int argc, char **argv)
{
	unsigned char pat[START];
	long long allocated;
	int fd, mounted = 0, res[2], status;

	tap_init(argc, argv);
	q_load_or_bail("max_size=16777216");
	fd = q_open(0, O_RDWR);
	for (int i = 0; i < START; i++)
		pat[i] = (unsigned char)(i % 200 + 1);
	if (!tap_ok(fd >= 0 && q_ssz(fd, START) == 0 && pwrite(fd, pat, START, 0) == START,
		    "resize to %d and fill it", START)) {
		q_force_cleanup();
		return tap_done();
	}
	allocated = q_attr(0, "allocated");

	if (!tap_ok(setup_cgroup(&mounted) == 0, "a memory cgroup with memory.max = %d", LIMIT)) {
		q_reset(0);
		close(fd);
		return q_finish(1);
	}

	/*
	 * Shielded from the OOM killer, the charge fails: ENOMEM. (The kernel
	 * log then shows an OOM report with no process to kill: expected.)
	 */
	resize_in_cgroup(fd, "-1000", res, &status);
	if (res[0] == -3)
		tap_diag("the child could not enter the cgroup: %s", strerror(res[1]));
	tap_ok(res[0] == -1 && res[1] == ENOMEM,
	       "D6: resize to %d bytes in a cgroup limited to %d fails with ENOMEM (got %d, %s)",
	       TARGET, LIMIT, res[0], res[0] == -1 ? strerror(res[1]) : "-");
	show_events();
	q_expect_content(0, pat, START, "D6: after ENOMEM the size and content are untouched");
	q_expect_changed(0, 1, "D6: after ENOMEM changed is still 1");
	tap_eq(q_attr(0, "allocated"), allocated, "D6: after ENOMEM the same buffer is installed");

	/*
	 * An ordinary caller: asking for too much must fail the call, not get
	 * the caller killed by the memory cgroup's OOM killer.
	 */
	resize_in_cgroup(fd, "0", res, &status);
	if (WIFSIGNALED(status))
		tap_diag("the caller was killed by signal %d", WTERMSIG(status));
	tap_ok(res[0] == -1 && res[1] == ENOMEM && WIFEXITED(status),
	       "D6: the same resize from a caller the OOM killer may pick fails with ENOMEM, the caller lives");
	show_events();
	q_expect_content(0, pat, START, "D6: after that the size and content are untouched");

	for (int i = 0; i < 50 && rmdir(CG); i++)
		q_msleep(100);
	tap_ok(access(CG, F_OK) != 0, "remove the cgroup");
	if (mounted)
		umount(CG_ROOT);

	tap_eq(q_ssz(fd, TARGET), 0, "D6: the same resize outside the limited cgroup succeeds");
	tap_eq(q_size_of(0), TARGET, "D6: the size is now %d", TARGET);
	tap_eq(q_discard(fd), 0, "discard");
	close(fd);
	return q_finish(1);
}
