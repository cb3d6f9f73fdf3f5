/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest tests share: loading and unloading qotd.ko, the device
 * nodes and sysfs files, the ioctls, unmapped memory, the kernel log.
 *
 * Environment: QOTD_KO (the module file, default /lib/modules/qotd.ko) and
 * QOTD_INSMOD_ARGS (words added to every insmod, e.g. "alloc=kmem").
 */
#ifndef QOTD_TEST_QTEST_H
#define QOTD_TEST_QTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/qotd.h>

#include "tap.h"

#define Q_QUOTE "On the whole, I'd rather be in Philadelphia. - W. C. Fields\n"
#define Q_QUOTE_LEN 60
#define Q_PAGE 4096

/* The 128 bytes of a new or discarded device: the quote and 68 NULs. */
extern const unsigned char q_initial[QOTD_INIT_SIZE];

const char *q_ko(void);
/* The allocation strategy in QOTD_INSMOD_ARGS ("umem" if none is given). */
const char *q_alloc(void);

/* Run argv (PATH search, else through /bin/busybox); exit status, 128+signal, or -1. */
int q_run(const char *const argv[]);
/*
 * insmod $QOTD_KO $QOTD_INSMOD_ARGS extra (extra: space-separated words or
 * NULL) with busybox insmod; returns its exit status.
 */
int q_insmod(const char *extra);
/* finit_module() directly with exactly these params; 0 or the errno. */
int q_finit(const char *params);
/* delete_module("qotd"): 0 or the errno (EWOULDBLOCK while in use). */
int q_unload(void);
int q_loaded(void);

/*
 * Load with extra parameters and report it as a test; on failure the
 * program cannot go on: it reports and exits.
 */
void q_load_or_bail(const char *extra);
/*
 * End of a test program: discard every node that is still changed (a
 * failure), unload (a test), and return the exit status.
 */
int q_finish(int instances);
/* Bring the module down whatever its state: discard all nodes, unload. */
void q_force_cleanup(void);

/* /dev/qotdK */
const char *q_node(int k);
int q_open(int k, int flags);
/* /sys/class/misc/qotdK/ATTR as a number; -1 if unreadable. */
long long q_attr(int k, const char *attr);
/* /sys/module/qotd/parameters/NAME as a number / as text; -1 on failure. */
long long q_param(const char *name);
int q_param_str(const char *name, char *buf, size_t len);
/* A whole small file into buf (NUL-terminated); its length or -1. */
ssize_t q_read_file(const char *path, char *buf, size_t len);

/* The ioctls with a __u64 / legacy size_t argument; return ioctl's result. */
int q_gsz(int fd, uint64_t *size);
int q_ssz(int fd, uint64_t size);
int q_discard(int fd);
/* One pread of up to cap bytes at offset 0. */
ssize_t q_pread0(int fd, void *buf, size_t cap);

/* Size via QOTDIOCGSZ on a fresh O_RDONLY fd of node k; -1 on failure. */
long long q_size_of(int k);
/*
 * Test: node k holds exactly want_len bytes equal to want (one pread from a
 * fresh fd, and QOTDIOCGSZ agrees).
 */
int q_expect_content(int k, const void *want, size_t want_len,
		     const char *fmt, ...) TAP_PRINTF(4, 5);
/* Test: sysfs changed of node k is want (0 or 1). */
int q_expect_changed(int k, int want, const char *fmt, ...) TAP_PRINTF(3, 4);

/* Discard node k through a fresh fd; 0 or -1. */
int q_reset(int k);

/* An address range of len bytes that is certainly not mapped. */
void *q_unmapped(size_t len);
/* Two pages, the second unmapped: returns the start of the first. */
unsigned char *q_half_mapped(void);

/* The kernel log from now on: open /dev/kmsg at its end. */
int q_kmsg_open(void);
/*
 * The next record of /dev/kmsg: its message (in rec, newline removed) and,
 * if level is not NULL, its syslog level; NULL when there is no more.
 * Records lost to a full ring are skipped.
 */
char *q_kmsg_next(int fd, char *rec, size_t cap, int *level);
/* The text of the records since q_kmsg_open(), one a line (malloc'ed). */
char *q_kmsg_text(int fd);
/* The number of lines of text that contain needle as a whole word. */
int q_count_lines(const char *text, const char *needle);

/*
 * Whether the kernel zeroes every allocation (init_on_alloc, from the boot
 * log line "mem auto-init: ... heap alloc:on"): 1, 0, or -1 if unknown.
 */
int q_init_on_alloc(void);

/*
 * Touch the byte at p (a load, then a store of the same value if write):
 * 0 if that worked, else the signal it raised (SIGBUS, SIGSEGV).
 */
int q_probe(volatile unsigned char *p, int write);

/* The minor number of /dev/qotdK and its major, or -1 (from stat). */
int q_devnum(int k, unsigned int *major, unsigned int *minor);

/* Write text to a file; 0, or -1 with errno set. */
int q_write_file(const char *path, const char *text);

/*
 * A memory cgroup /sys/fs/cgroup/NAME with memory.max = limit bytes and no
 * swap, cgroup2 mounted first if it is not (*mounted then says so); 0, or
 * -1 with the reason as a TAP comment. q_memcg_enter() moves the calling
 * process in (0 or -1); q_memcg_remove() waits for the group to empty and
 * removes it, unmounting cgroup2 if q_memcg_create() mounted it, and says
 * whether the group is gone.
 */
int q_memcg_create(const char *name, long limit, int *mounted);
int q_memcg_enter(const char *name);
int q_memcg_remove(const char *name, int mounted);

/* Sleep for ms milliseconds. */
void q_msleep(unsigned int ms);

#endif /* QOTD_TEST_QTEST_H */
