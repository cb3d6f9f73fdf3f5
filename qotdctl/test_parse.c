// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of qotdctl's SIZE and option parsing (no device needed).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void size_ok(const char *arg, uint64_t want)
{
	uint64_t got = 0;
	const char *why = NULL;
	int ret = qotdctl_parse_size(arg, &got, &why);

	if (!tap_check(ret == 0 && got == want, "size '%s' is %llu", arg,
		       (unsigned long long)want))
		tap_diag("returned %d, value %llu, reason %s", ret,
			 (unsigned long long)got, why ? why : "(none)");
}

/* A refused SIZE leaves *size alone and gives a reason containing 'reason'. */
static void size_bad(const char *label, const char *arg, const char *reason)
{
	uint64_t got = 12345;
	const char *why = NULL;
	int ret = qotdctl_parse_size(arg, &got, &why);
	int good = ret == -1 && got == 12345 && why && strstr(why, reason);

	if (!tap_check(good, "size %s is refused (%s)", label, reason))
		tap_diag("returned %d, value %llu, reason %s", ret,
			 (unsigned long long)got, why ? why : "(none)");
}

static void test_sizes(void)
{
	size_ok("1", 1);
	size_ok("128", 128);
	size_ok("512", 512);
	size_ok("65536", 65536);
	size_ok("65537", 65537);
	size_ok("4K", 4096);
	size_ok("64K", 65536);
	size_ok("1M", 1048576);
	size_ok("1024M", 1073741824);
	size_ok("007", 7);			/* leading zeros: still decimal */
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("18014398509481983K", UINT64_MAX - 1023);
	size_ok("17592186044415M", UINT64_MAX - 1048575);

	size_bad("'' (empty)", "", "empty");
	size_bad("'0'", "0", "at least 1");
	size_bad("'00'", "00", "at least 1");
	size_bad("'0K'", "0K", "at least 1");
	size_bad("'0M'", "0M", "at least 1");
	size_bad("'-1'", "-1", "not a decimal number");
	size_bad("'+1'", "+1", "not a decimal number");
	size_bad("' 1' (leading space)", " 1", "not a decimal number");
	size_bad("'1 ' (trailing space)", "1 ", "optional K or M");
	size_bad("'1\\n'", "1\n", "optional K or M");
	size_bad("'\\t1'", "\t1", "not a decimal number");
	size_bad("'1k' (lowercase suffix)", "1k", "uppercase");
	size_bad("'1m' (lowercase suffix)", "1m", "uppercase");
	size_bad("'1KB'", "1KB", "optional K or M");
	size_bad("'1KK'", "1KK", "optional K or M");
	size_bad("'1MK'", "1MK", "optional K or M");
	size_bad("'1G'", "1G", "optional K or M");
	size_bad("'1.5K'", "1.5K", "optional K or M");
	size_bad("'K'", "K", "not a decimal number");
	size_bad("'0x10'", "0x10", "optional K or M");
	size_bad("'12x'", "12x", "optional K or M");
	size_bad("'abc'", "abc", "not a decimal number");
	size_bad("'18446744073709551616' (2^64)", "18446744073709551616", "64 bits");
	size_bad("'99999999999999999999'", "99999999999999999999", "64 bits");
	size_bad("'184467440737095516150' (21 digits)", "184467440737095516150", "64 bits");
	size_bad("'18014398509481984K' (2^64 after K)", "18014398509481984K", "64 bits");
	size_bad("'17592186044416M' (2^64 after M)", "17592186044416M", "64 bits");
	size_bad("'18446744073709551615K'", "18446744073709551615K", "64 bits");
}

/*
 * Run the option parser on a NULL-terminated argument vector (program name
 * first) and check the result and, where given, the message.
 */
static void args_case(const char *desc, char *argv[], int argc,
		      enum qotdctl_parse_result want, const char *want_msg,
		      struct qotdctl_opts *opts)
{
	char msg[256];
	enum qotdctl_parse_result got;
	int good;

	got = qotdctl_parse_args(argc, argv, opts, msg, sizeof(msg));
	good = got == want && (!want_msg || strstr(msg, want_msg));
	if (!tap_check(good, "options: %s", desc))
		tap_diag("result %d (want %d), message '%s'", got, want, msg);
}

static void test_options(void)
{
	struct qotdctl_opts o;

	{
		char *a[] = { "qotdctl", NULL };
		args_case("none is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "one of -g, -s, -r and -w is required", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", NULL };
		args_case("-g", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_GET_SIZE &&
			  strcmp(o.device, "/dev/qotd0") == 0,
			  "options: -g gets the size of /dev/qotd0");
	}
	{
		char *a[] = { "qotdctl", "-r", NULL };
		args_case("-r", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_RESET, "options: -r resets");
	}
	{
		char *a[] = { "qotdctl", "-w", NULL };
		args_case("-w", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_WATCH, "options: -w watches");
	}
	{
		char *a[] = { "qotdctl", "--watch", "-d", "/dev/qotd1", NULL };
		args_case("--watch -d /dev/qotd1", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_WATCH && strcmp(o.device, "/dev/qotd1") == 0,
			  "options: --watch watches the device given");
	}
	{
		char *a[] = { "qotdctl", "-w", "-g", NULL };
		args_case("-w -g is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-r", "--watch", NULL };
		args_case("-r --watch is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "512", "-w", NULL };
		args_case("-s 512 -w is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "--watch=1", NULL };
		args_case("--watch=1 (argument to a flag)", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "invalid option '--watch=1'", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "4K", NULL };
		args_case("-s 4K", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_SET_SIZE && o.size == 4096 &&
			  strcmp(o.size_arg, "4K") == 0,
			  "options: -s 4K sets the size to 4096");
	}
	{
		char *a[] = { "qotdctl", "-s512", NULL };
		args_case("-s512 (attached argument)", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_SET_SIZE && o.size == 512,
			  "options: -s512 sets the size to 512");
	}
	{
		char *a[] = { "qotdctl", "-g", "-r", NULL };
		args_case("-g -r is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "-s", "512", NULL };
		args_case("-g -s 512 is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "1", "-s", "2", NULL };
		args_case("-s twice is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-gg", NULL };
		args_case("-gg is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of -g, -s, -r and -w", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "junk", "-r", NULL };
		args_case("-s junk -r is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only one of", &o);
	}
	{
		char *a[] = { "qotdctl", "-x", NULL };
		args_case("unknown option -x", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "invalid option '-x'", &o);
	}
	{
		char *a[] = { "qotdctl", "--reset", "-xg", NULL };
		args_case("unknown option inside a cluster (--reset -xg)", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "invalid option '-x'", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "--bogus", NULL };
		args_case("unknown option --bogus", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "invalid option '--bogus'", &o);
	}
	{
		char *a[] = { "qotdctl", "--get-size=5", NULL };
		args_case("--get-size=5 (argument to a flag)", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "invalid option '--get-size=5'", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", NULL };
		args_case("-s without its argument", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "missing argument for option '-s'", &o);
	}
	{
		char *a[] = { "qotdctl", "-gs", NULL };
		args_case("-gs without an argument", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "missing argument for option '-s'", &o);
	}
	{
		char *a[] = { "qotdctl", "--set-size", NULL };
		args_case("--set-size without its argument", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "missing argument for option '--set-size'", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "-d", NULL };
		args_case("-d without its argument", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "missing argument for option '-d'", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "extra", NULL };
		args_case("stray operand after -g", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "unexpected argument 'extra'", &o);
	}
	{
		char *a[] = { "qotdctl", "extra", "-g", NULL };
		args_case("stray operand before -g", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "unexpected argument 'extra'", &o);
	}
	{
		char *a[] = { "qotdctl", "--", "-g", NULL };
		args_case("-g after -- is an operand", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "unexpected argument '-g'", &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "--", NULL };
		args_case("-g --", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "-h", NULL };
		args_case("-h asks for help", a, ARGC(a), QOTDCTL_PARSE_HELP, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "--help", NULL };
		args_case("--help asks for help", a, ARGC(a), QOTDCTL_PARSE_HELP, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "-g", "-r", "-h", NULL };
		args_case("-h wins over an action count error", a, ARGC(a),
			  QOTDCTL_PARSE_HELP, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "-h", "-x", NULL };
		args_case("-h with an unknown option is a usage error", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "invalid option '-x'", &o);
	}
	{
		char *a[] = { "qotdctl", "-V", NULL };
		args_case("-V asks for the version", a, ARGC(a), QOTDCTL_PARSE_VERSION, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "--version", NULL };
		args_case("--version asks for the version", a, ARGC(a),
			  QOTDCTL_PARSE_VERSION, NULL, &o);
	}
	{
		char *a[] = { "qotdctl", "--device", "/dev/qotd3", "--get-size", NULL };
		args_case("--device PATH --get-size", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_GET_SIZE && strcmp(o.device, "/dev/qotd3") == 0,
			  "options: --device sets the path");
	}
	{
		char *a[] = { "qotdctl", "--device=/dev/qotd2", "--reset", NULL };
		args_case("--device=PATH --reset", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_RESET && strcmp(o.device, "/dev/qotd2") == 0,
			  "options: --device=PATH sets the path");
	}
	{
		char *a[] = { "qotdctl", "--set-size=1M", NULL };
		args_case("--set-size=1M", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.action == QOTDCTL_SET_SIZE && o.size == 1048576,
			  "options: --set-size=1M sets the size to 1048576");
	}
	{
		char *a[] = { "qotdctl", "--set-size", "64K", "-d", "/dev/qotd1", NULL };
		args_case("--set-size 64K -d PATH", a, ARGC(a), QOTDCTL_PARSE_OK, NULL, &o);
		tap_check(o.size == 65536 && strcmp(o.device, "/dev/qotd1") == 0,
			  "options: --set-size 64K -d PATH sets size and path");
	}
	{
		char *a[] = { "qotdctl", "-d", "/dev/qotd1", NULL };
		args_case("-d without an action is a usage error", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "one of -g, -s, -r and -w is required", &o);
	}
	{
		char *a[] = { "qotdctl", "-d", "/dev/a", "-d", "/dev/b", "-g", NULL };
		args_case("-d twice is a usage error", a, ARGC(a), QOTDCTL_PARSE_USAGE,
			  "only once", &o);
	}
	{
		char *a[] = { "qotdctl", "-d", "", "-g", NULL };
		args_case("an empty device path is a usage error", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "empty", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "12x", NULL };
		args_case("-s 12x is an invalid size", a, ARGC(a), QOTDCTL_PARSE_BAD_SIZE,
			  "invalid size '12x': ", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "-1", NULL };
		args_case("-s -1 is an invalid size", a, ARGC(a), QOTDCTL_PARSE_BAD_SIZE,
			  "invalid size '-1': ", &o);
	}
	{
		char *a[] = { "qotdctl", "--set-size=", NULL };
		args_case("--set-size= is an invalid size", a, ARGC(a),
			  QOTDCTL_PARSE_BAD_SIZE, "invalid size '': empty", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "0", NULL };
		args_case("-s 0 is an invalid size", a, ARGC(a), QOTDCTL_PARSE_BAD_SIZE,
			  "invalid size '0': must be at least 1", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "17592186044416M", NULL };
		args_case("-s 17592186044416M is an invalid size", a, ARGC(a),
			  QOTDCTL_PARSE_BAD_SIZE, "invalid size '17592186044416M': too large", &o);
	}
	{
		char *a[] = { "qotdctl", "-s", "0", "-x", NULL };
		args_case("an unknown option wins over a bad size", a, ARGC(a),
			  QOTDCTL_PARSE_USAGE, "invalid option '-x'", &o);
	}

	tap_check(strstr(qotdctl_help_text, "Exit status:") &&
		  strstr(qotdctl_help_text, "  0  ") && strstr(qotdctl_help_text, "  1  ") &&
		  strstr(qotdctl_help_text, "  3  ") && strstr(qotdctl_help_text, "  4  ") &&
		  !strstr(qotdctl_help_text, "  2  "),
		  "help: documents exit statuses 0, 1, 3 and 4 (and not 2)");
	tap_check(strstr(qotdctl_help_text, "--device PATH") &&
		  strstr(qotdctl_help_text, "--get-size") &&
		  strstr(qotdctl_help_text, "--set-size SIZE") &&
		  strstr(qotdctl_help_text, "--reset") &&
		  strstr(qotdctl_help_text, "--help") &&
		  strstr(qotdctl_help_text, "--version") &&
		  strstr(qotdctl_help_text, "/dev/qotd0"),
		  "help: lists every option and the default device");
	tap_check(strncmp(qotdctl_help_text, qotdctl_usage_text,
			  strlen(qotdctl_usage_text)) == 0,
		  "help: starts with the usage lines");
}

int main(void)
{
	test_sizes();
	test_options();
	return tap_failures ? 1 : 0;
}
