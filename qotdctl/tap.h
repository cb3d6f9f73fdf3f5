/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for the qotdctl host tests: one "ok - ..." or
 * "not ok - ..." line per check, "# ..." lines for diagnostics.
 */
#ifndef QOTDCTL_TAP_H
#define QOTDCTL_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_failures;

__attribute__((format(printf, 2, 3)))
static inline int tap_check(int cond, const char *fmt, ...)
{
	va_list ap;

	fputs(cond ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failures++;
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A case that could not be run here: reported as skipped, never as passed. */
__attribute__((format(printf, 2, 3)))
static inline void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	fputs("ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

#endif /* QOTDCTL_TAP_H */
