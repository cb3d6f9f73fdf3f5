// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic allocation failure with the kernel's fail-nth: every
 * allocation that module load, set size and discard make is failed in turn.
 *
 *   failnth [load] [load4] [ioctl] [open]     (default: all four)
 *
 * load: a load with instances=1; load4: with instances=4; ioctl: set size
 * and discard; open: an open of the node (its per-file state).
 *
 * For N = 1, 2, ...: set up the state, write N to /proc/thread-self/fail-nth,
 * make the one call, read fail-nth back (0: the Nth allocation was failed;
 * more: the call made fewer than N allocations) and check the outcome. The
 * loop ends at the first N the call does not reach. failslab and
 * fail_page_alloc are told to consider sleeping allocations and order-0
 * pages too, so every slab and page allocation of the call counts, the
 * kernel's own (module loader, sysfs, KASAN, kmemleak) as well as qotd's.
 *
 * Checked for every point:
 *   load      a failed load returns an error (ENOMEM when the failure was in
 *             qotd's init: its own allocations and misc_register's), leaves
 *             no module, no /dev/qotd* and no /sys/class/misc/qotd*, and a
 *             load right after it works; a load that absorbed the failure
 *             works and unloads
 *   set size  ENOMEM, with size, content, changed, allocated and the
 *   discard   module's reference count exactly as before; a call that
 *             absorbed the failure did its job
 *   open      ENOMEM, the module's reference count as before, and the next
 *             open works; one of the failures hit qotd's own allocation
 * Whether memory leaked is for kmemleak to say afterwards (run-all.sh).
 *
 * The first few hundred allocations of a load are the module loader's;
 * they do not depend on the parameters, so only the first sweep
 * (instances=1) fails them all, and the others start just before qotd's
 * init. The numbering moves by a few allocations from one load to the next
 * (a slab that needs a new page), so a sweep can step over one of qotd's
 * own sites (the instance array, each buffer, each misc_register); then a
 * second sweep, with slab and non-sleeping page allocations failed only,
 * passes over qotd's part, and the sites it missed too are tried between
 * their neighbours until each was hit.
 * A failure is "absorbed" when the call still succeeds: under kmem and auto
 * a resize falls back to vmalloc when the slab fails above a page;
 * kmemleak's and KASAN's own bookkeeping allocations have fallbacks too.
 * Such calls must simply have done their job.
 *
 * The kernel's fault injection logs a stack trace for each failure
 * (verbose=2, not rate-limited) unless the allocation was __GFP_NOWARN; the
 * trace tells where it hit, which the summary lines count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dtest.h"

#define DBG "/sys/kernel/debug/"
#define MAX_POINTS 20000
#define BIG (8u << 20)
#define MAX_SIZE "max_size=16777216"

/* ---- fault injection set-up ---------------------------------------------- */

static struct d_knob knobs[] = {
	{ .path = DBG "failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "failslab/cache-filter", .value = "N" },
	{ .path = DBG "failslab/probability", .value = "0" },
	{ .path = DBG "failslab/space", .value = "0" },
	{ .path = DBG "failslab/verbose", .value = "2" },
	{ .path = DBG "failslab/verbose_ratelimit_interval_ms", .value = "0" },
	{ .path = DBG "fail_page_alloc/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "fail_page_alloc/min-order", .value = "0" },
	{ .path = DBG "fail_page_alloc/probability", .value = "0" },
	{ .path = DBG "fail_page_alloc/space", .value = "0" },
	{ .path = DBG "fail_page_alloc/verbose", .value = "2" },
	{ .path = DBG "fail_page_alloc/verbose_ratelimit_interval_ms", .value = "0" },
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

static int nth_fd = -1, kmsg_fd = -1;

static int setup_injection(void)
{
	int bad = 0;

	for (size_t i = 0; i < NKNOBS; i++) {
		if (d_knob_set(&knobs[i])) {
			d_diag("cannot write %s to %s: %s", knobs[i].value, knobs[i].path,
			       strerror(errno));
			bad = 1;
		}
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		d_diag("/proc/thread-self/fail-nth: %s", strerror(errno));
		bad = 1;
	}
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		d_diag("/dev/kmsg: %s (no attribution of failure points)", strerror(errno));
	return bad ? -1 : 0;
}

/* ---- where a failure hit, from the kernel log ------------------------------ */

struct site {
	int dumped;		/* fault injection logged a stack trace */
	int driver;		/* the trace or a message points into qotd */
	char caller[64];	/* first frame outside the allocators */
	char qotd[64];		/* first frame in qotd, or qotd's own message */
	char msg[64];		/* qotd's own message, if it logged one */
};

static void kmsg_mark(void)
{
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

static const char *const alloc_frames[] = {
	"dump_stack", "should_fail", "__should_fail", "should_failslab", "__should_failslab",
	"fail_dump", "slab_pre_alloc_hook", "slab_alloc", "__slab_alloc", "___slab_alloc",
	"kmem_cache_alloc", "__kmem_cache_alloc", "kmalloc", "__kmalloc", "kzalloc", "kcalloc",
	"kmalloc_array", "kmalloc_trace", "kvmalloc", "__kvmalloc", "kvzalloc", "kmemdup",
	"kstrdup", "kvasprintf", "kasprintf", "krealloc", "__alloc_pages", "alloc_pages",
	"should_fail_alloc_page", "prepare_alloc_pages", "__get_free_pages", "get_zeroed_page",
	"alloc_slab_page", "allocate_slab", "new_slab", "__vmalloc", "vmalloc", "vzalloc",
	"__get_vm_area", "alloc_vmap_area", "__alloc_pages_bulk", "alloc_pages_bulk",
	"vm_area_alloc_pages", "__kasan", "kasan_", "stack_depot", "kmalloc_large",
	"kmalloc_order", "kmalloc_node", "__kmalloc_node", "kzalloc_node", "alloc_pages_node",
	"__alloc_pages_node", "folio_alloc", "__folio_alloc", "__pte_alloc", "__pmd_alloc",
	"__pud_alloc", "__p4d_alloc", "pte_alloc", "pmd_alloc", "pud_alloc", "p4d_alloc",
	"show_stack", "sched_show_task", "dump_stack_lvl",
};

static int is_alloc_frame(const char *name)
{
	for (size_t i = 0; i < sizeof(alloc_frames) / sizeof(alloc_frames[0]); i++)
		if (!strncmp(name, alloc_frames[i], strlen(alloc_frames[i])))
			return 1;
	return 0;
}

/* The function name of a call trace line (" name+0x1/0x2 [mod]"), or NULL. */
static const char *frame_name(const char *msg, char *name, size_t len)
{
	const char *plus;

	while (*msg == ' ')
		msg++;
	if (!strncmp(msg, "? ", 2))
		return NULL;	/* not on the reliable stack */
	plus = strstr(msg, "+0x");
	if (!plus || (size_t)(plus - msg) >= len || memchr(msg, ' ', (size_t)(plus - msg)))
		return NULL;
	snprintf(name, len, "%.*s", (int)(plus - msg), msg);
	return name;
}

/* Read the log since kmsg_mark() and say where the injected failure hit. */
static void kmsg_site(struct site *s)
{
	char rec[2048], *msg, name[64];
	int in_dump = 0;

	memset(s, 0, sizeof(*s));
	while (kmsg_fd >= 0 && (msg = q_kmsg_next(kmsg_fd, rec, sizeof(rec), NULL))) {
		if (strstr(msg, "FAULT_INJECTION: forcing a failure")) {
			s->dumped = 1;
			in_dump = 1;
			continue;
		}
		if (!strncmp(msg, "qotd: ", 6) && strstr(msg, "cannot")) {
			s->driver = 1;
			if (!s->msg[0])
				snprintf(s->msg, sizeof(s->msg), "%.63s", msg + 6);
			if (!s->qotd[0])
				snprintf(s->qotd, sizeof(s->qotd), "%.63s", msg + 6);
			continue;
		}
		if (!in_dump || !frame_name(msg, name, sizeof(name)))
			continue;
		if (strstr(msg, "[qotd]")) {
			s->driver = 1;
			if (!s->qotd[0])
				snprintf(s->qotd, sizeof(s->qotd), "%s", name);
		}
		if (!s->caller[0] && !is_alloc_frame(name))
			snprintf(s->caller, sizeof(s->caller), "%s", name);
		if (strstr(msg, "entry_SYSCALL"))
			in_dump = 0;
	}
	if (!s->caller[0])
		snprintf(s->caller, sizeof(s->caller), "%s",
			 s->dumped ? "(unknown)" : "(a __GFP_NOWARN allocation: no trace)");
}

/* A small tally of where the failures hit, for the summary. */
#define NTALLY 24
struct tally {
	char name[NTALLY][80];
	int count[NTALLY];
	int other;
};

static void tally_add(struct tally *t, const char *name)
{
	for (int i = 0; i < NTALLY; i++) {
		if (!t->count[i]) {
			snprintf(t->name[i], sizeof(t->name[i]), "%s", name);
			t->count[i] = 1;
			return;
		}
		if (!strcmp(t->name[i], name)) {
			t->count[i]++;
			return;
		}
	}
	t->other++;
}

static void tally_show(const struct tally *t, const char *what)
{
	char line[900];
	size_t len = 0;

	for (int i = 0; i < NTALLY && t->count[i]; i++) {
		int w = snprintf(line + len, sizeof(line) - len, "%s%s x%d", len ? ", " : "",
				 t->name[i], t->count[i]);

		if (w < 0 || (size_t)w >= sizeof(line) - len) {
			d_diag("  %s: %s", what, line);
			len = 0;
			i--;
			continue;
		}
		len += (size_t)w;
	}
	if (t->other)
		len += (size_t)snprintf(line + len, sizeof(line) - len, ", others x%d", t->other);
	if (len)
		d_diag("  %s: %s", what, line);
}

/* ---- shared checks --------------------------------------------------------- */

static const char *alloc_name;
static int verbose;		/* QOTD_FAILNTH_VERBOSE=1: a line per point */
static int slab_sweep;		/* QOTD_FAILNTH_SLAB_SWEEP=1: always sweep slabs */
static char label[160];

/* Failing details: the first few of each kind are shown. */
struct verdict {
	int bad;
	int shown;
};

static void complain(struct verdict *v, const char *fmt, ...) D_PRINTF(2, 3);
static void complain(struct verdict *v, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	v->bad++;
	if (v->shown >= 8)
		return;
	v->shown++;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	d_diag("  %s", text);
}

/* ---- module load ----------------------------------------------------------- */

/* qotd is loaded: its nodes hold the initial quotation; then unload it. */
static int load_is_ordinary(int instances, char *why, size_t len)
{
	char buf[QOTD_INIT_SIZE + 1];
	int fd, ok = 1, err;

	for (int k = 0; k < instances && ok; k++) {
		fd = q_open(k, O_RDONLY);
		if (fd < 0) {
			snprintf(why, len, "open %s: %s", q_node(k), strerror(errno));
			ok = 0;
			break;
		}
		if (pread(fd, buf, sizeof(buf), 0) != QOTD_INIT_SIZE ||
		    memcmp(buf, d_initial, QOTD_INIT_SIZE)) {
			snprintf(why, len, "%s does not hold the initial quotation", q_node(k));
			ok = 0;
		}
		close(fd);
	}
	err = d_unload();
	if (err && ok) {
		snprintf(why, len, "unload failed: %s", strerror(err));
		ok = 0;
	}
	if (d_loaded())
		d_force_unload();
	return ok;
}

static int load_works(const char *params_extra, int instances, char *why, size_t len)
{
	int err = d_load(params_extra);

	if (err) {
		snprintf(why, len, "load failed: %s", strerror(err));
		return 0;
	}
	return load_is_ordinary(instances, why, len);
}

/*
 * The allocations of a load before qotd's init runs (the module loader's)
 * do not depend on the module's parameters. A full sweep fails each of them once; it leaves here the
 * number of qotd's first allocation, and the sweeps of other parameters
 * start just before it (start_before_qotd()).
 */
#define FIRST_QOTD_POINT "/tmp/failnth-load-start"

/*
 * qotd's own failure sites in a load with k instances: its kcalloc() of the
 * instances, each instance's inode and buffer, each instance's
 * misc_register(). (The mount of its inodes' filesystem before them is
 * many allocations, each of which must fail the load with ENOMEM too.) Their
 * numbers move from one load to the next, by up to twenty (a slab or KASAN's
 * stack depot that needs new pages is allocations more), so the sweep can
 * step over one. If it did, a second sweep leaves page allocations that
 * may sleep alone (fail_page_alloc/ignore-gfp-wait): the numbers of slab
 * allocations and of the few page allocations that must not sleep (umem's
 * buffers at load among them) move by a point or two, and that sweep
 * passes over qotd's part once, from an allocation of the loader's just
 * before it; a site still missing is then tried, at most WINDOW_LOADS
 * loads, at each number between the sites around it (site_window()) until
 * it is hit.
 */
#define KEY_KCALLOC		0
#define KEY_INODE(j)		(1 + 2 * (j))
#define KEY_BUFFER(j)		(2 + 2 * (j))
#define KEY_REGISTER(k, j)	(1 + 2 * (k) + (j))
#define MAX_KEYS		(1 + 3 * 4)
#define WINDOW_LOADS		192

struct load_run {
	int instances, ko;
	char extra[64], params[256];
	struct verdict failed, later, absorbed;
	struct tally where, loader, errnos;
	int points, trials, retried, driver_points, failed_loads, clean_end;
	unsigned int first_qotd, last_qotd;
	unsigned long keys;	/* a bit per site of qotd's that was hit */
	unsigned long placed;	/* sites with a key_lo/key_hi in this numbering */
	unsigned int key_lo[MAX_KEYS], key_hi[MAX_KEYS];	/* hit at N from/to */
};

static int key_of(const struct load_run *r, const struct site *s)
{
	int j;

	/* sscanf() counts conversions, not the literal text after them. */
	if (sscanf(s->msg, "qotd%d:", &j) == 1 && j >= 0 && j < r->instances) {
		if (strstr(s->msg, ": cannot allocate"))
			return KEY_BUFFER(j);
		if (strstr(s->msg, ": cannot get an inode"))
			return KEY_INODE(j);
		if (strstr(s->msg, ": cannot register"))
			return KEY_REGISTER(r->instances, j);
		return -1;
	}
	if (!s->msg[0] && s->dumped && !strcmp(s->caller, "qotd_init") &&
	    !strcmp(s->qotd, "qotd_init"))
		return KEY_KCALLOC;
	return -1;
}

static void key_names(const struct load_run *r, unsigned long keys, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int key = 0; key <= KEY_REGISTER(r->instances, r->instances - 1); key++) {
		char name[40];

		if (!(keys & (1ul << key)))
			continue;
		if (key == KEY_KCALLOC)
			snprintf(name, sizeof(name), "kcalloc");
		else if (key < KEY_REGISTER(r->instances, 0))
			snprintf(name, sizeof(name), "qotd%d %s", (key - 1) / 2,
				 key % 2 ? "inode" : "buffer");
		else
			snprintf(name, sizeof(name), "qotd%d misc_register",
				 key - KEY_REGISTER(r->instances, 0));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
		if (used >= len)
			break;
	}
}

enum outcome { A_FAILED, A_ABSORBED, A_NOT_REACHED };

/* One load with its nth allocation failed, checked. */
static enum outcome load_attempt(struct load_run *r, unsigned int n, struct site *s, long *left)
{
	char why[256];
	int ret, err, key;

	kmsg_mark();
	d_nth_arm(nth_fd, n);
	ret = (int)syscall(SYS_finit_module, r->ko, r->params, 0);
	err = ret ? errno : 0;
	*left = d_nth_disarm(nth_fd);
	kmsg_site(s);
	if (verbose)
		d_diag("  N=%u: %s, %ld left, %s%s %s", n, err ? strerror(err) : "success", *left,
		       s->caller, s->driver ? " (qotd)" : "", s->qotd);
	if (err && d_loaded())
		complain(&r->failed, "N=%u: the load failed (%s) but qotd is loaded", n, strerror(err));

	if (*left != 0) {
		/* The failure was beyond the load's allocations. */
		r->clean_end = 0;
		if (err)
			complain(&r->failed, "N=%u: not reached (%ld allocations) but the load failed: %s",
				 n, (long)n - *left, strerror(err));
		else if (load_is_ordinary(r->instances, why, sizeof(why)))
			r->clean_end = 1;
		else
			complain(&r->absorbed, "N=%u: not reached, but %s", n, why);
		if (d_loaded())
			d_force_unload();
		return A_NOT_REACHED;
	}
	if (s->driver) {
		if (!r->first_qotd || n < r->first_qotd)
			r->first_qotd = n;
		if (n > r->last_qotd)
			r->last_qotd = n;
	}
	if (err) {
		r->failed_loads++;
		tally_add(&r->errnos, s->driver ? "failed in qotd's init" : "failed in the module loader");
		if (s->driver) {
			r->driver_points++;
			key = key_of(r, s);
			if (key >= 0 && key < MAX_KEYS) {
				if (!(r->placed & (1ul << key)))
					r->key_lo[key] = r->key_hi[key] = n;
				r->key_lo[key] = n < r->key_lo[key] ? n : r->key_lo[key];
				r->key_hi[key] = n > r->key_hi[key] ? n : r->key_hi[key];
				r->placed |= 1ul << key;
				r->keys |= 1ul << key;
			}
			tally_add(&r->where, s->qotd[0] ? s->qotd : s->caller);
			if (err != ENOMEM)
				complain(&r->failed, "N=%u: failure in qotd's init (%s), load returned %s, not ENOMEM",
					 n, s->qotd, strerror(err));
		} else {
			tally_add(&r->loader, strerror(err));
			tally_add(&r->where, s->caller);
		}
		if (d_leftovers(why, sizeof(why)))
			complain(&r->failed, "N=%u: the load failed (%s) but %s", n, strerror(err), why);
		if (!load_works(r->extra, r->instances, why, sizeof(why)))
			complain(&r->later, "N=%u: the load after the failed one: %s", n, why);
		return A_FAILED;
	}

	/* A load that absorbed the failure is an ordinary load. */
	tally_add(&r->errnos, "absorbed: the load worked");
	tally_add(&r->where, s->caller);
	if (!load_is_ordinary(r->instances, why, sizeof(why)))
		complain(&r->absorbed, "N=%u (%s): loaded, but %s", n, s->caller, why);
	if (d_loaded())
		d_force_unload();
	return A_ABSORBED;
}

/*
 * A start for a sweep that lands before qotd's init: step back from @from
 * with trial loads until one hits an allocation that is not qotd's: the
 * load fails in the module loader (whose last allocation before calling
 * qotd's init is do_init_module()'s), or the failure's stack trace has no
 * frame in qotd.  A load that absorbed an untraced (__GFP_NOWARN) failure
 * proves nothing, as kmemleak's records of qotd's allocations are such.
 * Stepping back from inside qotd's part, nothing after qotd's init (the
 * module's own uevent) can be met.  The trials are not points of the
 * sweep, but they are checked all the same, and a site of qotd's that one
 * hits counts.
 */
#define ANCHOR_TRIALS		48

static unsigned int start_before_qotd(struct load_run *r, unsigned int from)
{
	struct load_run *trial = malloc(sizeof(*trial));
	unsigned int step;
	struct site s;
	long left;

	for (int i = 0; trial && from > 1 && i < ANCHOR_TRIALS; i++) {
		enum outcome o;

		memcpy(trial, r, sizeof(*r));
		o = load_attempt(trial, from, &s, &left);
		r->trials++;
		r->failed = trial->failed;
		r->later = trial->later;
		r->absorbed = trial->absorbed;
		r->keys = trial->keys;
		r->placed = trial->placed;
		memcpy(r->key_lo, trial->key_lo, sizeof(r->key_lo));
		memcpy(r->key_hi, trial->key_hi, sizeof(r->key_hi));
		if (o != A_NOT_REACHED && !s.driver && (o == A_FAILED || s.dumped))
			break;
		/*
		 * By one at first, where the loader most likely is; then by an
		 * odd number, as kmemleak's allocations alternate with others.
		 */
		step = o == A_NOT_REACHED ? 20 : i < 8 ? 1 : 7;
		from = from > step ? from - step : 1;
	}
	free(trial);
	return from;
}

static int first_missing(const struct load_run *r, unsigned long all_keys)
{
	for (int key = 0; key < MAX_KEYS; key++)
		if ((all_keys & ~r->keys) & (1ul << key))
			return key;
	return -1;
}

/*
 * Where to look for a site that was not hit: sites come in the order of
 * their keys (a misc_register() is many points), and a number moves by a
 * few points between loads, so from the last number of the nearest site
 * hit before it to the first of the nearest one after it, a little wider.
 * The window is tried downwards from its top, as the site is most likely
 * just before the next one.
 */
/*
 * Counting the page allocations that must not sleep moves numbers further
 * than slab allocations alone (a slab refilled for kmemleak's records of a
 * non-sleeping allocation is one more), by up to several points.
 */
#define JITTER			8

static void site_window(const struct load_run *r, int key, unsigned int anchor,
			unsigned int end, unsigned int *lo, unsigned int *hi)
{
	*lo = anchor;
	*hi = r->last_qotd ? r->last_qotd + JITTER : end;
	for (int j = key - 1; j >= 0; j--)
		if (r->placed & (1ul << j)) {
			*lo = r->key_hi[j] > anchor + JITTER ? r->key_hi[j] - JITTER : anchor;
			break;
		}
	for (int j = key + 1; j < MAX_KEYS; j++)
		if (r->placed & (1ul << j)) {
			*hi = r->key_lo[j] + JITTER;
			break;
		}
	if (*hi < *lo)
		*hi = *lo;
}

/*
 * Sweep a load with instances=@instances from allocation @from on; if one
 * of qotd's sites was not hit, sweep qotd's part again with slab
 * allocations only, then try each site still missing in its window.
 * Returns the number of qotd's first allocation, or 0.
 */
static unsigned int test_load(int instances, unsigned int from)
{
	unsigned long all_keys = (1ul << (1 + 3 * instances)) - 1;
	struct load_run *r = calloc(1, sizeof(*r));
	char hit[400], missed[400];
	unsigned int first, first_qotd, last_qotd;
	unsigned int slab_anchor = 0;
	int window_loads = 0, sweep_driver, sweep_trials;
	double t0 = d_now();
	long reached = -1, left;
	struct site s;

	if (!r)
		return 0;
	r->instances = instances;
	snprintf(r->extra, sizeof(r->extra), "instances=%d", instances);
	d_params(r->params, sizeof(r->params), r->extra);
	snprintf(label, sizeof(label), "[%s] load with instances=%d", alloc_name, instances);
	if (d_loaded())
		d_force_unload();
	r->ko = open(d_ko(), O_RDONLY | O_CLOEXEC);
	if (!d_ok(r->ko >= 0, "%s: open %s", label, d_ko())) {
		free(r);
		return 0;
	}

	from = start_before_qotd(r, from);
	for (unsigned int n = from; n <= MAX_POINTS; n++) {
		if (load_attempt(r, n, &s, &left) == A_NOT_REACHED) {
			reached = (long)n - left;
			break;
		}
		r->points++;
	}
	first_qotd = r->first_qotd;
	last_qotd = r->last_qotd;
	sweep_driver = r->driver_points;
	sweep_trials = r->trials;
	if ((r->keys & all_keys) != all_keys || slab_sweep) {
		/*
		 * Slab and non-sleeping page allocations only: fewer of them
		 * come before qotd's, so its part is found anew and passed over
		 * once; then each site still missing is tried between the sites
		 * around it.
		 */
		unsigned int n, anchor, lo, hi;
		int missing, tried = 0, last_missing = -1;

		d_put(DBG "fail_page_alloc/ignore-gfp-wait", "Y");
		r->first_qotd = r->last_qotd = 0;
		r->placed = 0;
		anchor = start_before_qotd(r, first_qotd ? first_qotd : from);
		for (n = anchor; n <= MAX_POINTS && (slab_sweep || (r->keys & all_keys) != all_keys); n++) {
			if (load_attempt(r, n, &s, &left) == A_NOT_REACHED)
				break;
			r->retried++;
		}
		while (window_loads < WINDOW_LOADS && (missing = first_missing(r, all_keys)) >= 0) {
			site_window(r, missing, anchor, n, &lo, &hi);
			if (missing != last_missing)
				tried = 0;
			last_missing = missing;
			load_attempt(r, hi - (unsigned int)tried++ % (hi - lo + 1), &s, &left);
			window_loads++;
		}
		slab_anchor = anchor;
		d_put(DBG "fail_page_alloc/ignore-gfp-wait", "N");
	}
	if (d_loaded())
		d_force_unload();
	close(r->ko);

	if (from > 1)
		d_diag("%s: allocations %u to %ld failed in turn (1 to %u, the module loader's and KUnit's, are the same for any parameters: see the full sweep)",
		       label, from, reached - 1, from - 1);
	d_diag("%s: %d failure points, %d of them in qotd's init; %ld allocations in the load with none failed; %.1f s",
	       label, r->points, sweep_driver, reached, d_now() - t0);
	key_names(r, r->keys & all_keys, hit, sizeof(hit));
	key_names(r, all_keys & ~r->keys, missed, sizeof(missed));
	if (slab_anchor)
		d_diag("  %s (qotd's part: allocations %u to %u), with slab and non-sleeping page allocations failed only: %d trial loads to find a start before qotd's init, then %d loads on from %u, then %d in the windows of sites still missing; %d of the last two kinds failed in qotd's init",
		       slab_sweep ? "QOTD_FAILNTH_SLAB_SWEEP" : "the sweep missed one of qotd's sites",
		       first_qotd, last_qotd, r->trials - sweep_trials, r->retried, slab_anchor,
		       window_loads, r->driver_points - sweep_driver);
	tally_show(&r->errnos, "outcome");
	tally_show(&r->loader, "errno of loads failed in the module loader");
	tally_show(&r->where, "failed allocation made by");
	d_ok(!r->failed.bad, "%s: each of %d failed loads returned an error (ENOMEM for the %d in qotd's init) and left no module, node or misc device",
	     label, r->failed_loads, r->driver_points);
	d_ok(!r->later.bad, "%s: after each failed load the next load works", label);
	d_ok(!r->absorbed.bad, "%s: loads that absorbed the failure work and unload", label);
	d_ok(r->clean_end && r->points > 0, "%s: with the failure beyond reach the load works (%d failure points%s)",
	     label, r->points, from > 1 ? " from just before qotd's init" : "");
	if (!d_ok((r->keys & all_keys) == all_keys, "%s: a failure was injected at each of qotd's own allocations (%s)",
		  label, hit))
		d_diag("  not reached: %s", missed);
	first = first_qotd;
	free(r);
	return first;
}

/* ---- set size and discard ---------------------------------------------------- */

struct snap {
	uint64_t size;
	long long sysfs_size, changed, allocated, refcnt;
	unsigned char *data;
	ssize_t got;
};

static void snap_take(int fd, struct snap *s)
{
	free(s->data);
	memset(s, 0, sizeof(*s));
	if (q_gsz(fd, &s->size))
		s->size = 0;
	s->sysfs_size = d_attr(0, "size");
	s->changed = d_attr(0, "changed");
	s->allocated = d_attr(0, "allocated");
	s->refcnt = d_refcnt();
	s->data = malloc(s->size + 1);
	s->got = s->data ? pread(fd, s->data, s->size + 1, 0) : -1;
}

/* Empty if equal, else what differs. */
static const char *snap_diff(const struct snap *a, const struct snap *b)
{
	static char why[200];

	why[0] = '\0';
	if (a->size != b->size)
		snprintf(why, sizeof(why), "size %llu -> %llu", (unsigned long long)a->size,
			 (unsigned long long)b->size);
	else if (a->sysfs_size != b->sysfs_size)
		snprintf(why, sizeof(why), "sysfs size %lld -> %lld", a->sysfs_size, b->sysfs_size);
	else if (a->changed != b->changed)
		snprintf(why, sizeof(why), "changed %lld -> %lld", a->changed, b->changed);
	else if (a->allocated != b->allocated)
		snprintf(why, sizeof(why), "allocated %lld -> %lld", a->allocated, b->allocated);
	else if (a->refcnt != b->refcnt)
		snprintf(why, sizeof(why), "module refcnt %lld -> %lld", a->refcnt, b->refcnt);
	else if (a->got != b->got || (a->got > 0 && memcmp(a->data, b->data, (size_t)a->got)))
		snprintf(why, sizeof(why), "content differs");
	return why;
}

/* The byte a test writes at offset i: never zero, never ASCII. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(0x80 | ((i * 7 + 3) & 0x7f));
}

/* Bring node 0 (open as fd) to: size, written (changed with a pattern). */
static int set_state(int fd, uint64_t size, int written)
{
	if (q_discard(fd))
		return -1;
	if (size != QOTD_INIT_SIZE && q_ssz(fd, size))
		return -1;
	if (written) {
		size_t len = size < 300 ? size : 300;
		unsigned char buf[300];

		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(i);
		if (pwrite(fd, buf, len, 0) != (ssize_t)len)
			return -1;
	}
	return 0;
}

/* After a successful set size from `before` to `size`. */
static const char *resized_right(int fd, const struct snap *before, uint64_t size, long long base_ref)
{
	static char why[200];
	struct snap after = { 0 };
	uint64_t keep = before->size < size ? before->size : size;

	why[0] = '\0';
	snap_take(fd, &after);
	if (after.size != size || after.got != (ssize_t)size)
		snprintf(why, sizeof(why), "size %llu, read %zd bytes, wanted %llu",
			 (unsigned long long)after.size, after.got, (unsigned long long)size);
	else if (memcmp(after.data, before->data, keep))
		snprintf(why, sizeof(why), "the first %llu bytes were not kept", (unsigned long long)keep);
	else if (size > keep && (after.data[keep] || memcmp(after.data + keep, after.data + keep + 1,
							     size - keep - 1)))
		snprintf(why, sizeof(why), "the new bytes are not zero");
	else if (after.changed != 1 || after.refcnt != base_ref + 1)
		snprintf(why, sizeof(why), "changed %lld, refcnt %lld (wanted 1 and %lld)",
			 after.changed, after.refcnt, base_ref + 1);
	free(after.data);
	return why;
}

static const char *discarded_right(int fd, long long base_ref)
{
	static char why[200];
	struct snap after = { 0 };

	why[0] = '\0';
	snap_take(fd, &after);
	if (after.size != QOTD_INIT_SIZE || after.got != QOTD_INIT_SIZE ||
	    memcmp(after.data, d_initial, QOTD_INIT_SIZE))
		snprintf(why, sizeof(why), "not the initial 128 bytes (size %llu)",
			 (unsigned long long)after.size);
	else if (after.changed != 0 || after.refcnt != base_ref)
		snprintf(why, sizeof(why), "changed %lld, refcnt %lld (wanted 0 and %lld)",
			 after.changed, after.refcnt, base_ref);
	free(after.data);
	return why;
}

enum op { OP_SETSIZE, OP_DISCARD };

/*
 * One operation from one starting state, failed at every allocation.
 * base_ref: the module's reference count with changed clear and fd open.
 * Returns the number of failure points.
 */
static int test_ioctl(int fd, long long base_ref, enum op op, uint64_t from, int written,
		       uint64_t to)
{
	struct verdict failed = { 0 }, success = { 0 };
	struct snap before = { 0 }, after = { 0 };
	struct tally where = { 0 };
	int points = 0, finished = 0, absorbed = 0;
	double t0 = d_now();
	long reached = -1;

	if (op == OP_SETSIZE)
		snprintf(label, sizeof(label), "[%s] set size %llu%s -> %llu", alloc_name,
			 (unsigned long long)from, written ? " (written)" : "", (unsigned long long)to);
	else
		snprintf(label, sizeof(label), "[%s] discard from size %llu%s", alloc_name,
			 (unsigned long long)from, written ? " (written)" : "");

	for (unsigned int n = 1; n <= MAX_POINTS; n++) {
		struct site s;
		const char *why;
		long left;
		int ret, err;

		if (set_state(fd, from, written)) {
			complain(&failed, "N=%u: cannot set up the state: %s", n, strerror(errno));
			break;
		}
		snap_take(fd, &before);
		kmsg_mark();
		d_nth_arm(nth_fd, n);
		ret = op == OP_SETSIZE ? q_ssz(fd, to) : q_discard(fd);
		err = ret ? errno : 0;
		left = d_nth_disarm(nth_fd);
		kmsg_site(&s);
		if (verbose)
			d_diag("  N=%u: %s, %ld left, %s%s", n, err ? strerror(err) : "success", left,
			       s.caller, s.driver ? " (qotd)" : "");

		if (left != 0) {
			reached = (long)n - left;
			if (err) {
				complain(&failed, "N=%u: not reached (%ld allocations) but the call failed: %s",
					 n, reached, strerror(err));
				break;
			}
			why = op == OP_SETSIZE ? resized_right(fd, &before, to, base_ref) :
						 discarded_right(fd, base_ref);
			if (*why)
				complain(&success, "with no failure: %s", why);
			else
				finished = 1;
			break;
		}
		points++;
		tally_add(&where, s.caller);
		if (!err) {
			absorbed++;
			why = op == OP_SETSIZE ? resized_right(fd, &before, to, base_ref) :
						 discarded_right(fd, base_ref);
			if (*why)
				complain(&success, "N=%u: succeeded despite the failure in %s, but %s", n,
					 s.caller, why);
			continue;
		}
		if (err != ENOMEM)
			complain(&failed, "N=%u: failed with %s, not ENOMEM (failure in %s)", n,
				 strerror(err), s.caller);
		snap_take(fd, &after);
		why = snap_diff(&before, &after);
		if (*why)
			complain(&failed, "N=%u: failed (%s in %s) but changed state: %s", n,
				 strerror(err), s.caller, why);
	}
	free(before.data);
	free(after.data);
	d_diag("%s: %d failure points (%d absorbed), %ld allocations with none failed, %.1f s", label,
	       points, absorbed, reached, d_now() - t0);
	tally_show(&where, "failed allocation made by");
	if (points > absorbed)
		d_ok(!failed.bad, "%s: each of %d failures gave ENOMEM and left size, content, changed, allocated and refcnt as they were",
		     label, points - absorbed);
	else if (points || failed.bad)
		d_ok(!failed.bad, "%s: no failed allocation made the call fail (%d points, all absorbed)",
		     label, points);
	d_ok(finished && !success.bad, "%s: with the failure beyond reach%s it works (%d failure points)",
	     label, absorbed ? ", and where it was absorbed," : "", points);
	return points;
}

static void test_ioctls(void)
{
	static const uint64_t sizes[] = { 1, 60, 129, 4096, 4097, 100000, BIG };
	long long base_ref;
	int err, fd;

	snprintf(label, sizeof(label), "[%s] ioctls", alloc_name);
	err = d_load(MAX_SIZE);
	if (!d_ok(!err, "%s: load with %s", label, MAX_SIZE)) {
		d_diag("finit_module: %s", strerror(err));
		return;
	}
	fd = q_open(0, O_RDWR);
	if (!d_ok(fd >= 0, "%s: open %s", label, q_node(0))) {
		d_force_unload();
		return;
	}
	base_ref = d_refcnt();
	d_diag("%s: module refcnt %lld with one open fd and nothing changed", label, base_ref);

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_ioctl(fd, base_ref, OP_SETSIZE, QOTD_INIT_SIZE, 0, sizes[i]);
	test_ioctl(fd, base_ref, OP_SETSIZE, 3000, 1, 5000);
	test_ioctl(fd, base_ref, OP_SETSIZE, 100000, 1, 2000);

	test_ioctl(fd, base_ref, OP_DISCARD, 4097, 1, 0);
	test_ioctl(fd, base_ref, OP_DISCARD, 60, 1, 0);
	test_ioctl(fd, base_ref, OP_DISCARD, BIG, 1, 0);
	/* At the initial size discard only clears; it must not allocate. */
	d_ok(test_ioctl(fd, base_ref, OP_DISCARD, QOTD_INIT_SIZE, 1, 0) == 0,
	     "[%s] discard at the initial size allocates nothing", alloc_name);

	q_discard(fd);
	close(fd);
	err = d_unload();
	d_ok(!err, "[%s] ioctls: unload after the failures", alloc_name);
	if (d_loaded())
		d_force_unload();
}

/* ---- open ------------------------------------------------------------------ */

static void test_open(void)
{
	int err, points = 0, failed_ok = 1, ref_ok = 1, after_ok = 1, in_qotd = 0, end = 0;
	long long base_ref;

	snprintf(label, sizeof(label), "[%s] open", alloc_name);
	err = d_load(NULL);
	if (!d_ok(!err, "%s: load", label)) {
		d_diag("finit_module: %s", strerror(err));
		return;
	}
	base_ref = d_refcnt();
	for (unsigned int n = 1; n < 1000; n++) {
		struct site s;
		long left;
		int fd, e;

		kmsg_mark();
		d_nth_arm(nth_fd, n);
		fd = q_open(0, O_RDONLY);
		e = errno;
		left = d_nth_disarm(nth_fd);
		kmsg_site(&s);
		if (left != 0) {
			end = fd >= 0;
			if (fd >= 0)
				close(fd);
			break;
		}
		points++;
		if (fd >= 0) {
			close(fd);	/* absorbed: nothing to check */
		} else if (e != ENOMEM) {
			if (failed_ok)
				d_diag("%s: failure %u (%s) gave %s, not ENOMEM", label, n, s.caller,
				       strerror(e));
			failed_ok = 0;
		}
		in_qotd |= !strcmp(s.qotd, "qotd_open");
		if (d_refcnt() != base_ref) {
			if (ref_ok)
				d_diag("%s: after failure %u (%s) refcnt %lld, was %lld", label, n,
				       s.caller, d_refcnt(), base_ref);
			ref_ok = 0;
		}
		fd = q_open(0, O_RDONLY);
		if (fd < 0)
			after_ok = 0;
		else
			close(fd);
	}
	d_ok(failed_ok, "%s: every open that met a failure failed with ENOMEM (%d points)", label,
	     points);
	d_ok(ref_ok, "%s: a failed open leaves the module's reference count as it was", label);
	d_ok(after_ok, "%s: the open after each failure works", label);
	d_ok(in_qotd, "%s: a failure was injected at qotd_open's own allocation", label);
	d_ok(end && points > 0, "%s: with the failure beyond reach the open works", label);
	err = d_unload();
	d_ok(!err, "%s: unload after the failures", label);
	if (d_loaded())
		d_force_unload();
}

int main(int argc, char **argv)
{
	int load = 0, load4 = 0, ioctls = 0, opens = 0;

	d_init("failnth ");
	alloc_name = d_alloc();
	verbose = getenv("QOTD_FAILNTH_VERBOSE") && atoi(getenv("QOTD_FAILNTH_VERBOSE"));
	slab_sweep = getenv("QOTD_FAILNTH_SLAB_SWEEP") && atoi(getenv("QOTD_FAILNTH_SLAB_SWEEP"));
	if (argc == 1 && getenv("QOTD_FAILNTH")) {
		load = !!strstr(getenv("QOTD_FAILNTH"), "load");
		load4 = !!strstr(getenv("QOTD_FAILNTH"), "load4");
		ioctls = !!strstr(getenv("QOTD_FAILNTH"), "ioctl");
		opens = !!strstr(getenv("QOTD_FAILNTH"), "open");
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "load"))
			load = 1;
		else if (!strcmp(argv[i], "load4"))
			load4 = 1;
		else if (!strcmp(argv[i], "ioctl"))
			ioctls = 1;
		else if (!strcmp(argv[i], "open"))
			opens = 1;
		else {
			fprintf(stderr, "usage: %s [load] [load4] [ioctl] [open]\n", argv[0]);
			return 2;
		}
	}
	if (!load && !load4 && !ioctls && !opens)
		load = load4 = ioctls = opens = 1;

	if (!d_ok(setup_injection() == 0, "[%s] fail-nth, failslab and fail_page_alloc set up to fail any allocation",
		  alloc_name)) {
		d_knobs_restore(knobs, NKNOBS);
		return d_done();
	}
	if (d_loaded())
		d_force_unload();
	if (load || load4) {
		long from = d_get_ll(FIRST_QOTD_POINT, 0);
		unsigned int first;

		if (getenv("QOTD_FAILNTH_FROM"))	/* to look at a few points */
			from = atoi(getenv("QOTD_FAILNTH_FROM"));
		if (from < 2 || getenv("QOTD_FAILNTH_FULL"))
			from = 1;
		first = load ? test_load(1, (unsigned int)from) : 0;
		if (from == 1 && first > 0) {
			char text[16];

			snprintf(text, sizeof(text), "%u", first);
			/* Where the next sweeps start; the same file for all. */
			int fd = open(FIRST_QOTD_POINT, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (fd >= 0) {
				if (write(fd, text, strlen(text)) < 0)
					d_diag("%s: %s", FIRST_QOTD_POINT, strerror(errno));
				close(fd);
			}
			from = first;
		}
		if (load4)
			test_load(4, (unsigned int)from);
	}
	if (ioctls)
		test_ioctls();
	if (opens)
		test_open();
	d_knobs_restore(knobs, NKNOBS);
	return d_done();
}
