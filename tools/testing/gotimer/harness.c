// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-only pieces (pool.c, takeover.c, steal.c) the core calls, done for threads, plus
 * the primitives gotimer_port.h declares and a minimal test runner.
 */
#include <stdarg.h>
#include <time.h>
#include "harness.h"

__thread int gt_cpu;
__thread int gt_preempt_count;
__thread int gt_in_irq;
__thread int gt_failed;
long gt_checks;
atomic_long_t gt_warnings;
int gt_warn_quiet;
atomic_long_t gt_alloc_fail;
s64 gt_fake_now;
struct gotimer_base gt_bases[GT_NR_CPUS];

static int gt_next_tid;
static __thread int gt_tid = -1;

int gt_thread_id(void)
{
	if (gt_tid < 0)
		gt_tid = __atomic_fetch_add(&gt_next_tid, 1, __ATOMIC_RELAXED);
	return gt_tid;
}

void gt_lock_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "FATAL %s:%d: %s failed\n", file, line, what);
	abort();
}

void gt_preempt_underflow_check(void)
{
	if (gt_preempt_count <= 0) {
		fprintf(stderr, "FATAL: preempt_enable() without preempt_disable()\n");
		abort();
	}
}

void gt_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	atomic_long_inc(&gt_warnings);
	if (READ_ONCE(gt_warn_quiet))
		return;
	fprintf(stderr, "WARNING at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void *gt_alloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;
	long f = atomic_long_read(&gt_alloc_fail);

	(void)gfp;
	while (f > 0)
		if (__atomic_compare_exchange_n(&gt_alloc_fail.counter, &f, f - 1,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return NULL;
	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return malloc(bytes ?: 1);
}

/* The few live "vmalloc" arrays, for is_vmalloc_addr() and kvfree(). */
#define GT_VMALLOC_MAX	64
int gt_vmalloc_fallback;
long gt_vfree_atomic;			/* kvfree() of one with preemption off */
static void *gt_vmalloced[GT_VMALLOC_MAX];
static pthread_mutex_t gt_vmalloc_lock = PTHREAD_MUTEX_INITIALIZER;

void *gt_kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	void *p = gt_alloc_array(n, size, gfp);
	int i;

	if (!p || !gt_vmalloc_fallback)
		return p;
	pthread_mutex_lock(&gt_vmalloc_lock);
	for (i = 0; i < GT_VMALLOC_MAX && gt_vmalloced[i]; i++)
		;
	if (i < GT_VMALLOC_MAX)
		gt_vmalloced[i] = p;
	pthread_mutex_unlock(&gt_vmalloc_lock);
	return p;
}

static int gt_vmalloc_slot(const void *p)
{
	int i;

	for (i = 0; p && i < GT_VMALLOC_MAX; i++)
		if (gt_vmalloced[i] == p)
			return i;
	return -1;
}

bool is_vmalloc_addr(const void *p)
{
	bool ret;

	pthread_mutex_lock(&gt_vmalloc_lock);
	ret = gt_vmalloc_slot(p) >= 0;
	pthread_mutex_unlock(&gt_vmalloc_lock);
	return ret;
}

void gt_kvfree(void *p)
{
	int i;

	pthread_mutex_lock(&gt_vmalloc_lock);
	i = gt_vmalloc_slot(p);
	if (i >= 0) {
		gt_vmalloced[i] = NULL;
		if (gt_preempt_count > 0)
			__atomic_fetch_add(&gt_vfree_atomic, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&gt_vmalloc_lock);
	free(p);
}

/* ---- pool.c's, takeover.c's and steal.c's part of the internal API ---- */

u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

s64 gotimer_now(void)
{
	s64 fake = READ_ONCE(gt_fake_now);
	struct timespec ts;

	if (fake)
		return fake;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (s64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct gotimer_base *gotimer_cpu_base(int cpu)
{
	return &gt_bases[cpu];
}

/* The unpinned bases: ->unpinned set, stealing driven by the tests. */
struct gotimer_base gt_ubases[GT_NR_CPUS];
long gt_steal_arms[GT_NR_CPUS];		/* gotimer_steal_timer_arm() per CPU */
s64 gt_steal_arm_when[GT_NR_CPUS];	/* its last @when */

struct gotimer_base *gotimer_cpu_unpinned_base(int cpu)
{
	return &gt_ubases[cpu];
}

struct gotimer_base *gotimer_local_unpinned_base(void)
{
	if (gt_preempt_count <= 0) {
		fprintf(stderr, "FATAL: gotimer_local_unpinned_base() with preemption on\n");
		abort();
	}
	return &gt_ubases[gt_cpu];
}

void gotimer_steal_timer_arm(struct gotimer_base *base, s64 when)
{
	if (base->cpu < 0 || base->cpu >= GT_NR_CPUS)
		return;
	__atomic_fetch_add(&gt_steal_arms[base->cpu], 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&gt_steal_arm_when[base->cpu], when, __ATOMIC_SEQ_CST);
}

struct gotimer_base *gotimer_local_base(void)
{
	if (gt_preempt_count <= 0) {
		fprintf(stderr, "FATAL: gotimer_local_base() with preemption on\n");
		abort();
	}
	return &gt_bases[gt_cpu];
}

/*
 * No worker threads: the tests call gotimer_run_due() and the sleep steps
 * themselves.  A wake-up is only counted, per base.
 */
long gt_wakeups[GT_NR_CPUS];
long gt_mb_word;	/* smp_mb() under TSan, gotimer_port.h */
unsigned long jiffies;
void (*gt_test_hook)(enum gotimer_hook point, struct gotimer_base *base);

void (*gt_wake_observer)(void);

void gotimer_wake_worker(struct gotimer_base *base)
{
	if (gt_wake_observer)
		gt_wake_observer();
	if (base >= gt_bases && base < gt_bases + GT_NR_CPUS)
		__atomic_fetch_add(&gt_wakeups[base - gt_bases], 1, __ATOMIC_SEQ_CST);
}

/* No pools, no take-over timer here (takeover.c). */
void gotimer_batch_begin(struct gotimer_worker *w)
{
	(void)w;
}

void gotimer_between_callbacks(struct gotimer_worker *w)
{
	(void)w;
}

void gotimer_batch_end(struct gotimer_worker *w)
{
	(void)w;
}

static struct gotimer_worker gt_workers[GT_NR_CPUS + 1][GOTIMER_WORKERS_MAX + 1];
static unsigned int gt_runners[GT_NR_CPUS + 1];

static unsigned int gt_row(const struct gotimer_base *base)
{
	return base->cpu >= 0 && base->cpu < GT_NR_CPUS ? base->cpu : GT_NR_CPUS;
}

struct gotimer_worker *gt_worker(const struct gotimer_base *base,
				 unsigned int slot)
{
	if (slot > GOTIMER_WORKERS_MAX) {
		fprintf(stderr, "FATAL: gt_worker(): slot %u\n", slot);
		abort();
	}
	return &gt_workers[gt_row(base)][slot];
}

unsigned int *gt_runner(const struct gotimer_base *base)
{
	return &gt_runners[gt_row(base)];
}

void gt_workers_reset(void)
{
	unsigned int r, i;

	for (r = 0; r <= GT_NR_CPUS; r++) {
		gt_runners[r] = 0;
		for (i = 0; i <= GOTIMER_WORKERS_MAX; i++)
			gt_workers[r][i] = (struct gotimer_worker){
				.slot = i, .runner = &gt_runners[r] };
	}
}

unsigned int gt_run_due_slot(struct gotimer_base *base, s64 now,
			     unsigned int slot)
{
	return gotimer_run_due(base, now, gt_worker(base, slot));
}

unsigned int gt_run_due(struct gotimer_base *base, s64 now)
{
	return gt_run_due_slot(base, now, 0);
}

/* No stop_sync here (stopsync.c): nobody to wake. */
void gotimer_wake_sync_waiters(struct gotimer *t)
{
	(void)t;
}

void gt_set_cpu(int cpu)
{
	gt_cpu = cpu;
}

void gt_bases_init(int n)
{
	int i;

	gt_workers_reset();
	for (i = 0; i < n; i++) {
		gotimer_base_init(&gt_bases[i], i);
		gotimer_base_init(&gt_ubases[i], i);
		gt_ubases[i].unpinned = true;
		gt_steal_arms[i] = 0;
		gt_steal_arm_when[i] = 0;
	}
}

int gt_drain_base(struct gotimer_base *base)
{
	unsigned int i;
	int bad = 0;

	raw_spin_lock(&base->lock);
	for (i = 0; i < base->heap.len; i++) {
		struct gotimer *t = gotimer_heap_at(&base->heap, i);
		enum gotimer_status s = gotimer_status_lock(t);

		if (s == GOTIMER_WAITING || s == GOTIMER_MODIFIED) {
			if (s == GOTIMER_WAITING || t->nextwhen)
				atomic_inc(&base->deleted);
			t->nextwhen = 0;
			s = GOTIMER_MODIFIED;
		}
		gotimer_status_unlock(t, s);
	}
	gotimer_adjust(base, 0, true);
	if (base->heap.len || atomic_read(&base->deleted) ||
	    gotimer_base_verify(base))
		bad = 1;
	raw_spin_unlock(&base->lock);
	if (!bad)
		gotimer_base_destroy(base);
	return bad;
}

int gt_run(const char *suite, const struct gt_case *cases, size_t n,
	   void (*init)(void), void (*exit)(void))
{
	unsigned int failed = 0;
	size_t i;

	printf("# suite %s: %zu cases\n", suite, n);
	for (i = 0; i < n; i++) {
		long w0 = atomic_long_read(&gt_warnings), w;

		gt_failed = 0;
		gt_warn_quiet = cases[i].warnings != 0;
		gt_workers_reset();
		if (init)
			init();
		cases[i].fn();
		if (exit)
			exit();
		gt_warn_quiet = 0;
		w = atomic_long_read(&gt_warnings) - w0;
		if (w != cases[i].warnings) {
			fprintf(stderr, "  FAIL %s: %ld warnings, expected %ld\n",
				cases[i].name, w, cases[i].warnings);
			gt_failed++;
		}
		if (gt_preempt_count) {
			fprintf(stderr, "  FAIL %s: preempt count %d at exit\n",
				cases[i].name, gt_preempt_count);
			gt_failed++;
			gt_preempt_count = 0;
		}
		printf("%s %zu %s.%s\n", gt_failed ? "not ok" : "ok", i + 1,
		       suite, cases[i].name);
		if (gt_failed)
			failed++;
	}
	printf("# %s: %zu/%zu passed, %ld checks\n", suite, n - failed, n,
	       gt_checks);
	return failed ? 1 : 0;
}
