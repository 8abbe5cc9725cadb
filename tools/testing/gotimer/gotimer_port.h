/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace versions of the kernel primitives that module/internal.h
 * documents as the core's only contact with the kernel.  module/internal.h
 * includes this file when __KERNEL__ is not defined; module/gotimer.h's
 * <linux/types.h> and <linux/atomic.h>, run.c's <linux/overflow.h> and
 * timer.c's <linux/export.h> are stubs in include/ that include it too.
 *
 * "CPUs" are threads: each harness thread sets gt_cpu, and
 * gotimer_local_base() is gt_bases[gt_cpu].  Preemption cannot be disabled
 * in userspace, so preempt_disable() only counts (per thread) and
 * cpu_relax() yields, so that a spinner lets a descheduled holder run.
 */
#ifndef _GOTIMER_PORT_H
#define _GOTIMER_PORT_H

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types ---- */
typedef long long s64;
typedef unsigned long long u64;
typedef int s32;
typedef unsigned int u32;
typedef unsigned int gfp_t;

#define S64_MAX		LLONG_MAX
#define S64_MIN		LLONG_MIN
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#ifndef EUCLEAN
#define EUCLEAN		117
#endif

/* ---- compiler ---- */
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __must_hold(x)
#define __acquires(x)
#define ____cacheline_aligned_in_smp __attribute__((aligned(64)))
#define __releases(x)
#define noinline	__attribute__((__noinline__))

/* Marked accesses are relaxed atomics, as KCSAN treats them. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define data_race(expr)		(expr)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#ifdef __SANITIZE_THREAD__
/*
 * gcc's TSan refuses a bare fence; a seq_cst read-modify-write on one
 * shared word orders the same way on x86 (a locked instruction) and
 * gives TSan an edge it understands.
 */
extern long gt_mb_word;
#define smp_mb()		((void)__atomic_fetch_add(&gt_mb_word, 0, __ATOMIC_SEQ_CST))
#else
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#define smp_mb__after_atomic()	smp_mb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)

#define min_t(type, a, b)	({ type __a = (a), __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b)	({ type __a = (a), __b = (b); __a > __b ? __a : __b; })
#define min(a, b)		({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
				   (void)(&__a == &__b); __a < __b ? __a : __b; })
#define max(a, b)		({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
				   (void)(&__a == &__b); __a > __b ? __a : __b; })
#define max3(a, b, c)		max(max(a, b), c)

/* <linux/bitops.h>: the 1-based index of the highest set bit, 0 for 0 */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define NSEC_PER_USEC		1000L
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/*
 * <linux/math64.h>: the kernel's 64-bit division, which a 32-bit kernel
 * must use instead of '/' (make check-div64).  Out of line, so that the
 * i386 build's __udivdi3 is here, not in the core's objects.
 */
u64 div64_u64(u64 dividend, u64 divisor);

/* ---- exports: declarations that swallow the trailing ';' ---- */
#define EXPORT_SYMBOL_GPL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern __typeof__(sym) sym
#define ALLOW_ERROR_INJECTION(fname, type)	extern __typeof__(fname) fname

/* ---- atomics (seq_cst where the kernel's value-returning ops are full) ---- */
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

#define __gt_rd(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define __gt_wr(v, i)		__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define __gt_add(v, i)		((void)__atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED))
#define __gt_cx(v, o, n, mo)	__atomic_compare_exchange_n(&(v)->counter, (o), (n), \
					false, mo, __ATOMIC_RELAXED)

#define atomic_read(v)		__gt_rd(v)
#define atomic_set(v, i)	__gt_wr(v, i)
#define atomic_set_release(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_RELEASE)
#define atomic_inc(v)		__gt_add(v, 1)
#define atomic_dec(v)		__gt_add(v, -1)
#define atomic_add(i, v)	__gt_add(v, (i))
#define atomic_sub(i, v)	__gt_add(v, -(int)(i))
#define atomic_try_cmpxchg(v, o, n)		__gt_cx(v, o, n, __ATOMIC_SEQ_CST)
#define atomic_try_cmpxchg_acquire(v, o, n)	__gt_cx(v, o, n, __ATOMIC_ACQUIRE)

#define atomic64_read(v)	__gt_rd(v)
#define atomic64_set(v, i)	__gt_wr(v, i)
#define atomic64_inc(v)		__gt_add(v, 1)
#define atomic64_try_cmpxchg(v, o, n)		__gt_cx(v, o, n, __ATOMIC_SEQ_CST)

#define atomic_long_read(v)	__gt_rd(v)
#define atomic_long_set(v, i)	__gt_wr(v, i)
#define atomic_long_inc(v)	__gt_add(v, 1L)
#define atomic_long_add(i, v)	__gt_add(v, (long)(i))

/* ---- "CPUs", preemption, context ---- */
#define GT_NR_CPUS	16
extern __thread int gt_cpu;		/* this thread's "CPU" */
extern __thread int gt_preempt_count;
extern __thread int gt_in_irq;		/* pretend interrupt context */

#define preempt_count()		(gt_preempt_count)
#define preempt_disable()	do { gt_preempt_count++; } while (0)
#define preempt_enable()	do { gt_preempt_underflow_check(); gt_preempt_count--; } while (0)
#define preemptible()		(gt_preempt_count == 0)
#define migrate_disable()	do { } while (0)
#define migrate_enable()	do { } while (0)
#define rcu_preempt_depth()	0
/* No kernel config here: no PREEMPT_RT, no optional feature. */
#define IS_ENABLED(option)	0
#define in_task()		(!gt_in_irq)
#define cpu_relax()		sched_yield()
void gt_preempt_underflow_check(void);
/* No scheduler tick or reschedule request here (run.c's scheduling point). */
#define need_resched()		false
extern unsigned long jiffies;	/* never ticks: harness.c */

/* ---- WARN ---- */
extern atomic_long_t gt_warnings;
extern int gt_warn_quiet;		/* tests that expect warnings */
void gt_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define WARN(cond, fmt...) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		gt_warn(__FILE__, __LINE__, fmt);			\
	__c;								\
})
/* Once per site for the message, but every hit is counted. */
#define WARN_ONCE(cond, fmt...) ({					\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c)) {						\
		if (!__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED)) \
			gt_warn(__FILE__, __LINE__, fmt);		\
		else							\
			atomic_long_inc(&gt_warnings);			\
	}								\
	__c;								\
})
#define WARN_ON(cond)		WARN(cond, "WARN_ON(%s)\n", #cond)
#define WARN_ON_ONCE(cond)	WARN_ONCE(cond, "WARN_ON_ONCE(%s)\n", #cond)
#define pr_warn(fmt...)		fprintf(stderr, fmt)
#define pr_warn_ratelimited(fmt...) fprintf(stderr, fmt)

/* ---- raw spinlock: a mutex with an owner for lockdep_assert_held ---- */
typedef struct {
	pthread_mutex_t m;
	int owner;			/* gt_thread_id() + 1 of the holder, 0 */
} raw_spinlock_t;

int gt_thread_id(void);
void gt_lock_fail(const char *what, const char *file, int line);

#define raw_spin_lock_init(l) do {					\
	pthread_mutex_init(&(l)->m, NULL);				\
	__atomic_store_n(&(l)->owner, 0, __ATOMIC_RELAXED);		\
} while (0)
#define raw_spin_lock(l) do {						\
	preempt_disable();						\
	pthread_mutex_lock(&(l)->m);					\
	__atomic_store_n(&(l)->owner, gt_thread_id() + 1, __ATOMIC_RELAXED); \
} while (0)
#define SINGLE_DEPTH_NESTING	1
#define raw_spin_lock_nested(l, sub)	raw_spin_lock(l)
#define raw_spin_unlock(l) do {						\
	lockdep_assert_held(l);						\
	__atomic_store_n(&(l)->owner, 0, __ATOMIC_RELAXED);		\
	pthread_mutex_unlock(&(l)->m);					\
	preempt_enable();						\
} while (0)
#define lockdep_assert_held(l) do {					\
	if (unlikely(__atomic_load_n(&(l)->owner, __ATOMIC_RELAXED) !=	\
		     gt_thread_id() + 1))				\
		gt_lock_fail("lockdep_assert_held(" #l ")", __FILE__, __LINE__); \
} while (0)

/* ---- memory ---- */
#define __GFP_DIRECT_RECLAIM	0x1u
#define __GFP_NOWARN		0x2u
#define __GFP_HIGH		0x4u
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM)
#define GFP_ATOMIC		(__GFP_HIGH)
#define gfpflags_allow_blocking(gfp)	(!!((gfp) & __GFP_DIRECT_RECLAIM))

extern atomic_long_t gt_alloc_fail;	/* > 0: fail that many allocations */
void *gt_alloc_array(size_t n, size_t size, gfp_t gfp);
/*
 * kvmalloc_array() "falls back to vmalloc" for every allocation while
 * gt_vmalloc_fallback is set; kvfree() of such an array with preemption
 * off is a test failure, as vfree() may sleep.
 */
extern int gt_vmalloc_fallback;
void *gt_kvmalloc_array(size_t n, size_t size, gfp_t gfp);
bool is_vmalloc_addr(const void *p);
void gt_kvfree(void *p);
#define kvmalloc_array(n, size, gfp)	gt_kvmalloc_array(n, size, gfp)
#define kmalloc_array(n, size, gfp)	gt_alloc_array(n, size, gfp)
#define kvfree(p)			gt_kvfree(p)
#define kfree(p)			free(p)

/* ---- trace events: none in userspace ---- */
/*
 * Claim module/gotimer_trace.h's guard so that its TRACE_EVENTs are skipped;
 * the <trace/define_trace.h> it includes at its end is an empty stub here.
 * The core includes internal.h (so this file) before gotimer_trace.h.
 */
#define _GOTIMER_TRACE_H
#define trace_gotimer_modify(...)	do { } while (0)
#define trace_gotimer_stop(...)		do { } while (0)
#define trace_gotimer_expire_entry(...)	do { } while (0)
#define trace_gotimer_expire_exit(...)	do { } while (0)
#define trace_gotimer_move(...)		do { } while (0)

struct task_struct;

/* Deterministic interleavings (internal.h's enum gotimer_hook). */
#define gotimer_test_hook(point, base) do {				\
	if (gt_test_hook)						\
		gt_test_hook(point, base);				\
} while (0)

#endif /* _GOTIMER_PORT_H */
