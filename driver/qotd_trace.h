/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotd - Quote of the Day, version 3: trace events.
 *
 * The events of the "qotd" system show each buffer allocation as it
 * happens (where, for how many bytes, with which flags, and whether it
 * worked), each free, resize and discard, and each change of the
 * "changed" flag:
 *
 *   echo 1 > /sys/kernel/tracing/events/qotd/enable
 *   cat /sys/kernel/tracing/trace_pipe
 *
 * Every field is printed as name=value.
 *
 * This header is read more than once.  The driver includes it to call
 * trace_qotd_*(); then qotd_trace.c defines CREATE_TRACE_POINTS and
 * includes it, and <trace/define_trace.h> at its end reads it again, with
 * TRACE_HEADER_MULTI_READ set, once for each piece of code it generates
 * from the TRACE_EVENT() lines.  Hence TRACE_SYSTEM outside the guard and
 * a guard that lets the rereads through.  define_trace.h finds the file by
 * TRACE_INCLUDE_PATH and TRACE_INCLUDE_FILE below, relative to the
 * driver's directory, which driver/Kbuild puts on the include path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM qotd

/* Read once: the words the events use, for the driver too. */
#ifndef QOTD_TRACE_TYPES_H
#define QOTD_TRACE_TYPES_H

/* Which operation asked for a buffer. */
enum qotd_site {
	QOTD_SITE_LOAD,		/* module load, must not sleep */
	QOTD_SITE_RESIZE,	/* QOTDIOCSSZ, may sleep, charged */
	QOTD_SITE_DISCARD,	/* QOTDIOCDISCARD at another size */
};

static inline const char *qotd_site_name(enum qotd_site site)
{
	switch (site) {
	case QOTD_SITE_LOAD:
		return "load";
	case QOTD_SITE_RESIZE:
		return "resize";
	case QOTD_SITE_DISCARD:
		return "discard";
	}
	return "?";
}

#endif /* QOTD_TRACE_TYPES_H */

#if !defined(QOTD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define QOTD_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>
#include <trace/events/mmflags.h>

#include "qotd.h"

/*
 * Text fields are copied into fixed arrays: the device name (a qotd_dev's
 * name is char[16]) rather than with __string(), whose helpers changed
 * form between kernel lines; the strategy and the site as words, which
 * keeps the event's format short enough for sparse beside the long table
 * of show_gfp_flags().
 */
#define QOTD_TRACE_NAME_LEN	16
#define QOTD_TRACE_WORD_LEN	8

/*
 * sparse gives up on a token expansion as long as 7.3's show_gfp_flags()
 * ("too long token expansion"); what it would check there is the kernel's
 * own table, so it sees a plain string instead.  The compiler sees the
 * real thing.
 */
#ifdef __CHECKER__
#define qotd_show_gfp(gfp)	((void)(gfp), "")
#else
#define qotd_show_gfp(gfp)	show_gfp_flags(gfp)
#endif

/*
 * One buffer allocation.  @buf is what the allocator returned, NULL when
 * it failed: then ok=0 and bytes=0.  bytes is the kernel memory behind the
 * buffer, as the "allocated" attribute counts it, worked out only when
 * the event is enabled.
 */
TRACE_EVENT(qotd_alloc,

	TP_PROTO(const char *dev, const void *buf, size_t size,
		 enum qotd_alloc strategy, gfp_t gfp, enum qotd_site site),

	TP_ARGS(dev, buf, size, strategy, gfp, site),

	TP_STRUCT__entry(
		__array(char, dev, QOTD_TRACE_NAME_LEN)
		__field(size_t, size)
		__field(size_t, bytes)
		__array(char, strategy, QOTD_TRACE_WORD_LEN)
		__field(unsigned long, gfp)
		__array(char, site, QOTD_TRACE_WORD_LEN)
		__field(bool, ok)
	),

	TP_fast_assign(
		strscpy(__entry->dev, dev, QOTD_TRACE_NAME_LEN);
		__entry->size = size;
		__entry->bytes = buf ? qotd_buf_footprint(buf, size, strategy) : 0;
		strscpy(__entry->strategy, qotd_alloc_names[strategy],
			QOTD_TRACE_WORD_LEN);
		__entry->gfp = (__force unsigned long)gfp;
		strscpy(__entry->site, qotd_site_name(site), QOTD_TRACE_WORD_LEN);
		__entry->ok = !!buf;
	),

	TP_printk("dev=%s size=%zu bytes=%zu strategy=%s gfp=%s site=%s ok=%d",
		  __entry->dev, __entry->size, __entry->bytes,
		  __entry->strategy, qotd_show_gfp(__entry->gfp),
		  __entry->site, __entry->ok)
);

/*
 * A buffer of @size bytes about to be given back; bytes as in qotd_alloc,
 * worked out only when the event is enabled.
 */
TRACE_EVENT(qotd_free,

	TP_PROTO(const char *dev, const void *buf, size_t size,
		 enum qotd_alloc strategy),

	TP_ARGS(dev, buf, size, strategy),

	TP_STRUCT__entry(
		__array(char, dev, QOTD_TRACE_NAME_LEN)
		__field(size_t, bytes)
	),

	TP_fast_assign(
		strscpy(__entry->dev, dev, QOTD_TRACE_NAME_LEN);
		__entry->bytes = qotd_buf_footprint(buf, size, strategy);
	),

	TP_printk("dev=%s bytes=%zu", __entry->dev, __entry->bytes)
);

/* A new buffer of @new bytes installed by set size, under the lock. */
TRACE_EVENT(qotd_resize,

	TP_PROTO(const char *dev, size_t old, size_t new),

	TP_ARGS(dev, old, new),

	TP_STRUCT__entry(
		__array(char, dev, QOTD_TRACE_NAME_LEN)
		__field(size_t, old)
		__field(size_t, new)
	),

	TP_fast_assign(
		strscpy(__entry->dev, dev, QOTD_TRACE_NAME_LEN);
		__entry->old = old;
		__entry->new = new;
	),

	TP_printk("dev=%s old=%zu new=%zu", __entry->dev, __entry->old,
		  __entry->new)
);

/*
 * The initial quotation restored, under the lock, over a buffer of @old
 * bytes; @realloc: into a new buffer, because @old was not the initial
 * size.
 */
TRACE_EVENT(qotd_discard,

	TP_PROTO(const char *dev, size_t old, bool realloc),

	TP_ARGS(dev, old, realloc),

	TP_STRUCT__entry(
		__array(char, dev, QOTD_TRACE_NAME_LEN)
		__field(size_t, old)
		__field(bool, realloc)
	),

	TP_fast_assign(
		strscpy(__entry->dev, dev, QOTD_TRACE_NAME_LEN);
		__entry->old = old;
		__entry->realloc = realloc;
	),

	TP_printk("dev=%s old=%zu realloc=%d", __entry->dev, __entry->old,
		  __entry->realloc)
);

/*
 * The "changed" flag set (by the first write or a resize: the module is
 * held from now on) or cleared (by discard: it may be unloaded again).
 * Only when it flips.
 */
TRACE_EVENT(qotd_changed,

	TP_PROTO(const char *dev, bool changed),

	TP_ARGS(dev, changed),

	TP_STRUCT__entry(
		__array(char, dev, QOTD_TRACE_NAME_LEN)
		__field(bool, changed)
	),

	TP_fast_assign(
		strscpy(__entry->dev, dev, QOTD_TRACE_NAME_LEN);
		__entry->changed = changed;
	),

	TP_printk("dev=%s changed=%d", __entry->dev, __entry->changed)
);

#endif /* QOTD_TRACE_H */

/* Outside the guard: define_trace.h needs these on every read. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE qotd_trace
#include <trace/define_trace.h>
