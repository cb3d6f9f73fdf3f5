/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotdctl - command line parsing, kept apart from the device code so that
 * it can be tested on any machine.
 */
#ifndef QOTDCTL_PARSE_H
#define QOTDCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define QOTDCTL_DEFAULT_DEVICE	"/dev/qotd0"

/* Exit statuses, also listed in the --help text. */
#define QOTDCTL_EXIT_OK		0
#define QOTDCTL_EXIT_USAGE	1	/* bad options or SIZE: nothing done */
#define QOTDCTL_EXIT_OPEN	3	/* the device could not be opened */
#define QOTDCTL_EXIT_OP		4	/* the operation itself failed */

enum qotdctl_action {
	QOTDCTL_NONE,
	QOTDCTL_GET_SIZE,
	QOTDCTL_SET_SIZE,
	QOTDCTL_RESET,
	QOTDCTL_WATCH,
};

enum qotdctl_parse_result {
	QOTDCTL_PARSE_OK,	/* run opts->action on opts->device */
	QOTDCTL_PARSE_HELP,	/* print the help text, exit 0 */
	QOTDCTL_PARSE_VERSION,	/* print the version, exit 0 */
	QOTDCTL_PARSE_USAGE,	/* message + usage on stderr, exit 1 */
	QOTDCTL_PARSE_BAD_SIZE,	/* message on stderr, exit 1 */
};

struct qotdctl_opts {
	const char *device;
	enum qotdctl_action action;
	const char *size_arg;	/* SIZE as given, for messages */
	uint64_t size;		/* parsed SIZE, for QOTDCTL_SET_SIZE */
};

/*
 * Parse a SIZE argument: one or more decimal digits, optionally followed by
 * exactly one 'K' (x 1024) or 'M' (x 1048576). Nothing else is accepted: no
 * sign, no white space, no lowercase suffix, no other base. The value must
 * be at least 1 and fit in 64 bits after the multiplication.
 * Returns 0 and stores the value in *size, or returns -1 and points *why at
 * a short reason (static storage); *size is left alone then.
 */
int qotdctl_parse_size(const char *arg, uint64_t *size, const char **why);

/*
 * Parse the command line (argv[0] is the program name). Uses getopt_long,
 * may permute argv, and can be called more than once. On QOTDCTL_PARSE_USAGE
 * and QOTDCTL_PARSE_BAD_SIZE a one-line message (without the program name)
 * is written to msg.
 */
enum qotdctl_parse_result qotdctl_parse_args(int argc, char *argv[],
					     struct qotdctl_opts *opts,
					     char *msg, size_t msglen);

/* The help text (for -h) and the short usage (for errors). */
extern const char qotdctl_help_text[];
extern const char qotdctl_usage_text[];

#endif /* QOTDCTL_PARSE_H */
