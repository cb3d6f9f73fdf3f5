// SPDX-License-Identifier: GPL-2.0
/*
 * The system calls the guest tests need from the kernel, checked from a
 * 64-bit and a 32-bit program: userfaultfd, threads (futex), madvise.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *thread(void *arg)
{
	return arg;
}

int main(void)
{
	long uffd = syscall(__NR_userfaultfd, 0);
	pthread_t t;
	int thr = pthread_create(&t, NULL, thread, NULL);
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int adv = page == MAP_FAILED ? -1 : madvise(page, 4096, MADV_DONTNEED);

	if (thr == 0)
		thr = pthread_join(t, NULL);
	printf("probe: %zu-bit userfaultfd=%s threads=%s madvise=%s\n",
	       sizeof(void *) * 8, uffd >= 0 ? "yes" : "no",
	       thr == 0 ? "yes" : "no", adv == 0 ? "yes" : "no");
	return uffd >= 0 && thr == 0 && adv == 0 ? 0 : 1;
}
