/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qotd - Quote of the Day, version 3: the kernel API differences between the
 * kernel lines qotd supports, one entry per change, each naming the release
 * that made it.  No other file tests a kernel version.
 */
#ifndef QOTD_COMPAT_H
#define QOTD_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
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

/*
 * 6.3 made vma->vm_flags const for everyone but the mm core: drivers
 * change them with vm_flags_set() and vm_flags_clear(), which also check
 * that mmap_lock is held for writing.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.5: splice from a file without a page cache goes through
 * copy_splice_read(), which calls ->read_iter into pipe buffers; it
 * replaced generic_file_splice_read(), removed in the same release.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define copy_splice_read generic_file_splice_read
#endif

/*
 * 6.16 added ->mmap_prepare, which describes a mapping before its VMA
 * exists.  ->mmap, which qotd uses, is still called for a file that has
 * no ->mmap_prepare (vfs_mmap()), so nothing needs supplying.
 */

/*
 * 7.0 added kmalloc_obj(): an allocation sized, and on 7.0 typed, by the
 * variable or type it is for.  Older lines get the size from kmalloc().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define kmalloc_obj(VAR_OR_TYPE, GFP) kmalloc(sizeof(VAR_OR_TYPE), GFP)
#endif

#endif /* QOTD_COMPAT_H */
