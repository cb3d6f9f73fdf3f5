// SPDX-License-Identifier: GPL-2.0
/*
 * The module's metadata (D15) through busybox modinfo: description,
 * license, version, and a described parm line for every parameter.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define MAXLINES 64

static char keys[MAXLINES][32];
static char values[MAXLINES][512];
static int nlines;

/* The value of the first line with this key, or NULL. */
static const char *field(const char *key)
{
	for (int i = 0; i < nlines; i++)
		if (!strcmp(keys[i], key))
			return values[i];
	return NULL;
}

/* The description of a parameter from its "parm: NAME:DESC" line, or NULL. */
static const char *parm(const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < nlines; i++)
		if (!strcmp(keys[i], "parm") && !strncmp(values[i], name, n) &&
		    values[i][n] == ':')
			return values[i] + n + 1;
	return NULL;
}

static int run_modinfo(void)
{
	char cmd[600], line[600];
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "modinfo '%s' 2>&1", q_ko());
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *colon = strchr(line, ':'), *v;

		line[strcspn(line, "\n")] = '\0';
		tap_diag("modinfo: %s", line);
		if (!colon || nlines == MAXLINES)
			continue;
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (strlen(line) >= sizeof(keys[0]) || strlen(v) >= sizeof(values[0]))
			continue;
		strcpy(keys[nlines], line);
		strcpy(values[nlines], v);
		nlines++;
	}
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	static const char *const gpl[] = { "GPL", "GPL v2", "GPL and additional rights",
					   "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };
	static const char *const params[] = { "instances", "max_size", "alloc" };
	const char *v, *version;
	char dep[300], sysver[128] = "";
	struct utsname uts;
	int made_dep = 0, ok = 0, rc;
	long long tainted;

	tap_init(argc, argv);

	/* busybox modinfo insists on reading modules.dep of the running kernel. */
	uname(&uts);
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", uts.release);
	if (access(dep, F_OK)) {
		char dir[300];
		int fd;

		snprintf(dir, sizeof(dir), "/lib/modules/%s", uts.release);
		mkdir(dir, 0755);
		fd = open(dep, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			made_dep = 1;
			close(fd);
		}
		tap_diag("created an empty %s for busybox modinfo", dep);
	}
	rc = run_modinfo();
	if (made_dep)
		unlink(dep);
	tap_ok(rc == 0 && nlines > 0, "D15: modinfo %s succeeds (exit %d, %d lines)", q_ko(), rc, nlines);

	v = field("description");
	tap_ok(v && !strcmp(v, "Quote of the Day 3.0"),
	       "D15: description is \"Quote of the Day 3.0\" (got \"%s\")", v ? v : "(none)");
	v = field("license");
	for (size_t i = 0; v && i < sizeof(gpl) / sizeof(gpl[0]); i++)
		ok |= !strcmp(v, gpl[i]);
	tap_ok(ok, "D15: license is a GPL-compatible license string (got \"%s\")", v ? v : "(none)");
	version = field("version");
	tap_ok(version && *version, "D15: version is set (got \"%s\")", version ? version : "(none)");
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		v = parm(params[i]);
		tap_ok(v && strlen(v) >= 8, "D15: parm %s has a description (got \"%s\")", params[i],
		       v ? v : "(none)");
	}
	v = field("vermagic");
	tap_ok(v && !strncmp(v, uts.release, strlen(uts.release)) && v[strlen(uts.release)] == ' ',
	       "vermagic names the running kernel %s (got \"%s\")", uts.release, v ? v : "(none)");

	q_load_or_bail(NULL);
	q_read_file("/sys/module/qotd/version", sysver, sizeof(sysver));
	sysver[strcspn(sysver, "\n")] = '\0';
	tap_ok(version && !strcmp(version, sysver),
	       "D15: /sys/module/qotd/version of the loaded module matches modinfo (\"%s\")", sysver);
	tainted = -1;
	{
		char t[32];

		if (q_read_file("/proc/sys/kernel/tainted", t, sizeof(t)) > 0)
			tainted = strtoll(t, NULL, 10);
	}
	tap_ok(tainted >= 0 && !(tainted & 1),
	       "D15: loading does not taint the kernel as proprietary (tainted=%lld)", tainted);
	return q_finish(1);
}
