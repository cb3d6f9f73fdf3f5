/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What qotd-trinity.so (inside trinity) and fuzzrun (around it) share: the
 * counts of calls made on qotd's fds, and the system calls trinity is told
 * to make: those that take an fd, as their first argument unless
 * qotd-trinity.c says otherwise.
 */
#ifndef QOTD_DEBUG_FUZZCOUNT_H
#define QOTD_DEBUG_FUZZCOUNT_H

#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#define QF_NCMDS	6
#define QF_NSYSCALLS	512

struct qf_counts {
	uint64_t calls;			/* 64-bit calls with a qotd fd */
	uint64_t cmd[QF_NCMDS];		/* ioctls with one of qotd's commands */
	uint64_t per_nr[QF_NSYSCALLS];	/* calls with a qotd fd, by number */
};

struct qf_syscall {
	const char *name;		/* as trinity -L names it */
	long nr;
};

static const struct qf_syscall qf_syscalls[] = {
	{ "read", SYS_read }, { "write", SYS_write },
	{ "pread64", SYS_pread64 }, { "pwrite64", SYS_pwrite64 },
	{ "readv", SYS_readv }, { "writev", SYS_writev },
	{ "preadv", SYS_preadv }, { "pwritev", SYS_pwritev },
	{ "preadv2", SYS_preadv2 }, { "pwritev2", SYS_pwritev2 },
	{ "lseek", SYS_lseek }, { "ioctl", SYS_ioctl },
	{ "mmap", SYS_mmap }, { "newfstat", SYS_fstat },
	{ "fcntl", SYS_fcntl }, { "flock", SYS_flock },
	{ "fsync", SYS_fsync }, { "fdatasync", SYS_fdatasync },
	{ "ftruncate", SYS_ftruncate }, { "fallocate", SYS_fallocate },
	{ "fadvise64", SYS_fadvise64 }, { "readahead", SYS_readahead },
	{ "sync_file_range", SYS_sync_file_range },
	{ "fstatfs", SYS_fstatfs }, { "fchmod", SYS_fchmod },
	{ "fchown", SYS_fchown }, { "getdents64", SYS_getdents64 },
	{ "dup", SYS_dup }, { "dup2", SYS_dup2 }, { "dup3", SYS_dup3 },
	{ "fgetxattr", SYS_fgetxattr }, { "fsetxattr", SYS_fsetxattr },
	{ "flistxattr", SYS_flistxattr },
	{ "fremovexattr", SYS_fremovexattr },
	{ "splice", SYS_splice }, { "tee", SYS_tee },
	{ "sendfile", SYS_sendfile },
	{ "copy_file_range", SYS_copy_file_range },
};

#define QF_NLISTED (sizeof(qf_syscalls) / sizeof(qf_syscalls[0]))

static inline int qf_first_arg_fd(long nr)
{
	unsigned int i;

	for (i = 0; i < QF_NLISTED; i++)
		if (qf_syscalls[i].nr == nr)
			return 1;
	return 0;
}

#endif
