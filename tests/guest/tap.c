// SPDX-License-Identifier: GPL-2.0
/*
 * TAP output for the guest tests.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static const char *prog = "test";
static int failures;
static int results;

/* 32-bit builds of a test say so in every description. */
#if defined(__i386__)
#define TAP_PREFIX "m32: "
#else
#define TAP_PREFIX ""
#endif

static void put(const char *line, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}

static void emit(const char *head, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "%s", head);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	/* One line: no embedded newlines. */
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	n = (int)strlen(line);
	line[n++] = '\n';
	put(line, (size_t)n);
}

static void on_alarm(int sig)
{
	static const char a[] = "not ok - ";
	static const char b[] = " timed out (watchdog)\n";

	put(a, sizeof(a) - 1);
	put(prog, strlen(prog));
	put(b, sizeof(b) - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

void tap_init(int argc, char **argv)
{
	const char *t = getenv("QOTD_TEST_TIMEOUT");
	unsigned int secs = t ? (unsigned int)strtoul(t, NULL, 10) : 300;

	if (argc > 0 && argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	signal(SIGALRM, on_alarm);
	alarm(secs);
}

const char *tap_prog(void)
{
	return prog;
}

int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(pass ? "ok - " TAP_PREFIX : "not ok - " TAP_PREFIX, fmt, ap);
	va_end(ap);
	results++;
	if (!pass)
		failures++;
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("#   ", fmt, ap);
	va_end(ap);
}

int tap_failures(void)
{
	return failures;
}

int tap_done(void)
{
	if (!results) {
		tap_ok(0, "%s reported no results", prog);
		return 1;
	}
	return failures ? 1 : 0;
}

int tap_eq(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	emit(pass ? "ok - " TAP_PREFIX : "not ok - " TAP_PREFIX, fmt, ap);
	va_end(ap);
	results++;
	if (!pass) {
		failures++;
		tap_diag("got %lld, expected %lld", got, want);
	}
	return pass;
}

int tap_errno(long long ret, int want_errno, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	int pass = ret == -1 && err == want_errno;

	va_start(ap, fmt);
	emit(pass ? "ok - " TAP_PREFIX : "not ok - " TAP_PREFIX, fmt, ap);
	va_end(ap);
	results++;
	if (!pass) {
		failures++;
		if (ret == -1)
			tap_diag("failed with %s (%d), expected %s (%d)",
				 strerror(err), err, strerror(want_errno),
				 want_errno);
		else
			tap_diag("returned %lld, expected -1 with %s (%d)", ret,
				 strerror(want_errno), want_errno);
	}
	return pass;
}

int tap_mem(const void *got, long long got_len, const void *want,
	    size_t want_len, const char *fmt, ...)
{
	const unsigned char *g = got, *w = want;
	va_list ap;
	size_t i = 0;
	int pass;

	if (got_len == (long long)want_len)
		for (; i < want_len && g[i] == w[i]; i++)
			;
	pass = got_len == (long long)want_len && i == want_len;

	va_start(ap, fmt);
	emit(pass ? "ok - " TAP_PREFIX : "not ok - " TAP_PREFIX, fmt, ap);
	va_end(ap);
	results++;
	if (pass)
		return 1;
	failures++;
	if (got_len != (long long)want_len) {
		if (got_len < 0)
			tap_diag("got an error (%lld: %s), expected %zu bytes",
				 got_len, strerror(errno), want_len);
		else
			tap_diag("got %lld bytes, expected %zu", got_len,
				 want_len);
		return 0;
	}
	tap_diag("first difference at byte %zu: got 0x%02x, expected 0x%02x",
		 i, g[i], w[i]);
	{
		size_t from = i > 8 ? i - 8 : 0;
		size_t n = want_len - from < 32 ? want_len - from : 32;

		tap_diag("from byte %zu:", from);
		tap_hexdump("got     ", g + from, n);
		tap_hexdump("expected", w + from, n);
	}
	return 0;
}

void tap_hexdump(const char *label, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	char line[200];

	for (size_t off = 0; off < len; off += 16) {
		int n = snprintf(line, sizeof(line), "%s %04zx:", label, off);

		for (size_t i = off; i < len && i < off + 16; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      " %02x", b[i]);
		tap_diag("%s", line);
	}
}
