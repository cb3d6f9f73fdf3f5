// SPDX-License-Identifier: GPL-2.0
/*
 * qotdctl - show or change the buffer of a qotd (Quote of the Day) device.
 *
 *   qotdctl [-d PATH] -g        print the buffer size
 *   qotdctl [-d PATH] -s SIZE   resize the buffer
 *   qotdctl [-d PATH] -r        restore the initial quotation
 *
 * See qotdctl --help for the options, SIZE syntax and exit statuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/qotd.h>

#include "parse.h"

#ifndef QOTDCTL_VERSION
#error "QOTDCTL_VERSION must be defined (the Makefile takes it from VERSION)"
#endif

/* Flush stdout and report a failure to write it (a full disk, a closed pipe). */
static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "qotdctl: write error: %s\n", strerror(errno));
		return QOTDCTL_EXIT_OP;
	}
	return QOTDCTL_EXIT_OK;
}

static int run(const struct qotdctl_opts *opts)
{
	int flags = opts->action == QOTDCTL_GET_SIZE ? O_RDONLY : O_RDWR;
	int fd, ret = QOTDCTL_EXIT_OK;
	__u64 size;

	fd = open(opts->device, flags | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "qotdctl: %s: %s\n", opts->device, strerror(errno));
		return QOTDCTL_EXIT_OPEN;
	}

	switch (opts->action) {
	case QOTDCTL_GET_SIZE:
		if (ioctl(fd, QOTDIOCGSZ, &size) < 0) {
			fprintf(stderr, "qotdctl: get size of %s: %s\n",
				opts->device, strerror(errno));
			ret = QOTDCTL_EXIT_OP;
			break;
		}
		printf("%" PRIu64 "\n", (uint64_t)size);
		ret = finish_stdout();
		break;
	case QOTDCTL_SET_SIZE:
		size = opts->size;
		if (ioctl(fd, QOTDIOCSSZ, &size) < 0) {
			fprintf(stderr, "qotdctl: set size %" PRIu64 " on %s: %s\n",
				opts->size, opts->device, strerror(errno));
			ret = QOTDCTL_EXIT_OP;
		}
		break;
	case QOTDCTL_RESET:
		if (ioctl(fd, QOTDIOCDISCARD) < 0) {
			fprintf(stderr, "qotdctl: reset %s: %s\n",
				opts->device, strerror(errno));
			ret = QOTDCTL_EXIT_OP;
		}
		break;
	case QOTDCTL_NONE:
		break;
	}

	if (close(fd) < 0 && ret == QOTDCTL_EXIT_OK) {
		fprintf(stderr, "qotdctl: close %s: %s\n", opts->device, strerror(errno));
		ret = QOTDCTL_EXIT_OP;
	}
	return ret;
}

int main(int argc, char *argv[])
{
	struct qotdctl_opts opts;
	char msg[512];

	switch (qotdctl_parse_args(argc, argv, &opts, msg, sizeof(msg))) {
	case QOTDCTL_PARSE_OK:
		return run(&opts);
	case QOTDCTL_PARSE_HELP:
		fputs(qotdctl_help_text, stdout);
		return finish_stdout();
	case QOTDCTL_PARSE_VERSION:
		printf("qotdctl %s\n", QOTDCTL_VERSION);
		return finish_stdout();
	case QOTDCTL_PARSE_BAD_SIZE:
		fprintf(stderr, "qotdctl: %s\n", msg);
		return QOTDCTL_EXIT_USAGE;
	case QOTDCTL_PARSE_USAGE:
	default:
		fprintf(stderr, "qotdctl: %s\n%sTry 'qotdctl --help' for more information.\n",
			msg, qotdctl_usage_text);
		return QOTDCTL_EXIT_USAGE;
	}
}
