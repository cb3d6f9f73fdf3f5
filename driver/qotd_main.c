// SPDX-License-Identifier: GPL-2.0
/*
 * qotd - Quote of the Day, version 3.
 *
 * A small ramdisk that holds one quotation per device, /dev/qotd0 ...:
 * read and write it at file offsets, and resize or reset it with ioctls.
 * A Linux port of the Solaris Device Driver Tutorial's qotd_3, kept as a
 * reference for memory allocation that may or may not sleep, setup that
 * unwinds from any step, locking around user copies, and ioctl design.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/poll.h>
#include <linux/pseudo_fs.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include <linux/qotd.h>

#include "qotd.h"
#include "qotd_compat.h"
#include "qotd_trace.h"

#define QOTD_MAX_INSTANCES	64
#define QOTD_MAX_SIZE_LIMIT	SZ_1G

/*
 * A buffer allocated for a caller: it may sleep for memory, is charged to
 * the caller's memory cgroup, and a size the caller cannot afford is its
 * mistake, to fail with ENOMEM rather than a call of the OOM killer or a
 * warning splat.  (The slab attempt of a large request is only a try; see
 * qotd_buf_alloc().)
 */
#define QOTD_GFP_IOCTL	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* At load: never sleep, and say nothing when memory is short. */
#define QOTD_GFP_LOAD	(GFP_NOWAIT | __GFP_NOWARN)

static const char qotd_quote[] =
	"On the whole, I'd rather be in Philadelphia. - W. C. Fields\n";

static unsigned int instances = 1;
module_param(instances, uint, 0444);
MODULE_PARM_DESC(instances, "Number of devices /dev/qotd0 ... (1-64, default 1)");

static unsigned long max_size = QOTD_DEFAULT_MAX_SIZE;
module_param(max_size, ulong, 0444);
MODULE_PARM_DESC(max_size,
		 "Largest buffer size in bytes that QOTDIOCSSZ accepts (128 to 1073741824, default 65536)");

static enum qotd_alloc alloc_mode = QOTD_ALLOC_UMEM;

static int qotd_alloc_param_set(const char *val, const struct kernel_param *kp)
{
	return qotd_alloc_parse(val, kp->arg);
}

static int qotd_alloc_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  qotd_alloc_names[*(enum qotd_alloc *)kp->arg]);
}

static const struct kernel_param_ops qotd_alloc_param_ops = {
	.set = qotd_alloc_param_set,
	.get = qotd_alloc_param_get,
};

module_param_cb(alloc, &qotd_alloc_param_ops, &alloc_mode, 0444);
MODULE_PARM_DESC(alloc,
		 "Buffer allocation: umem (whole zeroed pages, default), kmem (byte-granular slab), auto (slab below a page, pages from a page up)");

/* Lifecycle flags: which setup steps of an instance finished. */
#define QOTD_HAVE_INODE		BIT(0)
#define QOTD_HAVE_BUFFER	BIT(1)
#define QOTD_HAVE_NODE		BIT(2)

struct qotd_dev {
	struct miscdevice misc;
	char name[16];
	unsigned int flags;

	/*
	 * Readers share it across their copy to user space; write, set size
	 * and discard hold it alone.  Readers wait interruptibly; writers
	 * only give up on a fatal signal, as with i_rwsem, so a write is
	 * never half undone by a handler that happens to run.
	 */
	struct rw_semaphore lock;

	/* Guarded by the lock; also read locklessly by sysfs and discard. */
	void *buf;
	size_t size;
	size_t allocated;		/* kernel memory behind buf */
	unsigned long changes;		/* writes, resizes and discards */

	/*
	 * QOTD_CHANGED holds a reference on the module. Atomic, because a
	 * fault in a writable mapping sets it without the lock.
	 */
	unsigned long state;

	wait_queue_head_t pollq;	/* poll()ers waiting for a change */

	/*
	 * Every open file of the instance, whichever node it came through,
	 * uses this inode's address_space, so that a resize can find and
	 * unmap every mapping. Its invalidate_lock keeps faults off the
	 * buffer while it is replaced: buf and size are written with both
	 * locks held for writing, and read under either.
	 */
	struct inode *inode;

	bool live;			/* every instance is registered */
};

/* Bits of qotd_dev.state. */
#define QOTD_CHANGED		0

static struct qotd_dev *qotd_devs;

/*
 * A pseudo-filesystem that is never registered, only mounted once here,
 * for the inodes above. It has no owner: the mount holds a reference on
 * its type's module for as long as it exists, which is until that module
 * unloads, so an owner could never unload at all.
 */
#define QOTD_FS_MAGIC		0x71746466	/* "qtdf" */

static int qotd_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, QOTD_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type qotd_fs_type = {
	.name			= "qotd",
	.init_fs_context	= qotd_fs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

static struct vfsmount *qotd_mnt;

/* Pages a fault maps at most: what filemap's fault-around maps by default. */
#define QOTD_FAULT_AROUND	16

/* What each open file keeps: file->private_data. */
struct qotd_file {
	struct qotd_dev *qd;
	/* qd->changes when this file last read without error, or opened. */
	unsigned long seen;
};

/* A buffer taken out by a resize or discard, to free once unlocked. */
struct qotd_old {
	void *buf;
	size_t size;
};

/*
 * -ERESTARTSYS rather than the semaphore's -EINTR: nothing has happened
 * yet, so a handler installed with SA_RESTART gets the call restarted, and
 * any other caller still sees EINTR.
 */
static int qotd_lock_shared(struct qotd_dev *qd)
{
	return down_read_interruptible(&qd->lock) ? -ERESTARTSYS : 0;
}

static int qotd_lock_exclusive(struct qotd_dev *qd)
{
	return down_write_killable(&qd->lock);
}

/*
 * An unload would throw the user's quotation away: a changed instance
 * holds a reference on the module. Whoever sets the bit takes it, so a
 * write and a fault that race take one between them.
 */
static void qotd_set_changed(struct qotd_dev *qd)
{
	if (!test_bit(QOTD_CHANGED, &qd->state) &&
	    !test_and_set_bit(QOTD_CHANGED, &qd->state)) {
		__module_get(THIS_MODULE);
		trace_qotd_changed(qd->name, true);
	}
}

static void qotd_clear_changed(struct qotd_dev *qd)
{
	if (test_and_clear_bit(QOTD_CHANGED, &qd->state)) {
		trace_qotd_changed(qd->name, false);
		module_put(THIS_MODULE);
	}
}

/*
 * A write, resize or discard completed: count it, under the lock held
 * for writing, for poll() to compare with what each file has seen.
 */
static void qotd_count_change(struct qotd_dev *qd)
{
	WRITE_ONCE(qd->changes, qd->changes + 1);
}

/* After the lock is dropped: wake everyone who waits for a change. */
static void qotd_notify(struct qotd_dev *qd)
{
	wake_up_interruptible_poll(&qd->pollq, EPOLLPRI);
}

/*
 * Install @buf of @size bytes; the buffer it replaces is freed after the
 * lock is dropped, through @old.
 */
static void qotd_install(struct qotd_dev *qd, void *buf, size_t size,
			 struct qotd_old *old)
{
	old->buf = qd->buf;
	old->size = qd->size;
	qd->buf = buf;
	WRITE_ONCE(qd->size, size);
	WRITE_ONCE(qd->allocated, qotd_buf_footprint(buf, size, alloc_mode));
}

/* A new buffer for @qd, traced with the operation that asks for it. */
static inline void *qotd_alloc_buf(struct qotd_dev *qd, size_t size,
				   gfp_t gfp, enum qotd_site site)
{
	void *buf = qotd_buf_alloc(size, alloc_mode, gfp);

	trace_qotd_alloc(qd->name, buf, size, alloc_mode, gfp, site);
	return buf;
}

/* Free a buffer of @size bytes of @qd, traced; NULL is ignored. */
static inline void qotd_free_buf(struct qotd_dev *qd, void *buf, size_t size)
{
	if (!buf)
		return;
	trace_qotd_free(qd->name, buf, size, alloc_mode);
	qotd_buf_free(buf, size, alloc_mode);
}

/* Put the initial quotation into a buffer of the initial size. */
static void qotd_fill_initial(struct qotd_dev *qd)
{
	/* All of it: stores through a mapping may have reached past the end. */
	memset(qd->buf, 0, qotd_request(QOTD_INIT_SIZE, alloc_mode));
	memcpy(qd->buf, qotd_quote, sizeof(qotd_quote) - 1);
}

static struct qotd_dev *qotd_from_file(struct file *file)
{
	struct qotd_file *qf = file->private_data;

	return qf->qd;
}

/*
 * The iov_iter copies leave the rest of the buffer alone when a user page
 * faults, so a faulting write keeps what it could not reach, where
 * copy_from_user() would zero it, and both report how far they got.
 */
static ssize_t qotd_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct qotd_file *qf = iocb->ki_filp->private_data;
	struct qotd_dev *qd = qf->qd;
	unsigned long changes;
	size_t n, done;
	ssize_t ret;

	ret = qotd_lock_shared(qd);
	if (ret)
		return ret;
	n = qotd_span(iocb->ki_pos, iov_iter_count(to), qd->size);
	done = n ? copy_to_iter(qd->buf + iocb->ki_pos, n, to) : 0;
	changes = qd->changes;
	up_read(&qd->lock);

	if (n && !done)
		return -EFAULT;
	/*
	 * This file has now seen every change before the read. Two reads
	 * of one file racing may store an older count last: a spurious
	 * EPOLLPRI, never a lost one.
	 */
	WRITE_ONCE(qf->seen, changes);
	iocb->ki_pos += done;
	return done;
}

static ssize_t qotd_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct qotd_dev *qd = qotd_from_file(iocb->ki_filp);
	size_t n, done;
	ssize_t ret;

	if (!iov_iter_count(from))
		return 0;

	ret = qotd_lock_exclusive(qd);
	if (ret)
		return ret;
	n = qotd_span(iocb->ki_pos, iov_iter_count(from), qd->size);
	if (!n) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	done = copy_from_iter(qd->buf + iocb->ki_pos, n, from);
	if (!done) {
		ret = -EFAULT;
		goto out_unlock;
	}
	qotd_set_changed(qd);
	qotd_count_change(qd);
	iocb->ki_pos += done;
	ret = done;
out_unlock:
	up_write(&qd->lock);
	if (ret > 0)
		qotd_notify(qd);
	return ret;
}

static loff_t qotd_llseek(struct file *file, loff_t offset, int whence)
{
	struct qotd_dev *qd = qotd_from_file(file);
	loff_t ret;

	ret = qotd_lock_shared(qd);
	if (ret)
		return ret;
	ret = generic_file_llseek_size(file, offset, whence, qd->size,
				       qd->size);
	up_read(&qd->lock);
	return ret;
}

/*
 * Sizes travel as __u64 with the Linux-encoded commands, and as the
 * caller's size_t with the legacy ones: @width is the size in bytes.
 */
static int qotd_get_user_size(u64 *size, const void __user *argp,
			      unsigned int width)
{
	u32 narrow;

	if (width == sizeof(u64))
		return get_user(*size, (const u64 __user *)argp);
	if (get_user(narrow, (const u32 __user *)argp))
		return -EFAULT;
	*size = narrow;
	return 0;
}

static int qotd_put_user_size(u64 size, void __user *argp, unsigned int width)
{
	if (width == sizeof(u64))
		return put_user(size, (u64 __user *)argp);
	return put_user((u32)size, (u32 __user *)argp);
}

static int qotd_get_size(struct qotd_dev *qd, void __user *argp,
			 unsigned int width)
{
	size_t size;
	int ret;

	ret = qotd_lock_shared(qd);
	if (ret)
		return ret;
	size = qd->size;
	up_read(&qd->lock);

	return qotd_put_user_size(size, argp, width);
}

/*
 * Before the buffer is replaced or refilled, with the instance lock held
 * for writing: keep faults out until qotd_end_replace(), and take every
 * page of the buffer out of every mapping. unmap_mapping_range() flushes
 * the TLBs before it returns, so stores through a mapping have all landed
 * before the copy that follows.
 */
static void qotd_begin_replace(struct qotd_dev *qd)
{
	filemap_invalidate_lock(qd->inode->i_mapping);
	unmap_mapping_range(qd->inode->i_mapping, 0, 0, 1);
}

static void qotd_end_replace(struct qotd_dev *qd)
{
	filemap_invalidate_unlock(qd->inode->i_mapping);
}

static int qotd_set_size(struct qotd_dev *qd, const void __user *argp,
			 unsigned int width)
{
	struct qotd_old old;
	void *buf;
	u64 size;
	int ret;

	if (qotd_get_user_size(&size, argp, width))
		return -EFAULT;
	if (!size || size > max_size)
		return -EINVAL;

	/* Allocate before taking the lock: this may sleep for memory. */
	buf = qotd_alloc_buf(qd, size, QOTD_GFP_IOCTL, QOTD_SITE_RESIZE);
	if (!buf)
		return -ENOMEM;

	ret = qotd_lock_exclusive(qd);
	if (ret)
		goto out_free_buffer;
	qotd_begin_replace(qd);
	memcpy(buf, qd->buf, min_t(size_t, qd->size, size));
	qotd_install(qd, buf, size, &old);
	trace_qotd_resize(qd->name, old.size, size);
	qotd_set_changed(qd);
	qotd_count_change(qd);
	qotd_end_replace(qd);
	up_write(&qd->lock);
	qotd_notify(qd);

	qotd_free_buf(qd, old.buf, old.size);
	return 0;

out_free_buffer:
	qotd_free_buf(qd, buf, size);
	return ret;
}

static int qotd_discard(struct qotd_dev *qd)
{
	struct qotd_old old = { };
	void *buf = NULL;
	int ret;

again:
	/* A hint only: the size is checked again under the lock. */
	if (!buf && READ_ONCE(qd->size) != QOTD_INIT_SIZE) {
		buf = qotd_alloc_buf(qd, QOTD_INIT_SIZE, QOTD_GFP_IOCTL,
				     QOTD_SITE_DISCARD);
		if (!buf)
			return -ENOMEM;
	}

	ret = qotd_lock_exclusive(qd);
	if (ret)
		goto out_free_buffer;
	if (!buf && qd->size != QOTD_INIT_SIZE) {
		/* Resized since we looked: allocate after all. */
		up_write(&qd->lock);
		goto again;
	}
	trace_qotd_discard(qd->name, qd->size, !!buf);
	/*
	 * Also at the initial size: the refill must not race stores through
	 * a mapping, and a store after it must fault to mark changed again.
	 */
	qotd_begin_replace(qd);
	if (buf) {
		qotd_install(qd, buf, QOTD_INIT_SIZE, &old);
		buf = NULL;
	}
	qotd_fill_initial(qd);
	qotd_clear_changed(qd);
	qotd_count_change(qd);
	qotd_end_replace(qd);
	up_write(&qd->lock);
	qotd_notify(qd);

	qotd_free_buf(qd, old.buf, old.size);
	return 0;

out_free_buffer:
	qotd_free_buf(qd, buf, QOTD_INIT_SIZE);
	return ret;
}

/* @width: the size in bytes of the caller's size_t, for legacy commands. */
static long qotd_do_ioctl(struct file *file, unsigned int cmd,
			  void __user *argp, unsigned int width)
{
	struct qotd_dev *qd = qotd_from_file(file);

	switch (cmd) {
	case QOTDIOCGSZ:
		width = sizeof(u64);
		fallthrough;
	case QOTD_LEGACY_IOCGSZ:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		return qotd_get_size(qd, argp, width);
	case QOTDIOCSSZ:
		width = sizeof(u64);
		fallthrough;
	case QOTD_LEGACY_IOCSSZ:
		if (!(file->f_mode & FMODE_WRITE))
			return -EACCES;
		return qotd_set_size(qd, argp, width);
	case QOTDIOCDISCARD:
	case QOTD_LEGACY_IOCDISCARD:
		if (!(file->f_mode & FMODE_WRITE))
			return -EACCES;
		return qotd_discard(qd);
	default:
		return -ENOTTY;
	}
}

static long qotd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return qotd_do_ioctl(file, cmd, (void __user *)arg, sizeof(size_t));
}

#ifdef CONFIG_COMPAT
static long qotd_compat_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	return qotd_do_ioctl(file, cmd, compat_ptr(arg), sizeof(compat_size_t));
}
#endif

/*
 * A node is live the moment it is registered, but a later instance can
 * still fail to register and take the module down, freeing what an open
 * file would point to.  So nothing opens until the whole load has
 * succeeded: misc_open() calls this under misc_mtx, which misc_deregister()
 * takes too, so a failed load never unwinds under an open file.
 */
static int qotd_open(struct inode *inode, struct file *file)
{
	/* misc_open() points private_data at our miscdevice. */
	struct qotd_dev *qd = container_of(file->private_data, struct qotd_dev,
					   misc);
	struct qotd_file *qf;

	if (!READ_ONCE(qd->live))
		return -ENODEV;
	qf = kmalloc_obj(*qf, GFP_KERNEL);
	if (!qf)
		return -ENOMEM;
	qf->qd = qd;
	qf->seen = READ_ONCE(qd->changes);
	file->private_data = qf;
	/* As drm_file.c does: one address_space for all nodes of the device. */
	file->f_mapping = qd->inode->i_mapping;
	return 0;
}

static int qotd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * A fault maps the buffer's page under the invalidate lock, which a
 * resize or discard holds for writing from before it unmaps everything
 * until the new buffer is in place: so no page of a buffer about to be
 * freed can be mapped after that unmap. The page goes in here, under the
 * lock, rather than through vmf->page, which the caller would map only
 * after the unlock. Never the instance lock: a read() or write() that
 * holds it may be the one faulting, on a mapping of this very device.
 */
static vm_fault_t qotd_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct qotd_dev *qd = vma->vm_private_data;
	struct address_space *mapping = qd->inode->i_mapping;
	struct page *pages[QOTD_FAULT_AROUND];
	vm_fault_t ret = VM_FAULT_NOPAGE;
	unsigned long nr, left, i;
	int err;

	filemap_invalidate_lock_shared(mapping);
	if (vmf->pgoff >= DIV_ROUND_UP(qd->size, PAGE_SIZE)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}
	/*
	 * This page and the next ones, in the buffer and in the mapping, in
	 * one go: a read from start to end faults once in QOTD_FAULT_AROUND
	 * pages, as filemap_map_pages() lets a file's do.
	 */
	nr = min3((unsigned long)QOTD_FAULT_AROUND,
		  DIV_ROUND_UP(qd->size, PAGE_SIZE) - vmf->pgoff,
		  (vma->vm_end - vmf->address) >> PAGE_SHIFT);
	for (i = 0; i < nr; i++)
		pages[i] = qotd_buf_page(qd->buf,
					 (vmf->pgoff + i) << PAGE_SHIFT);
	left = nr;
	err = vm_insert_pages(vma, vmf->address, pages, &left);
	/*
	 * It stops at the first page already mapped (EBUSY: by another
	 * thread's fault, or by an earlier one around it); a failure after
	 * the faulting page still leaves that one mapped.
	 */
	if (err && err != -EBUSY && left == nr) {
		ret = vmf_error(err);
		goto out_unlock;
	}
	/*
	 * Pages are mapped writable in a writable mapping, so later stores
	 * do not fault: count this one as the change. Resize and discard
	 * unmap, so the first store after them faults, and counts, again.
	 */
	if (vma->vm_flags & VM_WRITE)
		qotd_set_changed(qd);
out_unlock:
	filemap_invalidate_unlock_shared(mapping);
	return ret;
}

static const struct vm_operations_struct qotd_vm_ops = {
	.fault		= qotd_fault,
};

/*
 * Runs with mmap_lock held for writing, so it takes no lock of ours: a
 * thread of the same process may hold the instance lock in read() and
 * wait for mmap_lock to fault in its user buffer. Nothing here depends on
 * the buffer; faults look at it.
 */
static int qotd_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long max_pages = PAGE_ALIGN(max_size) >> PAGE_SHIFT;

	/* Byte-granular memory cannot be handed out in pages. */
	if (alloc_mode != QOTD_ALLOC_UMEM)
		return -ENODEV;
	/*
	 * Private copies of pages that a resize replaces would be stale:
	 * shared only. VM_MAYSHARE, because the kernel clears VM_SHARED on
	 * a shared mapping of a file open only for reading.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff >= max_pages ||
	    vma_pages(vma) > max_pages - vma->vm_pgoff)
		return -EINVAL;
	/*
	 * Read-only mappings map pages read-only; were they made writable
	 * by mprotect(), stores would reach the buffer without the fault
	 * that marks the device changed.
	 */
	if (!(vma->vm_flags & VM_WRITE))
		vm_flags_clear(vma, VM_MAYWRITE);
	/* Pages inserted by the fault; no growing by mremap; not in cores. */
	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &qotd_vm_ops;
	vma->vm_private_data = qotd_from_file(file);
	return 0;
}

/*
 * Like a regular file the device is always ready; EPOLLPRI says that it
 * changed since this file last read it.
 */
static __poll_t qotd_poll(struct file *file, poll_table *wait)
{
	struct qotd_file *qf = file->private_data;
	struct qotd_dev *qd = qf->qd;
	__poll_t mask = EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &qd->pollq, wait);
	if (READ_ONCE(qd->changes) != READ_ONCE(qf->seen))
		mask |= EPOLLPRI;
	return mask;
}

static const struct file_operations qotd_fops = {
	.owner		= THIS_MODULE,
	.open		= qotd_open,
	.release	= qotd_release,
	.llseek		= qotd_llseek,
	.read_iter	= qotd_read_iter,
	.write_iter	= qotd_write_iter,
	.splice_read	= copy_splice_read,
	.poll		= qotd_poll,
	.mmap		= qotd_mmap,
	.unlocked_ioctl	= qotd_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= qotd_compat_ioctl,
#endif
};

static struct qotd_dev *qotd_from_dev(struct device *dev)
{
	/* misc_register() makes the miscdevice the node's driver data. */
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct qotd_dev, misc);
}

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *page)
{
	return sysfs_emit(page, "%zu\n", READ_ONCE(qotd_from_dev(dev)->size));
}
static DEVICE_ATTR_RO(size);

static ssize_t changed_show(struct device *dev, struct device_attribute *attr,
			    char *page)
{
	return sysfs_emit(page, "%d\n",
			  test_bit(QOTD_CHANGED, &qotd_from_dev(dev)->state));
}
static DEVICE_ATTR_RO(changed);

static ssize_t allocated_show(struct device *dev,
			      struct device_attribute *attr, char *page)
{
	return sysfs_emit(page, "%zu\n",
			  READ_ONCE(qotd_from_dev(dev)->allocated));
}
static DEVICE_ATTR_RO(allocated);

static struct attribute *qotd_attrs[] = {
	&dev_attr_size.attr,
	&dev_attr_changed.attr,
	&dev_attr_allocated.attr,
	NULL
};
ATTRIBUTE_GROUPS(qotd);

/* Undo exactly the setup steps that finished, newest first. */
static void qotd_teardown(struct qotd_dev *qd)
{
	if (qd->flags & QOTD_HAVE_NODE)
		misc_deregister(&qd->misc);
	if (qd->flags & QOTD_HAVE_BUFFER)
		qotd_free_buf(qd, qd->buf, qd->size);
	if (qd->flags & QOTD_HAVE_INODE)
		iput(qd->inode);
	qd->flags = 0;
}

static void qotd_teardown_all(void)
{
	unsigned int i = instances;

	while (i--)
		qotd_teardown(&qotd_devs[i]);
	kfree(qotd_devs);
}

static int qotd_setup(struct qotd_dev *qd, unsigned int index)
{
	void *buf;

	snprintf(qd->name, sizeof(qd->name), "qotd%u", index);
	init_rwsem(&qd->lock);
	init_waitqueue_head(&qd->pollq);

	qd->inode = alloc_anon_inode(qotd_mnt->mnt_sb);
	if (IS_ERR(qd->inode)) {
		pr_warn("%s: cannot get an inode for its mappings\n", qd->name);
		return PTR_ERR(qd->inode);
	}
	qd->flags |= QOTD_HAVE_INODE;

	/* Load must not sleep for memory: fail at once if it is short. */
	buf = qotd_alloc_buf(qd, QOTD_INIT_SIZE, QOTD_GFP_LOAD, QOTD_SITE_LOAD);
	if (!buf) {
		pr_warn("%s: cannot allocate a %d-byte buffer\n", qd->name,
			QOTD_INIT_SIZE);
		return -ENOMEM;
	}
	qd->buf = buf;
	qd->size = QOTD_INIT_SIZE;
	qd->allocated = qotd_buf_footprint(buf, QOTD_INIT_SIZE, alloc_mode);
	qd->flags |= QOTD_HAVE_BUFFER;
	qotd_fill_initial(qd);
	return 0;
}

/* A node is live the moment it is registered, so this comes last. */
static int qotd_publish(struct qotd_dev *qd)
{
	int ret;

	qd->misc.minor = MISC_DYNAMIC_MINOR;
	qd->misc.name = qd->name;
	qd->misc.fops = &qotd_fops;
	qd->misc.groups = qotd_groups;
	qd->misc.mode = 0600;
	ret = misc_register(&qd->misc);
	if (ret) {
		pr_warn("%s: cannot register the device: %d\n", qd->name, ret);
		return ret;
	}
	qd->flags |= QOTD_HAVE_NODE;
	dev_info(qd->misc.this_device, "created /dev/%s\n", qd->name);
	return 0;
}

static int __init qotd_init(void)
{
	unsigned int i;
	int ret;

	BUILD_BUG_ON(sizeof(qotd_quote) - 1 > QOTD_INIT_SIZE);

	if (!instances || instances > QOTD_MAX_INSTANCES) {
		pr_err("instances=%u: must be 1 to %d\n", instances,
		       QOTD_MAX_INSTANCES);
		return -EINVAL;
	}
	if (max_size < QOTD_INIT_SIZE || max_size > QOTD_MAX_SIZE_LIMIT) {
		pr_err("max_size=%lu: must be %d to %d\n", max_size,
		       QOTD_INIT_SIZE, QOTD_MAX_SIZE_LIMIT);
		return -EINVAL;
	}

	qotd_mnt = kern_mount(&qotd_fs_type);
	if (IS_ERR(qotd_mnt)) {
		pr_warn("cannot mount the filesystem of its inodes\n");
		return PTR_ERR(qotd_mnt);
	}
	qotd_devs = kcalloc(instances, sizeof(*qotd_devs), GFP_KERNEL);
	if (!qotd_devs) {
		ret = -ENOMEM;
		goto out_unmount;
	}

	for (i = 0; i < instances; i++) {
		ret = qotd_setup(&qotd_devs[i], i);
		if (ret)
			goto out_teardown;
	}
	for (i = 0; i < instances; i++) {
		ret = qotd_publish(&qotd_devs[i]);
		if (ret)
			goto out_teardown;
	}
	for (i = 0; i < instances; i++)
		WRITE_ONCE(qotd_devs[i].live, true);
	return 0;

out_teardown:
	qotd_teardown_all();
out_unmount:
	kern_unmount(qotd_mnt);
	return ret;
}

static void __exit qotd_exit(void)
{
	qotd_teardown_all();
	kern_unmount(qotd_mnt);
}

module_init(qotd_init);
module_exit(qotd_exit);

MODULE_DESCRIPTION("Quote of the Day 3.0");
MODULE_AUTHOR("The qotd authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(QOTD_VERSION);
