/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * qotd - Quote of the Day, version 3: a memory-backed character device.
 *
 * The userspace interface of /dev/qotd0 ... /dev/qotdN.
 */
#ifndef _UAPI_LINUX_QOTD_H
#define _UAPI_LINUX_QOTD_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Size of the buffer when a device is created or discarded, in bytes. */
#define QOTD_INIT_SIZE		128
/* Largest size accepted unless the max_size module parameter says otherwise. */
#define QOTD_DEFAULT_MAX_SIZE	65536

/*
 * Free in Documentation/userspace-api/ioctl/ioctl-number.rst of 7.3, the
 * newest kernel qotd supports (0xB8, used before, went to mrvl_cn10k_dpi
 * and mshv in 6.11); a host test checks it against the newest table.
 */
#define QOTD_IOC_MAGIC		0xC4

/* Store the buffer size (not the string length); fd open for reading. */
#define QOTDIOCGSZ		_IOR(QOTD_IOC_MAGIC, 1, __u64)
/* Resize to 1 .. max_size bytes, keeping the head; fd open for writing. */
#define QOTDIOCSSZ		_IOW(QOTD_IOC_MAGIC, 2, __u64)
/* Reset to the initial quotation and size; fd open for writing. */
#define QOTDIOCDISCARD		_IO(QOTD_IOC_MAGIC, 3)

/*
 * The command values of the Solaris original, accepted unchanged so that
 * programs written for it work.  Their argument points to a size_t: eight
 * bytes from a 64-bit caller, four from a 32-bit one.  New code should use
 * the commands above.
 */
#define QOTD_LEGACY_IOCGSZ	0x71746401
#define QOTD_LEGACY_IOCSSZ	0x71746402
#define QOTD_LEGACY_IOCDISCARD	0x71746403

#endif /* _UAPI_LINUX_QOTD_H */
