// SPDX-License-Identifier: GPL-2.0
/*
 * qotdctl - show or change the buffer of a qotd (Quote of the Day) device.
 *
 *   qotdctl [-d PATH] -g        print the buffer size
 *   qotdctl [-d PATH] -s SIZE   resize the buffer
 *   qotdctl [-d PATH] -r        restore the initial quotation
 *   qotdctl [-d PATH] -w        print the quotation after each change
 *
 * See qotdctl --help for the options, SIZE syntax and exit statuses.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
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

/* The signal that ends --watch, once it has arrived. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/*
 * Print the quotation: the device's bytes from offset 0 up to the first NUL,
 * ending the line if the text does not. The whole buffer comes in one
 * pread(), so a change can never show half of one text and half of another;
 * a buffer that fills up is read again, into one twice as large.
 */
static int show_quotation(int fd, const char *device, char **buf, size_t *cap)
{
	size_t len;
	ssize_t n;

	for (;;) {
		n = pread(fd, *buf, *cap, 0);
		if (n < 0) {
			fprintf(stderr, "qotdctl: read %s: %s\n", device, strerror(errno));
			return QOTDCTL_EXIT_OP;
		}
		if ((size_t)n < *cap)
			break;
		char *more = realloc(*buf, *cap * 2);

		if (!more) {
			fprintf(stderr, "qotdctl: read %s: %s\n", device, strerror(ENOMEM));
			return QOTDCTL_EXIT_OP;
		}
		*buf = more;
		*cap *= 2;
	}
	len = strnlen(*buf, (size_t)n);
	fwrite(*buf, 1, len, stdout);
	if (len == 0 || (*buf)[len - 1] != '\n')
		putchar('\n');
	return finish_stdout();
}

/*
 * --watch: the device reports POLLPRI once it changed since this open file
 * last read it, and the read that prints the new text clears it again.
 * SIGINT and SIGTERM are blocked except inside ppoll(), so one that comes
 * while a quotation is printed ends the wait that follows, and is never
 * lost between a check and the wait.
 */
static int watch(int fd, const char *device)
{
	struct sigaction sa = { .sa_handler = on_stop };
	size_t cap = QOTD_DEFAULT_MAX_SIZE;
	char *buf = malloc(cap);
	sigset_t stops, waiting;
	int ret;

	if (!buf) {
		fprintf(stderr, "qotdctl: watch %s: %s\n", device, strerror(ENOMEM));
		return QOTDCTL_EXIT_OP;
	}
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &waiting);
	sigdelset(&waiting, SIGINT);
	sigdelset(&waiting, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while ((ret = show_quotation(fd, device, &buf, &cap)) == QOTDCTL_EXIT_OK) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		int n;

		do
			n = ppoll(&pfd, 1, NULL, &waiting);
		while (n < 0 && errno == EINTR && !stop_signal);
		if (stop_signal)
			break;
		if (n < 0) {
			fprintf(stderr, "qotdctl: poll %s: %s\n", device, strerror(errno));
			ret = QOTDCTL_EXIT_OP;
			break;
		}
		/* Only POLLPRI was asked for: anything else is an error. */
		if (!(pfd.revents & POLLPRI)) {
			fprintf(stderr, "qotdctl: poll %s: %s\n", device,
				pfd.revents & POLLNVAL ? "not an open file" :
				"the device reported an error");
			ret = QOTDCTL_EXIT_OP;
			break;
		}
	}
	free(buf);
	return ret;
}

static int run(const struct qotdctl_opts *opts)
{
	int flags = opts->action == QOTDCTL_GET_SIZE ||
		    opts->action == QOTDCTL_WATCH ? O_RDONLY : O_RDWR;
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
	case QOTDCTL_WATCH:
		ret = watch(fd, opts->device);
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
