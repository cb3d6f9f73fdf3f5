// SPDX-License-Identifier: GPL-2.0
/*
 * qotdctl - command line and SIZE parsing.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"

const char qotdctl_usage_text[] =
	"Usage: qotdctl [-d PATH] -g | -s SIZE | -r | -w\n"
	"       qotdctl -h | -V\n";

const char qotdctl_help_text[] =
	"Usage: qotdctl [-d PATH] -g | -s SIZE | -r | -w\n"
	"       qotdctl -h | -V\n"
	"Show or change the buffer of a qotd (Quote of the Day) device.\n"
	"\n"
	"  -d, --device PATH    the device node to use (default " QOTDCTL_DEFAULT_DEVICE ")\n"
	"  -g, --get-size       print the buffer size in bytes\n"
	"  -s, --set-size SIZE  resize the buffer to SIZE bytes; the text up to the\n"
	"                       new size is kept and new bytes read as zero\n"
	"  -r, --reset          discard all changes: restore the initial quotation\n"
	"                       and the initial size (128 bytes)\n"
	"  -w, --watch          print the quotation (up to its first NUL byte) now\n"
	"                       and again after each change of the device, until\n"
	"                       interrupted (SIGINT or SIGTERM end it with status 0)\n"
	"  -h, --help           print this help and exit\n"
	"  -V, --version        print the version and exit\n"
	"\n"
	"Exactly one of -g, -s, -r and -w must be given. -g and -w open the device\n"
	"read-only, -s and -r open it read-write.\n"
	"\n"
	"SIZE is a number of bytes in decimal digits, optionally followed by K\n"
	"(times 1024) or M (times 1048576), for example 512, 4K or 1M. Lowercase\n"
	"suffixes, signs, spaces, other bases and zero are refused. The largest\n"
	"size is set by the driver's max_size module parameter (65536 unless\n"
	"changed); a larger SIZE is refused by the driver.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  usage error or invalid SIZE; the device was not touched\n"
	"  3  the device could not be opened\n"
	"  4  the operation failed (the message names the reason), or the\n"
	"     output could not be written\n";

int qotdctl_parse_size(const char *arg, uint64_t *size, const char **why)
{
	const char *p = arg;
	uint64_t value = 0, mult = 1;

	if (*p == '\0') {
		*why = "empty";
		return -1;
	}
	if (*p < '0' || *p > '9') {
		*why = "not a decimal number of bytes";
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (value > (UINT64_MAX - digit) / 10) {
			*why = "too large (does not fit in 64 bits)";
			return -1;
		}
		value = value * 10 + digit;
	}
	if (*p == 'K') {
		mult = 1024;
		p++;
	} else if (*p == 'M') {
		mult = 1024 * 1024;
		p++;
	} else if (*p == 'k' || *p == 'm') {
		*why = "suffixes are K and M (uppercase)";
		return -1;
	}
	if (*p != '\0') {
		*why = "expected decimal digits with an optional K or M suffix";
		return -1;
	}
	if (value == 0) {
		*why = "must be at least 1";
		return -1;
	}
	if (value > UINT64_MAX / mult) {
		*why = "too large (does not fit in 64 bits)";
		return -1;
	}
	*size = value * mult;
	return 0;
}

static const struct option long_options[] = {
	{ "device",   required_argument, NULL, 'd' },
	{ "get-size", no_argument,       NULL, 'g' },
	{ "set-size", required_argument, NULL, 's' },
	{ "reset",    no_argument,       NULL, 'r' },
	{ "watch",    no_argument,       NULL, 'w' },
	{ "help",     no_argument,       NULL, 'h' },
	{ "version",  no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Describe the option getopt_long just refused. It sets optopt to 0 for an
 * unknown long option, to the option's letter for a long option used wrongly
 * or a short option missing its argument (both leave optind past the
 * element), and to the unknown letter for an unknown short option (which may
 * sit in the middle of a cluster such as -xg, where optind has not moved).
 */
static void bad_option(char *msg, size_t msglen, const char *what,
		       int argc, char *argv[])
{
	const char *elem = (optind >= 1 && optind <= argc) ? argv[optind - 1] : "";
	int long_form = optopt == 0 ||
			(strchr("dgsrwhV", optopt) && strncmp(elem, "--", 2) == 0);

	if (long_form)
		snprintf(msg, msglen, "%s '%s'", what, elem);
	else
		snprintf(msg, msglen, "%s '-%c'", what, optopt);
}

enum qotdctl_parse_result qotdctl_parse_args(int argc, char *argv[],
					     struct qotdctl_opts *opts,
					     char *msg, size_t msglen)
{
	int help = 0, version = 0, actions = 0, devices = 0;
	const char *why;
	int c;

	opts->device = QOTDCTL_DEFAULT_DEVICE;
	opts->action = QOTDCTL_NONE;
	opts->size_arg = NULL;
	opts->size = 0;
	if (msglen)
		msg[0] = '\0';

	optind = 0;	/* full reinitialisation, so the parser can run again */
	opterr = 0;	/* messages are ours */
	while ((c = getopt_long(argc, argv, ":d:gs:rwhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'd':
			opts->device = optarg;
			devices++;
			break;
		case 'g':
			opts->action = QOTDCTL_GET_SIZE;
			actions++;
			break;
		case 's':
			opts->action = QOTDCTL_SET_SIZE;
			opts->size_arg = optarg;
			actions++;
			break;
		case 'r':
			opts->action = QOTDCTL_RESET;
			actions++;
			break;
		case 'w':
			opts->action = QOTDCTL_WATCH;
			actions++;
			break;
		case 'h':
			help = 1;
			break;
		case 'V':
			version = 1;
			break;
		case ':':
			bad_option(msg, msglen, "missing argument for option",
				   argc, argv);
			return QOTDCTL_PARSE_USAGE;
		default:
			bad_option(msg, msglen, "invalid option", argc, argv);
			return QOTDCTL_PARSE_USAGE;
		}
	}
	if (optind < argc) {
		snprintf(msg, msglen, "unexpected argument '%s'", argv[optind]);
		return QOTDCTL_PARSE_USAGE;
	}
	if (help)
		return QOTDCTL_PARSE_HELP;
	if (version)
		return QOTDCTL_PARSE_VERSION;
	if (devices > 1) {
		snprintf(msg, msglen, "the device can be given only once");
		return QOTDCTL_PARSE_USAGE;
	}
	if (opts->device[0] == '\0') {
		snprintf(msg, msglen, "the device path is empty");
		return QOTDCTL_PARSE_USAGE;
	}
	if (actions != 1) {
		snprintf(msg, msglen, actions ?
			 "only one of -g, -s, -r and -w can be given" :
			 "one of -g, -s, -r and -w is required");
		opts->action = QOTDCTL_NONE;
		return QOTDCTL_PARSE_USAGE;
	}
	if (opts->action == QOTDCTL_SET_SIZE &&
	    qotdctl_parse_size(opts->size_arg, &opts->size, &why) != 0) {
		snprintf(msg, msglen, "invalid size '%s': %s", opts->size_arg, why);
		return QOTDCTL_PARSE_BAD_SIZE;
	}
	return QOTDCTL_PARSE_OK;
}
