// SPDX-License-Identifier: GPL-2.0
/*
 * Running a base: Go's cleantimers, adjusttimers, runtimer and checkTimers.
 * Row names [Sn] refer to the transition table in status.c.
 */
#include <linux/overflow.h>
#include "internal.h"
#include "gotimer_trace.h"

/* heap_timer_ok()'s report, out of line: corruption is never the fast path. */
static noinline bool heap_timer_bad(struct gotimer_base *base,
				    struct gotimer *t, enum gotimer_status s)
{
	if (s == GOTIMER_NR_STATUS)
		return false;	/* reported and not locked by status_lock */
	gotimer_status_unlock(t, s);
	gotimer_bad_timer(base, t, s == GOTIMER_REMOVED ?
			  "Removed timer in a heap" : "timer in a foreign heap");
	return false;
}

/*
 * A timer found in @base's heap must be Waiting or Modified and owned by
 * @base.  Anything else is corruption: report it, put the status back, and
 * drop the slot from the heap without writing through the timer again.
 * Inline: the fire path asks once per callback.
 */
static __always_inline bool heap_timer_ok(struct gotimer_base *base,
					  struct gotimer *t,
					  enum gotimer_status s)
{
	if (likely((s == GOTIMER_WAITING || s == GOTIMER_MODIFIED) &&
		   t->base == base))
		return true;
	return heap_timer_bad(base, t, s);
}

/* Detach the head of @base's heap, stopped [S8] or run one-shot [S11]. */
static void detach_head(struct gotimer_base *base, struct gotimer *t)
{
	gotimer_heap_delete(&base->heap, 0);
	WRITE_ONCE(t->base, NULL);
}

/**
 * gotimer_clean_head() - settle modified timers at the head (Go: cleanHead)
 * @base: the base, its lock held
 * @max: settle at most this many heads
 *
 * Until heap[0] is Waiting, or @max heads are settled: drop it if stopped
 * [S8], or move it to its new time [S9].  Each step is one O(log n) sift,
 * so the call costs O(@max log n) under the heap lock, whatever the number
 * of timers modified or stopped since the last one.  A head left Modified
 * is harmless: its old when is no later than its new one (a modify to an
 * earlier time lowers modified_earliest instead, [S6]), so the worker
 * wakes no later than it must and settles the rest then.
 *
 * Return: the number of heads settled.
 */
unsigned int gotimer_clean_head(struct gotimer_base *base, unsigned int max)
{
	struct gotimer_heap *h = &base->heap;
	unsigned int settled = 0;

	lockdep_assert_held(&base->lock);
	while (h->len && settled < max) {
		struct gotimer *t = gotimer_heap_at(h, 0);
		enum gotimer_status s = gotimer_status_lock(t);

		if (!heap_timer_ok(base, t, s)) {
			gotimer_heap_delete(h, 0);
			settled++;
			continue;
		}
		if (s == GOTIMER_WAITING) {
			gotimer_status_unlock(t, s);
			break;
		}
		if (t->nextwhen == 0) {
			/* [S8] */
			detach_head(base, t);
			atomic_dec(&base->deleted);
			gotimer_status_unlock(t, GOTIMER_REMOVED);
		} else {
			/* [S9] */
			s = gotimer_take_new_time(t);
			gotimer_heap_sift_down(h, 0);
			gotimer_status_unlock(t, s);
		}
		settled++;
	}
	gotimer_base_changed(base);
	return settled;
}
EXPORT_SYMBOL_NS_GPL(gotimer_clean_head, GOTIMER_INTERNAL);

/**
 * gotimer_adjust() - settle every modified timer (Go: adjusttimers)
 * @base: the base, its lock held
 * @now: the current time
 * @force: run even if no modified timer is due yet (too many stopped ones)
 *
 * Skipped unless modified_earliest has passed or @force.  One pass over the
 * heap applies [S10] to every slot, then one O(n) heapify.
 */
void gotimer_adjust(struct gotimer_base *base, s64 now, bool force)
{
	struct gotimer_heap *h = &base->heap;
	s64 first = atomic64_read(&base->modified_earliest);
	unsigned int i;

	lockdep_assert_held(&base->lock);
	if (!force && (first == 0 || first > now))
		return;
	/* Modifies after this point set it again, for the next pass. */
	atomic64_set(&base->modified_earliest, 0);

	for (i = 0; i < h->len; i++) {
		struct gotimer *t = gotimer_heap_at(h, i);
		enum gotimer_status s = gotimer_status_lock(t);

		if (!heap_timer_ok(base, t, s)) {
			gotimer_heap_remove_unordered(h, i--);
			continue;
		}
		if (s == GOTIMER_MODIFIED) {
			if (t->nextwhen == 0) {
				/* [S10] as [S8] */
				gotimer_heap_remove_unordered(h, i--);
				WRITE_ONCE(t->base, NULL);
				atomic_dec(&base->deleted);
				s = GOTIMER_REMOVED;
			} else {
				/* [S10] as [S9] */
				s = gotimer_take_new_time(t);
			}
		}
		gotimer_status_unlock(t, s);
	}
	gotimer_heap_heapify(h);
	base->adjusted++;
	gotimer_base_changed(base);
}
EXPORT_SYMBOL_NS_GPL(gotimer_adjust, GOTIMER_INTERNAL);

/**
 * gotimer_periodic_next() - a periodic timer's next time (Go's catch-up)
 * @when: the time it was due, > 0
 * @period: its period, > 0
 * @now: the current time, >= @when
 *
 * Skips every missed period: when + period * (1 + (now - when) / period).
 * The division is div64_u64() (now - when and period are both
 * non-negative): a 32-bit kernel has no 64-bit '/'.  Every step saturates.
 *
 * Return: that time, or S64_MAX if it overflows.
 */
s64 gotimer_periodic_next(s64 when, s64 period, s64 now)
{
	s64 since, n, step, next;
	u64 missed;

	if (check_sub_overflow(now, when, &since))
		return S64_MAX;
	missed = div64_u64(max(since, 0LL), period);
	if (check_add_overflow((s64)missed, 1LL, &n) ||
	    check_mul_overflow(n, period, &step) ||
	    check_add_overflow(when, step, &next))
		return S64_MAX;
	return next;
}
EXPORT_SYMBOL_NS_GPL(gotimer_periodic_next, GOTIMER_INTERNAL);

/*
 * How long a due timer whose callback still runs is put off [S18], and how
 * long a runner may sit in one callback before a standby takes over from it
 * (takeover.c).  A module parameter (main.c).
 */
unsigned int gotimer_takeover_us = 1000;
EXPORT_SYMBOL_NS_GPL(gotimer_takeover_us, GOTIMER_INTERNAL);

/*
 * A batch: one call of gotimer_run_due_as() that runs callbacks, as worker
 * @w, publishing them in @rb: the base run itself, or for stolen timers
 * [S19] the thief's own unpinned base.  @now is the batch's one clock
 * read: delay_ns is measured from it.  @begun says whether
 * gotimer_batch_begin() ran: only a call that runs a callback pays for the
 * worker hooks, once per batch (takeover.c).  @tick is the jiffies value
 * at the last scheduling point.
 */
struct run_batch {
	struct gotimer_base *rb;
	struct gotimer_worker *w;
	s64 now;
	bool begun;
	unsigned long tick;
};

/*
 * [S11] / [S12]: take heap[0], @t, due and locked, off its heap or move it
 * to its next period, in phase with @when, the time it was due.
 *
 * Return: the status @t is to be unlocked with.
 */
static __always_inline enum gotimer_status pop_head(struct gotimer_base *base,
						    struct gotimer *t,
						    s64 when, s64 now)
	__must_hold(&base->lock)
{
	if (t->period > 0) {
		/* [S12]: in phase with the time it was due */
		t->when = gotimer_periodic_next(when, t->period, now);
		t->nextwhen = 0;
		gotimer_heap_sift_down(&base->heap, 0);
		return GOTIMER_WAITING;
	}
	/* [S11] */
	detach_head(base, t);
	return GOTIMER_REMOVED;
}

/*
 * Publish where @t's callback runs before unlocking @t (status @s): in @t
 * (->run_base, ->run_worker), under its lock, for gotimer_modify()'s
 * re-arm rule, for [S18] and for gotimer_stop_sync(); and in the worker
 * (->current_timer), which only the worker writes.  A stop_sync that sees
 * @t out of every heap then also sees the callback running.  Then count
 * the run and drop @base's heap lock.
 */
static __always_inline void publish_run(struct gotimer_base *base,
					struct gotimer *t,
					const struct run_batch *b,
					enum gotimer_status s, s64 when)
	__releases(&base->lock)
{
	struct gotimer_base *rb = b->rb;

	WRITE_ONCE(t->run_base, rb);
	WRITE_ONCE(t->run_worker, b->w);
	WRITE_ONCE(b->w->current_timer, t);
	gotimer_status_unlock(t, s);
	gotimer_base_head_raised(base);
	WRITE_ONCE(base->fired, base->fired + 1);
	if (rb != base)
		WRITE_ONCE(base->stolen, base->stolen + 1);
	else if (base->unpinned)
		WRITE_ONCE(base->own_fired, base->own_fired + 1);
	gotimer_late_record(&base->late, b->now - when);
	raw_spin_unlock(&base->lock);
}

/*
 * After a callback of batch @b: the scheduling point, whenever it can do
 * something: a reschedule is due, or a tick went by (the FIFO budget is
 * kept in jiffies, and where cond_resched() reports an RCU quiescent
 * state, once a tick is plenty).  The two tests cost a few instructions
 * per callback, the call a dozen more.  Then clear the worker's
 * ->current_timer and wake stop_sync waiters; returns with @base's heap
 * lock held.  @t is only an address here: the callback may have freed it.
 */
static __always_inline void finish_run(struct gotimer_base *base,
				       struct gotimer *t, struct run_batch *b)
	__acquires(&base->lock)
{
	struct gotimer_base *rb = b->rb;
	unsigned long tick = READ_ONCE(jiffies);

	if (unlikely(need_resched() || tick != b->tick)) {
		b->tick = tick;
		gotimer_between_callbacks(b->w);
	}
	raw_spin_lock(&rb->lock);
	/*
	 * Release: the callback's accesses to its timer come first; pairs with
	 * the acquire in gotimer_worker_runs().  A stop_sync waiter registers
	 * under @rb's heap lock, so reading the count here needs no barrier on
	 * this path; waking one does (pool.c).
	 */
	smp_store_release(&b->w->current_timer, NULL);
	if (unlikely(atomic_read(&b->w->sync_waiters))) {
		raw_spin_unlock(&rb->lock);
		gotimer_wake_sync_waiters(t);	/* the address only */
		raw_spin_lock(&rb->lock);
	}
	if (rb != base) {
		raw_spin_unlock(&rb->lock);
		raw_spin_lock(&base->lock);
	}
}

/*
 * The callback's lockdep class, held around it (gotimer_lockdep_wait() is
 * the other side): a copy, made while @t is locked, because the callback
 * may free @t, as call_timer_fn() copies a timer_list's.  Empty without
 * CONFIG_LOCKDEP; unused for a timer with no class.
 */
struct cb_lockdep {
#ifdef CONFIG_LOCKDEP
	struct lockdep_map map;
#endif
};

static __always_inline void cb_lockdep_copy(struct cb_lockdep *l,
					    struct gotimer *t)
{
#ifdef CONFIG_LOCKDEP
	lockdep_copy_map(&l->map, &t->lockdep_map);
#endif
}

static __always_inline void cb_lockdep_acquire(struct cb_lockdep *l)
{
#ifdef CONFIG_LOCKDEP
	if (l->map.key)
		lock_map_acquire(&l->map);
#endif
}

static __always_inline void cb_lockdep_release(struct cb_lockdep *l)
{
#ifdef CONFIG_LOCKDEP
	if (l->map.key)
		lock_map_release(&l->map);
#endif
}

/*
 * Run heap[0], a Waiting timer that is due (Go: runtimer +
 * unlockAndRunTimer), in batch @b: pop it ([S11] / [S12]), publish the
 * run, call the callback, finish.  Called with @base's heap lock and @t's
 * lock held; returns with @base's heap lock held again.  The callback runs
 * with no gotimer lock held, and @t is not touched after it returns: the
 * callback may have freed it (after stopping it with gotimer_stop_sync()).
 *
 * One heap-lock round trip per callback, as __run_hrtimer() drops and
 * retakes its base's lock around each hrtimer callback: the callback may
 * arm timers in this very base, so the lock cannot be held across it; and
 * popping several timers before running them would hand timers a sleeping
 * callback holds back to a worker the take-over cannot replace, and give
 * stop_sync timers that are in no heap yet not running anywhere.
 */
static void run_head(struct gotimer_base *base, struct gotimer *t,
		     struct run_batch *b)
	__must_hold(&base->lock)
{
	gotimer_func_t f = t->f;
	void *arg = t->arg;
	uintptr_t seq = t->seq;
	/* The time it was due, also when [S18] put it off. */
	s64 when = t->nextwhen ?: t->when;
	s64 delay = b->now - when;
	struct cb_lockdep cbl;

	cb_lockdep_copy(&cbl, t);

	publish_run(base, t, b, pop_head(base, t, when, b->now), when);
	trace_gotimer_expire_entry(t, f, b->rb->cpu, when, delay);
	if (!b->begun) {
		gotimer_batch_begin(b->w);	/* arms the take-over timer */
		b->begun = true;
		b->tick = READ_ONCE(jiffies);
	}
	cb_lockdep_acquire(&cbl);
	f(arg, seq, delay);
	cb_lockdep_release(&cbl);
	trace_gotimer_expire_exit(t);
	finish_run(base, t, b);
}

/*
 * [S18]: @t, heap[0], due and locked, has a callback that still runs (in a
 * worker of this base that a standby took over from, or of the base it was
 * moved from).  Running it now would run it twice at once, so it is put off
 * by gotimer_takeover_us and stays Waiting; the runner goes on with the
 * timers behind it, and retries @t at its new time.  The check is exact
 * where it matters: a callback of @t starts only under @t's status lock,
 * which is held here, so a run seen finished cannot start again meanwhile.
 * The time it was due stays in ->nextwhen (0 in every other Waiting
 * timer), so that the run's delay_ns counts the whole delay and a periodic
 * timer keeps its phase ([S12] measures from it).
 */
static void postpone_head(struct gotimer_base *base, struct gotimer *t, s64 now)
	__must_hold(&base->lock)
{
	if (!t->nextwhen)
		t->nextwhen = t->when;
	t->when = gotimer_time_add(now, (s64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC);
	gotimer_heap_sift_down(&base->heap, 0);
	gotimer_status_unlock(t, GOTIMER_WAITING);
	WRITE_ONCE(base->postponed, base->postponed + 1);
}

/*
 * Between two batches of settled heads: drop @base's heap lock, so that
 * arms on other CPUs get in and, if a reschedule is due, the scheduler:
 * a run settles any number of heads stopped or moved later lazily, but
 * holds the raw lock for at most GOTIMER_RUN_CLEAN_BATCH sifts at a time.
 * The loop re-reads heap[0] and the runner role after it, as after a
 * callback.
 */
static void settle_break(struct gotimer_base *base, struct run_batch *b)
	__must_hold(&base->lock)
{
	raw_spin_unlock(&base->lock);
	if (need_resched())
		gotimer_between_callbacks(b->w);
	raw_spin_lock(&base->lock);
}

/*
 * May @w pop @base's due timers?  Anyone may pop an unpinned base's; a
 * pinned base's only its pool's runner (takeover.c), which a standby may
 * take over while @w sits in a callback: read under @base's heap lock,
 * where the role changes, so the answer is exact.
 */
static __always_inline bool may_pop(struct gotimer_base *base,
				    struct gotimer_worker *w)
	__must_hold(&base->lock)
{
	return base->unpinned || READ_ONCE(*w->runner) == w->slot;
}

/**
 * gotimer_run_due_as() - run every timer of @base due at @now, as @w in @rb
 * @base: the base, lock not held
 * @now: the current time
 * @rb: the base the runs are published in (->run_base): @base for its own
 *	CPU's workers; for a thief [S19], the thief's own CPU's unpinned
 *	base (@base must then be unpinned too)
 * @w: the worker running them, or a test's worker (gotimer_worker_init_solo())
 *
 * Go's checkTimers.  Takes no lock when nothing is due and few stopped
 * timers wait (Go's fast path).  Callbacks run in the caller's context,
 * one at a time, in when order; @now is read once for the whole batch
 * (timers that fall due while it runs wait for the next one), and each
 * callback's delay_ns is measured from it.  On a pinned base, stops as
 * soon as @w is no longer its pool's runner: a standby took over while a
 * callback ran (takeover.c).  An unpinned base has no runner role: its own
 * workers and thieves may run its due timers at the same time, each timer
 * still once and never concurrently with itself [S18].
 *
 * Return: the number of callbacks run.
 */
unsigned int gotimer_run_due_as(struct gotimer_base *base, s64 now,
				struct gotimer_base *rb,
				struct gotimer_worker *w)
{
	struct run_batch b = { .rb = rb, .w = w, .now = now };
	struct gotimer_heap *h = &base->heap;
	unsigned int ran = 0;
	s64 next = gotimer_base_next(base);
	bool force = atomic_read(&base->deleted) > atomic_read(&base->ntimers) / 4;

	if ((next == 0 || next > now) && !force)
		return 0;

	raw_spin_lock(&base->lock);
	gotimer_adjust(base, now, atomic_read(&base->deleted) > h->len / 4);
	while (h->len && may_pop(base, w)) {
		struct gotimer *t = gotimer_heap_at(h, 0);
		enum gotimer_status s = gotimer_status_lock(t);

		if (!heap_timer_ok(base, t, s)) {
			gotimer_heap_delete(h, 0);
			continue;
		}
		if (s == GOTIMER_MODIFIED) {
			gotimer_status_unlock(t, s);
			/* [S8] / [S9], a batch at a time */
			if (gotimer_clean_head(base, GOTIMER_RUN_CLEAN_BATCH) ==
			    GOTIMER_RUN_CLEAN_BATCH)
				settle_break(base, &b);
			continue;
		}
		if (t->when > now) {
			gotimer_status_unlock(t, s);
			break;
		}
		if (unlikely(!t->f)) {
			gotimer_status_unlock(t, s);
			gotimer_bad_timer(base, t, "Waiting timer without a function");
			gotimer_heap_delete(h, 0);
			continue;
		}
		if (unlikely(gotimer_callback_running(t))) {
			postpone_head(base, t, now);	/* [S18] */
			continue;
		}
		run_head(base, t, &b);
		ran++;
	}
	gotimer_base_changed(base);
	raw_spin_unlock(&base->lock);
	if (b.begun)
		gotimer_batch_end(w);
	return ran;
}
EXPORT_SYMBOL_NS_GPL(gotimer_run_due_as, GOTIMER_INTERNAL);

/**
 * gotimer_run_due() - gotimer_run_due_as(), publishing in @base itself
 * @base: the base, lock not held
 * @now: the current time
 * @w: the worker running them: one of @base's CPU's, or a test's
 *
 * Return: the number of callbacks run.
 */
unsigned int gotimer_run_due(struct gotimer_base *base, s64 now,
			     struct gotimer_worker *w)
{
	return gotimer_run_due_as(base, now, base, w);
}
EXPORT_SYMBOL_NS_GPL(gotimer_run_due, GOTIMER_INTERNAL);
