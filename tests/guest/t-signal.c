// SPDX-License-Identifier: GPL-2.0
/*
 * Waits for the instance lock (D10). A thread of this process holds the
 * lock for as long as the test likes: its write() copies from a page
 * registered with userfaultfd, so copy_from_user() faults and waits for the
 * test to resolve the fault, while the driver holds the lock across the
 * copy. Meanwhile a child process blocks on the lock in read, write, set
 * size, discard, get size or lseek, and gets a signal:
 *
 * - a reader (read, get size, lseek) waits interruptibly: SIGUSR1 makes the
 *   call fail with EINTR (handler without SA_RESTART), and the state
 *   afterwards is exactly what the holder left; or (SA_RESTART) the call
 *   restarts, stays blocked and completes once the holder is done;
 * - a writer (write, set size, discard) waits killably: SIGUSR1 does not
 *   end the wait, with or without SA_RESTART; the call completes once the
 *   holder is done, exactly as if it had started after it, and only then
 *   does the handler run. SIGKILL, or SIGINT with its default action, ends
 *   the wait: the process dies, nothing it asked for happens, and a buffer
 *   that set size had already allocated is freed.
 *
 * A held read (copy_to_user() into the page) shows the shared side: get
 * size and other reads still complete, exclusive operations block. And
 * waiters are served in the order they came: a read queued before a write
 * goes first.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define WAIT_MS 30000	/* only ever waited out when something is broken */
#define ANSWER_MS 10000	/* likewise, for a signal or a result */

enum op { OP_READ, OP_WRITE, OP_SSZ, OP_DISCARD, OP_GSZ, OP_LSEEK, OP_PREAD_SHARED };

static const char *const op_names[] = {
	[OP_READ] = "read",
	[OP_WRITE] = "write",
	[OP_SSZ] = "set size (QOTDIOCSSZ 4096)",
	[OP_DISCARD] = "discard",
	[OP_GSZ] = "get size",
	[OP_LSEEK] = "lseek SEEK_END",
	[OP_PREAD_SHARED] = "read",
};

#define CONTENDER_WRITE "ZZZZZZZZZZZZZZZZ"	/* 16 bytes at offset 0 */
#define CONTENDER_SIZE 4096
/*
 * Set size to this in a contender that is then killed: more than the slab
 * can serve, so every strategy's buffer is vmalloc'ed and a leak shows in
 * VmallocUsed. The module is loaded with max_size at least this.
 */
#define KILLED_SIZE (8u << 20)
#define KILLED_MAX_SIZE "max_size=16777216"
#define LEAK_SLACK (1 << 20)	/* other vmalloc users: kernel stacks */

static int is_writer(enum op op)
{
	return op == OP_WRITE || op == OP_SSZ || op == OP_DISCARD;
}

static int uffd = -1;
static unsigned char *page;
static unsigned char *src;

/* The thread that holds the lock. */
struct holder {
	pthread_t thread;
	int fd;
	int is_read;
	ssize_t ret;
	int err;
	int done;
	int running;
};

static void *holder_main(void *arg)
{
	struct holder *h = arg;

	if (h->is_read)
		h->ret = pread(h->fd, page, QOTD_INIT_SIZE, 0);
	else
		h->ret = pwrite(h->fd, page, QOTD_INIT_SIZE, 0);
	h->err = errno;
	__atomic_store_n(&h->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Start the holder; 0 once its copy waits on the userfaultfd page. */
static int hold(struct holder *h, int fd, int is_read)
{
	memset(h, 0, sizeof(*h));
	h->fd = fd;
	h->is_read = is_read;
	madvise(page, Q_PAGE, MADV_DONTNEED);	/* missing again */
	if (pthread_create(&h->thread, NULL, holder_main, h))
		return -1;
	h->running = 1;
	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		if (poll(&p, 1, 10) == 1 && read(uffd, &msg, sizeof(msg)) == sizeof(msg)) {
			if (msg.event == UFFD_EVENT_PAGEFAULT &&
			    (msg.arg.pagefault.address & ~(uint64_t)(Q_PAGE - 1)) ==
			    (uint64_t)(uintptr_t)page)
				return 0;
			tap_diag("unexpected userfaultfd event %u", msg.event);
		}
		if (__atomic_load_n(&h->done, __ATOMIC_SEQ_CST)) {
			tap_diag("the holder's %s finished without a fault: returned %zd (%s)",
				 is_read ? "read" : "write", h->ret, strerror(h->err));
			return -1;
		}
	}
	tap_diag("no userfaultfd event");
	return -1;
}

/* Resolve the fault with a page of fill bytes and wait for the holder. */
static ssize_t release(struct holder *h, unsigned char fill)
{
	struct uffdio_copy copy = {
		.dst = (uintptr_t)page, .src = (uintptr_t)src, .len = Q_PAGE, .mode = 0,
	};

	if (!h->running)
		return -1;
	memset(src, fill, Q_PAGE);
	if (ioctl(uffd, UFFDIO_COPY, &copy) && errno != EEXIST)
		tap_diag("UFFDIO_COPY: %s", strerror(errno));
	pthread_join(h->thread, NULL);
	h->running = 0;
	return h->ret;
}

/* What a contender reports through its pipe. */
struct result {
	long long ret;
	int err;
	uint64_t size;
	unsigned char data[QOTD_INIT_SIZE];
};

static int sig_w = -1;
static uint64_t contender_size = CONTENDER_SIZE;

static void on_usr1(int sig)
{
	char c = 's';

	(void)sig;
	if (write(sig_w, &c, 1) != 1)
		_exit(3);
}

struct contender {
	pid_t pid;
	int res_r;	/* result pipe */
	int sig_r;	/* one byte when the handler ran */
};

static void contend(int fd, enum op op)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	errno = 0;
	switch (op) {
	case OP_READ:
	case OP_PREAD_SHARED:
		r.ret = pread(fd, r.data, sizeof(r.data), 0);
		break;
	case OP_WRITE:
		r.ret = pwrite(fd, CONTENDER_WRITE, strlen(CONTENDER_WRITE), 0);
		break;
	case OP_SSZ:
		r.ret = q_ssz(fd, contender_size);
		break;
	case OP_DISCARD:
		r.ret = q_discard(fd);
		break;
	case OP_GSZ:
		r.ret = q_gsz(fd, &r.size);
		break;
	case OP_LSEEK:
		r.ret = lseek(fd, 0, SEEK_END);
		break;
	}
	r.err = errno;
	(void)!write(STDOUT_FILENO, &r, sizeof(r));
}

static int start_contender(struct contender *c, enum op op, int restart)
{
	int fd = q_open(0, op == OP_READ || op == OP_GSZ || op == OP_LSEEK ||
			op == OP_PREAD_SHARED ? O_RDONLY : O_RDWR);
	int res[2], sig[2];

	if (fd < 0 || pipe(res) || pipe(sig))
		return -1;
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		struct sigaction sa;

		close(res[0]);
		close(sig[0]);
		dup2(res[1], STDOUT_FILENO);
		sig_w = sig[1];
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		/* Whatever this test inherited: SIGINT kills, as at a terminal. */
		signal(SIGINT, SIG_DFL);
		contend(fd, op);
		_exit(0);
	}
	close(fd);
	close(res[1]);
	close(sig[1]);
	c->res_r = res[0];
	c->sig_r = sig[0];
	return c->pid > 0 ? 0 : -1;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static char proc_state(pid_t pid, char *wchan, size_t len)
{
	char path[64], buf[512], *paren;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if (q_read_file(path, wchan, len) < 0)
		snprintf(wchan, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (q_read_file(path, buf, sizeof(buf)) < 0)
		return '?';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/*
 * The contender sleeps and has not answered: it is blocked. Sleeping is
 * checked twice, 50 ms apart, with no answer in between.
 */
static int blocked(struct contender *c, char *state, char *wchan, size_t len)
{
	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		if (readable(c->res_r, 0))
			break;
		*state = proc_state(c->pid, wchan, len);
		if (*state == 'S' || *state == 'D') {
			q_msleep(50);
			*state = proc_state(c->pid, wchan, len);
			if ((*state == 'S' || *state == 'D') && !readable(c->res_r, 0))
				return 1;
		}
		q_msleep(10);
	}
	*state = proc_state(c->pid, wchan, len);
	return 0;
}

static int get_result(struct contender *c, struct result *r)
{
	if (!readable(c->res_r, ANSWER_MS))
		return -1;
	return read(c->res_r, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

static void end_contender(struct contender *c)
{
	int status;

	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	close(c->res_r);
	close(c->sig_r);
}

/* State check: node 0 holds want (len bytes), changed as given. */
static void expect_state(const unsigned char *want, size_t len, int changed, const char *what)
{
	q_expect_content(0, want, len, "D10: %s: content and size", what);
	q_expect_changed(0, changed, "D10: %s: changed is %d", what, changed);
}

/*
 * The result of @op run after the holder's write of 128 'H' bytes, and
 * the state it leaves: want (want_len bytes), want_changed.
 */
static void expect_completed(enum op op, const struct result *r, const char *how,
			     unsigned char *want, size_t *want_len, int *want_changed)
{
	switch (op) {
	case OP_READ:
	case OP_PREAD_SHARED:
		tap_mem(r->data, r->ret, want, QOTD_INIT_SIZE,
			"D10: the %s read completes and sees the holder's write", how);
		break;
	case OP_WRITE:
		tap_eq(r->ret, strlen(CONTENDER_WRITE), "D10: the %s write completes with 16", how);
		memcpy(want, CONTENDER_WRITE, strlen(CONTENDER_WRITE));
		break;
	case OP_SSZ:
		tap_eq(r->ret, 0, "D10: the %s set size completes", how);
		memset(want + QOTD_INIT_SIZE, 0, CONTENDER_SIZE - QOTD_INIT_SIZE);
		*want_len = CONTENDER_SIZE;
		break;
	case OP_DISCARD:
		tap_eq(r->ret, 0, "D10: the %s discard completes", how);
		memcpy(want, q_initial, QOTD_INIT_SIZE);
		*want_changed = 0;
		break;
	case OP_GSZ:
		tap_ok(r->ret == 0 && r->size == QOTD_INIT_SIZE,
		       "D10: the %s get size completes with 128 (got %lld, %llu)", how, r->ret,
		       (unsigned long long)r->size);
		break;
	case OP_LSEEK:
		tap_eq(r->ret, QOTD_INIT_SIZE, "D10: the %s lseek SEEK_END completes with 128", how);
		break;
	}
}

/*
 * A writer holds the lock; op blocks; SIGUSR1. A reader gives up (EINTR)
 * or restarts; a writer goes on waiting and completes after the holder.
 */
static void writer_holds(int fd, enum op op, int restart)
{
	const char *name = op_names[op];
	const char *mode = restart ? "SA_RESTART" : "no SA_RESTART";
	unsigned char want[CONTENDER_SIZE];
	size_t want_len = QOTD_INIT_SIZE;
	int want_changed = 1, handled, is_blocked;
	long long alloc_before;
	struct contender c;
	struct holder h;
	struct result r;
	char state = '?', wchan[64], what[160];

	tap_diag("a write holds the lock; %s with %s", name, mode);
	if (q_discard(fd) || !tap_ok(hold(&h, fd, 0) == 0,
				     "D10: the holder's write waits in copy_from_user (%s, %s)",
				     name, mode)) {
		release(&h, 'H');
		return;
	}
	alloc_before = q_attr(0, "allocated");
	if (start_contender(&c, op, restart)) {
		tap_ok(0, "start the contender");
		release(&h, 'H');
		return;
	}
	is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
	if (!tap_ok(is_blocked, "D10: %s blocks while a write holds the lock (%s; state %c, wchan %s)",
		    name, mode, state, wchan)) {
		release(&h, 'H');
		end_contender(&c);
		return;
	}
	kill(c.pid, SIGUSR1);
	memset(want, 'H', QOTD_INIT_SIZE);

	if (is_writer(op)) {
		/* The wait is killable only: the signal stays pending. */
		q_msleep(200);
		is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
		tap_ok(is_blocked && !readable(c.sig_r, 0),
		       "D10: SIGUSR1 does not end the blocked %s's wait (%s; state %c, wchan %s)",
		       name, mode, state, wchan);
		tap_eq(release(&h, 'H'), QOTD_INIT_SIZE,
		       "D10: the holder's write completes with 128 (%s waiting)", name);
		if (get_result(&c, &r)) {
			tap_ok(0, "D10: the %s completes after the holder (no answer)", name);
			end_contender(&c);
			return;
		}
		expect_completed(op, &r, "signalled", want, &want_len, &want_changed);
		tap_ok(readable(c.sig_r, ANSWER_MS),
		       "D10: the SIGUSR1 handler ran once the %s had completed (%s)", name, mode);
		snprintf(what, sizeof(what), "after a signalled %s", name);
		expect_state(want, want_len, want_changed, what);
		end_contender(&c);
		return;
	}

	handled = readable(c.sig_r, ANSWER_MS);
	tap_ok(handled, "D10: the SIGUSR1 handler ran in the blocked %s (%s)", name, mode);
	if (!restart) {
		if (get_result(&c, &r)) {
			tap_ok(0, "D10: SIGUSR1 makes the blocked %s return -1/EINTR (no answer)", name);
		} else {
			tap_ok(r.ret == -1 && r.err == EINTR,
			       "D10: SIGUSR1 makes the blocked %s return -1/EINTR (got %lld, %s)",
			       name, r.ret, r.ret == -1 ? strerror(r.err) : "-");
		}
		tap_eq(release(&h, 'H'), QOTD_INIT_SIZE,
		       "D10: the holder's write completes with 128 (%s interrupted)", name);
		snprintf(what, sizeof(what), "after an interrupted %s", name);
		expect_state(want, QOTD_INIT_SIZE, 1, what);
		tap_eq(q_attr(0, "allocated"), alloc_before,
		       "D10: the interrupted %s changed no buffer", name);
		end_contender(&c);
		return;
	}

	/* SA_RESTART: the call goes back to waiting. */
	is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
	tap_ok(is_blocked, "D10: with SA_RESTART the %s is blocked again after the handler (state %c, wchan %s)",
	       name, state, wchan);
	tap_eq(release(&h, 'H'), QOTD_INIT_SIZE, "D10: the holder's write completes with 128 (%s restarted)",
	       name);
	if (get_result(&c, &r)) {
		tap_ok(0, "D10: the restarted %s completes after the holder (no answer)", name);
		end_contender(&c);
		return;
	}
	expect_completed(op, &r, "restarted", want, &want_len, &want_changed);
	snprintf(what, sizeof(what), "after a restarted %s", name);
	expect_state(want, want_len, want_changed, what);
	end_contender(&c);
}

/* VmallocUsed from /proc/meminfo, in bytes; -1 if unreadable. */
static long long vmalloc_used(void)
{
	char buf[4096], *p;
	long long kb;

	if (q_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "VmallocUsed:");
	if (!p || sscanf(p, "VmallocUsed: %lld kB", &kb) != 1)
		return -1;
	return kb * 1024;
}

/*
 * A writer holds the lock; op blocks; a fatal signal (SIGKILL, or SIGINT
 * with its default action) ends the wait and the process, and nothing of
 * what it asked for happens.
 */
static void writer_killed(int fd, enum op op, int sig)
{
	const char *name = op_names[op];
	const char *signame = sig == SIGKILL ? "SIGKILL" : "SIGINT";
	long long alloc_before, vm_before, vm_after;
	unsigned char want[QOTD_INIT_SIZE];
	int status = 0, is_blocked, dead = 0;
	struct contender c;
	struct holder h;
	char state = '?', wchan[64], what[160];

	if (op == OP_SSZ)
		name = "set size (QOTDIOCSSZ 8 MiB)";
	tap_diag("a write holds the lock; %s gets %s", name, signame);
	if (q_discard(fd) || !tap_ok(hold(&h, fd, 0) == 0,
				     "D10: the holder's write waits in copy_from_user (%s, %s)",
				     name, signame)) {
		release(&h, 'H');
		return;
	}
	alloc_before = q_attr(0, "allocated");
	vm_before = vmalloc_used();
	contender_size = KILLED_SIZE;
	if (start_contender(&c, op, 0)) {
		contender_size = CONTENDER_SIZE;
		tap_ok(0, "start the contender");
		release(&h, 'H');
		return;
	}
	contender_size = CONTENDER_SIZE;
	is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
	if (!tap_ok(is_blocked, "D10: %s blocks while a write holds the lock (%s; state %c, wchan %s)",
		    name, signame, state, wchan)) {
		release(&h, 'H');
		end_contender(&c);
		return;
	}
	kill(c.pid, sig);
	for (int waited = 0; waited < ANSWER_MS && !dead; waited += 10) {
		if (waitpid(c.pid, &status, WNOHANG) == c.pid)
			dead = 1;
		else
			q_msleep(10);
	}
	tap_ok(dead && WIFSIGNALED(status) && WTERMSIG(status) == sig,
	       "D10: %s ends the %s blocked behind a write, and its process (%s)",
	       signame, name, dead ? "dead" : "still there");
	if (!dead) {
		kill(c.pid, SIGKILL);
		waitpid(c.pid, &status, 0);
	}
	close(c.res_r);
	close(c.sig_r);
	tap_eq(release(&h, 'H'), QOTD_INIT_SIZE, "D10: the holder's write completes with 128 (%s killed)",
	       name);
	memset(want, 'H', sizeof(want));
	snprintf(what, sizeof(what), "after a %s killed by %s", name, signame);
	expect_state(want, sizeof(want), 1, what);
	tap_eq(q_attr(0, "allocated"), alloc_before, "D10: the killed %s installed no buffer", name);
	vm_after = vmalloc_used();
	if (op == OP_SSZ)
		tap_ok(vm_before >= 0 && vm_after >= 0 && vm_after - vm_before < LEAK_SLACK,
		       "D10: the %u-byte buffer of the killed set size was freed (VmallocUsed %+lld bytes)",
		       KILLED_SIZE, vm_after - vm_before);
}

/*
 * Fairness: a write holds the lock, a reader queues behind it, then a
 * writer behind the reader. When the holder lets go, the reader's turn
 * comes first: it reads what the holder wrote, not what the second writer
 * wrote. A lock that keeps every reader out while any writer waits would
 * let the second writer in first, and in a loop of writers, never the
 * reader.
 */
static void reader_before_writer(int fd)
{
	unsigned char want[QOTD_INIT_SIZE];
	struct contender rd, wr;
	struct result rr, wrr;
	struct holder h;
	char state = '?', wchan[64];
	int is_blocked;

	if (q_discard(fd) || !tap_ok(hold(&h, fd, 0) == 0,
				     "D10: the holder's write waits in copy_from_user (queue order)")) {
		release(&h, 'H');
		return;
	}
	if (start_contender(&rd, OP_READ, 0)) {
		tap_ok(0, "start the reader");
		release(&h, 'H');
		return;
	}
	is_blocked = blocked(&rd, &state, wchan, sizeof(wchan));
	if (!tap_ok(is_blocked, "D10: a read queues behind the write (state %c)", state) ||
	    start_contender(&wr, OP_WRITE, 0)) {
		release(&h, 'H');
		end_contender(&rd);
		return;
	}
	is_blocked = blocked(&wr, &state, wchan, sizeof(wchan));
	tap_ok(is_blocked, "D10: a second write queues behind the read (state %c)", state);
	tap_eq(release(&h, 'H'), QOTD_INIT_SIZE, "D10: the holder's write completes with 128 (queue order)");
	memset(want, 'H', sizeof(want));
	if (get_result(&rd, &rr) || get_result(&wr, &wrr)) {
		tap_ok(0, "D10: the queued read and write complete (no answer)");
	} else {
		tap_mem(rr.data, rr.ret, want, sizeof(want),
			"D10: the read queued first is served first: it sees the holder's bytes, not the later writer's");
		tap_eq(wrr.ret, strlen(CONTENDER_WRITE), "D10: the write queued after it completes with 16");
	}
	memcpy(want, CONTENDER_WRITE, strlen(CONTENDER_WRITE));
	expect_state(want, sizeof(want), 1, "after the queued read and write");
	end_contender(&rd);
	end_contender(&wr);
}

/* A reader holds the lock: shared operations pass, exclusive ones wait. */
static void reader_holds(int fd, enum op op)
{
	const char *name = op_names[op];
	struct contender c;
	struct holder h;
	struct result r;
	char state = '?', wchan[64];
	int exclusive = is_writer(op);
	int is_blocked;

	if (q_discard(fd) || !tap_ok(hold(&h, fd, 1) == 0,
				     "D10: the holder's read waits in copy_to_user (%s)", name)) {
		release(&h, 'R');
		return;
	}
	if (start_contender(&c, op, 0)) {
		tap_ok(0, "start the contender");
		release(&h, 'R');
		return;
	}
	if (!exclusive) {
		int done = !get_result(&c, &r);

		if (op == OP_GSZ)
			done = done && r.ret == 0 && r.size == QOTD_INIT_SIZE;
		else if (op == OP_LSEEK)
			done = done && r.ret == QOTD_INIT_SIZE;
		else
			done = done && r.ret == QOTD_INIT_SIZE &&
			       !memcmp(r.data, q_initial, QOTD_INIT_SIZE);
		tap_ok(done, "D10: %s completes while a read holds the lock (readers share it)", name);
		tap_eq(release(&h, 'R'), QOTD_INIT_SIZE, "D10: the held read completes with 128");
		tap_mem(page, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
			"D10: the held read copied the buffer into the faulting page");
		end_contender(&c);
		return;
	}
	is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
	if (!tap_ok(is_blocked, "D10: %s blocks while a read holds the lock (state %c, wchan %s)",
		    name, state, wchan)) {
		release(&h, 'R');
		end_contender(&c);
		return;
	}
	kill(c.pid, SIGUSR1);
	q_msleep(200);
	is_blocked = blocked(&c, &state, wchan, sizeof(wchan));
	tap_ok(is_blocked && !readable(c.sig_r, 0),
	       "D10: SIGUSR1 does not end the wait of the %s blocked behind a read (state %c)",
	       name, state);
	tap_eq(release(&h, 'R'), QOTD_INIT_SIZE, "D10: the held read completes with 128");
	tap_mem(page, QOTD_INIT_SIZE, q_initial, QOTD_INIT_SIZE,
		"D10: the held read copied the initial buffer");
	if (get_result(&c, &r)) {
		tap_ok(0, "D10: the %s completes after the read (no answer)", name);
	} else {
		unsigned char want[CONTENDER_SIZE];
		size_t want_len = QOTD_INIT_SIZE;
		int want_changed = 1;

		memcpy(want, q_initial, QOTD_INIT_SIZE);
		expect_completed(op, &r, "signalled", want, &want_len, &want_changed);
		expect_state(want, want_len, want_changed, "after an exclusive call behind a read");
	}
	end_contender(&c);
}

static int setup_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API, .features = 0 };
	struct uffdio_register reg;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		tap_diag("userfaultfd: %s", strerror(errno));
		return -1;
	}
	if (ioctl(uffd, UFFDIO_API, &api)) {
		tap_diag("UFFDIO_API: %s", strerror(errno));
		return -1;
	}
	page = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, Q_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || src == MAP_FAILED)
		return -1;
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)page;
	reg.range.len = Q_PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		tap_diag("UFFDIO_REGISTER: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const enum op ops[] = { OP_READ, OP_WRITE, OP_SSZ, OP_DISCARD, OP_GSZ, OP_LSEEK };
	int fd;

	tap_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	if (!tap_ok(setup_uffd() == 0, "userfaultfd with a registered page"))
		return tap_done();
	q_load_or_bail(KILLED_MAX_SIZE);
	fd = q_open(0, O_RDWR);
	if (!tap_ok(fd >= 0, "open /dev/qotd0")) {
		q_force_cleanup();
		return tap_done();
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		writer_holds(fd, ops[i], 0);
		writer_holds(fd, ops[i], 1);
	}
	reader_before_writer(fd);
	writer_killed(fd, OP_WRITE, SIGKILL);
	writer_killed(fd, OP_SSZ, SIGKILL);
	writer_killed(fd, OP_DISCARD, SIGKILL);
	writer_killed(fd, OP_SSZ, SIGINT);
	reader_holds(fd, OP_GSZ);
	reader_holds(fd, OP_PREAD_SHARED);
	reader_holds(fd, OP_LSEEK);
	reader_holds(fd, OP_WRITE);
	reader_holds(fd, OP_SSZ);
	reader_holds(fd, OP_DISCARD);
	q_discard(fd);
	close(fd);
	return q_finish(1);
}
