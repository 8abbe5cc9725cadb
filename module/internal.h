/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gotimer internals: status values, the per-CPU base, and the few primitives
 * the core (heap.c, status.c, base.c, run.c, timer.c) needs.
 *
 * The core reaches the kernel only through what this header declares:
 * atomics, preemption off/on, a raw spinlock, WARN, a lockdep map and slot
 * allocation.  tools/testing/gotimer provides the same names in userspace.
 */
#ifndef _GOTIMER_INTERNAL_H
#define _GOTIMER_INTERNAL_H

#include "gotimer.h"

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "compat.h"
#else
#include "gotimer_port.h"	/* tools/testing/gotimer */
#endif

/*
 * enum gotimer_status - the per-timer status word, which is also its lock.
 * The transition table is in status.c; code names its rows as [S1]..[S19].
 */
enum gotimer_status {
	GOTIMER_REMOVED = 0,	/* in no heap; must be the zero value */
	GOTIMER_WAITING,	/* in base's heap, fires at when */
	GOTIMER_LOCKED,		/* held by one CPU, preemption off */
	GOTIMER_MODIFIED,	/* in heap at old when; nextwhen is real */
	GOTIMER_NR_STATUS,
};

/*
 * ->idx of a timer between [S5]'s status unlock and its heap add (the
 * seed's window), so that gotimer_unheap() tells that window from a timer
 * that claims a heap it is not in (corruption).
 */
#define GOTIMER_IDX_ADDING	UINT_MAX

/*
 * In ->flags beside the caller's GOTIMER_FLAGS_MASK bits: @t was shut down
 * (gotimer_shutdown(), row S20) and refuses every arm (S21) until
 * gotimer_init().  Set under @t's status lock and read under it.
 */
#define GOTIMER_SHUT_DOWN	0x80000000U
#define GOTIMER_IDX_NONE	(UINT_MAX - 1)

/**
 * gotimer_status_corrupt() - is @t's status word outside the enum?
 * @t: a timer
 *
 * Return: true if it is (gotimer_status_lock() reports and refuses it).
 */
static inline bool gotimer_status_corrupt(const struct gotimer *t)
{
	unsigned int s = atomic_read(&t->status);

	return s >= GOTIMER_NR_STATUS;
}

/*
 * A timer's lockdep class (->lockdep_map, given by gotimer_init()): the
 * worker holds it around the callback (run.c), gotimer_stop_sync() takes
 * and drops it before it waits, as call_timer_fn() and
 * __timer_delete_sync() use a timer_list's.  Nothing without
 * CONFIG_LOCKDEP, nor for a timer with no class (zero-filled).
 */
static inline void gotimer_lockdep_init(struct gotimer *t, const char *name,
					struct lock_class_key *key)
{
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&t->lockdep_map, name, key, 0);
#endif
}

/* stop_sync's side: "waits for @t's callback". */
static inline void gotimer_lockdep_wait(struct gotimer *t)
{
#ifdef CONFIG_LOCKDEP
	if (t->lockdep_map.key) {
		lock_map_acquire(&t->lockdep_map);
		lock_map_release(&t->lockdep_map);
	}
#endif
}

/**
 * gotimer_was_pending() - "pending" as the transition table defines it
 * @t: a timer locked by gotimer_status_lock()
 * @s: the status that returned
 *
 * Return: true if @t is armed, not yet run and not stopped: Waiting, or
 * Modified with a new time.
 */
static __always_inline bool gotimer_was_pending(const struct gotimer *t,
						enum gotimer_status s)
{
	return s == GOTIMER_WAITING ||
	       (s == GOTIMER_MODIFIED && t->nextwhen != 0);
}

/**
 * gotimer_take_new_time() - a Modified timer's new time becomes its time
 * @t: a timer locked by gotimer_status_lock(), Modified with a new time
 *
 * Rows [S9], [S10] and [S14], and [S5]'s add (add_settled()): the new
 * time becomes the heap key and nextwhen is 0 again, as for any Waiting
 * timer that [S18] did not put off.  The caller re-sorts the heap and
 * unlocks @t with the status returned.
 *
 * Return: GOTIMER_WAITING.
 */
static inline enum gotimer_status gotimer_take_new_time(struct gotimer *t)
{
	t->when = t->nextwhen;
	t->nextwhen = 0;
	return GOTIMER_WAITING;
}

/**
 * struct gotimer_heap - a 4-ary min-heap of timers ordered by ->when
 * @slots: the array; slots[i]->idx == i
 * @len: number of timers in the heap
 * @cap: number of slots allocated
 */
struct gotimer_heap {
	struct gotimer **slots;
	unsigned int len;
	unsigned int cap;
};

/*
 * The most slots a heap may have: its array must stay within the INT_MAX
 * bytes kvmalloc() accepts (beyond that it WARNs and fails).
 */
#define GOTIMER_HEAP_MAX_SLOTS	((unsigned int)(INT_MAX / sizeof(struct gotimer *)))

/**
 * gotimer_log_bucket() - the bucket of @v in a log-linear histogram
 * @v: the value, in ns; a negative one counts as 0
 * @shift: bucket 0 holds [0, 2^@shift)
 * @sub: each power of two from 2^@shift up is cut into 2^@sub buckets
 *	(@sub <= @shift)
 * @nr: the number of buckets; the last one also holds everything beyond
 *
 * One scheme for every histogram of lateness: the core's (one bucket per
 * power of two from 1024 ns), the torture's and the bench's (finer).  No
 * division: a bit scan and two shifts.
 *
 * Return: 0 for @v < 2^@shift, else 1 + (o - @shift) * 2^@sub + the next
 * @sub bits of @v below its top bit o, at most @nr - 1.
 */
static inline unsigned int gotimer_log_bucket(s64 v, unsigned int shift,
					      unsigned int sub, unsigned int nr)
{
	unsigned int o, b;

	if (v < (1LL << shift))
		return 0;
	o = fls64(v) - 1;
	b = 1 + ((o - shift) << sub) +
	    (unsigned int)((v >> (o - sub)) & ((1U << sub) - 1));
	return b < nr ? b : nr - 1;
}

/**
 * gotimer_log_bucket_floor() - the least value a bucket holds
 * @b: a bucket of gotimer_log_bucket(.., @shift, @sub, ..)
 * @shift: as there
 * @sub: as there
 *
 * Return: that value in ns.
 */
static inline u64 gotimer_log_bucket_floor(unsigned int b, unsigned int shift,
					   unsigned int sub)
{
	unsigned int k = b - 1;

	if (!b)
		return 0;
	return (u64)((1U << sub) + (k & ((1U << sub) - 1))) <<
	       ((k >> sub) + shift - sub);
}

/*
 * The lateness histogram of a base: bucket 0 counts callbacks called less
 * than 1024 ns after their time, bucket b (1 <= b < 31) those from
 * 2^(b-1) to 2^b (exclusive) times 1024 ns late, and bucket 31 everything
 * from 2^40 ns (about 18 minutes) on: gotimer_log_bucket() with one bucket
 * per power of two.
 */
#define GOTIMER_LATE_BUCKETS	32
#define GOTIMER_LATE_SHIFT	10

/**
 * struct gotimer_lateness - how late a base's callbacks were called
 * @count: callbacks per bucket, see gotimer_late_bucket()
 * @max: the largest lateness seen, in ns (as /proc/timer_list's
 *	max_hang_time)
 *
 * Lateness is the delay_ns the callback got: the batch's clock read minus
 * the timer's when.  Written only under the base's heap lock, by
 * gotimer_late_record(); readers and the reset take that lock too.
 */
struct gotimer_lateness {
	unsigned long count[GOTIMER_LATE_BUCKETS];
	s64 max;
};

/**
 * gotimer_late_bucket() - the histogram bucket of a lateness
 * @delay_ns: the lateness, >= 0 (a negative one counts as 0)
 *
 * Return: 0 for [0, 1024) ns, b for [2^(b-1), 2^b) * 1024 ns, and
 * GOTIMER_LATE_BUCKETS - 1 for anything beyond.
 */
static inline unsigned int gotimer_late_bucket(s64 delay_ns)
{
	return gotimer_log_bucket(delay_ns, GOTIMER_LATE_SHIFT, 0,
				  GOTIMER_LATE_BUCKETS);
}

/**
 * gotimer_late_bucket_floor() - the lowest lateness a bucket counts
 * @b: a bucket, < GOTIMER_LATE_BUCKETS
 *
 * Return: that lateness in ns.
 */
static inline u64 gotimer_late_bucket_floor(unsigned int b)
{
	return gotimer_log_bucket_floor(b, GOTIMER_LATE_SHIFT, 0);
}

/**
 * gotimer_late_record() - count one callback's lateness
 * @l: the base's histogram; the base's heap lock held
 * @delay_ns: the callback's delay_ns
 *
 * One increment and one compare: plain, since every writer holds the lock.
 */
static inline void gotimer_late_record(struct gotimer_lateness *l, s64 delay_ns)
{
	l->count[gotimer_late_bucket(delay_ns)]++;
	if (delay_ns > l->max)
		l->max = delay_ns;
}

/**
 * gotimer_time_add() - a time plus a span, saturated at S64_MAX
 * @t: a time (gotimer_now() nanoseconds), >= 0
 * @d: a span in ns, >= 0
 *
 * Every time gotimer computes from another one goes through this: a timer
 * at or near S64_MAX (a common "never") must not wrap to a negative time.
 * S64_MAX is the end of time: nothing falls due there.
 *
 * Return: @t + @d, or S64_MAX if that overflows.
 */
static inline s64 gotimer_time_add(s64 t, s64 d)
{
	s64 sum;

	return check_add_overflow(t, d, &sum) ? S64_MAX : sum;
}

/*
 * Workers a CPU's pool can have: the runner, and standbys that take over
 * while it is stuck in a callback (takeover.c).  gotimer.workers_per_cpu
 * picks how many.
 * Each CPU also has a thief, a thread of its own that runs other CPUs' due
 * unpinned timers [S19], in slot GOTIMER_THIEF_SLOT of its pool; their
 * runs are published in its CPU's unpinned base (->run_base).
 */
#define GOTIMER_WORKERS_MAX	4
#define GOTIMER_THIEF_SLOT	GOTIMER_WORKERS_MAX

/**
 * struct gotimer_base - one CPU's timers (Go: the timer fields of a P)
 *
 * Each field's locking rule, as kernel/workqueue.c marks its fields:
 *
 *   I: set at init (gotimer_base_init()), read-only after
 *   L: under @lock, the heap lock
 *   S: under the status lock of the timer that changes it
 *   A: an atomic, or marked accesses (READ_ONCE() / smp_load_acquire())
 *	for a reader without the lock
 *   W: written by the CPU's worker only
 *   H: changed by CPU hotplug only, on the base's own CPU or while it is
 *	dead (hotplug.c)
 *
 * The heap and its lock-free view come first, then the counters in a
 * cache-aligned tail, away from the fields other CPUs read on every arm.
 * A base holds no execution state: which callback runs where is recorded
 * in the workers (struct gotimer_worker) and in each timer (->run_worker).
 *
 * @lock: the heap lock (Go: timersLock); outer to every timer's status lock
 * @heap: the timers, under @lock
 * @timer0_when: heap[0]->when, 0 if empty; read without @lock
 * @modified_earliest: lowest nextwhen of a timer modified earlier, 0 if none
 * @ntimers: heap length, read without @lock
 * @deleted: stopped timers still sitting in the heap
 * @wake_at: when the sleeping worker will wake by itself; 0 while it is awake
 *	(the wake protocol is described in base.c)
 * @lowering: lowering stores between their L1 and L3, counted only while
 *	the missed-wake detector runs
 * @retired: heap arrays replaced where vfree() could not run, under @lock;
 *	freed by the worker
 * @offline: the base is closed: its CPU is going down or dead and its
 *	timers were moved to @adopter, and nothing may be added here (set by
 *	gotimer_base_move(), cleared when the CPU comes up again or its
 *	offline is refused); written under @lock, and only on the base's own
 *	CPU or while that CPU is dead (hotplug.c), so its own CPU may read it
 *	with preemption off and no lock
 * @adopter: the base that took this one's timers when it was closed; an
 *	add on the closing CPU goes there (timer.c)
 * @unpinned: the base holds GOTIMER_UNPINNED timers (each CPU has one such
 *	base beside its pinned one): it has no runner role, any worker of any
 *	CPU may run its due timers, and it arms the steal timer (steal.c)
 * @cpu: owning CPU, -1 for a private base (tests)
 * @fired: callbacks run, written under @lock
 * @late: how late they ran, under @lock
 * @postponed: due timers not run because their callback still ran [S18]
 * @stolen: callbacks of this (unpinned) base run by another CPU's worker,
 *	under @lock
 * @own_fired: callbacks of this (unpinned) base run by its own CPU's
 *	workers (fired minus stolen, kept as one word that only grows, for
 *	the take-over timer), under @lock; on a pinned base, where nothing is
 *	stolen, @fired is that count and this stays 0
 * @missed_wakes: times the missed-wake detector (watchdog.c) saw the worker
 *	asleep past a due timer
 * @adjusted: full-heap adjust passes
 * @arm_settled: heads settled by arms [S5] in their callers' context, at
 *	most GOTIMER_ARM_CLEAN_MAX per arm, under @lock
 * @worker_growths: heap growths by its worker, ahead of the adds
 * @caller_growths: heap growths an add had to make in its caller's
 *	context, because the heap was full (timer.c)
 * @moved_in: timers received from a dead CPU
 * @moved_out: timers handed to another CPU
 * @corrupt: bad timers found here (Go: badTimer)
 */
struct gotimer_base {
	/* the heap and its lock-free view */
	raw_spinlock_t lock;
	struct gotimer_heap heap;		/* L */
	atomic64_t timer0_when;			/* L, A: read lock-free */
	atomic64_t modified_earliest;		/* S, A */
	atomic_t ntimers;			/* L, A: read lock-free */
	atomic_t deleted;			/* S, A */
	atomic64_t wake_at;			/* W, A: the wake protocol */
	atomic_t lowering;			/* A */
	struct retired_slots *retired;		/* L */
	bool offline;				/* L, H */
	bool unpinned;				/* I */
	struct gotimer_base *adopter;		/* L, H */
	int cpu;				/* I */

	/* counters, read lock-free as snapshots (stats.c) */
	unsigned long fired ____cacheline_aligned_in_smp;	/* L */
	struct gotimer_lateness late;		/* L */
	unsigned long postponed;		/* L */
	unsigned long stolen;			/* L */
	unsigned long own_fired;		/* L */
	unsigned long adjusted;			/* L */
	unsigned long arm_settled;		/* L */
	unsigned long worker_growths;		/* W */
	unsigned long moved_in;			/* L */
	unsigned long moved_out;		/* L */
	atomic_long_t missed_wakes;		/* A */
	atomic_long_t caller_growths;		/* A */
	atomic_long_t corrupt;			/* A */
};

struct gotimer_pool;
struct task_struct;

/**
 * struct gotimer_worker - a thread that runs callbacks, as the run path sees it
 * @current_timer: the timer whose callback it runs now, NULL between
 *	callbacks; set under that timer's status lock and the heap lock of the
 *	base the run is published in (->run_base: the base popped, or for a
 *	stolen timer [S19] the thief's own unpinned base), cleared under that
 *	heap lock with a release; read anywhere with an acquire
 *	(gotimer_worker_runs())
 * @sync_waiters: gotimer_stop_sync() callers waiting for @current_timer to
 *	change; changed and read under the same heap lock as @current_timer
 *	for the run they wait for, an atomic because consecutive runs of one
 *	worker may be published in two bases
 * @runner: the runner role of its pool (the slot that may pop pinned
 *	timers, takeover.c), read through the worker so that run.c needs no
 *	pool; a worker of no pool (a test's) points it at its own @slot
 * @slot: its index in its pool (GOTIMER_THIEF_SLOT for the thief)
 * @pool: its pool, NULL for a test's worker
 * @task: the thread
 * @base: its CPU's pinned base
 * @budget_end: jiffies at which its FIFO budget since it last slept runs out
 * @demoted: it ran past its FIFO budget and runs SCHED_NORMAL until it sleeps
 * @in_batch: it is between gotimer_batch_begin() and gotimer_batch_end():
 *	running callbacks (read by the take-over timer)
 *
 * Locking rules, as on struct gotimer_base and struct gotimer_pool: I set
 * while the workers start and stop, W written by the thread itself only,
 * R as said for @current_timer, A atomic.  As workqueue's struct worker
 * records its current_work, @current_timer makes "is this timer's callback
 * running, and where" one compare: a run records the worker in the timer
 * (->run_worker), and the answer is gotimer_callback_running().
 */
struct gotimer_worker {
	struct gotimer *current_timer;		/* R */
	atomic_t sync_waiters;			/* A */
	const unsigned int *runner;		/* I */
	unsigned int slot;			/* I */
	struct gotimer_pool *pool;		/* I */
	struct task_struct *task;		/* I */
	struct gotimer_base *base;		/* I */
	unsigned long budget_end;		/* W */
	bool demoted;				/* W */
	bool in_batch;				/* W, A read */
};

/* Make @w a worker of no pool, in @slot and always its own runner (tests). */
static inline void gotimer_worker_init_solo(struct gotimer_worker *w,
					    unsigned int slot)
{
	*w = (struct gotimer_worker){ .slot = slot, .runner = &w->slot };
}

/**
 * gotimer_worker_runs() - is @w in @t's callback?
 * @w: a worker
 * @t: the timer, only compared: its callback may have freed it
 *
 * The acquire pairs with the release that ends a callback (run.c): a
 * callback seen finished has all its effects visible.
 *
 * Return: true if so.
 */
static inline bool gotimer_worker_runs(struct gotimer_worker *w,
				       struct gotimer *t)
{
	/* Pairs with the release in finish_run(), as said above. */
	return smp_load_acquire(&w->current_timer) == t;
}

/**
 * gotimer_callback_running() - is @t's callback running?
 * @t: the timer, its status lock held (or see below)
 *
 * One compare, not a scan of workers: a run records its worker in @t
 * (->run_worker) with ->run_base, under @t's status lock, and only after
 * [S18] has found @t's previous callback finished, so a timer's callback
 * runs in at most one worker at a time and ->run_worker names it.  Read
 * under @t's status lock ([S17], [S18], stop_sync's decision) the answer
 * is exact for that moment: a callback of @t starts only under that lock.
 * The fire path asks once per callback.
 *
 * Return: true if the worker @t->run_worker runs @t's callback.
 */
static inline bool gotimer_callback_running(struct gotimer *t)
{
	struct gotimer_worker *w = t->run_worker;

	return w && gotimer_worker_runs(w, t);
}

/* The timer in slot @i: the one way to read a slot outside heap.c. */
static inline struct gotimer *gotimer_heap_at(const struct gotimer_heap *h,
					      unsigned int i)
{
	return h->slots[i];
}

/*
 * Points where the userspace harness can interleave another "CPU"'s steps
 * deterministically (tools/testing/gotimer); nothing in the kernel.
 */
enum gotimer_hook {
	GOTIMER_HOOK_NEXT_SPLIT,	/* between gotimer_base_next()'s loads */
	GOTIMER_HOOK_SLEEP_READ,	/* sleep_begin: after W1, before W2 */
	GOTIMER_HOOK_S5_WINDOW,		/* [S5]: after the unlock, before the add */
};

#ifdef __KERNEL__
static inline void gotimer_test_hook(enum gotimer_hook point,
				     struct gotimer_base *base)
{
}
#else
extern void (*gt_test_hook)(enum gotimer_hook point, struct gotimer_base *base);
#endif

/* fault_inject.c: /sys/kernel/debug/fail_gotimer_grow */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
bool gotimer_should_fail_grow(unsigned int want);
void gotimer_fault_inject_init(void);
void gotimer_fault_inject_exit(void);
#else
static inline bool gotimer_should_fail_grow(unsigned int want) { return false; }
static inline void gotimer_fault_inject_init(void) { }
static inline void gotimer_fault_inject_exit(void) { }
#endif

/* heap.c: no locking of its own; callers hold the base lock */
void gotimer_heap_sift_up(struct gotimer_heap *h, unsigned int i);
void gotimer_heap_sift_down(struct gotimer_heap *h, unsigned int i);
void gotimer_heap_push(struct gotimer_heap *h, struct gotimer *t);
void gotimer_heap_append(struct gotimer_heap *h, struct gotimer *t);
void gotimer_heap_delete(struct gotimer_heap *h, unsigned int i);
void gotimer_heap_remove_unordered(struct gotimer_heap *h, unsigned int i);
void gotimer_heap_heapify(struct gotimer_heap *h);
int gotimer_heap_verify(const struct gotimer_heap *h);

/* status.c */
enum gotimer_status gotimer_status_lock(struct gotimer *t);
void gotimer_status_unlock(struct gotimer *t, enum gotimer_status s);
void gotimer_status_unlock_keep_preempt(struct gotimer *t,
					enum gotimer_status s);
void gotimer_bad_timer(struct gotimer_base *base, struct gotimer *t,
		       const char *why);
extern atomic_long_t gotimer_bad_timers;

/* base.c */
extern bool gotimer_verify_heaps;
extern bool gotimer_detector_on;
void gotimer_base_init(struct gotimer_base *base, int cpu);
void gotimer_base_destroy(struct gotimer_base *base);
int gotimer_base_reserve(struct gotimer_base *base, unsigned int want,
			 gfp_t gfp);
void gotimer_base_release(struct gotimer_base *base);
void gotimer_base_free_retired(struct gotimer_base *base);
void gotimer_base_online(struct gotimer_base *base);
bool gotimer_base_has_room(struct gotimer_base *base);
bool gotimer_base_low_on_room(struct gotimer_base *base);
void gotimer_base_keep_room(struct gotimer_base *base);
void gotimer_base_add(struct gotimer_base *base, struct gotimer *t);
void gotimer_base_changed(struct gotimer_base *base);
void gotimer_base_note_modified(struct gotimer_base *base, s64 when);
s64 gotimer_base_next(struct gotimer_base *base);
void gotimer_base_lowered(struct gotimer_base *base, s64 v);
void gotimer_base_kick(struct gotimer_base *base);
s64 gotimer_base_sleep_begin(struct gotimer_base *base, s64 now);
s64 gotimer_bases_sleep_begin(struct gotimer_base *const *bases,
			      unsigned int n, s64 now);
void gotimer_base_sleep_end(struct gotimer_base *base, s64 until);
int gotimer_base_move(struct gotimer_base *from,
		      struct gotimer_base *to);
int gotimer_base_verify(struct gotimer_base *base);

/**
 * gotimer_base_head_raised() - gotimer_base_changed() after a pop
 * @base: the base, with its lock held; its old heap[0] just left the heap
 *	or moved down (a run, [S11] / [S12])
 *
 * The new heap[0] is no earlier than the one it replaces (the heap's
 * order), so this republication only raises the base's earliest time: no
 * lowering store, none of the wake protocol's L2 / L3 (base.c).  Inline:
 * the fire path calls it once per callback.  Debug kernels check the
 * claim.
 */
static inline void gotimer_base_head_raised(struct gotimer_base *base)
{
	struct gotimer_heap *h = &base->heap;
	s64 when = h->len ? gotimer_heap_at(h, 0)->when : 0;

	lockdep_assert_held(&base->lock);
	if (IS_ENABLED(CONFIG_PROVE_LOCKING))
		WARN_ON_ONCE(when && when < atomic64_read(&base->timer0_when));
	atomic64_set(&base->timer0_when, when);
	atomic_set(&base->ntimers, h->len);
	if (unlikely(READ_ONCE(gotimer_verify_heaps)))
		gotimer_base_verify(base);
}

/*
 * Heads an arm settles at most in its caller's context [S5], and how many
 * a run settles between two drops of the heap lock (run.c).
 */
#define GOTIMER_ARM_CLEAN_MAX	4
#define GOTIMER_RUN_CLEAN_BATCH	16

/* run.c (Go's cleantimers, adjusttimers, runtimer, checkTimers) */
unsigned int gotimer_clean_head(struct gotimer_base *base, unsigned int max);
void gotimer_adjust(struct gotimer_base *base, s64 now, bool force);
s64 gotimer_periodic_next(s64 when, s64 period, s64 now);
unsigned int gotimer_run_due(struct gotimer_base *base, s64 now,
			     struct gotimer_worker *w);
unsigned int gotimer_run_due_as(struct gotimer_base *base, s64 now,
				struct gotimer_base *rb,
				struct gotimer_worker *w);
extern unsigned int gotimer_takeover_us;

/* timer.c */
int gotimer_modify_on(struct gotimer_base *local, struct gotimer *t,
		      s64 when, s64 period, gotimer_func_t f, void *arg,
		      uintptr_t seq);
int gotimer_reset_on(struct gotimer_base *local, struct gotimer *t, s64 when);
bool gotimer_stop_as(struct gotimer *t, unsigned int flag);

/* Go's deltimer, rows [S1]-[S4]: gotimer_stop() without its context check. */
static inline bool gotimer_stop_lazy(struct gotimer *t)
{
	return gotimer_stop_as(t, 0);
}

bool gotimer_unheap(struct gotimer *t, bool *again);
bool gotimer_context_ok(void);

/* pool.c, takeover.c, steal.c (the harness has its own) */
void gotimer_wake_worker(struct gotimer_base *base);
void gotimer_wake_sync_waiters(struct gotimer *t);
void gotimer_batch_begin(struct gotimer_worker *w);
void gotimer_between_callbacks(struct gotimer_worker *w);
void gotimer_batch_end(struct gotimer_worker *w);
struct gotimer_base *gotimer_cpu_base(int cpu);
struct gotimer_base *gotimer_cpu_unpinned_base(int cpu);
struct gotimer_base *gotimer_cpu_bases(int cpu);

/*
 * A CPU's two bases, which its pool holds side by side (pool.h): the
 * pinned timers', then the unpinned ones'.  for_each_cpu_base() visits
 * them in that order.
 */
enum gotimer_base_kind {
	GOTIMER_PINNED_BASE,
	GOTIMER_UNPINNED_BASE,
	GOTIMER_NR_BASES,
};

/* Set *@b to base @i of a CPU's @bases; false past the last. */
static inline bool gotimer_base_at(struct gotimer_base *bases, unsigned int i,
				   struct gotimer_base **b)
{
	if (i >= GOTIMER_NR_BASES)
		return false;
	*b = bases + i;
	return true;
}

/* @b: a struct gotimer_base *, set to each of a CPU's @bases in turn. */
#define for_each_base_in(b, bases)					\
	for (unsigned int __i = 0; gotimer_base_at(bases, __i, &(b)); __i++)

/* The same for @cpu's bases (pool.h has for_each_pool_base()). */
#define for_each_cpu_base(b, cpu)	for_each_base_in(b, gotimer_cpu_bases(cpu))

struct gotimer_base *gotimer_local_base(void);
struct gotimer_base *gotimer_local_unpinned_base(void);
void gotimer_steal_timer_arm(struct gotimer_base *base, s64 when);
int gotimer_current_worker_cpu(void);
struct task_struct *gotimer_runner_task(int cpu);
unsigned int gotimer_runner_slot(int cpu, bool *busy);
s64 gotimer_stat(int cpu, unsigned int st);
bool gotimer_takeover_suspect(int cpu, s64 now, unsigned long *fired,
			      unsigned long *looks);
void gotimer_takeover_report(int cpu);
bool gotimer_task_asleep(struct task_struct *task);
int gotimer_workers_start(void);
void gotimer_workers_stop(void);
void gotimer_workers_bind(unsigned int cpu);
void gotimer_workers_unbind(unsigned int cpu);
unsigned int gotimer_adopter_cpu(unsigned int cpu);
bool gotimer_housekeeping_cpu(unsigned int cpu);
extern unsigned int gotimer_workers_per_cpu;
extern bool gotimer_worker_fifo;
extern unsigned int gotimer_fifo_budget_us;
extern unsigned long gotimer_slack_ns;
extern atomic_long_t gotimer_worker_demotions;
extern unsigned int gotimer_steal_us;

/* watchdog.c (kernel only): the missed-wake detector */
int gotimer_watchdog_init(void);
void gotimer_watchdog_exit(void);
long gotimer_missed_wakes(void);
unsigned int gotimer_missed_wake_check(void);

/* debugfs.c (kernel only): /sys/kernel/debug/gotimer */
#ifdef CONFIG_DEBUG_FS
void gotimer_debugfs_init(void);
void gotimer_debugfs_exit(void);
#else
static inline void gotimer_debugfs_init(void) { }
static inline void gotimer_debugfs_exit(void) { }
#endif

/* sysfs.c (kernel only) */
int gotimer_sysfs_init(void);
void gotimer_sysfs_exit(void);

/* hotplug.c (kernel only) */
int gotimer_hotplug_init(void);
void gotimer_hotplug_exit(void);

#endif /* _GOTIMER_INTERNAL_H */
