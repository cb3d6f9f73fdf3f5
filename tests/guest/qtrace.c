// SPDX-License-Identifier: GPL-2.0
/*
 * qotd's trace events as the tests see them (see qtrace.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qtrace.h"
#include "tap.h"

static char root[64];
static char inst[160];

const char *qt_tracefs(char *why, size_t len)
{
	static const char *const tries[] = { "/sys/kernel/tracing",
					     "/sys/kernel/debug/tracing" };
	struct stat st;

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		char path[96];

		snprintf(path, sizeof(path), "%s/instances", tries[i]);
		if (!stat(path, &st)) {
			snprintf(root, sizeof(root), "%s", tries[i]);
			return root;
		}
	}
	if (stat("/sys/kernel/tracing", &st)) {
		snprintf(why, len, "no /sys/kernel/tracing: the kernel has no tracefs");
		return NULL;
	}
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		snprintf(why, len, "mount tracefs on /sys/kernel/tracing: %s",
			 strerror(errno));
		return NULL;
	}
	if (stat("/sys/kernel/tracing/instances", &st)) {
		snprintf(why, len, "tracefs has no instances/");
		return NULL;
	}
	snprintf(root, sizeof(root), "/sys/kernel/tracing");
	return root;
}

int qt_instance(const char *name)
{
	snprintf(inst, sizeof(inst), "%s/instances/%s", root, name);
	rmdir(inst);
	if (mkdir(inst, 0755))
		return errno;
	return 0;
}

void qt_instance_remove(void)
{
	if (!inst[0])
		return;
	qt_write("events/enable", "0");
	qt_write("set_event", "");
	/* Busy for a moment while a reader still has a file open. */
	for (int i = 0; i < 20 && rmdir(inst) && errno == EBUSY; i++)
		usleep(50000);
	inst[0] = '\0';
}

int qt_write(const char *file, const char *text)
{
	char path[256];
	int fd, err = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", inst, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(text))
		err = EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

static long read_path(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

long qt_read(const char *file, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", inst, file);
	return read_path(path, buf, len);
}

int qt_readme_has(const char *text)
{
	static char readme[65536];
	char path[96];

	snprintf(path, sizeof(path), "%s/README", root);
	return read_path(path, readme, sizeof(readme)) > 0 &&
	       strstr(readme, text) != NULL;
}

int qt_clear(void)
{
	/* Opening "trace" for writing with O_TRUNC empties the buffer. */
	return qt_write("trace", "");
}

/* "... 12.345678: qotd_alloc: dev=qotd0 size=128 ..." into e; 0 if not ours. */
static int parse(const char *line, struct qt_event *e)
{
	const char *p = strstr(line, ": qotd_");
	const char *colon;
	char *save, *tok, fields[512];

	if (!p)
		return 0;
	p += 2;
	colon = strchr(p, ':');
	if (!colon || (size_t)(colon - p) >= sizeof(e->name))
		return 0;
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%.*s", (int)(colon - p), p);
	snprintf(e->text, sizeof(e->text), "%s", p);
	snprintf(fields, sizeof(fields), "%s", colon + 1);
	for (tok = strtok_r(fields, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (e->nfields == QT_MAX_FIELDS)
			break;
		if (!eq) {
			/* Not name=value: kept with an empty name, so it shows. */
			snprintf(e->val[e->nfields++], sizeof(e->val[0]), "%s", tok);
			continue;
		}
		snprintf(e->key[e->nfields], sizeof(e->key[0]), "%.*s", (int)(eq - tok), tok);
		snprintf(e->val[e->nfields], sizeof(e->val[0]), "%s", eq + 1);
		e->nfields++;
	}
	return 1;
}

int qt_take(struct qt_event *ev, int max)
{
	static char buf[1 << 20];
	char *save, *line;
	int n = 0;

	if (qt_read("trace", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct qt_event e;

		if (line[0] == '#' || !parse(line, &e))
			continue;
		if (n < max)
			ev[n] = e;
		n++;
	}
	if (qt_clear())
		tap_diag("cannot empty the trace buffer: %s", strerror(errno));
	return n;
}

const char *qt_field(const struct qt_event *e, const char *key)
{
	for (int i = 0; i < e->nfields; i++)
		if (!strcmp(e->key[i], key))
			return e->val[i];
	return NULL;
}

/* Event e is as want says; if not, why. */
static int matches(const struct qt_event *e, const char *want, char *why, size_t len)
{
	char w[512], *save, *tok;
	int i = 0;

	snprintf(w, sizeof(w), "%s", want);
	tok = strtok_r(w, " ", &save);
	if (!tok || strcmp(tok, e->name)) {
		snprintf(why, len, "event %s, expected %s", e->name, tok ? tok : "?");
		return 0;
	}
	for (tok = strtok_r(NULL, " ", &save); tok; tok = strtok_r(NULL, " ", &save), i++) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (i >= e->nfields) {
			snprintf(why, len, "%s: no field %s", e->name, tok);
			return 0;
		}
		if (strcmp(e->key[i], tok)) {
			snprintf(why, len, "%s: field %d is \"%s\", expected %s", e->name, i + 1,
				 e->key[i], tok);
			return 0;
		}
		if (strcmp(eq + 1, "*") && strcmp(e->val[i], eq + 1)) {
			snprintf(why, len, "%s: %s=%s, expected %s=%s", e->name, tok, e->val[i],
				 tok, eq + 1);
			return 0;
		}
	}
	if (i != e->nfields) {
		snprintf(why, len, "%s: %d fields, expected %d", e->name, e->nfields, i);
		return 0;
	}
	return 1;
}

int qt_matches(const struct qt_event *ev, int n, const char *const want[])
{
	char why[300];
	int nwant = 0;

	while (want[nwant])
		nwant++;
	if (n != nwant)
		return 0;
	for (int i = 0; i < n; i++)
		if (!matches(&ev[i], want[i], why, sizeof(why)))
			return 0;
	return 1;
}

int qt_expect(const struct qt_event *ev, int n, const char *const want[],
	      const char *fmt, ...)
{
	char desc[600], why[300] = "";
	int nwant = 0, pass;
	va_list ap;

	while (want[nwant])
		nwant++;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);

	pass = n == nwant;
	if (n < 0)
		snprintf(why, sizeof(why), "the trace buffer cannot be read");
	else if (!pass)
		snprintf(why, sizeof(why), "%d events, expected %d", n, nwant);
	for (int i = 0; pass && i < n; i++)
		pass = matches(&ev[i], want[i], why, sizeof(why));
	if (!tap_ok(pass, "%s", desc)) {
		tap_diag("%s", why);
		for (int i = 0; i < nwant; i++)
			tap_diag("expected: %s", want[i]);
		qt_show(ev, n);
	}
	return pass;
}

void qt_show(const struct qt_event *ev, int n)
{
	for (int i = 0; i < n && i < 32; i++)
		tap_diag("recorded: %s", ev[i].text);
}

int qt_gfp_has(const char *gfp, const char *flag)
{
	size_t fl = strlen(flag);

	for (const char *p = gfp; p && *p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (!strncmp(p, flag, fl) && (p[fl] == '|' || p[fl] == '\0'))
			return 1;
	return 0;
}

int qt_gfp_named(const char *gfp)
{
	if (!gfp || !*gfp)
		return 0;
	for (const char *p = gfp; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (strncmp(p, "GFP_", 4) && strncmp(p, "__GFP_", 6))
			return 0;
	return 1;
}
