// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: several processes make random calls on four instances for a
 * bounded time while signals rain on them and some are killed outright.
 *
 *   stress [SECONDS]      (default 24)
 *
 * Workers pick an instance and a call at random: pread, lseek + read,
 * pwrite, lseek, get size, set size, discard, sysfs reads, reopen. Half of
 * them handle SIGUSR1 with SA_RESTART, half without; a signaller process
 * sends SIGUSR1 to random workers all the time, and the parent kills one
 * of two mortal workers with SIGKILL about every half second and starts a
 * new one. A blocker process holds an instance's lock for 1 to 20 ms at a
 * time: its writes come from a page that userfaultfd leaves missing until
 * its other thread fills it, so the others queue on that lock, where the
 * signals find them. Under alloc=umem two mappers map instances, load and
 * store bytes through the mappings, and read(2) and write(2) with a
 * mapping of the same instance as the user buffer, while the others
 * resize and discard under them.
 *
 * Every byte a worker writes at offset o is pat(w, o), a value no other
 * offset would get from w and never zero or ASCII; resizes keep offsets and
 * zero what they add, discards restore the quotation. So any byte ever read
 * at offset o is 0, the quotation's byte o, or pat(w, o) for some worker w,
 * whatever the interleaving. Checked as it runs: that, sizes and lengths in
 * range, only the expected errors (EINTR only for workers without
 * SA_RESTART); through a mapping, the same for every byte loaded, and
 * SIGBUS never on the first page (the size is never below one byte). Every process must end within 30 s of the stop; one that
 * does not is shown with its kernel stack and killed, so that a lock that
 * is never released fails this test instead of hanging the guest. Checked
 * once all have stopped: each instance is consistent (ioctl and sysfs sizes
 * agree, content valid), the module's reference count equals the number of
 * changed instances, discards restore the initial state and drop it to
 * zero, and the module unloads.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <setjmp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dtest.h"

#define NINST 4
#define NWORKERS 6		/* even: restart, odd: no restart */
#define MORTAL_FIRST 4		/* workers 4 and 5 get killed and restarted */
#define BLOCKER NWORKERS	/* its pattern index */
#define NMAPPERS 2
#define MAPPER0 (BLOCKER + 1)	/* the first mapper's pattern index */
#define PAGE 4096
#define MAXSZ 65536
#define IOMAX 70000

static const uint64_t sizes[] = { 1, 60, 128, 129, 4095, 4096, 4097, 20000, MAXSZ };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

enum opk { O_PREAD, O_READ, O_WRITE, O_SEEK, O_GSZ, O_SSZ, O_DISCARD, O_SYSFS, O_REOPEN, NOPS };
static const char *const op_names[NOPS] = {
	"pread", "lseek+read", "pwrite", "lseek", "get size", "set size", "discard", "sysfs",
	"reopen",
};

enum check { C_CONTENT, C_RESULT, C_ERRNO, C_EINTR, C_MAPPED, NCHECKS };
static const char *const check_names[NCHECKS] = {
	[C_CONTENT] = "every byte read is zero, the quotation's or a worker's pattern for its offset",
	[C_RESULT] = "every result is in range (lengths, offsets, sizes from the set, sysfs values)",
	[C_ERRNO] = "no call fails other than as expected (ENOSPC, EINVAL for seeks past the end, EINTR)",
	[C_EINTR] = "workers with SA_RESTART never see EINTR",
	[C_MAPPED] = "through mappings: every byte loaded is valid for its offset, the first page never raises SIGBUS",
};

struct shared {
	volatile int stop;
	pid_t pids[NWORKERS];
	unsigned long ops[NOPS], eintr, signals, kills, restarts, holds;
	unsigned long maps, loads, stores, self_io, sigbus;
	double held;
	unsigned long errors[NCHECKS];
	int have_first[NCHECKS];
	char first[NCHECKS][240];
};

static struct shared *sh;
static int me;			/* worker index */
static sigset_t usr1;

static void fail(enum check c, const char *fmt, ...) D_PRINTF(2, 3);
static void fail(enum check c, const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&sh->errors[c], 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&sh->have_first[c], 1, __ATOMIC_SEQ_CST))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->first[c], sizeof(sh->first[c]), fmt, ap);
	va_end(ap);
}

static unsigned char pat(int w, uint64_t o)
{
	return (unsigned char)(0x80 | ((o * 13 + (uint64_t)w * 37) & 0x7f));
}

static int byte_ok(uint64_t o, unsigned char b)
{
	if (!b || (o < QOTD_INIT_SIZE && b == d_initial[o]))
		return 1;
	for (int w = 0; w < MAPPER0 + NMAPPERS; w++)
		if (b == pat(w, o))
			return 1;
	return 0;
}

static void check_bytes(const char *what, int k, uint64_t off, const unsigned char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (!byte_ok(off + (uint64_t)i, buf[i])) {
			fail(C_CONTENT, "worker %d, %s on qotd%d: byte 0x%02x at offset %llu", me, what, k,
			     buf[i], (unsigned long long)(off + (uint64_t)i));
			return;
		}
	}
}

static int valid_size(long long s)
{
	for (size_t i = 0; i < NSIZES; i++)
		if ((long long)sizes[i] == s)
			return 1;
	return 0;
}

/* A failed call: EINTR is expected only without SA_RESTART. */
static void failed_call(const char *what, int k, int err, int allowed)
{
	if (err == EINTR) {
		__atomic_add_fetch(&sh->eintr, 1, __ATOMIC_RELAXED);
		if (me % 2 == 0)
			fail(C_EINTR, "worker %d (SA_RESTART), %s on qotd%d: EINTR", me, what, k);
		return;
	}
	if (err != allowed || !allowed)
		fail(C_ERRNO, "worker %d, %s on qotd%d: %s", me, what, k, strerror(err));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A read of len bytes at off by worker w that returned n. */
static void check_read(const char *what, int w, int k, uint64_t off, uint64_t len,
		       const unsigned char *buf, ssize_t n)
{
	if (n < 0)
		failed_call(what, k, errno, 0);
	else if ((uint64_t)n > len || (n > 0 && off + (uint64_t)n > MAXSZ))
		fail(C_RESULT, "worker %d: %s %llu at %llu on qotd%d gave %zd", w, what,
		     (unsigned long long)len, (unsigned long long)off, k, n);
	else
		check_bytes(what, k, off, buf, n);
}

static void worker(int w)
{
	unsigned int seed = (unsigned int)getpid() * 2654435761u + (unsigned int)w;
	unsigned char *buf = malloc(IOMAX), *wbuf = malloc(IOMAX);
	struct sigaction sa;
	int fds[NINST];

	me = w;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = w % 2 == 0 ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	/* Blocked by the parent until the handler is in place. */
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	for (int k = 0; k < NINST; k++) {
		fds[k] = q_open(k, O_RDWR);
		if (fds[k] < 0)
			fail(C_ERRNO, "worker %d: open qotd%d: %s", w, k, strerror(errno));
	}
	if (!buf || !wbuf)
		_exit(3);

	while (!sh->stop) {
		int k = (int)(rand_r(&seed) % NINST), fd = fds[k];
		enum opk op = (enum opk)(rand_r(&seed) % NOPS);
		uint64_t off = rand_r(&seed) % IOMAX, len = 1 + rand_r(&seed) % IOMAX;
		ssize_t n;
		off_t pos;

		/* Mostly small transfers near the start, sometimes long ones. */
		if (rand_r(&seed) % 4) {
			off %= 300;
			len = 1 + len % 400;
		}
		if (op == O_DISCARD && rand_r(&seed) % 3)
			op = O_GSZ;	/* discard less often: let contents build up */
		if (fd < 0)
			op = O_REOPEN;
		switch (op) {
		case O_PREAD:
			n = pread(fd, buf, len, (off_t)off);
			check_read("pread", w, k, off, len, buf, n);
			break;
		case O_READ:
			pos = lseek(fd, (off_t)off, SEEK_SET);
			if (pos < 0) {
				failed_call("lseek SEEK_SET", k, errno, EINVAL);
				break;
			}
			n = read(fd, buf, len);
			check_read("read", w, k, off, len, buf, n);
			break;
		case O_WRITE:
			for (uint64_t i = 0; i < len; i++)
				wbuf[i] = pat(w, off + i);
			n = pwrite(fd, wbuf, len, (off_t)off);
			if (n < 0)
				failed_call("pwrite", k, errno, ENOSPC);
			else if (n == 0 || (uint64_t)n > len || off + (uint64_t)n > MAXSZ)
				fail(C_RESULT, "worker %d: pwrite %llu at %llu on qotd%d gave %zd", w,
				     (unsigned long long)len, (unsigned long long)off, k, n);
			break;
		case O_SEEK: {
			int whence = rand_r(&seed) % 2 ? SEEK_END : SEEK_CUR;
			off_t delta = -(off_t)(rand_r(&seed) % 5000);

			pos = lseek(fd, delta, whence);
			if (pos < 0)
				failed_call(whence == SEEK_END ? "lseek SEEK_END" : "lseek SEEK_CUR", k,
					    errno, EINVAL);
			else if (pos > MAXSZ)
				fail(C_RESULT, "worker %d: lseek on qotd%d gave %lld", w, k,
				     (long long)pos);
			break;
		}
		case O_GSZ: {
			uint64_t s = 0;

			if (q_gsz(fd, &s))
				failed_call("get size", k, errno, 0);
			else if (!valid_size((long long)s))
				fail(C_RESULT, "worker %d: get size on qotd%d gave %llu", w, k,
				     (unsigned long long)s);
			break;
		}
		case O_SSZ:
			if (q_ssz(fd, sizes[rand_r(&seed) % NSIZES]))
				failed_call("set size", k, errno, 0);
			break;
		case O_DISCARD:
			if (q_discard(fd))
				failed_call("discard", k, errno, 0);
			break;
		case O_SYSFS: {
			long long s = d_attr(k, "size"), c = d_attr(k, "changed");
			long long a = d_attr(k, "allocated");

			if (!valid_size(s) || (c != 0 && c != 1) || a < 1)
				fail(C_RESULT, "worker %d: qotd%d sysfs size %lld changed %lld allocated %lld",
				     w, k, s, c, a);
			break;
		}
		case O_REOPEN:
			if (fd >= 0)
				close(fd);
			fds[k] = q_open(k, O_RDWR);
			if (fds[k] < 0)
				failed_call("open", k, errno, 0);
			break;
		default:
			break;
		}
		__atomic_add_fetch(&sh->ops[op], 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/*
 * Set by the blocker's writing thread once it has stopped: until then a
 * write may be waiting for its page, so the filler must go on, even past
 * sh->stop.
 */
static int writes_done;

/* The blocker's second thread: fill each missing page after a while. */
static void *filler(void *arg)
{
	int uffd = *(int *)arg;
	unsigned int seed = (unsigned int)getpid();
	unsigned char *src = aligned_alloc(PAGE, PAGE);

	for (size_t i = 0; i < PAGE; i++)
		src[i] = pat(BLOCKER, i);
	while (!__atomic_load_n(&writes_done, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;
		struct uffdio_copy copy;
		struct timespec ts;

		if (poll(&pfd, 1, 100) <= 0 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(1 + rand_r(&seed) % 20) * 1000 * 1000;
		nanosleep(&ts, NULL);
		memset(&copy, 0, sizeof(copy));
		copy.dst = msg.arg.pagefault.address & ~(uint64_t)(PAGE - 1);
		copy.src = (uint64_t)(uintptr_t)src;
		copy.len = PAGE;
		if (ioctl(uffd, UFFDIO_COPY, &copy))
			fail(C_ERRNO, "blocker: UFFDIO_COPY: %s", strerror(errno));
	}
	return NULL;
}

/* Write from pages that are not there yet: the lock stays held meanwhile. */
static void blocker(void)
{
	unsigned int seed = (unsigned int)getpid();
	struct uffdio_api api = { .api = UFFD_API };
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK), fds[NINST];
	pthread_t thread;

	me = BLOCKER;
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    pthread_create(&thread, NULL, filler, &uffd)) {
		fail(C_ERRNO, "blocker: userfaultfd: %s", strerror(errno));
		_exit(3);
	}
	for (int k = 0; k < NINST; k++)
		fds[k] = q_open(k, O_RDWR);
	while (!sh->stop) {
		int k = (int)(rand_r(&seed) % NINST);
		void *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct uffdio_register reg;
		double t0;
		ssize_t n;

		if (page == MAP_FAILED || fds[k] < 0)
			break;
		memset(&reg, 0, sizeof(reg));
		reg.range.start = (uint64_t)(uintptr_t)page;
		reg.range.len = PAGE;
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
			fail(C_ERRNO, "blocker: UFFDIO_REGISTER: %s", strerror(errno));
			break;
		}
		t0 = d_now();
		n = pwrite(fds[k], page, PAGE, 0);
		if (n <= 0 || n > PAGE)
			fail(C_RESULT, "blocker: pwrite of a missing page to qotd%d gave %zd (%s)", k, n,
			     n < 0 ? strerror(errno) : "");
		__atomic_add_fetch(&sh->holds, 1, __ATOMIC_RELAXED);
		sh->held += d_now() - t0;
		munmap(page, PAGE);
	}
	sh->stop = 1;
	__atomic_store_n(&writes_done, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	_exit(0);
}

/*
 * Loads and stores through a mapping that a resize may cut short: a page
 * wholly past the end raises SIGBUS, which ends the access here.
 */
static sigjmp_buf bus_env;

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_env, 1);
}

static int mapped_load(volatile unsigned char *p, unsigned char *val)
{
	if (sigsetjmp(bus_env, 1))
		return -1;
	*val = *p;
	return 0;
}

static int mapped_store(volatile unsigned char *p, unsigned char val)
{
	if (sigsetjmp(bus_env, 1))
		return -1;
	*p = val;
	return 0;
}

static void mapper(int index)
{
	unsigned int seed = (unsigned int)getpid() * 2654435761u + (unsigned int)index;
	struct sigaction sa;
	int fds[NINST];

	me = MAPPER0 + index;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_bus;
	sigaction(SIGBUS, &sa, NULL);
	for (int k = 0; k < NINST; k++) {
		fds[k] = q_open(k, O_RDWR);
		if (fds[k] < 0)
			fail(C_ERRNO, "mapper %d: open qotd%d: %s", index, k, strerror(errno));
	}
	while (!sh->stop) {
		int k = (int)(rand_r(&seed) % NINST);
		unsigned char *m = fds[k] < 0 ? MAP_FAILED :
				   mmap(NULL, MAXSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fds[k], 0);

		if (m == MAP_FAILED) {
			fail(C_ERRNO, "mapper %d: mmap of qotd%d: %s", index, k, strerror(errno));
			break;
		}
		__atomic_add_fetch(&sh->maps, 1, __ATOMIC_RELAXED);
		for (int i = 0; i < 200 && !sh->stop; i++) {
			uint64_t o = rand_r(&seed) % MAXSZ, len = 1 + rand_r(&seed) % 512;
			unsigned char b;
			ssize_t n;

			/* Half of them in the first page, which always exists. */
			if (rand_r(&seed) % 2)
				o %= PAGE;
			switch (rand_r(&seed) % 4) {
			case 0:
				if (mapped_load(m + o, &b)) {
					__atomic_add_fetch(&sh->sigbus, 1, __ATOMIC_RELAXED);
					if (o < PAGE)
						fail(C_MAPPED, "mapper %d: SIGBUS loading byte %llu of qotd%d",
						     index, (unsigned long long)o, k);
				} else if (!byte_ok(o, b)) {
					fail(C_MAPPED, "mapper %d: byte 0x%02x at offset %llu of qotd%d",
					     index, b, (unsigned long long)o, k);
				}
				__atomic_add_fetch(&sh->loads, 1, __ATOMIC_RELAXED);
				break;
			case 1:
				if (mapped_store(m + o, pat(me, o))) {
					__atomic_add_fetch(&sh->sigbus, 1, __ATOMIC_RELAXED);
					if (o < PAGE)
						fail(C_MAPPED, "mapper %d: SIGBUS storing byte %llu of qotd%d",
						     index, (unsigned long long)o, k);
				}
				__atomic_add_fetch(&sh->stores, 1, __ATOMIC_RELAXED);
				break;
			default:
				/*
				 * The device's bytes o.. to and from the same
				 * offsets of the first mapped page: the user
				 * buffer is the device itself, and every byte
				 * stays at its offset.
				 */
				o %= PAGE;
				if (o + len > PAGE)
					len = PAGE - o;
				if (rand_r(&seed) % 2) {
					n = pwrite(fds[k], m + o, len, (off_t)o);
					if (n < 0)
						failed_call("pwrite from a mapping", k, errno, ENOSPC);
				} else {
					n = pread(fds[k], m + o, len, (off_t)o);
					if (n < 0)
						failed_call("pread into a mapping", k, errno, 0);
				}
				if (n > (ssize_t)len)
					fail(C_RESULT, "mapper %d: I/O of %llu bytes through a mapping gave %zd",
					     index, (unsigned long long)len, n);
				__atomic_add_fetch(&sh->self_io, 1, __ATOMIC_RELAXED);
				break;
			}
		}
		munmap(m, MAXSZ);
	}
	_exit(0);
}

static pid_t spawn_worker(int w)
{
	pid_t pid = fork();

	if (pid == 0)
		worker(w);
	if (pid > 0)
		__atomic_store_n(&sh->pids[w], pid, __ATOMIC_SEQ_CST);
	return pid;
}

static void signaller(void)
{
	unsigned int seed = (unsigned int)getpid();
	struct timespec ts = { 0, 200 * 1000 };

	while (!sh->stop) {
		pid_t pid = __atomic_load_n(&sh->pids[rand_r(&seed) % NWORKERS], __ATOMIC_SEQ_CST);

		if (pid > 0 && kill(pid, SIGUSR1) == 0)
			__atomic_add_fetch(&sh->signals, 1, __ATOMIC_RELAXED);
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

/*
 * Wait for a process told to stop; one that has not ended 30 s later is
 * stuck: say where (its kernel stack), kill it and count it as a failure,
 * rather than leave the whole run hanging.
 */
#define REAP_SECS 30

static int stuck;

static pid_t reap(pid_t pid, const char *who, int *status)
{
	double until = d_now() + REAP_SECS;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char path[300], text[2048];
	struct dirent *task;
	pid_t got;
	DIR *dir;

	while ((got = waitpid(pid, status, WNOHANG)) == 0 && d_now() < until)
		nanosleep(&ts, NULL);
	if (got)
		return got;
	stuck++;
	d_diag("%s (pid %d) has not ended %d s after the stop; its kernel stack:", who, (int)pid,
	       REAP_SECS);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	while (dir && (task = readdir(dir))) {
		if (task->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", (int)pid, task->d_name);
		if (d_get(path, text, sizeof(text)) <= 0)
			continue;
		d_diag("  thread %s:", task->d_name);
		for (char *save, *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			d_diag("    %s", line);
	}
	if (dir)
		closedir(dir);
	fflush(NULL);
	kill(pid, SIGKILL);
	return waitpid(pid, status, 0);
}

/* After the storm, nobody has a node open: check instance k. */
static int final_check(int k, int *changed)
{
	unsigned char *buf = malloc(MAXSZ + 1);
	int fd = q_open(k, O_RDONLY), ok = 1;
	uint64_t size = 0;
	ssize_t n;

	*changed = (int)d_attr(k, "changed");
	if (!buf || fd < 0 || q_gsz(fd, &size)) {
		d_diag("qotd%d: cannot open or get its size: %s", k, strerror(errno));
		ok = 0;
		goto out;
	}
	if ((long long)size != d_attr(k, "size") || !valid_size((long long)size)) {
		d_diag("qotd%d: size %llu, sysfs says %lld", k, (unsigned long long)size,
		       d_attr(k, "size"));
		ok = 0;
	}
	n = pread(fd, buf, MAXSZ + 1, 0);
	if (n != (ssize_t)size) {
		d_diag("qotd%d: read %zd bytes of %llu", k, n, (unsigned long long)size);
		ok = 0;
	}
	for (ssize_t i = 0; ok && i < n; i++) {
		if (!byte_ok((uint64_t)i, buf[i])) {
			d_diag("qotd%d: byte 0x%02x at offset %zd", k, buf[i], i);
			ok = 0;
		}
	}
	if (*changed != 0 && *changed != 1) {
		d_diag("qotd%d: changed is %d", k, *changed);
		ok = 0;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int secs = argc > 1 ? (unsigned int)atoi(argv[1]) : 24;
	int err, died = 0, consistent = 1, nchanged = 0, restored = 1;
	int mappers = strcmp(d_alloc(), "umem") ? 0 : NMAPPERS;
	pid_t sig_pid, blk_pid, map_pids[NMAPPERS];
	unsigned long total = 0;
	double t0, t1;
	long long ref;

	d_init("stress ");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!d_ok(sh != MAP_FAILED, "shared memory for the workers"))
		return d_done();
	memset(sh, 0, sizeof(*sh));
	if (d_loaded())
		d_force_unload();
	err = d_load("instances=4");
	if (!d_ok(!err, "load with instances=4 (%s)", d_alloc())) {
		d_diag("finit_module: %s", strerror(err));
		return d_done();
	}

	/* A new worker must not die of SIGUSR1 before its handler is set. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	fflush(NULL);
	t0 = d_now();
	for (int w = 0; w < NWORKERS; w++)
		if (spawn_worker(w) < 0)
			died++;
	sig_pid = fork();
	if (sig_pid == 0)
		signaller();
	blk_pid = fork();
	if (blk_pid == 0)
		blocker();
	for (int i = 0; i < mappers; i++) {
		map_pids[i] = fork();
		if (map_pids[i] == 0)
			mapper(i);
	}

	/* Kill a mortal worker now and then, and start a new one. */
	for (unsigned int tick = 0; d_now() - t0 < secs; tick++) {
		int w = MORTAL_FIRST + (int)(tick % (NWORKERS - MORTAL_FIRST));
		pid_t pid = sh->pids[w];
		struct timespec ts = { 0, 500 * 1000 * 1000 };
		int status;

		nanosleep(&ts, NULL);
		if (pid <= 0)
			continue;
		__atomic_store_n(&sh->pids[w], 0, __ATOMIC_SEQ_CST);
		if (kill(pid, SIGKILL))
			continue;
		waitpid(pid, &status, 0);
		sh->kills++;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			died++;
			d_diag("mortal worker %d ended before it was killed (status 0x%x)", w, status);
		}
		if (spawn_worker(w) > 0)
			sh->restarts++;
	}
	sh->stop = 1;
	for (int w = 0; w < NWORKERS; w++) {
		int status = 0;

		if (sh->pids[w] <= 0 || reap(sh->pids[w], "a worker", &status) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			died++;
			d_diag("worker %d ended badly (status 0x%x)", w, status);
		}
	}
	{
		int status = 0;

		reap(sig_pid, "the signaller", &status);
		if (blk_pid < 0 || reap(blk_pid, "the blocker", &status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			died++;
			d_diag("the blocker ended badly (status 0x%x)", status);
		}
		for (int i = 0; i < mappers; i++) {
			if (map_pids[i] < 0 || reap(map_pids[i], "a mapper", &status) < 0 ||
			    !WIFEXITED(status) || WEXITSTATUS(status)) {
				died++;
				d_diag("mapper %d ended badly (status 0x%x)", i, status);
			}
		}
	}
	t1 = d_now();

	for (int op = 0; op < NOPS; op++) {
		d_diag("%-10s %lu", op_names[op], sh->ops[op]);
		total += sh->ops[op];
	}
	d_diag("%lu operations on %d instances by %d workers in %.1f s (%.0f/s); %lu EINTR, %lu SIGUSR1 sent, %lu workers killed and restarted",
	       total, NINST, NWORKERS, t1 - t0, (double)total / (t1 - t0), sh->eintr, sh->signals,
	       sh->kills);
	d_diag("the blocker held a lock %lu times, %.1f s in all, while the others queued",
	       sh->holds, sh->held);
	if (mappers) {
		d_diag("%d mappers: %lu mappings, %lu loads, %lu stores, %lu reads and writes through them, %lu SIGBUS past the end",
		       mappers, sh->maps, sh->loads, sh->stores, sh->self_io, sh->sigbus);
		d_ok(sh->maps && sh->loads && sh->stores && sh->self_io,
		     "the mappers made progress (%lu mappings)", sh->maps);
	} else {
		d_diag("no mappers: alloc=%s cannot be mapped", d_alloc());
	}
	d_ok(!died, "every worker ran until stopped or killed");
	d_ok(!stuck, "every process ended within %d s of the stop (%d did not)", REAP_SECS, stuck);
	d_ok(total > 0 && sh->ops[O_WRITE] && sh->ops[O_SSZ] && sh->ops[O_DISCARD] && sh->holds,
	     "the workers made progress (%lu operations)", total);
	for (int c = 0; c < NCHECKS; c++)
		if (!d_ok(!sh->errors[c], "%s", check_names[c]))
			d_diag("%lu failures; the first: %s", sh->errors[c], sh->first[c]);

	for (int k = 0; k < NINST; k++) {
		int changed = 0;

		if (!final_check(k, &changed))
			consistent = 0;
		nchanged += changed == 1;
	}
	d_ok(consistent, "afterwards every instance is consistent (sizes agree, content valid)");
	ref = d_refcnt();
	if (!d_ok(ref == nchanged, "afterwards the module's refcnt (%lld) is the number of changed instances (%d)",
		  ref, nchanged))
		d_diag("refcnt %lld, changed instances %d", ref, nchanged);
	for (int k = 0; k < NINST; k++) {
		int fd = q_open(k, O_RDWR);
		unsigned char buf[QOTD_INIT_SIZE + 1];

		if (fd < 0 || q_discard(fd) || pread(fd, buf, sizeof(buf), 0) != QOTD_INIT_SIZE ||
		    memcmp(buf, d_initial, QOTD_INIT_SIZE) || d_attr(k, "changed") != 0)
			restored = 0;
		if (fd >= 0)
			close(fd);
	}
	d_ok(restored, "a discard on each instance restores the initial 128 bytes and clears changed");
	d_ok(d_refcnt() == 0, "then the module's refcnt is 0 (it is %lld)", d_refcnt());
	err = d_unload();
	if (!d_ok(!err, "and the module unloads"))
		d_diag("delete_module: %s", strerror(err));
	if (d_loaded())
		d_force_unload();
	return d_done();
}
