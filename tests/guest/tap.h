/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP output for the guest tests: "ok - desc" / "not ok - desc" lines
 * without numbers or plan, "# " comments. Each line goes out in a single
 * write(), so lines from forked processes never interleave.
 */
#ifndef QOTD_TEST_TAP_H
#define QOTD_TEST_TAP_H

#include <stddef.h>

#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Name the program, arm a watchdog (QOTD_TEST_TIMEOUT seconds, default 900). */
void tap_init(int argc, char **argv);
const char *tap_prog(void);

/* One result line; returns pass. */
int tap_ok(int pass, const char *fmt, ...) TAP_PRINTF(2, 3);
/* A "# " comment line. */
void tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Number of failed results so far. */
int tap_failures(void);
/* The exit status for the program: 0 if nothing failed. */
int tap_done(void);

/* got == want, both shown when not. */
int tap_eq(long long got, long long want, const char *fmt, ...) TAP_PRINTF(3, 4);
/*
 * A call failed with exactly errno want_errno: ret must be -1. errno is read
 * on entry, so pass the call itself (or nothing that touches errno after it).
 */
int tap_errno(long long ret, int want_errno, const char *fmt, ...) TAP_PRINTF(3, 4);
/* Exactly want_len bytes equal to want; the first difference is shown. */
int tap_mem(const void *got, long long got_len, const void *want,
	    size_t want_len, const char *fmt, ...) TAP_PRINTF(5, 6);

/* Show up to len bytes as hex comments. */
void tap_hexdump(const char *label, const void *buf, size_t len);

#endif /* QOTD_TEST_TAP_H */
