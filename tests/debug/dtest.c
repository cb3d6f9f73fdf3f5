// SPDX-License-Identifier: GPL-2.0
/*
 * What the debug-kernel tests share (see dtest.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "dtest.h"

const unsigned char d_initial[QOTD_INIT_SIZE] = D_QUOTE;

static const char *tap_prefix = "";
static int failures;

static void put_all(const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* One line, one write(): lines of forked processes never interleave. */
static void emit(const char *head, const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "%s%s", head, prefix);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	n = (int)strlen(line);
	line[n++] = '\n';
	put_all(line, (size_t)n);
}

void d_init(const char *prefix)
{
	tap_prefix = prefix ? prefix : "";
}

int d_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(pass ? "ok - " : "not ok - ", tap_prefix, fmt, ap);
	va_end(ap);
	if (!pass)
		failures++;
	return pass;
}

void d_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("# ", "", fmt, ap);
	va_end(ap);
}

int d_failures(void)
{
	return failures;
}

int d_done(void)
{
	return failures ? 1 : 0;
}

double d_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int d_put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? errno : n == (ssize_t)strlen(text) ? 0 : EIO;
	close(fd);
	return err;
}

ssize_t d_get(const char *path, char *buf, size_t len)
{
	ssize_t n = q_read_file(path, buf, len);

	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

long long d_get_ll(const char *path, long long fallback)
{
	char buf[64], *end;
	long long v;

	if (d_get(path, buf, sizeof(buf)) <= 0)
		return fallback;
	errno = 0;
	v = strtoll(buf, &end, 0);
	return errno || *end ? fallback : v;
}

int d_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

const char *d_ko(void)
{
	const char *ko = getenv("QOTD_KO");

	return ko && *ko ? ko : "/lib/modules/qotd.ko";
}

const char *d_alloc(void)
{
	const char *args = getenv("QOTD_INSMOD_ARGS");
	const char *a = args ? strstr(args, "alloc=") : NULL;
	static char mode[16];

	if (!a)
		return "umem";
	snprintf(mode, sizeof(mode), "%.*s", (int)strcspn(a + 6, " \t"), a + 6);
	return mode;
}

void d_params(char *buf, size_t len, const char *extra)
{
	const char *base = getenv("QOTD_INSMOD_ARGS");

	snprintf(buf, len, "%s%s%s", base ? base : "", base && *base && extra ? " " : "",
		 extra ? extra : "");
}

int d_load(const char *extra)
{
	char params[256];
	int fd = open(d_ko(), O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return errno;
	d_params(params, sizeof(params), extra);
	ret = (int)syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	return ret ? err : 0;
}

int d_unload(void)
{
	return syscall(SYS_delete_module, "qotd", O_NONBLOCK) ? errno : 0;
}

int d_loaded(void)
{
	return d_exists("/sys/module/qotd");
}

long long d_refcnt(void)
{
	return d_get_ll("/sys/module/qotd/refcnt", -1);
}

long long d_attr(int k, const char *attr)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/misc/qotd%d/%s", k, attr);
	return d_get_ll(path, -1);
}

static int find_qotd(const char *dir, char *why, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "qotd", 4))
			continue;
		if (!found)
			snprintf(why, len, "%s/%s exists", dir, e->d_name);
		found = 1;
	}
	if (d)
		closedir(d);
	return found;
}

int d_leftovers(char *why, size_t len)
{
	return find_qotd("/dev", why, len) || find_qotd("/sys/class/misc", why, len);
}

void d_force_unload(void)
{
	for (int k = 0; k < 64; k++) {
		int fd = q_open(k, O_RDWR);

		if (fd < 0)
			continue;
		q_discard(fd);
		close(fd);
	}
	if (d_loaded())
		d_unload();
}

int d_knob_set(struct d_knob *knob)
{
	knob->have_saved = d_get(knob->path, knob->saved, sizeof(knob->saved)) >= 0;
	return d_put(knob->path, knob->value);
}

void d_knobs_restore(struct d_knob *knobs, size_t n)
{
	while (n--)
		if (knobs[n].have_saved)
			d_put(knobs[n].path, knobs[n].saved);
}

void d_nth_arm(int nth_fd, unsigned int n)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%u", n);

	if (pwrite(nth_fd, text, (size_t)len, 0) != len)
		d_diag("fail-nth: cannot arm: %s", strerror(errno));
}

long d_nth_disarm(int nth_fd)
{
	char text[16];
	ssize_t n = pread(nth_fd, text, sizeof(text) - 1, 0);

	if (pwrite(nth_fd, "0", 1, 0) != 1)
		d_diag("fail-nth: cannot disarm: %s", strerror(errno));
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}
