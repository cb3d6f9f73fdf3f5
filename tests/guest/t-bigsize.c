// SPDX-License-Identifier: GPL-2.0
/*
 * A large buffer (D6): with max_size=268435456, grow to 256 MiB once, write
 * and read back the last byte, check every byte, then discard.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qtest.h"

#define BIG (256LL << 20)
#define CHUNK (1 << 20)

int main(int argc, char **argv)
{
	unsigned char *buf = malloc(CHUNK), *zero = calloc(1, CHUNK), c = 0;
	long long bad_at = -1, total = 0;
	uint64_t size = 0;
	int fd, ret;

	tap_init(argc, argv);
	q_load_or_bail("max_size=268435456");
	tap_eq(q_param("max_size"), BIG, "max_size=268435456 reads back");
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0 && buf && zero, "open /dev/qotd0")) {
		q_force_cleanup();
		return tap_done();
	}
	tap_errno(q_ssz(fd, BIG + 1), EINVAL, "D6: resize to max_size + 1 (256 MiB + 1) fails with EINVAL");
	ret = q_ssz(fd, BIG);
	if (!tap_eq(ret, 0, "D6: resize to 256 MiB (max_size) succeeds")) {
		tap_diag("QOTDIOCSSZ: %s", strerror(errno));
		q_reset(0);
		close(fd);
		return q_finish(1);
	}
	tap_ok(q_gsz(fd, &size) == 0 && size == (uint64_t)BIG, "D5: QOTDIOCGSZ gives 268435456");
	tap_eq(q_attr(0, "size"), BIG, "sysfs size is 268435456");
	tap_ok(q_attr(0, "allocated") >= BIG, "sysfs allocated is at least 256 MiB (%lld)",
	       q_attr(0, "allocated"));
	tap_eq(pwrite(fd, "Z", 1, BIG - 1), 1, "D3: write the last byte (offset 268435455)");
	tap_eq(pread(fd, &c, 1, BIG - 1), 1, "D2: read the last byte back");
	tap_eq(c, 'Z', "D2: the last byte is what was written");
	tap_eq(pread(fd, buf, 16, BIG), 0, "D2: read at 256 MiB returns 0");
	tap_errno(pwrite(fd, "Z", 1, BIG), ENOSPC, "D3: write at 256 MiB fails with ENOSPC");
	tap_eq(lseek(fd, 0, SEEK_END), BIG, "D4: SEEK_END 0 is 256 MiB");

	/* Every byte: the initial 128, zeros, the last 'Z'. */
	for (long long off = 0; off < BIG; off += CHUNK) {
		ssize_t n = pread(fd, buf, CHUNK, off);

		if (n != CHUNK) {
			bad_at = off;
			tap_diag("pread at %lld gave %zd", off, n);
			break;
		}
		total += n;
		if (off == 0) {
			if (memcmp(buf, q_initial, QOTD_INIT_SIZE))
				bad_at = 0;
			memset(buf, 0, QOTD_INIT_SIZE);
		}
		if (off + CHUNK == BIG) {
			if (buf[CHUNK - 1] != 'Z')
				bad_at = BIG - 1;
			buf[CHUNK - 1] = 0;
		}
		if (bad_at < 0 && memcmp(buf, zero, CHUNK)) {
			for (long long i = 0; i < CHUNK; i++)
				if (buf[i]) {
					bad_at = off + i;
					break;
				}
		}
		if (bad_at >= 0)
			break;
	}
	if (!tap_ok(bad_at < 0 && total == BIG,
		    "D6: the 256 MiB buffer reads as the initial 128 bytes, zeros, and the written last byte"))
		tap_diag("first unexpected byte at offset %lld (read %lld bytes)", bad_at, total);

	tap_eq(q_discard(fd), 0, "D7: discard the 256 MiB buffer");
	q_expect_content(0, q_initial, QOTD_INIT_SIZE, "D7: after discard: the initial 128 bytes");
	tap_ok(q_attr(0, "allocated") < 2 * Q_PAGE, "D7: after discard the big buffer is freed (allocated %lld)",
	       q_attr(0, "allocated"));
	close(fd);
	free(buf);
	free(zero);
	return q_finish(1);
}
