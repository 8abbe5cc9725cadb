/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The execution layer's own structures: a CPU's pool of workers, shared by
 * pool.c (the workers), takeover.c (the take-over watch), steal.c (the
 * steal watch and the thief) and stopsync.c.  The timer core (heap, status,
 * base, run, timer) does not include it.
 */
#ifndef _GOTIMER_POOL_H
#define _GOTIMER_POOL_H

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include "internal.h"

/**
 * struct gotimer_worker - one worker thread of a CPU's pool
 * @task: the thread
 * @base: its CPU's base
 * @slot: its index in the pool and in base->running[]
 * @budget_end: jiffies at which its FIFO budget since it last slept runs out
 *	(touched by the thread only)
 * @demoted: it ran past its FIFO budget and runs SCHED_NORMAL until it sleeps
 *	(touched by the thread only)
 * @in_batch: it is between gotimer_batch_begin() and gotimer_batch_end():
 *	running callbacks (written by the thread, read by the watch)
 */
struct gotimer_worker {
	struct task_struct *task;
	struct gotimer_base *base;
	unsigned int slot;
	unsigned long budget_end;
	bool demoted;
	bool in_batch;
};

/**
 * struct gotimer_pool - a CPU's workers and its two watches
 * @workers: the threads, @nr of them
 * @nr: gotimer_workers_per_cpu when the pool was made
 * @standby: bit per slot: that worker stands by, asleep, and may be woken
 *	to take over
 * @watch: the hrtimer that looks for a runner stuck in a callback
 * @watch_armed: 1 while @watch is armed or its handler will re-arm it
 * @watch_looks: runs of @watch's handler (for the missed-wake detector)
 * @watch_fired: callbacks run by the CPU's bases at the watch's last look
 * @watch_verdict: what that look found, for gotimer_takeover_report(): 'p'
 *	progress since the look before, 'r' the runner not asleep, 'n'
 *	nothing due, 'w' a standby woken, 'b' no standby to wake, 'o' the
 *	runner out of its batch (the watch stopped)
 * @steal_watch: the hrtimer that looks for unpinned timers nobody ran
 * @steal_lock: serializes the starts of @steal_watch
 * @steal_at: the time @steal_watch is queued for, 0 if none; written under
 *	@steal_lock, read without it: an atomic64_t, which a 32-bit CPU does
 *	not read half-written
 * @steal_next: the CPU the steal watch asked last (its handler only)
 * @steal_eager: a look found the CPU's workers not running its due
 *	unpinned timers, and they have run none since: look at the next one's
 *	own time (its handler only)
 * @steal_own_runs: the callbacks the CPU's own workers had run (pool_fired()) at
 *	the last look (its handler only)
 * @steal_from: a CPU whose unpinned timers this pool's thief was asked to
 *	run, -1 if none
 * @thief: the thread that runs them, in slot GOTIMER_THIEF_SLOT of @ubase
 * @base: the CPU's base
 * @ubase: the CPU's unpinned base
 */
struct gotimer_pool {
	struct gotimer_worker workers[GOTIMER_WORKERS_MAX];
	unsigned int nr;
	unsigned long standby;
	struct hrtimer watch;
	atomic_t watch_armed;
	unsigned long watch_looks;
	unsigned long watch_fired;
	char watch_verdict;
	struct hrtimer steal_watch;
	raw_spinlock_t steal_lock;
	atomic64_t steal_at;
	unsigned int steal_next;
	bool steal_eager;
	unsigned long steal_own_runs;
	atomic_t steal_from;
	struct gotimer_worker thief;
	struct gotimer_base *base;
	struct gotimer_base *ubase;
};

DECLARE_PER_CPU(struct gotimer_pool, gotimer_pools);

/* @steal_at, read anywhere (whole, also on a 32-bit CPU). */
static inline s64 pool_steal_at(struct gotimer_pool *pool)
{
	return atomic64_read(&pool->steal_at);
}

/* Set @steal_at; under @steal_lock. */
static inline void pool_set_steal_at(struct gotimer_pool *pool, s64 at)
{
	atomic64_set(&pool->steal_at, at);
}

extern cpumask_var_t gotimer_hk_cpus;

/* pool.c */
struct gotimer_worker *current_worker(void);
void worker_set_fifo(struct gotimer_worker *w);
void worker_fresh_budget(struct gotimer_worker *w);
void worker_check_budget(struct gotimer_worker *w);

/* takeover.c */
enum hrtimer_restart watch_fn(struct hrtimer *timer);
bool try_takeover(struct gotimer_worker *w);

/* steal.c */
enum hrtimer_restart steal_watch_fn(struct hrtimer *timer);
int thief_thread(void *data);

/* Worker @slot of @pool: one of its workers, or its thief. */
static inline struct gotimer_worker *pool_worker(struct gotimer_pool *pool,
						 unsigned int slot)
{
	return slot == GOTIMER_THIEF_SLOT ? &pool->thief : &pool->workers[slot];
}

/* The task of worker @slot of @base's pool. */
static inline struct task_struct *pool_worker_task(struct gotimer_base *base,
						   unsigned int slot)
{
	return pool_worker(per_cpu_ptr(&gotimer_pools, base->cpu), slot)->task;
}

/*
 * Is worker @slot of @pool inside a callback, of either base?  Read
 * without the unpinned base's lock: a worker that has just left an
 * unpinned callback can be taken for one still in it, which at worst makes
 * a take-over that was not needed; the pinned base's runner role itself is
 * exact (gotimer_run_due_as() checks it under the heap lock).
 */
static inline bool in_callback(struct gotimer_pool *pool, unsigned int slot)
{
	return READ_ONCE(pool->base->running[slot]) ||
	       READ_ONCE(pool->ubase->running[slot]);
}

/*
 * Callbacks the CPU's own workers have started from its two bases, for the
 * watch.  Not the ones thieves ran from its unpinned base: those go on while
 * its runner sleeps in a callback, and must not look like the runner's
 * progress (the missed-take-over check caught that).  The pinned base's
 * ->fired counts only its own workers' callbacks (nothing steals pinned
 * timers); the unpinned base keeps ->own_fired for them.  A snapshot a
 * little stale is fine for a count of progress.
 */
static inline unsigned long pool_fired(struct gotimer_pool *pool)
{
	/*
	 * Two counters that only grow, each one word: the sum is unchanged
	 * only if neither changed.  (fired - stolen, read as two words, could
	 * look like progress when a thief's run was half counted.)
	 */
	return READ_ONCE(pool->base->fired) + READ_ONCE(pool->ubase->own_fired);
}

/* The earliest time of either of the CPU's bases, 0 if none. */
static inline s64 pool_next(struct gotimer_pool *pool)
{
	s64 a = gotimer_base_next(pool->base), b = gotimer_base_next(pool->ubase);

	return a && (!b || a < b) ? a : b;
}

static inline ktime_t takeover_interval(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC);
}

#endif /* _GOTIMER_POOL_H */
