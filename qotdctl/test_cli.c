// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the qotdctl binary: exit statuses and messages, without a
 * qotd device. Paths that do not exist, a directory, /dev/null and files
 * the caller may not open stand in for the device: they show which open
 * mode each action uses and how open and ioctl failures are reported.
 *
 * Usage: test_cli PATH-TO-QOTDCTL
 */
#define _GNU_SOURCE	/* setgroups() */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#ifndef QOTDCTL_VERSION
#error "QOTDCTL_VERSION must be defined"
#endif

#define UNPRIV_ID 65534	/* "nobody" */

static const char *prog;
static char tmpdir[] = "/tmp/qotdctl-test.XXXXXX";
static char out_path[64], err_path[64];

struct result {
	int status;	/* exit status, or -1 if it did not exit normally */
	char out[8192];
	char err[8192];
};

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/*
 * Run qotdctl with the given arguments (NULL-terminated, without the
 * program name), stdout to 'out' (a file name, or NULL for a capture file).
 * With 'unpriv', the child gives up root first; an exec failure then exits
 * 126 and prints "exec failed" on stderr.
 */
/*
 * With stop_sig set, run() sends that signal once the child has printed
 * something (or after 5 s), as a user ends qotdctl --watch.
 */
static int stop_sig;

static void stop_when_printed(pid_t pid)
{
	struct stat st;

	for (int i = 0; i < 500; i++) {
		if (stat(out_path, &st) == 0 && st.st_size > 0)
			break;
		usleep(10000);
	}
	usleep(100000);	/* it is waiting in ppoll() by now, or printing */
	kill(pid, stop_sig);
}

static void run(struct result *r, int unpriv, const char *out, const char *const args[])
{
	const char *argv[32];
	pid_t pid;
	int n = 0, st;

	argv[n++] = "qotdctl";
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		int fo = open(out ? out : out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(125);
		if (unpriv && (setgroups(0, NULL) || setgid(UNPRIV_ID) || setuid(UNPRIV_ID)))
			_exit(125);
		execv(prog, (char *const *)argv);
		fprintf(stderr, "exec failed: %s\n", strerror(errno));
		_exit(126);
	}
	if (stop_sig)
		stop_when_printed(pid);
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp(out_path, r->out, sizeof(r->out));
	if (out)
		r->out[0] = '\0';
	slurp(err_path, r->err, sizeof(r->err));
}

/* Check status, exact stdout (if want_out) and exact or partial stderr. */
static void expect(const char *desc, const struct result *r, int want_status,
		   const char *want_out, const char *want_err, const char *err_part)
{
	int good = r->status == want_status;

	if (want_out)
		good = good && strcmp(r->out, want_out) == 0;
	if (want_err)
		good = good && strcmp(r->err, want_err) == 0;
	if (err_part)
		good = good && strstr(r->err, err_part) != NULL;
	if (!tap_check(good, "%s", desc)) {
		tap_diag("exit status %d (want %d)", r->status, want_status);
		tap_diag("stdout: %s", r->out);
		tap_diag("stderr: %s", r->err);
	}
}

#define RUN(r, ...) run((r), 0, NULL, (const char *const[]){ __VA_ARGS__, NULL })

static void test_info_and_usage(void)
{
	struct result r;

	RUN(&r, "-V");
	expect("-V prints 'qotdctl " QOTDCTL_VERSION "', exit 0", &r, 0,
	       "qotdctl " QOTDCTL_VERSION "\n", "", NULL);
	RUN(&r, "--version");
	expect("--version prints the version, exit 0", &r, 0,
	       "qotdctl " QOTDCTL_VERSION "\n", "", NULL);

	RUN(&r, "-h");
	expect("-h prints the help on stdout, exit 0", &r, 0, NULL, "", NULL);
	tap_check(strncmp(r.out, "Usage: qotdctl ", 15) == 0 &&
		  strstr(r.out, "Exit status:") && strstr(r.out, "--set-size SIZE"),
		  "-h output is the help text");
	RUN(&r, "--help");
	expect("--help prints the help on stdout, exit 0", &r, 0, NULL, "", "");
	tap_check(strncmp(r.out, "Usage: qotdctl ", 15) == 0, "--help output is the help text");

	RUN(&r, "-d", "/nonexistent/qotd0");
	expect("no action: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: one of -g, -s, -r and -w is required\nUsage: qotdctl ");
	RUN(&r, "-g", "-r");
	expect("-g -r: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: only one of -g, -s, -r and -w can be given\nUsage: qotdctl ");
	RUN(&r, "-g", "-s", "512");
	expect("-g -s 512: usage on stderr, exit 1", &r, 1, "", NULL, "Usage: qotdctl ");
	RUN(&r, "-q");
	expect("unknown option -q: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: invalid option '-q'\nUsage: qotdctl ");
	RUN(&r, "--frobnicate");
	expect("unknown option --frobnicate: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: invalid option '--frobnicate'\nUsage: qotdctl ");
	RUN(&r, "-s");
	expect("-s without SIZE: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: missing argument for option '-s'\nUsage: qotdctl ");
	RUN(&r, "-g", "/dev/qotd0");
	expect("stray operand: usage on stderr, exit 1", &r, 1, "", NULL,
	       "qotdctl: unexpected argument '/dev/qotd0'\nUsage: qotdctl ");
}

static void test_bad_sizes(void)
{
	static const char *const bad[] = {
		"", "0", "-1", "+1", " 1", "1 ", "12x", "1k", "1KB", "0x10",
		"18446744073709551616", "18014398509481984K", "17592186044416M",
	};
	struct result r;
	char desc[160], want[160];
	size_t i;

	/* The device does not exist: exit 1 (not 3) shows it was never opened. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		RUN(&r, "-d", "/nonexistent/qotd0", "-s", bad[i]);
		snprintf(desc, sizeof(desc), "-s '%s': exit 1, message names the value, device not opened", bad[i]);
		snprintf(want, sizeof(want), "qotdctl: invalid size '%s': ", bad[i]);
		expect(desc, &r, 1, "", NULL, want);
		if (strstr(r.err, "/nonexistent"))
			tap_diag("the message mentions the device");
	}
}

static void test_open_failures(void)
{
	struct result r;

	RUN(&r, "-d", "/nonexistent/qotd0", "-g");
	expect("-g on a missing node: exit 3, message names path and reason", &r, 3, "",
	       "qotdctl: /nonexistent/qotd0: No such file or directory\n", NULL);
	RUN(&r, "-d", "/nonexistent/qotd0", "-s", "512");
	expect("-s on a missing node: exit 3", &r, 3, "",
	       "qotdctl: /nonexistent/qotd0: No such file or directory\n", NULL);
	RUN(&r, "--device=/nonexistent/qotd0", "--reset");
	expect("-r on a missing node: exit 3", &r, 3, "",
	       "qotdctl: /nonexistent/qotd0: No such file or directory\n", NULL);

	if (access("/dev/qotd0", F_OK) == 0) {
		tap_skip("/dev/qotd0 exists on this machine",
			 "-g without -d uses /dev/qotd0");
	} else {
		RUN(&r, "-g");
		expect("-g without -d uses /dev/qotd0 (missing here): exit 3", &r, 3, "",
		       "qotdctl: /dev/qotd0: No such file or directory\n", NULL);
	}
}

/* A directory opens read-only but not read-write: it shows the open modes. */
static void test_open_modes(void)
{
	struct result r;
	char want[256];

	RUN(&r, "-d", tmpdir, "-g");
	snprintf(want, sizeof(want),
		 "qotdctl: get size of %s: Inappropriate ioctl for device\n", tmpdir);
	expect("-g opens read-only (a directory opens; its ioctl fails: exit 4)", &r, 4, "",
	       want, NULL);
	RUN(&r, "-d", tmpdir, "-s", "512");
	snprintf(want, sizeof(want), "qotdctl: %s: Is a directory\n", tmpdir);
	expect("-s opens read-write (a directory does not: exit 3)", &r, 3, "", want, NULL);
	RUN(&r, "-d", tmpdir, "-r");
	expect("-r opens read-write (a directory does not: exit 3)", &r, 3, "", want, NULL);
}

/* /dev/null opens either way and refuses the ioctls: exit 4. */
static void test_ioctl_failures(void)
{
	struct result r;

	RUN(&r, "-d", "/dev/null", "-g");
	expect("-g fails in the ioctl: exit 4, names operation and reason", &r, 4, "",
	       "qotdctl: get size of /dev/null: Inappropriate ioctl for device\n", NULL);
	RUN(&r, "-d", "/dev/null", "-s", "70000");
	expect("-s 70000 fails in the ioctl: exit 4, names size and reason", &r, 4, "",
	       "qotdctl: set size 70000 on /dev/null: Inappropriate ioctl for device\n", NULL);
	RUN(&r, "-d", "/dev/null", "-s", "4K");
	expect("-s 4K reports the size in bytes", &r, 4, "",
	       "qotdctl: set size 4096 on /dev/null: Inappropriate ioctl for device\n", NULL);
	RUN(&r, "-d", "/dev/null", "-r");
	expect("-r fails in the ioctl: exit 4", &r, 4, "",
	       "qotdctl: reset /dev/null: Inappropriate ioctl for device\n", NULL);
}

/*
 * Permission denied: a file with mode 0444 (opens for reading only) and one
 * with mode 0000. Root may open anything, so as root the child switches to
 * an unprivileged user before running qotdctl.
 */
static void test_permissions(void)
{
	char ro[128], none[128], want[256];
	int unpriv = geteuid() == 0;
	struct result r;
	int fd;

	snprintf(ro, sizeof(ro), "%s/readonly", tmpdir);
	snprintf(none, sizeof(none), "%s/noaccess", tmpdir);
	fd = open(ro, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	if (fd >= 0)
		close(fd);
	fd = open(none, O_WRONLY | O_CREAT | O_TRUNC, 0000);
	if (fd >= 0)
		close(fd);
	if (chmod(ro, 0444) || chmod(none, 0000) || chmod(tmpdir, 0755) ||
	    chmod(out_path, 0666) || chmod(err_path, 0666)) {
		tap_check(0, "set up files for the permission tests: %s", strerror(errno));
		return;
	}

	run(&r, unpriv, NULL, (const char *const[]){ "-d", none, "-g", NULL });
	if (r.status == 126 && strstr(r.err, "exec failed")) {
		tap_skip("qotdctl cannot be run as an unprivileged user here",
			 "open refused (EACCES): exit 3");
		return;
	}
	snprintf(want, sizeof(want), "qotdctl: %s: Permission denied\n", none);
	expect("-g on a node that may not be opened: exit 3, 'Permission denied'",
	       &r, 3, "", want, NULL);
	run(&r, unpriv, NULL, (const char *const[]){ "-d", none, "-r", NULL });
	expect("-r on a node that may not be opened: exit 3", &r, 3, "", want, NULL);

	snprintf(want, sizeof(want), "qotdctl: %s: Permission denied\n", ro);
	run(&r, unpriv, NULL, (const char *const[]){ "-d", ro, "-s", "512", NULL });
	expect("-s on a node open for reading only: exit 3, 'Permission denied'",
	       &r, 3, "", want, NULL);
	run(&r, unpriv, NULL, (const char *const[]){ "-d", ro, "-r", NULL });
	expect("-r on a node open for reading only: exit 3", &r, 3, "", want, NULL);
	snprintf(want, sizeof(want),
		 "qotdctl: get size of %s: Inappropriate ioctl for device\n", ro);
	run(&r, unpriv, NULL, (const char *const[]){ "-d", ro, "-g", NULL });
	expect("-g on a node open for reading only gets past open (exit 4 from the ioctl)",
	       &r, 4, "", want, NULL);
}

static void test_output_errors(void)
{
	struct result r;

	if (access("/dev/full", W_OK) != 0) {
		tap_skip("no /dev/full", "a failed write of the output: exit 4");
		return;
	}
	run(&r, 0, "/dev/full", (const char *const[]){ "-V", NULL });
	expect("-V with stdout on /dev/full: exit 4, write error", &r, 4, NULL,
	       "qotdctl: write error: No space left on device\n", NULL);
	run(&r, 0, "/dev/full", (const char *const[]){ "-h", NULL });
	expect("-h with stdout on /dev/full: exit 4, write error", &r, 4, NULL,
	       "qotdctl: write error: No space left on device\n", NULL);
}

/*
 * --watch on files that never report POLLPRI: it prints the text up to the
 * first NUL once and waits until a signal ends it with status 0.
 */
static void test_watch(void)
{
	static const char text[] = "A quotation\0and what follows the NUL";
	char file[128], want[256];
	struct result r;
	int fd;

	snprintf(file, sizeof(file), "%s/watched", tmpdir);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		tap_diag("cannot write %s: %s", file, strerror(errno));
	if (fd >= 0)
		close(fd);

	stop_sig = SIGINT;
	RUN(&r, "-d", file, "-w");
	expect("-w prints the text up to the first NUL and a newline; SIGINT: exit 0", &r, 0,
	       "A quotation\n", "", NULL);
	stop_sig = SIGTERM;
	RUN(&r, "--device", file, "--watch");
	expect("--watch ends with exit 0 on SIGTERM", &r, 0, "A quotation\n", "", NULL);
	RUN(&r, "-d", "/dev/null", "-w");
	expect("-w on an empty file prints an empty line", &r, 0, "\n", "", NULL);
	stop_sig = 0;

	RUN(&r, "-d", "/nonexistent/qotd0", "-w");
	expect("-w on a missing node: exit 3", &r, 3, "",
	       "qotdctl: /nonexistent/qotd0: No such file or directory\n", NULL);
	RUN(&r, "-d", tmpdir, "-w");
	snprintf(want, sizeof(want), "qotdctl: read %s: Is a directory\n", tmpdir);
	expect("-w opens read-only (a directory opens; its read fails: exit 4)", &r, 4, "",
	       want, NULL);
	unlink(file);
}

static void cleanup(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/readonly", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/noaccess", tmpdir);
	unlink(path);
	unlink(out_path);
	unlink(err_path);
	rmdir(tmpdir);
}

int main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-QOTDCTL\n", argv[0]);
		return 2;
	}
	prog = argv[1];
	if (access(prog, X_OK) != 0) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 2;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(out_path, sizeof(out_path), "%s/stdout", tmpdir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", tmpdir);

	test_info_and_usage();
	test_bad_sizes();
	test_open_failures();
	test_open_modes();
	test_ioctl_failures();
	test_permissions();
	test_output_errors();
	test_watch();

	cleanup();
	return tap_failures ? 1 : 0;
}
