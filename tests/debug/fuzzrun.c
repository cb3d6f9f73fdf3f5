// SPDX-License-Identifier: GPL-2.0
/*
 * Run a fuzzer as an unprivileged user for a bounded time, and count the
 * calls it makes on qotd's fds (through qotd-trinity.so, preloaded into it).
 *
 *   fuzzrun --syscalls
 *	print "-c NAME" for each system call of fuzzcount.h, for trinity
 *   fuzzrun UID GID SECONDS DIR PROG ARG...
 *	run PROG in DIR as UID:GID (no supplementary groups) in a process
 *	group of its own; after SECONDS send it SIGINT, after 60 s more
 *	SIGKILL to the group. Then print to fd 3 (PROG's output is fuzzrun's
 *	stdout and stderr), one per line:
 *	  status exit N | status signal N
 *	  stopped interrupt|kill|self
 *	  calls N            64-bit calls with a qotd fd
 *	  cmd NAME N         ioctls with each of qotd's commands
 *	  sys NAME N         calls with a qotd fd, per system call
 *	and exit 0; 1 when it could not run PROG at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzzcount.h"

static const char *const cmd_names[QF_NCMDS] = {
	"QOTDIOCGSZ", "QOTDIOCSSZ", "QOTDIOCDISCARD",
	"QOTD_LEGACY_IOCGSZ", "QOTD_LEGACY_IOCSSZ", "QOTD_LEGACY_IOCDISCARD",
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for @pid until @deadline: 1 if it ended (status in *st). */
static int wait_until(pid_t pid, double deadline, int *st)
{
	while (now() < deadline) {
		pid_t r = waitpid(pid, st, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return 1;
		usleep(100000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/fuzzrun.XXXXXX", fdstr[16];
	struct qf_counts *c;
	const char *stopped = "self";
	unsigned int i;
	uid_t uid;
	gid_t gid;
	double secs;
	int fd, st = 0;
	FILE *out;
	pid_t pid;

	if (argc == 2 && !strcmp(argv[1], "--syscalls")) {
		for (i = 0; i < QF_NLISTED; i++)
			printf("-c %s%c", qf_syscalls[i].name,
			       i + 1 < QF_NLISTED ? ' ' : '\n');
		return 0;
	}
	if (argc < 6) {
		fprintf(stderr, "usage: fuzzrun UID GID SECONDS DIR PROG ARG...\n");
		return 2;
	}
	uid = (uid_t)atol(argv[1]);
	gid = (gid_t)atol(argv[2]);
	secs = atof(argv[3]);
	if (!uid) {
		fprintf(stderr, "fuzzrun: refusing to run as root\n");
		return 2;
	}

	fd = mkstemp(tmpl);
	if (fd < 0 || unlink(tmpl) || ftruncate(fd, sizeof(*c))) {
		perror("fuzzrun: counts file");
		return 1;
	}
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (c == MAP_FAILED) {
		perror("fuzzrun: mmap");
		return 1;
	}
	snprintf(fdstr, sizeof(fdstr), "%d", fd);

	out = fdopen(3, "w");
	if (!out) {
		perror("fuzzrun: fd 3");
		return 1;
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fuzzrun: fork");
		return 1;
	}
	if (!pid) {
		setpgid(0, 0);
		if (chdir(argv[4]) || setgroups(0, NULL) || setgid(gid) ||
		    setuid(uid) || !getuid() || !geteuid()) {
			perror("fuzzrun: dropping to the user");
			_exit(126);
		}
		setenv("QOTD_TRINITY_COUNTS_FD", fdstr, 1);
		execv(argv[5], argv + 5);
		perror("fuzzrun: exec");
		_exit(127);
	}
	close(fd);
	setpgid(pid, pid);

	if (!wait_until(pid, now() + secs, &st)) {
		stopped = "interrupt";
		kill(pid, SIGINT);
		if (!wait_until(pid, now() + 60, &st)) {
			stopped = "kill";
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
		}
	}
	/* Whatever it left in its group goes too. */
	kill(-pid, SIGKILL);

	if (WIFEXITED(st))
		fprintf(out, "status exit %d\n", WEXITSTATUS(st));
	else
		fprintf(out, "status signal %d\n", WTERMSIG(st));
	fprintf(out, "stopped %s\n", stopped);
	fprintf(out, "calls %llu\n", (unsigned long long)c->calls);
	for (i = 0; i < QF_NCMDS; i++)
		fprintf(out, "cmd %s %llu\n", cmd_names[i],
		       (unsigned long long)c->cmd[i]);
	for (i = 0; i < QF_NLISTED; i++)
		fprintf(out, "sys %s %llu\n", qf_syscalls[i].name,
		       (unsigned long long)c->per_nr[qf_syscalls[i].nr]);
	fclose(out);
	return WIFEXITED(st) && WEXITSTATUS(st) >= 126 ? 1 : 0;
}
