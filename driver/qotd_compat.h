/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotd - Quote of the Day, version 3: the kernel API differences between the
 * kernel lines qotd supports, one entry per change, each naming the release
 * that made it.  No other file tests a kernel version.
 */
#ifndef QOTD_COMPAT_H
#define QOTD_COMPAT_H

#include <linux/version.h>

/*
 * 6.2 added <kunit/visibility.h>: a symbol is static unless KUnit is there
 * to test it, and then exported to the tests' namespace alone.  The 6.1
 * line gets the same definitions here (later 6.1.y releases carry the
 * header too, but not all, and nothing includes it behind our back).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol) \
	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

/* 6.13 made symbol namespaces string literals. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define QOTD_KUNIT_NS "EXPORTED_FOR_KUNIT_TESTING"
#else
#define QOTD_KUNIT_NS EXPORTED_FOR_KUNIT_TESTING
#endif

#endif /* QOTD_COMPAT_H */
