// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest tests share: module, nodes, sysfs, ioctls, memory, log.
 */
#include <ctype.h>
#include <setjmp.h>
#include <signal.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qtest.h"

const unsigned char q_initial[QOTD_INIT_SIZE] = Q_QUOTE;

const char *q_ko(void)
{
	const char *ko = getenv("QOTD_KO");

	return ko && *ko ? ko : "/lib/modules/qotd.ko";
}

const char *q_alloc(void)
{
	static char alloc[16];
	const char *args = getenv("QOTD_INSMOD_ARGS");
	const char *p = args ? strstr(args, "alloc=") : NULL;
	size_t n;

	if (!p)
		return "umem";
	p += strlen("alloc=");
	n = strcspn(p, " \t");
	if (n >= sizeof(alloc))
		n = sizeof(alloc) - 1;
	memcpy(alloc, p, n);
	alloc[n] = '\0';
	return alloc;
}

int q_run(const char *const argv[])
{
	char out[4096];
	size_t len = 0;
	int status, pipefd[2];
	pid_t pid;
	ssize_t n;

	fflush(NULL);
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *bb[64];
		int i;

		/* What the command prints is shown as comments. */
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], (char *const *)argv);
		bb[0] = "busybox";
		for (i = 0; argv[i] && i < 62; i++)
			bb[i + 1] = argv[i];
		bb[i + 1] = NULL;
		execv("/bin/busybox", (char *const *)bb);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (len == sizeof(out) - 1)
			len = 0;	/* keep the tail only */
	}
	close(pipefd[0]);
	out[len] = '\0';
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		tap_diag("%s: %s", argv[0], line);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Split words into argv[*n...]; words is modified. */
static void split_words(char *words, const char **argv, int *n, int max)
{
	for (char *w = strtok(words, " \t"); w && *n < max;
	     w = strtok(NULL, " \t"))
		argv[(*n)++] = w;
}

int q_insmod(const char *extra)
{
	const char *argv[64];
	char base[512] = "", more[512] = "";
	const char *args = getenv("QOTD_INSMOD_ARGS");
	int n = 0;

	if (args)
		snprintf(base, sizeof(base), "%s", args);
	if (extra)
		snprintf(more, sizeof(more), "%s", extra);
	argv[n++] = "insmod";
	argv[n++] = q_ko();
	split_words(base, argv, &n, 40);
	split_words(more, argv, &n, 62);
	argv[n] = NULL;
	return q_run(argv);
}

int q_finit(const char *params)
{
	int fd = open(q_ko(), O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return errno;
	ret = (int)syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	return ret ? err : 0;
}

int q_unload(void)
{
	if (syscall(SYS_delete_module, "qotd", O_NONBLOCK) == 0)
		return 0;
	return errno;
}

int q_loaded(void)
{
	char line[512];
	FILE *f = fopen("/proc/modules", "re");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "qotd ", 5))
			found = 1;
	fclose(f);
	return found;
}

void q_load_or_bail(const char *extra)
{
	const char *args = getenv("QOTD_INSMOD_ARGS");
	int rc;

	if (q_loaded()) {
		tap_diag("qotd was loaded before %s started: cleaning up",
			 tap_prog());
		q_force_cleanup();
	}
	rc = q_insmod(extra);
	if (tap_ok(rc == 0 && q_loaded(), "insmod qotd.ko %s%s%s", args ? args : "",
		   extra ? " " : "", extra ? extra : ""))
		return;
	tap_diag("insmod exited %d", rc);
	q_force_cleanup();
	exit(tap_done());
}

int q_finish(int instances)
{
	int err;

	for (int k = 0; k < instances; k++) {
		if (q_attr(k, "changed") == 0)
			continue;
		tap_ok(0, "%s leaves %s unchanged", tap_prog(), q_node(k));
		q_reset(k);
	}
	err = q_unload();
	if (!tap_ok(err == 0, "rmmod qotd at the end of %s", tap_prog())) {
		tap_diag("delete_module: %s", strerror(err));
		q_force_cleanup();
	}
	return tap_done();
}

void q_force_cleanup(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[300];
		int fd;

		if (strncmp(e->d_name, "qotd", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		ioctl(fd, QOTDIOCDISCARD);
		close(fd);
	}
	if (d)
		closedir(d);
	for (int i = 0; i < 20 && q_loaded(); i++) {
		if (!q_unload())
			break;
		q_msleep(100);
	}
	if (q_loaded())
		tap_diag("could not unload qotd");
}

const char *q_node(int k)
{
	static char names[4][32];
	static int next;
	char *p = names[next++ % 4];

	snprintf(p, 32, "/dev/qotd%d", k);
	return p;
}

int q_open(int k, int flags)
{
	return open(q_node(k), flags | O_CLOEXEC);
}

ssize_t q_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int q_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#define Q_CG_ROOT "/sys/fs/cgroup"

int q_memcg_create(const char *name, long limit, int *mounted)
{
	char buf[256], path[128], text[32];

	*mounted = 0;
	if (access(Q_CG_ROOT "/cgroup.controllers", F_OK)) {
		if (mount("cgroup2", Q_CG_ROOT, "cgroup2", 0, NULL)) {
			tap_diag("mount cgroup2 on %s: %s", Q_CG_ROOT, strerror(errno));
			return -1;
		}
		*mounted = 1;
	}
	if (q_read_file(Q_CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "memory")) {
		tap_diag("no memory controller in %s/cgroup.controllers", Q_CG_ROOT);
		return -1;
	}
	if (q_write_file(Q_CG_ROOT "/cgroup.subtree_control", "+memory")) {
		tap_diag("enable the memory controller: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), Q_CG_ROOT "/%s", name);
	rmdir(path);
	if (mkdir(path, 0755)) {
		tap_diag("mkdir %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), Q_CG_ROOT "/%s/memory.max", name);
	snprintf(text, sizeof(text), "%ld", limit);
	if (q_write_file(path, text)) {
		tap_diag("set memory.max: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), Q_CG_ROOT "/%s/memory.swap.max", name);
	q_write_file(path, "0");	/* absent without swap accounting */
	return 0;
}

int q_memcg_enter(const char *name)
{
	char path[128], me[32];

	snprintf(path, sizeof(path), Q_CG_ROOT "/%s/cgroup.procs", name);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	return q_write_file(path, me);
}

int q_memcg_remove(const char *name, int mounted)
{
	char path[128];
	int gone;

	snprintf(path, sizeof(path), Q_CG_ROOT "/%s", name);
	/* A process that has just left it may still be counted a moment. */
	for (int i = 0; i < 50 && rmdir(path); i++)
		q_msleep(100);
	gone = access(path, F_OK) != 0;
	if (mounted)
		umount(Q_CG_ROOT);
	return gone;
}

static long long parse_number(const char *path)
{
	char buf[64], *end;
	unsigned long long v;

	if (q_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && strcmp(end, "\n")))
		return -1;
	return (long long)v;
}

long long q_attr(int k, const char *attr)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/misc/qotd%d/%s", k, attr);
	return parse_number(path);
}

long long q_param(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/qotd/parameters/%s", name);
	return parse_number(path);
}

int q_param_str(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/module/qotd/parameters/%s", name);
	n = q_read_file(path, buf, len);
	if (n < 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int q_gsz(int fd, uint64_t *size)
{
	return ioctl(fd, QOTDIOCGSZ, size);
}

int q_ssz(int fd, uint64_t size)
{
	return ioctl(fd, QOTDIOCSSZ, &size);
}

int q_discard(int fd)
{
	return ioctl(fd, QOTDIOCDISCARD);
}

ssize_t q_pread0(int fd, void *buf, size_t cap)
{
	return pread(fd, buf, cap, 0);
}

long long q_size_of(int k)
{
	int fd = q_open(k, O_RDONLY);
	uint64_t size = 0;
	int ret;

	if (fd < 0)
		return -1;
	ret = q_gsz(fd, &size);
	close(fd);
	return ret ? -1 : (long long)size;
}

int q_expect_content(int k, const void *want, size_t want_len,
		     const char *fmt, ...)
{
	size_t cap = want_len + Q_PAGE;
	unsigned char *buf = malloc(cap);
	int fd = q_open(k, O_RDONLY);
	uint64_t size = 0;
	int gsz = -1, pass;
	ssize_t n = -1;
	char desc[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	if (fd >= 0 && buf) {
		n = q_pread0(fd, buf, cap);
		gsz = q_gsz(fd, &size);
	}
	pass = fd >= 0 && buf && n == (ssize_t)want_len && gsz == 0 &&
	       size == want_len && !memcmp(buf, want, want_len);
	if (pass || fd < 0 || !buf || n != (ssize_t)want_len ||
	    memcmp(buf, want, want_len)) {
		/* tap_mem shows the first difference. */
		tap_mem(buf, fd < 0 || !buf ? -1 : n, want, want_len, "%s", desc);
	} else {
		tap_ok(0, "%s", desc);
		tap_diag("content is right but QOTDIOCGSZ gave %d, size %llu",
			 gsz, (unsigned long long)size);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return pass;
}

int q_expect_changed(int k, int want, const char *fmt, ...)
{
	long long got = q_attr(k, "changed");
	char desc[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	return tap_eq(got, want, "%s", desc);
}

int q_reset(int k)
{
	int fd = q_open(k, O_RDWR);
	int ret;

	if (fd < 0)
		return -1;
	ret = q_discard(fd);
	close(fd);
	return ret;
}

void *q_unmapped(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, len);
	return p;
}

unsigned char *q_half_mapped(void)
{
	unsigned char *p = mmap(NULL, 2 * Q_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + Q_PAGE, Q_PAGE);
	return p;
}

int q_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

char *q_kmsg_next(int fd, char *rec, size_t cap, int *level)
{
	for (;;) {
		ssize_t n = read(fd, rec, cap - 1);
		char *msg, *end;

		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (n <= 0)
			return NULL;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		end = strchr(++msg, '\n');
		if (end)
			*end = '\0';
		if (level)
			*level = atoi(rec) & 7;	/* "PRIO,SEQ,..." */
		return msg;
	}
}

char *q_kmsg_text(int fd)
{
	size_t len = 0, cap = 65536;
	char *text = malloc(cap);
	char rec[8192], *msg;

	if (!text)
		return NULL;
	text[0] = '\0';
	while ((msg = q_kmsg_next(fd, rec, sizeof(rec), NULL))) {
		size_t ml = strlen(msg);

		if (len + ml + 2 > cap) {
			char *more = realloc(text, cap * 2 + ml);

			if (!more)
				break;
			text = more;
			cap = cap * 2 + ml;
		}
		memcpy(text + len, msg, ml);
		len += ml;
		text[len++] = '\n';
		text[len] = '\0';
	}
	return text;
}

int q_count_lines(const char *text, const char *needle)
{
	size_t nl = strlen(needle);
	int count = 0;

	while (text && *text) {
		const char *eol = strchr(text, '\n');
		size_t ll = eol ? (size_t)(eol - text) : strlen(text);

		for (const char *p = text; p + nl <= text + ll; p++) {
			unsigned char after = (unsigned char)p[nl];

			if (!memcmp(p, needle, nl) &&
			    (p + nl == text + ll || (!isalnum(after) && after != '_'))) {
				count++;
				break;
			}
		}
		text += ll + (eol ? 1 : 0);
	}
	return count;
}

int q_init_on_alloc(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char *log = fd >= 0 ? q_kmsg_text(fd) : NULL;
	int ret = -1;

	if (log && strstr(log, "heap alloc:on"))
		ret = 1;
	else if (log && strstr(log, "heap alloc:off"))
		ret = 0;
	free(log);
	if (fd >= 0)
		close(fd);
	return ret;
}

void q_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static sigjmp_buf probe_env;
static volatile sig_atomic_t probe_sig;

static void probe_fault(int sig)
{
	probe_sig = sig;
	siglongjmp(probe_env, 1);
}

int q_probe(volatile unsigned char *p, int write)
{
	struct sigaction sa, old_bus, old_segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	probe_sig = 0;
	if (!sigsetjmp(probe_env, 1)) {
		unsigned char c = *p;

		if (write)
			*p = c;
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return probe_sig;
}

int q_devnum(int k, unsigned int *maj, unsigned int *min)
{
	struct stat st;

	if (stat(q_node(k), &st) || !S_ISCHR(st.st_mode))
		return -1;
	*maj = major(st.st_rdev);
	*min = minor(st.st_rdev);
	return 0;
}
