// SPDX-License-Identifier: GPL-2.0
/*
 * qotd-reset: discard (QOTDIOCDISCARD) every /dev/qotd* node, so that the
 * module can be unloaded whatever a test left behind. Exit status 1 if a
 * node could not be discarded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/qotd.h>

int main(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int status = 0;

	if (!d) {
		perror("qotd-reset: /dev");
		return 1;
	}
	while ((e = readdir(d))) {
		char path[300];
		int fd;

		if (strncmp(e->d_name, "qotd", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, QOTDIOCDISCARD)) {
			fprintf(stderr, "qotd-reset: %s: %s\n", path,
				strerror(errno));
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return status;
}
