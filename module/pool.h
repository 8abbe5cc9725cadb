/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The execution layer's own structures: a CPU's pool of workers, shared by
 * pool.c (the workers), takeover.c (the take-over timer), steal.c (the
 * steal timer and the thief) and stopsync.c.  The timer core (heap, status,
 * base, run, timer) does not include it.
 */
#ifndef _GOTIMER_POOL_H
#define _GOTIMER_POOL_H

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include "internal.h"

/*
 * The locking rules of the fields below, as kernel/workqueue.c marks its
 * fields (a reader without the lock uses READ_ONCE(), a writer that others
 * read locklessly WRITE_ONCE()):
 *
 *   I: set while the workers start and stop (gotimer_workers_start(),
 *	gotimer_workers_stop()), read-only between
 *   L: under the heap lock of the pool's pinned base
 *   W: written by the worker thread itself only
 *   T: touched by the take-over timer's handler only
 *   X: touched by the steal timer's handler only
 *   P: written under ->steal_lock
 *   A: atomic
 */

/**
 * struct gotimer_pool - a CPU's workers and its take-over and steal timers
 * @bases: the CPU's bases, pinned then unpinned (GOTIMER_PINNED_BASE,
 *	GOTIMER_UNPINNED_BASE), each cache-aligned; for_each_pool_base()
 * @started: the pool was set up (its hrtimers exist)
 * @workers: the threads (struct gotimer_worker, internal.h), @nr of them
 * @nr: gotimer_workers_per_cpu when the pool was made
 * @runner: the slot of the worker that may pop and run the pinned base's
 *	due timers; the others stand by or are still in a callback
 *	(takeover.c).  The workers read it through their ->runner.
 * @standby: bit per slot: that worker stands by, asleep, and may be woken
 *	to take over
 * @takeover_timer: the hrtimer that looks for a runner stuck in a callback
 * @takeover_armed: 1 while @takeover_timer is armed or its handler will re-arm it
 * @takeover_looks: runs of @takeover_timer's handler (for the missed-wake detector)
 * @takeover_fired: callbacks run by the CPU's bases at the take-over timer's last look
 * @takeover_verdict: what that look found, for gotimer_takeover_report(): 'p'
 *	progress since the look before, 'r' the runner not asleep, 'n'
 *	nothing due, 'w' a standby woken, 'b' no standby to wake, 'o' the
 *	runner out of its batch (the take-over timer stopped)
 * @steal_timer: the hrtimer that looks for unpinned timers nobody ran
 * @steal_lock: serializes the starts of @steal_timer
 * @steal_at: the time @steal_timer is queued for, 0 if none; written under
 *	@steal_lock, read without it: an atomic64_t, which a 32-bit CPU does
 *	not read half-written
 * @steal_next: the CPU the steal timer asked last (its handler only)
 * @steal_eager: a look found the CPU's workers not running its due
 *	unpinned timers, and they have run none since: look at the next one's
 *	own time (its handler only)
 * @steal_own_runs: the callbacks the CPU's own workers had run (pool_fired()) at
 *	the last look (its handler only)
 * @steal_from: a CPU whose unpinned timers this pool's thief was asked to
 *	run, -1 if none
 * @thief: the thread that runs them, slot GOTIMER_THIEF_SLOT; it publishes
 *	their runs in @ubase
 * @runner_task: the runner's task, whom the wake protocol wakes for either
 *	base (gotimer_wake_worker()); written under @base's heap lock
 *	(try_takeover()) or while the workers start and stop, read without it
 * @wakeups: times the runner woke from a sleep; written by the runner only
 * @takeovers: times a standby took over from a runner stuck in a callback;
 *	written under @base's heap lock
 * @steal_requests: times the steal timer asked another CPU to run the
 *	unpinned timers; written by its handler only
 */
struct gotimer_pool {
	struct gotimer_base bases[GOTIMER_NR_BASES];
	bool started;				/* I */
	struct gotimer_worker workers[GOTIMER_WORKERS_MAX];
	unsigned int nr;			/* I */
	unsigned int runner;			/* L */
	unsigned long standby;			/* A: atomic bitops */
	struct hrtimer takeover_timer;
	atomic_t takeover_armed;		/* A */
	unsigned long takeover_looks;		/* T */
	unsigned long takeover_fired;		/* T, and its arming */
	char takeover_verdict;			/* T */
	struct hrtimer steal_timer;
	raw_spinlock_t steal_lock;
	atomic64_t steal_at;			/* P, A */
	unsigned int steal_next;		/* X */
	bool steal_eager;			/* X */
	unsigned long steal_own_runs;		/* X */
	atomic_t steal_from;			/* A */
	struct gotimer_worker thief;
	struct task_struct *runner_task;	/* L, I */
	unsigned long wakeups;			/* W */
	unsigned long takeovers;		/* L */
	unsigned long steal_requests;		/* X */
};

DECLARE_PER_CPU_SHARED_ALIGNED(struct gotimer_pool, gotimer_pools);

/* The pool's pinned base and its unpinned base. */
static inline struct gotimer_base *pool_base(struct gotimer_pool *pool)
{
	return &pool->bases[GOTIMER_PINNED_BASE];
}

static inline struct gotimer_base *pool_ubase(struct gotimer_pool *pool)
{
	return &pool->bases[GOTIMER_UNPINNED_BASE];
}

/* @b: a struct gotimer_base *, set to each of @pool's bases in turn. */
#define for_each_pool_base(b, pool)	for_each_base_in(b, (pool)->bases)

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
enum hrtimer_restart takeover_timer_fn(struct hrtimer *timer);
bool try_takeover(struct gotimer_worker *w);

/* steal.c */
enum hrtimer_restart steal_timer_fn(struct hrtimer *timer);
int thief_thread(void *data);

/* Worker @slot of @pool: one of its workers, or its thief. */
static inline struct gotimer_worker *pool_worker(struct gotimer_pool *pool,
						 unsigned int slot)
{
	return slot == GOTIMER_THIEF_SLOT ? &pool->thief : &pool->workers[slot];
}

/*
 * Is worker @slot of @pool inside a callback, of either base?  A snapshot:
 * a worker that has just left a callback can be taken for one still in
 * it, which at worst makes a take-over that was not needed; the runner
 * role itself is exact (try_takeover() and gotimer_run_due_as() decide
 * under the pinned base's heap lock).
 */
static inline bool in_callback(struct gotimer_pool *pool, unsigned int slot)
{
	return READ_ONCE(pool_worker(pool, slot)->current_timer);
}

/*
 * Callbacks the CPU's own workers have started from its two bases, for the
 * take-over timer.  Not the ones thieves ran from its unpinned base: those go on while
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
	return READ_ONCE(pool_base(pool)->fired) + READ_ONCE(pool_ubase(pool)->own_fired);
}

/* The earliest time of either of the CPU's bases, 0 if none. */
static inline s64 pool_next(struct gotimer_pool *pool)
{
	s64 a = gotimer_base_next(pool_base(pool)), b = gotimer_base_next(pool_ubase(pool));

	return a && (!b || a < b) ? a : b;
}

/*
 * Policy functions: each question the workers, the take-over timer, the
 * standby, the steal timer and the missed-wake detector ask of a pool,
 * answered in one place.  All read without the heap lock, as snapshots;
 * the one decision that must be exact, a standby's take-over, is retaken
 * under it (try_takeover()).
 */

/* Is @w its CPU's runner, the one worker that pops pinned timers? */
static inline bool worker_is_runner(struct gotimer_worker *w)
{
	return READ_ONCE(*w->runner) == w->slot;
}

/*
 * Is the runner inside a callback, of either base, and asleep in it (off
 * its runqueue)?  The take-over's condition: a runner that computes, or is
 * preempted, keeps its CPU anyway and is not taken over from.
 */
static inline bool runner_stuck(struct gotimer_pool *pool)
{
	unsigned int r = READ_ONCE(pool->runner);

	return in_callback(pool, r) &&
	       gotimer_task_asleep(pool_worker(pool, r)->task);
}

/* Is the runner on a CPU now (not asleep, not waiting to run)? */
static inline bool runner_on_cpu(struct gotimer_pool *pool)
{
	unsigned int r = READ_ONCE(pool->runner);

	return READ_ONCE(pool_worker(pool, r)->task->on_cpu);
}

/* Was a timer of either of the CPU's bases due at @by? */
static inline bool pool_due_by(struct gotimer_pool *pool, s64 by)
{
	s64 next = pool_next(pool);

	return next && next <= by;
}

/*
 * Should a standby take over at @now: the runner is stuck in a callback
 * and a timer is due?  The take-over timer wakes a standby on it, the
 * standby takes the role on it under the heap lock, and the detector
 * checks it with a grace of two intervals (@now moved back by them).
 */
static inline bool takeover_due(struct gotimer_pool *pool, s64 now)
{
	return runner_stuck(pool) && pool_due_by(pool, now);
}

/*
 * Should the steal timer ask another CPU to run the unpinned timers, the
 * earliest at @next (due: @next <= @now)?  When it has been due for the
 * whole @grace (steal_us); or at once while the CPU's workers are known
 * not to keep up (->steal_eager) and its runner is off the CPU.
 */
static inline bool steal_due(struct gotimer_pool *pool, s64 next, s64 now,
			     s64 grace)
{
	return next <= now - grace ||
	       (pool->steal_eager && !runner_on_cpu(pool));
}

/*
 * Has @w, a SCHED_FIFO worker, run past its FIFO budget since it last
 * slept, so that it must drop to SCHED_NORMAL (worker_check_budget())?
 */
static inline bool worker_over_budget(struct gotimer_worker *w)
{
	return gotimer_worker_fifo && !w->demoted &&
	       !time_before(jiffies, w->budget_end);
}

static inline ktime_t takeover_interval(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC);
}

#endif /* _GOTIMER_POOL_H */
