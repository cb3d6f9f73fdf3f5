// SPDX-License-Identifier: GPL-2.0
/*
 * Preloaded into trinity (the system call fuzzer) by tests/debug/fuzz.sh.
 *
 * 1. It hands trinity qotd's ioctl commands. Trinity picks an ioctl
 *    command from a table of the device an fd refers to; its tables are
 *    compiled in, but it exports register_ioctl_group(), which its own
 *    tables call from constructors. This library's constructor runs before
 *    the executable's, so qotd's table comes first, and its fd_test claims
 *    every fd whose device number is one of qotd's nodes.
 *    Half the time it points the argument at a valid __u64, for set size
 *    one of a few sizes around the edges (1 byte to just past max_size);
 *    otherwise trinity's own argument stays (a random number or page).
 *    Where trinity keeps the command and the argument in its call record
 *    is found at the first call (trinity is set up by then), by letting
 *    its pick_random_ioctl() fill a zeroed record from a table of one
 *    command.
 * 2. It counts the calls made on qotd's fds. Trinity makes its 64-bit
 *    calls through libc's syscall(), which this library wraps; the counts
 *    go to a shared mapping of the file descriptor named in
 *    QOTD_TRINITY_COUNTS_FD (opened by fuzzrun, which prints them), so the
 *    counts of every child trinity forks add up. Trinity's 32-bit calls go
 *    through int $0x80 and are not counted.
 *
 * 3. It stands in for a socket. Before it matches an ioctl's fd to a
 *    table, trinity 2023.01 looks the fd up in its lists of sockets and of
 *    test files, which exist only once one of each was made: without,
 *    every ioctl crashes the child that makes it. The debug kernel has no
 *    networking, and trinity's own socket set-up crashes it (its
 *    setsockopt generator) for every family but Bluetooth, which it
 *    leaves alone. So fuzz.sh gives trinity a socket cache file naming one
 *    Bluetooth socket, and socket() here returns an fd of /dev/null for
 *    Bluetooth (trinity's bind and setsockopt on it then fail with
 *    ENOTSOCK) and fails with EAFNOSUPPORT for any other family. Trinity
 *    is not here to fuzz networking.
 *
 * The structure trinity's register_ioctl_group() takes is declared here
 * as its binary interface (trinity 2023.01, Debian 12): the layout is
 * checked at run time by `trinity -I`, which lists the table under its
 * name and commands (fuzz.sh checks that), and by the counts, which show
 * whether the commands were used.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/qotd.h>

#include "fuzzcount.h"

/* trinity's struct ioctl and struct ioctl_group, in that order of fields. */
struct trin_ioctl {
	const char *name;
	unsigned int request;
};

struct trin_ioctl_group {
	const char *name;
	void (*sanitise)(const struct trin_ioctl_group *grp, void *rec);
	const struct trin_ioctl *ioctls;
	size_t ioctls_cnt;
	int devtype;
	const char *const *devs;
	size_t devs_cnt;
	int (*fd_test)(int fd, const struct stat *st);
};

/* Weak: without trinity around (a plain test program) they are NULL. */
extern void register_ioctl_group(const struct trin_ioctl_group *grp)
	__attribute__((weak));
extern void pick_random_ioctl(const struct trin_ioctl_group *grp, void *rec)
	__attribute__((weak));

static const struct trin_ioctl qotd_ioctls[QF_NCMDS] = {
	{ "QOTDIOCGSZ", QOTDIOCGSZ },
	{ "QOTDIOCSSZ", QOTDIOCSSZ },
	{ "QOTDIOCDISCARD", QOTDIOCDISCARD },
	{ "QOTD_LEGACY_IOCGSZ", QOTD_LEGACY_IOCGSZ },
	{ "QOTD_LEGACY_IOCSSZ", QOTD_LEGACY_IOCSSZ },
	{ "QOTD_LEGACY_IOCDISCARD", QOTD_LEGACY_IOCDISCARD },
};

/* The command's index in trinity's call record (-2: not looked for yet). */
static int rec_cmd = -2;
static __u64 qotd_arg;

static const __u64 qotd_sizes[] = {
	1, 2, 127, 128, 129, 4095, 4096, 4097, 65535, 65536, 65537,
};

/* Device numbers of /dev/qotd0 ... when the library was loaded. */
static dev_t qotd_rdev[64];
static unsigned int qotd_nrdev;

static struct qf_counts *counts;
static long (*real_syscall)(long nr, ...);

static int is_qotd_rdev(dev_t rdev)
{
	unsigned int i;

	for (i = 0; i < qotd_nrdev; i++)
		if (qotd_rdev[i] == rdev)
			return 1;
	return 0;
}

static int qotd_fd_test(int fd, const struct stat *st)
{
	(void)fd;
	return S_ISCHR(st->st_mode) && is_qotd_rdev(st->st_rdev) ? 0 : -1;
}

static void find_record_layout(void);

static void qotd_sanitise(const struct trin_ioctl_group *grp, void *rec)
{
	unsigned long *r = rec;
	unsigned int cmd;

	if (rec_cmd == -2)
		find_record_layout();
	pick_random_ioctl(grp, rec);
	if (rec_cmd < 0 || rand() % 2)
		return;
	cmd = (unsigned int)r[rec_cmd];
	if (cmd == QOTDIOCSSZ || cmd == QOTD_LEGACY_IOCSSZ)
		qotd_arg = qotd_sizes[rand() % (sizeof(qotd_sizes) / sizeof(qotd_sizes[0]))];
	else
		qotd_arg = 0;
	r[rec_cmd + 1] = (unsigned long)&qotd_arg;
}

/* Where pick_random_ioctl() puts the command: the argument comes next. */
static void find_record_layout(void)
{
	static const struct trin_ioctl probe_ioctl = { "probe", 0x5a5aa5a5 };
	struct trin_ioctl_group probe = {
		.name = "probe", .ioctls = &probe_ioctl, .ioctls_cnt = 1,
	};
	unsigned long rec[64] = { 0 };
	int i;

	pick_random_ioctl(&probe, rec);
	for (i = 0; i < 63; i++)
		if (rec[i] == probe_ioctl.request) {
			rec_cmd = i;
			return;
		}
	rec_cmd = -1;
	fprintf(stderr, "qotd-trinity: no command in trinity's call record; arguments stay trinity's\n");
}

/* Not const: sanitise is filled in once trinity's function is known. */
static struct trin_ioctl_group qotd_group = {
	.name = "qotd",
	.ioctls = qotd_ioctls,
	.ioctls_cnt = QF_NCMDS,
	.fd_test = qotd_fd_test,
};

static int is_qotd_fd(long fd)
{
	struct stat st;
	int saved = errno, ret;

	if (fd < 0 || fd > 65535)
		return 0;
	ret = fstat((int)fd, &st) == 0 && qotd_fd_test((int)fd, &st) == 0;
	errno = saved;
	return ret;
}

/* Which arguments (bit 0: the first) of a 64-bit call are fds. */
static unsigned int fd_args(long nr)
{
	switch (nr) {
	case SYS_mmap:
		return 1u << 4;
	case SYS_sendfile:
	case SYS_tee:
		return 3u;
	case SYS_splice:
	case SYS_copy_file_range:
		return 5u;
	default:
		break;
	}
	if (nr >= 0 && nr < QF_NSYSCALLS && qf_first_arg_fd(nr))
		return 1u;
	return 0;
}

static void count(long nr, const long *a)
{
	unsigned int mask = fd_args(nr), i, hit = 0;

	for (i = 0; i < 6; i++)
		if ((mask & (1u << i)) && is_qotd_fd(a[i]))
			hit = 1;
	if (!hit)
		return;
	__atomic_fetch_add(&counts->calls, 1, __ATOMIC_RELAXED);
	if (nr >= 0 && nr < QF_NSYSCALLS)
		__atomic_fetch_add(&counts->per_nr[nr], 1, __ATOMIC_RELAXED);
	if (nr == SYS_ioctl) {
		for (i = 0; i < QF_NCMDS; i++)
			if ((unsigned int)a[1] == qotd_ioctls[i].request)
				__atomic_fetch_add(&counts->cmd[i], 1,
						   __ATOMIC_RELAXED);
	}
}

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (counts)
		count(nr, a);
	return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int socket(int domain, int type, int protocol)
{
	(void)type;
	(void)protocol;
	if (domain == AF_BLUETOOTH)
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	errno = EAFNOSUPPORT;
	return -1;
}

static void find_nodes(void)
{
	char path[64];
	struct stat st;
	unsigned int i;

	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/dev/qotd%u", i);
		if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
			qotd_rdev[qotd_nrdev++] = st.st_rdev;
	}
}

__attribute__((constructor)) static void qotd_trinity_init(void)
{
	const char *fd = getenv("QOTD_TRINITY_COUNTS_FD");
	void *p;

	real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	if (!real_syscall)
		abort();
	find_nodes();
	if (fd) {
		p = mmap(NULL, sizeof(*counts), PROT_READ | PROT_WRITE,
			 MAP_SHARED, atoi(fd), 0);
		if (p != MAP_FAILED)
			counts = p;
		close(atoi(fd));
		unsetenv("QOTD_TRINITY_COUNTS_FD");
	}
	if (register_ioctl_group && pick_random_ioctl) {
		qotd_group.sanitise = qotd_sanitise;
		register_ioctl_group(&qotd_group);
	}
}
