// SPDX-License-Identifier: GPL-2.0
/*
 * dbgcheck: a small module that lets check-kernel.sh see that the debug
 * kernel's checkers also cover out-of-tree module code. Each parameter
 * makes the module commit one kind of bug at load time; with none it only
 * runs its KUnit suite.
 *
 *   atomic_sleep=1  might_sleep() under a spinlock  (DEBUG_ATOMIC_SLEEP)
 *   lock_order=1    two mutexes taken in both orders (PROVE_LOCKING)
 *   oob=1           read one byte past a kmalloc()ed object (KASAN)
 *   leak=1          lose four kmalloc()ed objects (kmemleak)
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <kunit/test.h>

static bool atomic_sleep;
module_param(atomic_sleep, bool, 0444);
static bool lock_order;
module_param(lock_order, bool, 0444);
static bool oob;
module_param(oob, bool, 0444);
static bool leak;
module_param(leak, bool, 0444);

static DEFINE_SPINLOCK(dbgcheck_spin);
static DEFINE_MUTEX(dbgcheck_a);
static DEFINE_MUTEX(dbgcheck_b);

/*
 * Not __init: kmemleak's backtrace must still resolve after loading. Four
 * objects, as a stale copy of the last pointer may linger on a stack.
 */
static noinline void dbgcheck_leak(void)
{
	int i;

	for (i = 0; i < 4; i++)
		WRITE_ONCE(*(char *)kmalloc(100, GFP_KERNEL | __GFP_NOFAIL), 1);
}

static noinline int dbgcheck_oob(void)
{
	char *p = kmalloc(16, GFP_KERNEL);
	int v;

	if (!p)
		return -ENOMEM;
	v = READ_ONCE(p[16]);
	kfree(p);
	return v;
}

static void dbgcheck_sum(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 4, 2 + 2);
}

static struct kunit_case dbgcheck_cases[] = {
	KUNIT_CASE(dbgcheck_sum),
	{}
};

static struct kunit_suite dbgcheck_suite = {
	.name = "dbgcheck",
	.test_cases = dbgcheck_cases,
};
kunit_test_suite(dbgcheck_suite);

static int __init dbgcheck_init(void)
{
	if (atomic_sleep) {
		spin_lock(&dbgcheck_spin);
		might_sleep();
		spin_unlock(&dbgcheck_spin);
	}
	if (lock_order) {
		mutex_lock(&dbgcheck_a);
		mutex_lock(&dbgcheck_b);
		mutex_unlock(&dbgcheck_b);
		mutex_unlock(&dbgcheck_a);
		mutex_lock(&dbgcheck_b);
		mutex_lock(&dbgcheck_a);
		mutex_unlock(&dbgcheck_a);
		mutex_unlock(&dbgcheck_b);
	}
	if (oob)
		pr_info("dbgcheck: read %d past the end\n", dbgcheck_oob());
	if (leak) {
		dbgcheck_leak();
		pr_info("dbgcheck: lost 4 objects\n");
	}
	pr_info("dbgcheck: loaded\n");
	return 0;
}

static void __exit dbgcheck_exit(void)
{
	pr_info("dbgcheck: unloaded\n");
}

module_init(dbgcheck_init);
module_exit(dbgcheck_exit);
MODULE_DESCRIPTION("Checks that the debug kernel's checkers see module code");
MODULE_LICENSE("GPL");
