/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotd's trace events as the tests see them: a tracefs instance of the
 * test's own (its own ring buffer and event switches, so nothing else
 * that traces is disturbed), and the qotd events it recorded, parsed into
 * their name=value fields.
 */
#ifndef QOTD_TEST_QTRACE_H
#define QOTD_TEST_QTRACE_H

#include <stddef.h>

#define QT_MAX_FIELDS 10

struct qt_event {
	char name[32];			/* e.g. "qotd_alloc" */
	int nfields;
	char key[QT_MAX_FIELDS][24];
	char val[QT_MAX_FIELDS][160];
	char text[512];			/* "qotd_alloc: dev=qotd0 ..." */
};

/*
 * The tracefs mount (mounted on /sys/kernel/tracing if it is not yet);
 * NULL, with the reason in why, when the kernel has no event tracing.
 */
const char *qt_tracefs(char *why, size_t len);
/*
 * Create the instance NAME under instances/ (removing a leftover one
 * first); 0 or an errno. The other calls work on this instance.
 */
int qt_instance(const char *name);
void qt_instance_remove(void);
/* Write text to FILE of the instance (e.g. "set_event"); 0 or an errno. */
int qt_write(const char *file, const char *text);
/* Read FILE of the instance into buf (NUL-terminated); length or -1. */
long qt_read(const char *file, char *buf, size_t len);
/* Whether tracefs's README names text (a feature the kernel has). */
int qt_readme_has(const char *text);
/* Empty the instance's ring buffer; 0 or an errno. */
int qt_clear(void);
/*
 * The qotd events recorded since the last qt_take() or qt_clear(), oldest
 * first, into ev[max]; then the buffer is emptied. Returns how many (also
 * when more were recorded than fit), or -1 if the buffer cannot be read.
 */
int qt_take(struct qt_event *ev, int max);
/* The value of field key, or NULL. */
const char *qt_field(const struct qt_event *e, const char *key);

/*
 * The events are exactly these, in order: each want is "NAME key=value
 * ...", every field in the order the event prints them, a value "*"
 * matching anything. Reports one test; shows the events when it fails.
 */
int qt_expect(const struct qt_event *ev, int n, const char *const want[],
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same, silently: whether the events are exactly these. */
int qt_matches(const struct qt_event *ev, int n, const char *const want[]);
/* Show events as comments. */
void qt_show(const struct qt_event *ev, int n);

/*
 * A gfp value printed by show_gfp_flags(): whether flag is one of its
 * names ("GFP_KERNEL_ACCOUNT", "__GFP_NOWARN"); and whether all of them
 * are flag names, none a raw number.
 */
int qt_gfp_has(const char *gfp, const char *flag);
int qt_gfp_named(const char *gfp);

#endif /* QOTD_TEST_QTRACE_H */
