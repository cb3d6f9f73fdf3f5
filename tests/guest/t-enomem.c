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
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define CG "qotd-enomem"
#define LIMIT (1 << 20)
#define TARGET (4 << 20)
#define START 1000

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
		close(p[0]);
		if (q_write_file("/proc/self/oom_score_adj", oom_adj) || q_memcg_enter(CG)) {
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

	if (!tap_ok(q_memcg_create(CG, LIMIT, &mounted) == 0, "a memory cgroup with memory.max = %d", LIMIT)) {
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

	tap_ok(q_memcg_remove(CG, mounted), "remove the cgroup");

	tap_eq(q_ssz(fd, TARGET), 0, "D6: the same resize outside the limited cgroup succeeds");
	tap_eq(q_size_of(0), TARGET, "D6: the size is now %d", TARGET);
	tap_eq(q_discard(fd), 0, "discard");
	close(fd);
	return q_finish(1);
}
