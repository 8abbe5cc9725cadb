/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the userspace tests share: the kernel-only functions of pool.c, takeover.c and steal.c
 * that the core calls, "CPU" bases, a fake clock, and a tiny test runner.
 */
#ifndef _GOTIMER_HARNESS_H
#define _GOTIMER_HARNESS_H

#include "internal.h"

extern struct gotimer_base gt_bases[GT_NR_CPUS];
extern s64 gt_fake_now;			/* gotimer_now() if nonzero */
extern struct gotimer_base gt_ubases[GT_NR_CPUS];	/* unpinned bases */
extern long gt_steal_arms[GT_NR_CPUS];	/* gotimer_steal_timer_arm() per CPU */
extern s64 gt_steal_arm_when[GT_NR_CPUS];
extern long gt_wakeups[GT_NR_CPUS];	/* gotimer_wake_worker() per base */
extern void (*gt_wake_observer)(void);	/* called by each wake-up */
extern long gt_vfree_atomic;		/* vmalloc'ed arrays freed atomically */

void gt_set_cpu(int cpu);
void gt_bases_init(int n);

/*
 * Worker records as the run path sees them (struct gotimer_worker): one
 * per "CPU" and slot, a last row for the private bases (cpu -1), and per
 * row a runner role, 0 after gt_workers_reset() as in a new pool.
 */
struct gotimer_worker *gt_worker(const struct gotimer_base *base,
				 unsigned int slot);
unsigned int *gt_runner(const struct gotimer_base *base);
void gt_workers_reset(void);
/* gotimer_run_due() as @base's CPU's worker @slot (0 for gt_run_due()). */
unsigned int gt_run_due_slot(struct gotimer_base *base, s64 now,
			     unsigned int slot);
unsigned int gt_run_due(struct gotimer_base *base, s64 now);
/* Stop everything left, drop it from every heap, check, free: 0 if clean. */
int gt_drain_base(struct gotimer_base *base);

/* ---- test runner ---- */
extern __thread int gt_failed;		/* failures in the current test */
extern long gt_checks;

#define GT_FAIL(fmt, ...) do {						\
	fprintf(stderr, "  FAIL %s:%d: " fmt "\n", __FILE__, __LINE__,	\
		##__VA_ARGS__);						\
	__atomic_fetch_add(&gt_failed, 1, __ATOMIC_RELAXED);		\
} while (0)

#define EXPECT_TRUE(c) do {						\
	__atomic_fetch_add(&gt_checks, 1, __ATOMIC_RELAXED);		\
	if (!(c))							\
		GT_FAIL("expected %s", #c);				\
} while (0)
#define EXPECT_FALSE(c)		EXPECT_TRUE(!(c))
#define EXPECT_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	__atomic_fetch_add(&gt_checks, 1, __ATOMIC_RELAXED);		\
	if (__a != __b)							\
		GT_FAIL("%s == %s: %lld != %lld", #a, #b, __a, __b);	\
} while (0)
#define EXPECT_PTR_EQ(a, b) do {					\
	const void *__a = (a), *__b = (b);				\
	__atomic_fetch_add(&gt_checks, 1, __ATOMIC_RELAXED);		\
	if (__a != __b)							\
		GT_FAIL("%s == %s: %p != %p", #a, #b, __a, __b);	\
} while (0)
/* ASSERT_*: stop the test case on failure. */
#define ASSERT_TRUE(c) do { int __f = gt_failed; EXPECT_TRUE(c); if (gt_failed != __f) return; } while (0)
#define ASSERT_EQ(a, b) do { int __f = gt_failed; EXPECT_EQ(a, b); if (gt_failed != __f) return; } while (0)

struct gt_case {
	const char *name;
	void (*fn)(void);
	long warnings;		/* WARN hits the case provokes on purpose */
};
#define GT_CASE(f)		{ #f, f, 0 }
#define GT_CASE_WARNS(f, n)	{ #f, f, n }

/* Runs every case; returns the process exit status. */
int gt_run(const char *suite, const struct gt_case *cases, size_t n,
	   void (*init)(void), void (*exit)(void));

/* xorshift64*, per caller state */
static inline u64 gt_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

#endif /* _GOTIMER_HARNESS_H */
