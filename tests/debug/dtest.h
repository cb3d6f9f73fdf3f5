/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the debug-kernel tests share: TAP lines, small file helpers, loading
 * and unloading qotd.ko, sysfs; the rest comes from the guest suite's
 * qtest.c.
 *
 * Environment: QOTD_KO (the module, default /lib/modules/qotd.ko) and
 * QOTD_INSMOD_ARGS (parameters for every load, e.g. "alloc=kmem").
 */
#ifndef QOTD_DEBUG_DTEST_H
#define QOTD_DEBUG_DTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/qotd.h>

/* The nodes, the ioctls and the kernel log: tests/guest/qtest.h. */
#include "qtest.h"

#define D_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define D_QUOTE "On the whole, I'd rather be in Philadelphia. - W. C. Fields\n"
#define D_QUOTE_LEN 60

/* The 128 bytes of a new or discarded device. */
extern const unsigned char d_initial[QOTD_INIT_SIZE];

/* TAP: "ok - PREFIX desc" / "not ok - PREFIX desc", "# comment". */
void d_init(const char *prefix);
int d_ok(int pass, const char *fmt, ...) D_PRINTF(2, 3);
void d_diag(const char *fmt, ...) D_PRINTF(1, 2);
int d_failures(void);
/* 0 if nothing failed, else 1. */
int d_done(void);

/* Seconds since an arbitrary start, monotonic. */
double d_now(void);

/* Write text to a file; 0 or an errno. */
int d_put(const char *path, const char *text);
/* A small file into buf, NUL-terminated, trailing newline removed; length or -1. */
ssize_t d_get(const char *path, char *buf, size_t len);
/* A small file as a number; fallback if unreadable. */
long long d_get_ll(const char *path, long long fallback);
int d_exists(const char *path);

const char *d_ko(void);
/* The allocation strategy named in QOTD_INSMOD_ARGS, "umem" by default. */
const char *d_alloc(void);
/* finit_module with QOTD_INSMOD_ARGS plus extra: 0 or the errno. */
int d_load(const char *extra);
/* The parameter string d_load() would use. */
void d_params(char *buf, size_t len, const char *extra);
/* delete_module("qotd", O_NONBLOCK): 0 or the errno. */
int d_unload(void);
int d_loaded(void);
/* /sys/module/qotd/refcnt, or -1. */
long long d_refcnt(void);

/* /sys/class/misc/qotdK/ATTR, or -1. */
long long d_attr(int k, const char *attr);
/* Whether any /dev/qotd* or /sys/class/misc/qotd* exists; names it in why. */
int d_leftovers(char *why, size_t len);

/* Bring qotd down whatever its state: discard every node, unload. */
void d_force_unload(void);

/*
 * Fault injection through /proc/thread-self/fail-nth. A knob is a debugfs
 * setting of failslab or fail_page_alloc, set for the run and put back as
 * it was after it.
 */
struct d_knob {
	const char *path, *value;
	char saved[64];
	int have_saved;
};

/* Save what the knob holds and set its value; 0 or an errno. */
int d_knob_set(struct d_knob *knob);
/* Put back, last first, what d_knob_set() saved of n knobs. */
void d_knobs_restore(struct d_knob *knobs, size_t n);
/* Fail the nth allocation of this thread from now on; no allocation here. */
void d_nth_arm(int nth_fd, unsigned int n);
/* What is left of the count (0: the failure was injected); disarms. */
long d_nth_disarm(int nth_fd);

#endif /* QOTD_DEBUG_DTEST_H */
