// SPDX-License-Identifier: GPL-2.0
/*
 * qotd-bench - measure /dev/qotd against tmpfs, /dev/zero and userspace.
 *
 *   qotd-bench [options] PHASE...
 *
 * Phases (run in this order, but mmap before mem; "all", or none at all,
 * means every one):
 *   bulk      read and write of the whole buffer in blocks, for several buffer
 *             and block sizes: qotd, a tmpfs file of the same size, /dev/zero
 *             (read only), and memcpy() and rep movsb from/to a mapping of
 *             that file
 *   small     cost of one call: 1-byte pread of qotd, QOTDIOCGSZ, 1-byte pread
 *             of /dev/zero and of the tmpfs file, getppid()
 *   setsize   QOTDIOCSSZ from N to N bytes, against calloc + memcpy + free of
 *             N bytes in userspace, and memset + memcpy, or rep stosb + rep
 *             movsb, on reused memory
 *   parallel  aggregate read throughput of 1 and 2 threads on one instance
 *   mem       kernel memory per instance for each allocation strategy and
 *             size: the driver's "allocated" attribute, cross-checked with
 *             /proc/slabinfo and /proc/meminfo deltas over 64 instances
 *   mmap      reading the whole buffer through a mapping of the device
 *             (alloc=umem) against pread() of it and memcpy() from a
 *             mapped tmpfs file; and the cost per page of the first touch
 *             of a fresh mapping, qotd's against a tmpfs file's
 *
 * Every figure is the median of --reps samples; the samples of the things
 * compared with each other are taken in turn, in the same run, so that a
 * slow spell of the machine hits all of them alike.
 *
 * Output: one record per line, "BENCH key=value ...", values without spaces;
 * lines starting with '#' are comments. The module is loaded (and reloaded
 * for "mem") by this program through finit_module(2) from --ko; without --ko
 * it must already be loaded with a large enough max_size. --dev none skips
 * everything that needs the driver (to try the program on any machine).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/qotd.h>

#define KiB		1024UL
#define MiB		(1024UL * 1024)
#define MAX_LIST	16
#define MAX_INSTANCES	64

static const char *opt_dev = "/dev/qotd0";
static const char *opt_tmpdir = "/tmp";
static const char *opt_ko;
static int opt_reps = 5;
static int opt_big_reps = 3;	/* above ref_max_size: each sample is long */
static int opt_mem_reps = 3;
static int opt_instances = MAX_INSTANCES;
static double opt_min_ns = 20e6;	/* shortest sample */
static size_t opt_max_size = 256 * MiB;
static int have_dev;

static size_t bulk_sizes[MAX_LIST] = { 64 * KiB, MiB, 16 * MiB, 256 * MiB };
static int n_bulk_sizes = 4;
static size_t block_sizes[MAX_LIST] = { 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB };
static int n_block_sizes = 5;
static size_t set_sizes[MAX_LIST] = { 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB,
				      MiB, 4 * MiB, 16 * MiB, 64 * MiB, 256 * MiB };
static int n_set_sizes = 9;
/* 2 MiB and up: where kvmalloc() would have mapped huge pages. */
static size_t mem_sizes[MAX_LIST] = { 128, 4 * KiB, 64 * KiB, MiB, 2 * MiB, 5 * MiB, 8 * MiB };
static int n_mem_sizes = 7;
/* Memory the instances of one "mem" sample may take together, at most. */
#define MEM_SAMPLE_MAX (64 * MiB)
/* Above this buffer size only qotd and tmpfs, and only these blocks. */
static size_t ref_max_size = 16 * MiB;
static size_t big_blocks[MAX_LIST] = { 4 * KiB, 64 * KiB, MiB };
static int n_big_blocks = 3;
static size_t par_size = 16 * MiB;
static size_t par_blocks[MAX_LIST] = { 4 * KiB, MiB };
static int n_par_blocks = 2;

/* The user buffer every read and write goes through: prefaulted, locked. */
static unsigned char *ubuf;
static size_t ubuf_size;
static long page_size = 4096;

/* Report what went wrong as a record (a value has no spaces) and stop. */
static void die(const char *fmt, ...)
{
	char what[512], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	for (p = what; *p; p++)
		if (*p == ' ')
			*p = '_';
	printf("BENCH test=error what=%s\n", what);
	fflush(stdout);
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double med, min, max;
	int n;
};

static struct stats summarize(const double *v, int n)
{
	double s[64];
	struct stats st = { 0, 0, 0, n };

	if (n <= 0)
		return st;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	st.min = s[0];
	st.max = s[n - 1];
	st.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return st;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (*end || !v)
		return -1;
	*out = v;
	return 0;
}

static int parse_list(const char *s, size_t *list, int *n)
{
	char buf[256], *tok, *save;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_LIST || parse_size(tok, &list[*n]))
			return -1;
		(*n)++;
	}
	return *n ? 0 : -1;
}

/* Keep the compiler from dropping copies whose result nobody reads. */
static inline void clobber(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/*
 * The string instructions the kernel copies and clears with on this CPU
 * (ERMS: copy_user_enhanced_fast_string, memcpy_erms, clear_page_erms), for
 * a userspace reference that costs what the kernel's own copy costs.
 */
static inline void movsb(void *dst, const void *src, size_t n)
{
	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void stosb(void *dst, int c, size_t n)
{
	__asm__ __volatile__("rep stosb"
			     : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

/*
 * QEMU's software TLB is direct-mapped: two buffers whose distance is a
 * multiple of its size (a power of two pages) evict each other on every
 * access, and a copy between them runs many times slower than on any real
 * CPU. Kernel buffers land wherever they land; a userspace reference
 * copies between @a and whichever of @b and @b + one page is an odd number
 * of pages away from it (@b has a page to spare), as no real program would
 * suffer from this.
 */
static unsigned char *odd_pages_apart(const unsigned char *a, unsigned char *b)
{
	long pages = ((const char *)a - (const char *)b) / page_size;

	return pages & 1 ? b : b + page_size;
}

/* ---- the module ------------------------------------------------------- */

static int module_loaded(void)
{
	return access("/sys/module/qotd", F_OK) == 0;
}

static void load_module(const char *params)
{
	int fd = open(opt_ko, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open-ko:%s:%s", opt_ko, strerror(errno));
	if (syscall(SYS_finit_module, fd, params, 0))
		die("finit_module:%s", strerror(errno));
	close(fd);
}

static void discard_all(int instances)
{
	char path[64];
	int i, fd;

	for (i = 0; i < instances; i++) {
		snprintf(path, sizeof(path), "/dev/qotd%d", i);
		fd = open(path, O_RDWR);
		if (fd < 0)
			continue;
		if (ioctl(fd, QOTDIOCDISCARD))
			note("discard %s: %s", path, strerror(errno));
		close(fd);
	}
}

static void unload_module(int instances)
{
	int tries;

	discard_all(instances);
	for (tries = 0; tries < 50; tries++) {
		if (!syscall(SYS_delete_module, "qotd", O_NONBLOCK))
			return;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EBUSY)
			break;
		usleep(100000);
	}
	die("delete_module:%s", strerror(errno));
}

static int set_size(int fd, size_t size)
{
	__u64 v = size;

	return ioctl(fd, QOTDIOCSSZ, &v);
}

static int open_dev(void)
{
	int fd = open(opt_dev, O_RDWR);

	if (fd < 0)
		die("open:%s:%s", opt_dev, strerror(errno));
	return fd;
}

static long read_long_file(const char *path)
{
	char buf[64];
	long v = -1;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		v = strtol(buf, NULL, 10);
	}
	return v;
}

/* ---- timing ----------------------------------------------------------- */

/*
 * A thing to time: run() does @iters operations and returns 0, or -1 with a
 * message in errbuf. The sample is the time per operation.
 */
struct subject {
	const char *name;
	int (*run)(struct subject *s, long iters);
	int fd;
	size_t size, bs;
	unsigned char *map;
	unsigned char *buf;	/* user side of a userspace reference copy */
	long iters;
	double v[64];
};

static char errbuf[256];

static double time_run(struct subject *s, long iters)
{
	double t0 = now_ns();

	if (s->run(s, iters))
		die("%s:%s", s->name, errbuf);
	return now_ns() - t0;
}

/* Warm up, then find how many operations make a sample of opt_min_ns. */
static void calibrate(struct subject *s)
{
	long iters = 1;
	double t = time_run(s, 1);	/* the first run warms up */

	if (t < opt_min_ns)
		t = time_run(s, 1);
	for (;;) {
		if (t >= opt_min_ns || iters >= (1L << 30))
			break;
		if (t < opt_min_ns / 100)
			iters *= 100;
		else
			iters = (long)(iters * opt_min_ns / t * 1.1) + 1;
		t = time_run(s, iters);
	}
	s->iters = iters;
}

/* Calibrate each subject, then take the samples in turn. */
static void sample_all(struct subject *subs, int n, int reps)
{
	int i, r;

	for (i = 0; i < n; i++)
		calibrate(&subs[i]);
	for (r = 0; r < reps; r++)
		for (i = 0; i < n; i++)
			subs[i].v[r] = time_run(&subs[i], subs[i].iters) / subs[i].iters;
}

/* ---- bulk ------------------------------------------------------------- */

static int fail(const char *what)
{
	snprintf(errbuf, sizeof(errbuf), "%s:%s", what, strerror(errno));
	return -1;
}

static int run_pread(struct subject *s, long iters)
{
	size_t off;
	ssize_t n;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs) {
			n = pread(s->fd, ubuf, s->bs, off);
			if (n != (ssize_t)s->bs)
				return n < 0 ? fail("pread") : (errno = EIO, fail("short-pread"));
		}
	return 0;
}

static int run_pwrite(struct subject *s, long iters)
{
	size_t off;
	ssize_t n;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs) {
			n = pwrite(s->fd, ubuf, s->bs, off);
			if (n != (ssize_t)s->bs)
				return n < 0 ? fail("pwrite") : (errno = EIO, fail("short-pwrite"));
		}
	return 0;
}

/* /dev/zero has no end: read as many bytes as the others, as plain read(). */
static int run_read(struct subject *s, long iters)
{
	size_t off;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs)
			if (read(s->fd, ubuf, s->bs) != (ssize_t)s->bs)
				return fail("read");
	return 0;
}

static int run_memcpy_from(struct subject *s, long iters)
{
	size_t off;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs) {
			memcpy(s->buf, s->map + off, s->bs);
			clobber();
		}
	return 0;
}

static int run_memcpy_to(struct subject *s, long iters)
{
	size_t off;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs) {
			memcpy(s->map + off, s->buf, s->bs);
			clobber();
		}
	return 0;
}

static int run_movsb_from(struct subject *s, long iters)
{
	size_t off;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs)
			movsb(s->buf, s->map + off, s->bs);
	return 0;
}

static int run_movsb_to(struct subject *s, long iters)
{
	size_t off;

	while (iters--)
		for (off = 0; off < s->size; off += s->bs)
			movsb(s->map + off, s->buf, s->bs);
	return 0;
}

static void print_tput(const char *test, const char *subject, const char *op,
		       size_t size, size_t bs, struct subject *s, int reps)
{
	double mibs[64];
	struct stats st;
	int r;

	for (r = 0; r < reps; r++)
		mibs[r] = (double)s->size / MiB / (s->v[r] / 1e9);
	st = summarize(mibs, reps);
	printf("BENCH test=%s subject=%s op=%s size=%zu bs=%zu value=%.1f unit=MiB/s"
	       " n=%d min=%.1f max=%.1f iters=%ld\n",
	       test, subject, op, size, bs, st.med, st.n, st.min, st.max, s->iters);
	fflush(stdout);
}

static int make_tmpfile(size_t size, unsigned char **map)
{
	char path[PATH_MAX];
	size_t off, n;
	int fd;

	snprintf(path, sizeof(path), "%s/qotd-bench.%d", opt_tmpdir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open:%s:%s", path, strerror(errno));
	unlink(path);
	/* Real pages, not holes: a hole reads as the shared zero page. */
	for (off = 0; off < size; off += n) {
		n = size - off < ubuf_size ? size - off : ubuf_size;
		if (pwrite(fd, ubuf, n, off) != (ssize_t)n)
			die("fill-tmpfile:%s", strerror(errno));
	}
	if (map) {
		*map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_POPULATE, fd, 0);
		if (*map == MAP_FAILED)
			die("mmap-tmpfile:%s", strerror(errno));
	}
	return fd;
}

static void phase_bulk(void)
{
	int qfd = -1, zfd, tfd, si, bi;
	unsigned char *map;

	zfd = open("/dev/zero", O_RDONLY);
	if (zfd < 0)
		die("open:/dev/zero:%s", strerror(errno));
	if (have_dev)
		qfd = open_dev();

	for (si = 0; si < n_bulk_sizes; si++) {
		size_t size = bulk_sizes[si];

		if (size > opt_max_size)
			continue;
		note("bulk: buffer size %zu", size);
		if (have_dev && set_size(qfd, size))
			die("set-size:%zu:%s", size, strerror(errno));
		tfd = make_tmpfile(size, &map);

		int refs = size <= ref_max_size, reps = refs ? opt_reps : opt_big_reps;
		const size_t *bss = refs ? block_sizes : big_blocks;
		int nbs = refs ? n_block_sizes : n_big_blocks;

		for (bi = 0; bi < nbs; bi++) {
			size_t bs = bss[bi];
			struct subject rd[5], wr[4];
			int nr = 0, nw = 0, i;

			if (bs > size || bs > ubuf_size)
				continue;
			memset(rd, 0, sizeof(rd));
			memset(wr, 0, sizeof(wr));
#define SUBJ(n, r, f) (struct subject){ .name = n, .run = r, .fd = f, .size = size, .bs = bs, \
					   .map = map, .buf = odd_pages_apart(map, ubuf) }
			if (have_dev) {
				rd[nr++] = SUBJ("qotd", run_pread, qfd);
				wr[nw++] = SUBJ("qotd", run_pwrite, qfd);
			}
			rd[nr++] = SUBJ("tmpfs", run_pread, tfd);
			wr[nw++] = SUBJ("tmpfs", run_pwrite, tfd);
			if (refs) {
				rd[nr++] = SUBJ("zero", run_read, zfd);
				rd[nr++] = SUBJ("memcpy", run_memcpy_from, -1);
				rd[nr++] = SUBJ("movsb", run_movsb_from, -1);
				wr[nw++] = SUBJ("memcpy", run_memcpy_to, -1);
				wr[nw++] = SUBJ("movsb", run_movsb_to, -1);
			}
#undef SUBJ
			sample_all(rd, nr, reps);
			for (i = 0; i < nr; i++)
				print_tput("bulk", rd[i].name, "read", size, bs, &rd[i], reps);
			sample_all(wr, nw, reps);
			for (i = 0; i < nw; i++)
				print_tput("bulk", wr[i].name, "write", size, bs, &wr[i], reps);
		}
		munmap(map, size);
		close(tfd);
	}
	if (have_dev) {
		if (ioctl(qfd, QOTDIOCDISCARD))
			die("discard:%s", strerror(errno));
		close(qfd);
	}
	close(zfd);
}

/* ---- mmap --------------------------------------------------------------- */

static volatile unsigned char sink;

/* Map the buffer, touch each page once, unmap: the fault cost. */
static int run_first_touch(struct subject *s, long iters)
{
	size_t off;

	while (iters--) {
		unsigned char *m = mmap(NULL, s->size, PROT_READ, MAP_SHARED, s->fd, 0);

		if (m == MAP_FAILED)
			return fail("mmap");
		for (off = 0; off < s->size; off += page_size)
			sink = m[off];
		munmap(m, s->size);
	}
	return 0;
}

static void phase_mmap(void)
{
	static const size_t sizes[] = { 64 * KiB, MiB, 16 * MiB };
	static const size_t bss[] = { 64 * KiB, MiB };
	unsigned char *qmap, *tmap;
	int qfd, tfd, i;

	if (!have_dev)
		return;
	qfd = open_dev();
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t size = sizes[si];

		if (size > opt_max_size)
			continue;
		note("mmap: buffer size %zu", size);
		if (set_size(qfd, size))
			die("set-size:%zu:%s", size, strerror(errno));
		qmap = mmap(NULL, size, PROT_READ, MAP_SHARED | MAP_POPULATE, qfd, 0);
		if (qmap == MAP_FAILED) {
			/* kmem and auto cannot be mapped: nothing to measure. */
			printf("BENCH test=error what=mmap:%s\n", strerror(errno));
			break;
		}
		tfd = make_tmpfile(size, &tmap);
		for (size_t bi = 0; bi < sizeof(bss) / sizeof(bss[0]); bi++) {
			size_t bs = bss[bi];
			struct subject rd[3];

			if (bs > size)
				continue;
			memset(rd, 0, sizeof(rd));
			rd[0] = (struct subject){ .name = "qotd-mmap", .run = run_memcpy_from,
						  .size = size, .bs = bs, .map = qmap,
						  .buf = odd_pages_apart(qmap, ubuf) };
			rd[1] = (struct subject){ .name = "qotd-read", .run = run_pread, .fd = qfd,
						  .size = size, .bs = bs };
			rd[2] = (struct subject){ .name = "memcpy", .run = run_memcpy_from,
						  .size = size, .bs = bs, .map = tmap,
						  .buf = odd_pages_apart(tmap, ubuf) };
			sample_all(rd, 3, opt_reps);
			for (i = 0; i < 3; i++)
				print_tput("mmap", rd[i].name, "read", size, bs, &rd[i], opt_reps);
		}
		if (size == sizes[sizeof(sizes) / sizeof(sizes[0]) - 1]) {
			struct subject ft[2] = {
				{ .name = "qotd", .run = run_first_touch, .fd = qfd, .size = size },
				{ .name = "tmpfs", .run = run_first_touch, .fd = tfd, .size = size },
			};
			double per[64];
			struct stats st;

			sample_all(ft, 2, opt_reps);
			for (i = 0; i < 2; i++) {
				for (int r = 0; r < opt_reps; r++)
					per[r] = ft[i].v[r] / (double)(size / page_size);
				st = summarize(per, opt_reps);
				printf("BENCH test=fault subject=%s size=%zu value=%.1f unit=ns/page"
				       " n=%d min=%.1f max=%.1f iters=%ld\n", ft[i].name, size,
				       st.med, st.n, st.min, st.max, ft[i].iters);
			}
			fflush(stdout);
		}
		munmap(tmap, size);
		close(tfd);
		munmap(qmap, size);
	}
	if (ioctl(qfd, QOTDIOCDISCARD))
		die("discard:%s", strerror(errno));
	close(qfd);
}

/* ---- small operations ------------------------------------------------- */

static int run_pread1(struct subject *s, long iters)
{
	while (iters--)
		if (pread(s->fd, ubuf, 1, 0) != 1)
			return fail("pread1");
	return 0;
}

static int run_read1(struct subject *s, long iters)
{
	while (iters--)
		if (read(s->fd, ubuf, 1) != 1)
			return fail("read1");
	return 0;
}

static int run_getsz(struct subject *s, long iters)
{
	__u64 v;

	while (iters--)
		if (ioctl(s->fd, QOTDIOCGSZ, &v))
			return fail("QOTDIOCGSZ");
	return 0;
}

static int run_getppid(struct subject *s, long iters)
{
	(void)s;
	while (iters--)
		syscall(SYS_getppid);
	return 0;
}

static void print_cost(const char *test, const char *subject, const char *extra,
		       struct subject *s, int reps)
{
	struct stats st = summarize(s->v, reps);

	printf("BENCH test=%s subject=%s%s value=%.1f unit=ns n=%d min=%.1f max=%.1f iters=%ld\n",
	       test, subject, extra, st.med, st.n, st.min, st.max, s->iters);
	fflush(stdout);
}

static void phase_small(void)
{
	struct subject s[6];
	int n = 0, i, zfd, tfd, qfd = -1;

	zfd = open("/dev/zero", O_RDONLY);
	if (zfd < 0)
		die("open:/dev/zero:%s", strerror(errno));
	tfd = make_tmpfile(4096, NULL);
	memset(s, 0, sizeof(s));
	if (have_dev) {
		qfd = open_dev();
		s[n++] = (struct subject){ .name = "qotd-pread1", .run = run_pread1, .fd = qfd };
		s[n++] = (struct subject){ .name = "qotd-getsize", .run = run_getsz, .fd = qfd };
	}
	s[n++] = (struct subject){ .name = "zero-pread1", .run = run_pread1, .fd = zfd };
	s[n++] = (struct subject){ .name = "zero-read1", .run = run_read1, .fd = zfd };
	s[n++] = (struct subject){ .name = "tmpfs-pread1", .run = run_pread1, .fd = tfd };
	s[n++] = (struct subject){ .name = "getppid", .run = run_getppid, .fd = -1 };
	note("small: %d kinds of call", n);
	sample_all(s, n, opt_reps);
	for (i = 0; i < n; i++)
		print_cost("small", s[i].name, "", &s[i], opt_reps);
	if (have_dev)
		close(qfd);
	close(tfd);
	close(zfd);
}

/* ---- set size --------------------------------------------------------- */

static int run_setsize(struct subject *s, long iters)
{
	while (iters--)
		if (set_size(s->fd, s->size))
			return fail("QOTDIOCSSZ");
	return 0;
}

/* The userspace equivalent: zeroed memory, copy, free the old block. */
static unsigned char *user_old;

static int run_calloc(struct subject *s, long iters)
{
	unsigned char *p;

	while (iters--) {
		p = calloc(1, s->size);
		if (!p)
			return fail("calloc");
		memcpy(p, user_old, s->size);
		clobber();
		free(user_old);
		user_old = p;
	}
	return 0;
}

/* The floor: no allocator at all, only zeroing and copying. */
static unsigned char *reuse_a, *reuse_b;

static int run_reuse(struct subject *s, long iters)
{
	unsigned char *t;

	while (iters--) {
		memset(reuse_b, 0, s->size);
		memcpy(reuse_b, reuse_a, s->size);
		clobber();
		t = reuse_a;
		reuse_a = reuse_b;
		reuse_b = t;
	}
	return 0;
}

/* The same on reused memory with the kernel's instructions. */
static int run_reuse_movsb(struct subject *s, long iters)
{
	unsigned char *t;

	while (iters--) {
		stosb(reuse_b, 0, s->size);
		movsb(reuse_b, reuse_a, s->size);
		t = reuse_a;
		reuse_a = reuse_b;
		reuse_b = t;
	}
	return 0;
}

static void phase_setsize(void)
{
	unsigned char *ra, *rb;
	int qfd = -1, i, r;

	/*
	 * Pin glibc's mmap threshold to its initial 128 KiB, so that it does
	 * not move with what was freed before: smaller blocks come from the
	 * reused heap and calloc clears them, larger ones are fresh zero pages
	 * from mmap, returned with munmap; much as the driver's buffers come
	 * from the slab below a few pages and from the page allocator above.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (have_dev)
		qfd = open_dev();

	for (i = 0; i < n_set_sizes; i++) {
		size_t size = set_sizes[i];
		struct subject k = { .name = "qotd", .run = run_setsize, .fd = qfd, .size = size };
		struct subject u = { .name = "calloc", .run = run_calloc, .fd = -1, .size = size };
		struct subject f = { .name = "reuse", .run = run_reuse, .fd = -1, .size = size };
		struct subject m = { .name = "movsb", .run = run_reuse_movsb, .fd = -1, .size = size };

		int big = size > ref_max_size, reps = big ? opt_big_reps : opt_reps;

		if (size > opt_max_size)
			continue;
		note("setsize: %zu", size);
		/*
		 * Calibrate and sample one at a time, freeing in between: at
		 * the largest size two copies are all the guest has room for.
		 * A large size takes long enough for one operation a sample,
		 * and warms nothing up that the next sample would not.
		 */
		if (big)
			k.iters = u.iters = f.iters = m.iters = 1;
		for (r = big ? 0 : -1; r < reps; r++) {
			if (have_dev) {
				if (set_size(qfd, size))
					die("set-size:%zu:%s", size, strerror(errno));
				if (r < 0)
					calibrate(&k);
				else
					k.v[r] = time_run(&k, k.iters) / k.iters;
				if (ioctl(qfd, QOTDIOCDISCARD))
					die("discard:%s", strerror(errno));
			}

			user_old = calloc(1, size);
			if (!user_old)
				die("calloc:%zu", size);
			memset(user_old, 1, size);
			if (r < 0)
				calibrate(&u);
			else
				u.v[r] = time_run(&u, u.iters) / u.iters;
			free(user_old);

			ra = malloc(size);
			rb = malloc(size + page_size);
			if (!ra || !rb)
				die("malloc:%zu", size);
			memset(ra, 1, size);
			memset(rb, 1, size + page_size);
			reuse_a = ra;
			reuse_b = odd_pages_apart(ra, rb);
			if (r < 0)
				calibrate(&f);
			else
				f.v[r] = time_run(&f, f.iters) / f.iters;
			if (r < 0)
				calibrate(&m);
			else
				m.v[r] = time_run(&m, m.iters) / m.iters;
			free(ra);
			free(rb);
		}
		char extra[64];

		snprintf(extra, sizeof(extra), " size=%zu", size);
		if (have_dev)
			print_cost("setsize", "qotd", extra, &k, reps);
		print_cost("setsize", "calloc", extra, &u, reps);
		print_cost("setsize", "reuse", extra, &f, reps);
		print_cost("setsize", "movsb", extra, &m, reps);
	}
	if (have_dev)
		close(qfd);
}

/* ---- parallel readers ------------------------------------------------- */

/*
 * Each reader opens the file itself, as separate users would, and reads the
 * whole buffer @passes times in @bs blocks into its own locked buffer; a
 * reader without a path copies from the shared userspace buffer @src with
 * memcpy instead, which shows how far the machine itself scales.
 */
struct reader {
	pthread_t tid;
	pthread_barrier_t *bar;
	const char *path;
	const unsigned char *src;
	int cpu, fd;
	size_t size, bs;
	long passes;
	unsigned char *mem, *buf;	/* buf: in mem, odd pages from src */
	double start, end;
	int err;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	cpu_set_t set;
	size_t off;
	long p;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	pthread_barrier_wait(r->bar);
	r->start = now_ns();
	for (p = 0; p < r->passes; p++)
		for (off = 0; off < r->size; off += r->bs) {
			if (!r->path) {
				memcpy(r->buf, r->src + off, r->bs);
				clobber();
			} else if (pread(r->fd, r->buf, r->bs, off) != (ssize_t)r->bs) {
				r->err = errno ? errno : EIO;
				return NULL;
			}
		}
	r->end = now_ns();
	return NULL;
}

/* Aggregate MiB/s of @nthreads readers, each reading @passes times. */
static double run_readers(struct reader *rs, int nthreads, long passes)
{
	pthread_barrier_t bar;
	double start = 0, end = 0;
	int i;

	for (i = 0; i < nthreads; i++) {
		rs[i].fd = -1;
		if (rs[i].path) {
			rs[i].fd = open(rs[i].path, O_RDONLY);
			if (rs[i].fd < 0)
				die("open:%s:%s", rs[i].path, strerror(errno));
		}
	}
	pthread_barrier_init(&bar, NULL, nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		rs[i].bar = &bar;
		rs[i].passes = passes;
		rs[i].err = 0;
		if (pthread_create(&rs[i].tid, NULL, reader_main, &rs[i]))
			die("pthread_create");
	}
	pthread_barrier_wait(&bar);
	for (i = 0; i < nthreads; i++) {
		pthread_join(rs[i].tid, NULL);
		if (rs[i].err)
			die("reader:%s:%s", rs[i].path, strerror(rs[i].err));
		if (!i || rs[i].start < start)
			start = rs[i].start;
		if (rs[i].end > end)
			end = rs[i].end;
		if (rs[i].fd >= 0)
			close(rs[i].fd);
	}
	pthread_barrier_destroy(&bar);
	return (double)nthreads * passes * rs[0].size / MiB / ((end - start) / 1e9);
}

static void phase_parallel(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t size = par_size < opt_max_size ? par_size : opt_max_size;
	struct reader rs[2];
	char tpath[PATH_MAX];
	unsigned char *src;
	int qfd = -1, tfd, bi, t, i, r, k;

	if (ncpu < 2)
		note("parallel: only %ld CPU online", ncpu);
	if (have_dev) {
		qfd = open_dev();
		if (set_size(qfd, size))
			die("set-size:%zu:%s", size, strerror(errno));
	}
	tfd = make_tmpfile(size, NULL);
	snprintf(tpath, sizeof(tpath), "/proc/self/fd/%d", tfd);
	src = malloc(size);
	if (!src)
		die("malloc:%zu", size);
	memset(src, 'q', size);
	note("parallel: buffer size %zu", size);

	memset(rs, 0, sizeof(rs));
	for (i = 0; i < 2; i++) {
		rs[i].mem = aligned_alloc(page_size, MiB + page_size);
		if (!rs[i].mem)
			die("aligned_alloc");
		memset(rs[i].mem, 0, MiB + page_size);
		mlock(rs[i].mem, MiB + page_size);
		rs[i].buf = odd_pages_apart(src, rs[i].mem);
		rs[i].cpu = ncpu > 1 ? i : 0;
		rs[i].src = src;
		rs[i].size = size;
	}

	for (bi = 0; bi < n_par_blocks; bi++) {
		static const char *names[3] = { "qotd", "tmpfs", "memcpy" };
		const char *paths[3] = { opt_dev, tpath, NULL };
		size_t bs = par_blocks[bi];
		long passes[3];
		double v[3][3][64];

		if (bs > size || bs > MiB)
			continue;
		for (i = 0; i < 2; i++)
			rs[i].bs = bs;
		/* Passes for one reader to take about 10 x the shortest sample. */
		for (k = have_dev ? 0 : 1; k < 3; k++) {
			double mibs;

			rs[0].path = paths[k];
			run_readers(rs, 1, 1);
			mibs = run_readers(rs, 1, 1);
			passes[k] = (long)(mibs * MiB / size * opt_min_ns * 10 / 1e9) + 1;
		}
		for (r = 0; r < opt_reps; r++)
			for (k = have_dev ? 0 : 1; k < 3; k++)
				for (t = 1; t <= 2; t++) {
					rs[0].path = rs[1].path = paths[k];
					v[k][t][r] = run_readers(rs, t, passes[k]);
				}
		for (k = have_dev ? 0 : 1; k < 3; k++)
			for (t = 1; t <= 2; t++) {
				struct stats st = summarize(v[k][t], opt_reps);

				printf("BENCH test=parallel subject=%s threads=%d size=%zu bs=%zu"
				       " value=%.1f unit=MiB/s n=%d min=%.1f max=%.1f iters=%ld\n",
				       names[k], t, size, bs, st.med, st.n, st.min, st.max, passes[k]);
				fflush(stdout);
			}
	}
	for (i = 0; i < 2; i++)
		free(rs[i].mem);
	free(src);
	close(tfd);
	if (have_dev) {
		if (ioctl(qfd, QOTDIOCDISCARD))
			die("discard:%s", strerror(errno));
		close(qfd);
	}
}

/* ---- kernel memory ---------------------------------------------------- */

#define MAX_CACHES 512

struct cache {
	char name[64];
	long active, objs, objsize, pages;	/* pages = num_slabs * pagesperslab */
};

struct snapshot {
	long memfree, slab, sunreclaim, vmalloc;	/* kB */
	struct cache c[MAX_CACHES];
	int n;
};

/* Read the whole of @fd from its start (a /proc file: seq_file). */
static char *slurp_fd(int fd, const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		die("malloc");
	if (lseek(fd, 0, SEEK_SET))
		die("lseek:%s:%s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0)
			die("read:%s:%s", path, strerror(errno));
		if (!n)
			break;
		len += n;
	}
	buf[len] = 0;
	return buf;
}

static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *buf;

	if (fd < 0)
		die("open:%s:%s", path, strerror(errno));
	buf = slurp_fd(fd, path);
	close(fd);
	return buf;
}

static long meminfo_field(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtol(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		note("write %s: %s", path, strerror(errno));
	close(fd);
}

/* The kmalloc caches, shrunk before each snapshot. */
static char kmalloc_caches[MAX_CACHES][64];
static int n_kmalloc_caches;

/*
 * Kept open: a seq_file allocates its buffer (from kmalloc-cg-4k, where the
 * buffers of some sizes go) at the first read and keeps it, so that reading
 * again allocates nothing that would show up in the figures.
 */
static int meminfo_fd = -1, slabinfo_fd = -1;

/*
 * Make the counters exact first. SLUB keeps per-CPU slabs whose free objects
 * /proc/slabinfo counts as in use, and empty slabs it has not given back:
 * shrinking a cache flushes the first and frees the second, so that
 * active_objs is the number of objects allocated and the page count the
 * pages they occupy. The vmstat counters behind /proc/meminfo are kept
 * per CPU and folded now and then: stat_refresh folds them now.
 * Both files are read into memory first and parsed afterwards, so that the
 * parsing allocates nothing in the kernel between the two reads.
 */
static void snap(struct snapshot *s)
{
	char path[128], *mi, *si, *line, *save;
	int lineno = 0, i;

	for (i = 0; i < n_kmalloc_caches; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/slab/%.63s/shrink", kmalloc_caches[i]);
		write_file(path, "1");
	}
	write_file("/proc/sys/vm/stat_refresh", "1");
	mi = slurp_fd(meminfo_fd, "/proc/meminfo");
	si = slurp_fd(slabinfo_fd, "/proc/slabinfo");

	s->memfree = meminfo_field(mi, "MemFree");
	s->slab = meminfo_field(mi, "Slab");
	s->sunreclaim = meminfo_field(mi, "SUnreclaim");
	s->vmalloc = meminfo_field(mi, "VmallocUsed");
	s->n = 0;
	for (line = strtok_r(si, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct cache *c = &s->c[s->n];
		long perslab, pps, aslabs, nslabs;

		if (lineno++ < 2 || s->n == MAX_CACHES)
			continue;
		/* name active_objs num_objs objsize objperslab pagesperslab
		 * : tunables l b s : slabdata active_slabs num_slabs shared */
		if (sscanf(line, "%63s %ld %ld %ld %ld %ld : tunables %*d %*d %*d : slabdata %ld %ld",
			   c->name, &c->active, &c->objs, &c->objsize, &perslab, &pps,
			   &aslabs, &nslabs) != 8)
			continue;
		c->pages = nslabs * pps;
		s->n++;
	}
	free(mi);
	free(si);
}

static const struct cache *find_cache(const struct snapshot *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

struct memresult {
	double driver;		/* "allocated", mean per instance */
	double cg_obj;		/* kmalloc-cg-* objects added, bytes per instance */
	double cg_pages;	/* pages those caches grew by, bytes per instance */
	double large;		/* Slab growth outside any cache: kmalloc_large */
	double vmalloc;		/* VmallocUsed growth */
	double kernel;		/* cg_obj + large + vmalloc */
	double memfree;		/* MemFree drop (includes the freed initial buffers) */
	char caches[256];	/* the kmalloc-cg caches that changed */
	int instances;		/* how many were measured together */
};

static long vmalloc_used(void)
{
	char *mi = slurp_fd(meminfo_fd, "/proc/meminfo");
	long v = meminfo_field(mi, "VmallocUsed");

	free(mi);
	return v;
}

static void settle_vmalloc(void)
{
	long last = vmalloc_used(), v;
	int still = 0, i;

	for (i = 0; i < 100 && still < 3; i++) {
		usleep(20000);
		v = vmalloc_used();
		still = v == last ? still + 1 : 0;
		last = v;
	}
}

static void mem_once(const char *alloc, size_t size, struct memresult *m)
{
	static struct snapshot a, b;
	char params[128], path[64];
	long sum_alloc = 0, page = sysconf(_SC_PAGESIZE);
	double all_slab_pages = 0, cg_obj = 0, cg_pages = 0;
	int fds[MAX_INSTANCES], i, n = opt_instances;
	size_t len = 0;

	/* Fewer instances for big buffers: the guest has 1 GiB. */
	if (size > MEM_SAMPLE_MAX / n)
		n = size >= MEM_SAMPLE_MAX ? 1 : (int)(MEM_SAMPLE_MAX / size);
	m->instances = n;
	snprintf(params, sizeof(params), "instances=%d max_size=%zu alloc=%s",
		 n, opt_max_size, alloc);
	load_module(params);
	/*
	 * The module's init code is freed a little after the load returns
	 * (vmalloc'd, behind an RCU grace period): wait for VmallocUsed to
	 * stand still, or the freeing would show up as a negative delta.
	 */
	settle_vmalloc();
	/* Open first: the open files are in both snapshots. */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/qotd%d", i);
		fds[i] = open(path, O_RDWR);
		if (fds[i] < 0)
			die("open:%s:%s", path, strerror(errno));
	}
	snap(&a);
	for (i = 0; i < n; i++)
		if (set_size(fds[i], size))
			die("set-size:%zu:%s", size, strerror(errno));
	snap(&b);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/misc/qotd%d/allocated", i);
		sum_alloc += read_long_file(path);
		close(fds[i]);
	}

	memset(m, 0, sizeof(*m));
	for (i = 0; i < b.n; i++) {
		const struct cache *cb = &b.c[i], *ca = find_cache(&a, cb->name);
		long dobj = cb->active - (ca ? ca->active : 0);
		long dpages = cb->pages - (ca ? ca->pages : 0);

		all_slab_pages += (double)dpages * page;
		if (strncmp(cb->name, "kmalloc-cg-", 11))
			continue;
		/* Accounted (GFP_KERNEL_ACCOUNT) slab buffers land here. */
		cg_obj += (double)dobj * cb->objsize;
		cg_pages += (double)dpages * page;
		if ((dobj || dpages) && len < sizeof(m->caches) - 64)
			len += snprintf(m->caches + len, sizeof(m->caches) - len,
					"%s%s:%+ld/%+ldp", len ? "," : "",
					cb->name, dobj, dpages);
	}
	if (!len)
		strcpy(m->caches, "-");
	m->driver = (double)sum_alloc / n;
	m->cg_obj = cg_obj / n;
	m->cg_pages = cg_pages / n;
	m->large = ((b.slab - a.slab) * 1024.0 - all_slab_pages) / n;
	m->vmalloc = (b.vmalloc - a.vmalloc) * 1024.0 / n;
	m->kernel = m->cg_obj + m->large + m->vmalloc;
	m->memfree = (a.memfree - b.memfree) * 1024.0 / n;
	unload_module(n);
}

static void phase_mem(void)
{
	static const char *allocs[] = { "umem", "kmem", "auto" };
	struct memresult m[16];
	double v[7][16];
	int ai, si, r, f;

	if (!opt_ko) {
		note("mem: skipped, it needs --ko to reload the module");
		return;
	}
	meminfo_fd = open("/proc/meminfo", O_RDONLY);
	slabinfo_fd = open("/proc/slabinfo", O_RDONLY);
	if (meminfo_fd < 0 || slabinfo_fd < 0)
		die("mem:/proc/slabinfo:%s", strerror(errno));
	{
		char *si = slurp_fd(slabinfo_fd, "/proc/slabinfo"), *line, *save, name[64];

		for (line = strtok_r(si, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (sscanf(line, "%63s", name) == 1 && !strncmp(name, "kmalloc-", 8) &&
			    n_kmalloc_caches < MAX_CACHES)
				strcpy(kmalloc_caches[n_kmalloc_caches++], name);
		free(si);
	}
	if (module_loaded())
		unload_module(MAX_INSTANCES);
	for (ai = 0; ai < 3; ai++)
		for (si = 0; si < n_mem_sizes; si++) {
			size_t size = mem_sizes[si];

			note("mem: alloc=%s size=%zu", allocs[ai], size);
			for (r = 0; r < opt_mem_reps && r < 16; r++) {
				mem_once(allocs[ai], size, &m[r]);
				v[0][r] = m[r].driver;
				v[1][r] = m[r].cg_obj;
				v[2][r] = m[r].cg_pages;
				v[3][r] = m[r].large;
				v[4][r] = m[r].vmalloc;
				v[5][r] = m[r].kernel;
				v[6][r] = m[r].memfree;
			}
			struct stats st[7];

			for (f = 0; f < 7; f++)
				st[f] = summarize(v[f], r);
			printf("BENCH test=mem alloc=%s size=%zu instances=%d driver=%.0f"
			       " slab_obj=%.0f slab_pages=%.0f large=%.0f vmalloc=%.0f"
			       " kernel=%.0f kernel_min=%.0f kernel_max=%.0f memfree=%.0f"
			       " n=%d caches=%s\n",
			       allocs[ai], size, m[r - 1].instances, st[0].med, st[1].med,
			       st[2].med, st[3].med, st[4].med, st[5].med,
			       st[5].min, st[5].max, st[6].med, r, m[r - 1].caches);
			fflush(stdout);
		}
}

/* ---- main ------------------------------------------------------------- */

/* The last init_on_alloc= on the kernel command line, or "default". */
static void init_on_alloc(char *out, size_t len)
{
	char *cmd = slurp("/proc/cmdline"), *p = cmd, *hit;

	snprintf(out, len, "default");
	while ((hit = strstr(p, "init_on_alloc="))) {
		p = hit + strlen("init_on_alloc=");
		snprintf(out, len, "%.*s", (int)strcspn(p, " \n"), p);
	}
	free(cmd);
}

static void info(void)
{
	char ioa[16];
	struct utsname u;
	char *ci = slurp("/proc/cpuinfo"), *flags = strstr(ci, "\nflags");
	char want[256] = "";
	static const char *interesting[] = { "erms", "fsrm", "avx2", "avx512f",
					     "pti", "smap", "smep", NULL };
	int i;

	uname(&u);
	for (i = 0; flags && interesting[i]; i++) {
		char pat[32];
		char *eol = strchr(flags + 1, '\n');

		snprintf(pat, sizeof(pat), " %s", interesting[i]);
		char *hit = strstr(flags, pat);

		if (hit && (!eol || hit < eol) &&
		    (hit[strlen(pat)] == ' ' || hit[strlen(pat)] == '\n'))
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 "%s%s", *want ? "," : "", interesting[i]);
	}
	init_on_alloc(ioa, sizeof(ioa));
	printf("BENCH test=info kernel=%s machine=%s cpus=%ld reps=%d big_reps=%d"
	       " ref_max=%zu mem_reps=%d min_sample_ms=%.0f cpuflags=%s"
	       " init_on_alloc=%s\n",
	       u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), opt_reps,
	       opt_big_reps, ref_max_size, opt_mem_reps, opt_min_ns / 1e6,
	       *want ? want : "-", ioa);
	fflush(stdout);
	free(ci);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: qotd-bench [options] [bulk|small|setsize|parallel|mem|mmap|all ...]\n"
		"  --dev PATH        device (default /dev/qotd0; \"none\": no driver)\n"
		"  --ko FILE         load qotd.ko from FILE (and reload it for mem)\n"
		"  --tmpdir DIR      tmpfs directory for the comparison file (/tmp)\n"
		"  --reps N          samples per figure, median reported (5)\n"
		"  --big-reps N      samples per figure above --ref-max (3)\n"
		"  --ref-max SIZE    largest buffer with /dev/zero and userspace\n"
		"                    references and every block size (16M)\n"
		"  --big-blocks LIST block sizes above --ref-max (4K,64K,1M)\n"
		"  --mem-reps N      module loads per memory figure (3)\n"
		"  --min-ms MS       shortest sample in milliseconds (20)\n"
		"  --max-size SIZE   max_size to load with, and largest size used (256M)\n"
		"  --sizes LIST      bulk buffer sizes (64K,1M,16M,256M)\n"
		"  --blocks LIST     bulk block sizes (4K,16K,64K,256K,1M)\n"
		"  --set-sizes LIST  set-size sizes (4K,16K,...,256M: powers of 4)\n"
		"  --mem-sizes LIST  memory sizes (128,4K,64K,1M)\n"
		"  --instances N     instances for mem (64)\n"
		"  --par-size SIZE   buffer size for parallel readers (16M)\n"
		"  --par-blocks LIST block sizes for parallel readers (4K,1M)\n");
}

int main(int argc, char **argv)
{
	int i, want[6] = { 0 }, any = 0;
	static const char *phases[] = { "bulk", "small", "setsize", "parallel", "mem", "mmap" };

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int ok = 1, p;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (a[0] == '-' && a[1] == '-' && !v) {
			usage(stderr);
			return 2;
		}
		if (!strcmp(a, "--dev"))
			opt_dev = v;
		else if (!strcmp(a, "--ko"))
			opt_ko = v;
		else if (!strcmp(a, "--tmpdir"))
			opt_tmpdir = v;
		else if (!strcmp(a, "--reps"))
			ok = (opt_reps = atoi(v)) > 0 && opt_reps <= 63;
		else if (!strcmp(a, "--big-reps"))
			ok = (opt_big_reps = atoi(v)) > 0 && opt_big_reps <= 63;
		else if (!strcmp(a, "--ref-max"))
			ok = !parse_size(v, &ref_max_size);
		else if (!strcmp(a, "--big-blocks"))
			ok = !parse_list(v, big_blocks, &n_big_blocks);
		else if (!strcmp(a, "--mem-reps"))
			ok = (opt_mem_reps = atoi(v)) > 0 && opt_mem_reps <= 16;
		else if (!strcmp(a, "--min-ms"))
			ok = (opt_min_ns = atof(v) * 1e6) > 0;
		else if (!strcmp(a, "--max-size"))
			ok = !parse_size(v, &opt_max_size);
		else if (!strcmp(a, "--sizes"))
			ok = !parse_list(v, bulk_sizes, &n_bulk_sizes);
		else if (!strcmp(a, "--blocks"))
			ok = !parse_list(v, block_sizes, &n_block_sizes);
		else if (!strcmp(a, "--set-sizes"))
			ok = !parse_list(v, set_sizes, &n_set_sizes);
		else if (!strcmp(a, "--mem-sizes"))
			ok = !parse_list(v, mem_sizes, &n_mem_sizes);
		else if (!strcmp(a, "--instances"))
			ok = (opt_instances = atoi(v)) > 0 && opt_instances <= MAX_INSTANCES;
		else if (!strcmp(a, "--par-size"))
			ok = !parse_size(v, &par_size);
		else if (!strcmp(a, "--par-blocks"))
			ok = !parse_list(v, par_blocks, &n_par_blocks);
		else {
			for (p = 0; p < 6; p++)
				if (!strcmp(a, phases[p]) || !strcmp(a, "all"))
					want[p] = any = 1;
			if (!any) {
				fprintf(stderr, "qotd-bench: unknown phase or option %s\n", a);
				usage(stderr);
				return 2;
			}
			continue;
		}
		if (!ok) {
			fprintf(stderr, "qotd-bench: bad value for %s: %s\n", a, v);
			return 2;
		}
		i++;
	}
	if (!any)
		for (i = 0; i < 6; i++)
			want[i] = 1;

	/* One user buffer for every block: faulted in and locked up front. */
	for (i = 0, ubuf_size = MiB; i < n_block_sizes; i++)
		if (block_sizes[i] > ubuf_size)
			ubuf_size = block_sizes[i];
	page_size = sysconf(_SC_PAGESIZE);
	ubuf = mmap(NULL, ubuf_size + page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (ubuf == MAP_FAILED)
		die("mmap-ubuf:%s", strerror(errno));
	memset(ubuf, 'q', ubuf_size + page_size);
	if (mlock(ubuf, ubuf_size + page_size))
		note("mlock: %s (the buffer is prefaulted anyway)", strerror(errno));

	info();
	have_dev = strcmp(opt_dev, "none") != 0;
	if (have_dev && (want[0] || want[1] || want[2] || want[3] || want[5])) {
		if (opt_ko && !module_loaded()) {
			char params[64];

			snprintf(params, sizeof(params), "max_size=%zu", opt_max_size);
			load_module(params);
		}
		long ms = read_long_file("/sys/module/qotd/parameters/max_size");

		if (ms > 0 && (size_t)ms < opt_max_size) {
			note("max_size of the loaded module is %ld", ms);
			opt_max_size = ms;
		}
	}
	/* mem reloads the module with each strategy: last. */
	for (int k = 0; k < 6; k++) {
		static const int order[] = { 0, 1, 2, 3, 5, 4 };

		i = order[k];
		if (!want[i])
			continue;
		double t0 = now_ns();

		switch (i) {
		case 0: phase_bulk(); break;
		case 1: phase_small(); break;
		case 2: phase_setsize(); break;
		case 3: phase_parallel(); break;
		case 4: phase_mem(); break;
		case 5: phase_mmap(); break;
		}
		printf("BENCH test=phase subject=%s value=%.1f unit=s\n", phases[i],
		       (now_ns() - t0) / 1e9);
		fflush(stdout);
	}
	if (have_dev && opt_ko && module_loaded())
		unload_module(MAX_INSTANCES);
	return 0;
}
