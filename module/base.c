// SPDX-License-Identifier: GPL-2.0
/*
 * A base is one CPU's heap of timers with the atomics read without its lock
 * (Go: a P's timers, timer0When, timerModifiedEarliest, numTimers,
 * deletedTimers).  This file owns the heap's memory: growth happens outside
 * every gotimer lock and is published under the heap lock.
 */
#include <linux/error-injection.h>
#include "internal.h"
#include "gotimer_trace.h"

bool gotimer_verify_heaps;
EXPORT_SYMBOL_NS_GPL(gotimer_verify_heaps, GOTIMER_INTERNAL);

/**
 * gotimer_base_init() - set up an empty base
 * @base: the base
 * @cpu: its CPU, or -1 for a private base (tests) with no worker
 */
void gotimer_base_init(struct gotimer_base *base, int cpu)
{
	memset(base, 0, sizeof(*base));
	raw_spin_lock_init(&base->lock);
	base->cpu = cpu;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_init, GOTIMER_INTERNAL);

/**
 * gotimer_base_destroy() - free an empty base's heap
 * @base: the base; must hold no timer
 *
 * A base that still holds timers is leaked with a warning: those timers may
 * belong to someone who will touch them again, so neither they nor the slots
 * pointing at them are freed.
 */
void gotimer_base_destroy(struct gotimer_base *base)
{
	gotimer_base_free_retired(base);
	if (WARN(base->heap.len, "gotimer: cpu %d still holds %u timers; leaking its heap\n",
		 base->cpu, base->heap.len))
		return;
	kvfree(base->heap.slots);
	base->heap.slots = NULL;
	base->heap.cap = 0;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_destroy, GOTIMER_INTERNAL);

/* A retired heap array, chained through its first slot. */
struct retired_slots {
	struct retired_slots *next;
};

/*
 * Free a heap array the base no longer uses.  vfree() may sleep, so a
 * vmalloc'ed array replaced in a context that may not (@gfp says which) is
 * chained to the base instead, and freed by its worker in task context
 * (gotimer_base_free_retired()).  Every array has at least 16 slots.
 */
static void retire_slots(struct gotimer_base *base, struct gotimer **old,
			 gfp_t gfp)
{
	struct retired_slots *r = (struct retired_slots *)old;

	if (!old)
		return;
	if (gfpflags_allow_blocking(gfp) || !is_vmalloc_addr(old)) {
		kvfree(old);
		return;
	}
	raw_spin_lock(&base->lock);
	r->next = base->retired;
	base->retired = r;
	raw_spin_unlock(&base->lock);
	gotimer_base_kick(base);
}

/**
 * gotimer_base_free_retired() - free the arrays retire_slots() left
 * @base: the base
 *
 * Context: task context, may sleep (the worker, hotplug, teardown).
 */
void gotimer_base_free_retired(struct gotimer_base *base)
{
	struct retired_slots *r;

	if (!READ_ONCE(base->retired))
		return;
	raw_spin_lock(&base->lock);
	r = base->retired;
	base->retired = NULL;
	raw_spin_unlock(&base->lock);
	while (r) {
		struct retired_slots *next = r->next;

		kvfree(r);
		r = next;
	}
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_free_retired, GOTIMER_INTERNAL);

/**
 * gotimer_base_reserve() - make room for at least @want timers
 * @base: the base
 * @want: slots needed
 * @gfp: allocation flags that suit the caller's context
 *
 * Allocates with no gotimer lock held, then swaps the array in under the
 * heap lock.  Grows geometrically, up to GOTIMER_HEAP_MAX_SLOTS.  Fails on
 * demand under fault injection (fault_inject.c), even with room.
 *
 * Return: 0, or -ENOMEM with the heap unchanged, also for @want beyond
 * GOTIMER_HEAP_MAX_SLOTS (refused before any allocation).
 */
int gotimer_base_reserve(struct gotimer_base *base, unsigned int want,
			 gfp_t gfp)
{
	struct gotimer **slots, **old;
	unsigned int cap;

	if (want > GOTIMER_HEAP_MAX_SLOTS || gotimer_should_fail_grow(want))
		return -ENOMEM;
	for (;;) {
		cap = READ_ONCE(base->heap.cap);
		if (cap >= want)
			return 0;
		/* Doubles from at most GOTIMER_HEAP_MAX_SLOTS: no overflow. */
		cap = min(max3(want, cap * 2, 16U), GOTIMER_HEAP_MAX_SLOTS);
		if (gfpflags_allow_blocking(gfp))
			slots = kvmalloc_array(cap, sizeof(*slots), gfp);
		else
			slots = kmalloc_array(cap, sizeof(*slots), gfp | __GFP_NOWARN);
		if (!slots)
			return -ENOMEM;

		raw_spin_lock(&base->lock);
		if (base->heap.cap >= cap) {
			/* Someone grew it meanwhile; ours is not needed. */
			raw_spin_unlock(&base->lock);
			kvfree(slots);
			continue;
		}
		old = base->heap.slots;
		if (base->heap.len)
			memcpy(slots, old, base->heap.len * sizeof(*slots));
		base->heap.slots = slots;
		WRITE_ONCE(base->heap.cap, cap);
		raw_spin_unlock(&base->lock);
		retire_slots(base, old, gfp);
	}
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_reserve, GOTIMER_INTERNAL);
/* Also for BPF-driven and fail_function error injection. */
ALLOW_ERROR_INJECTION(gotimer_base_reserve, ERRNO);

/**
 * gotimer_base_online() - a closed base may take timers again
 * @base: the base of a CPU about to come up, or whose offline was refused;
 *	called on that CPU or while it is dead (see &gotimer_base.offline)
 */
void gotimer_base_online(struct gotimer_base *base)
{
	raw_spin_lock(&base->lock);
	WRITE_ONCE(base->offline, false);
	raw_spin_unlock(&base->lock);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_online, GOTIMER_INTERNAL);

/**
 * gotimer_base_release() - free the heap array of a base that holds nothing
 * @base: a dead CPU's base, after gotimer_base_move() emptied it
 *
 * An offline CPU keeps no heap memory: its array may be megabytes after a
 * burst.  The slots are swapped out under the heap lock, so a concurrent
 * lock-holder sees either the old array or none; the next add on that CPU,
 * once it is back online, grows the heap again from nothing.
 */
void gotimer_base_release(struct gotimer_base *base)
{
	struct gotimer **old = NULL;

	gotimer_base_free_retired(base);
	raw_spin_lock(&base->lock);
	if (!base->heap.len) {
		old = base->heap.slots;
		base->heap.slots = NULL;
		WRITE_ONCE(base->heap.cap, 0);
	}
	raw_spin_unlock(&base->lock);
	kvfree(old);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_release, GOTIMER_INTERNAL);

/**
 * gotimer_base_has_room() - is there a free slot for one more timer?
 * @base: the calling CPU's base, with preemption off
 *
 * Read without the heap lock.  Only the base's own CPU adds single timers,
 * one at a time since it holds preemption off from this check to the add;
 * gotimer_base_move() leaves a free slot for that one add.  So a true
 * answer stays true until the add.
 *
 * Return: true if a timer can be added now.
 */
bool gotimer_base_has_room(struct gotimer_base *base)
{
	return READ_ONCE(base->heap.len) < READ_ONCE(base->heap.cap);
}

/**
 * gotimer_base_low_on_room() - should the worker grow @base's heap?
 * @base: a base
 *
 * Read without the heap lock: a hint.  Low means fewer free slots than a
 * quarter of the capacity; an empty array (never grown, or released while
 * the CPU was dead) is left to the first add, which allocates 16 slots.
 *
 * Return: true if so.
 */
bool gotimer_base_low_on_room(struct gotimer_base *base)
{
	unsigned int cap = READ_ONCE(base->heap.cap);
	unsigned int len = READ_ONCE(base->heap.len);

	return cap - len < cap / 4;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_low_on_room, GOTIMER_INTERNAL);

/**
 * gotimer_base_keep_room() - grow @base's heap ahead of its adds
 * @base: a live CPU's base
 *
 * The worker's part of heap growth: in task context, with GFP_KERNEL
 * (kvmalloc, so large heaps may come from vmalloc), doubling the heap when
 * it is low on room, so that adds rarely need to allocate in their own
 * context (timer.c).  A failure is left for the next add to find.
 *
 * Context: task context, may sleep.
 */
void gotimer_base_keep_room(struct gotimer_base *base)
{
	if (READ_ONCE(base->offline) || !gotimer_base_low_on_room(base))
		return;
	if (!gotimer_base_reserve(base, READ_ONCE(base->heap.cap) + 1, GFP_KERNEL))
		WRITE_ONCE(base->worker_growths, base->worker_growths + 1);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_keep_room, GOTIMER_INTERNAL);

/*
 * While the missed-wake detector runs (watchdog.c), each lowering store
 * counts itself in flight from before L1 to after L3, so that a waker
 * stalled between the two (a preempted vCPU, a long interrupt) is not
 * taken for a missed wake-up.  Off, it costs one load.
 */
bool gotimer_detector_on;
EXPORT_SYMBOL_NS_GPL(gotimer_detector_on, GOTIMER_INTERNAL);

static void lowering_begin(struct gotimer_base *base)
{
	if (!READ_ONCE(gotimer_detector_on))
		return;
	atomic_inc(&base->lowering);
	smp_mb__after_atomic();	/* the count before L1; pairs with the detector */
}

static void lowering_end(struct gotimer_base *base)
{
	if (!READ_ONCE(gotimer_detector_on))
		return;
	smp_mb__before_atomic();	/* L3 before the count drops */
	atomic_dec(&base->lowering);
}

/**
 * gotimer_base_changed() - republish the lock-free view after a heap change
 * @base: the base, with its lock held
 *
 * A new heap[0] that is earlier than the one it replaces lowers the base's
 * earliest time: see gotimer_base_lowered().
 */
void gotimer_base_changed(struct gotimer_base *base)
{
	struct gotimer_heap *h = &base->heap;
	s64 old = atomic64_read(&base->timer0_when);
	s64 when = h->len ? gotimer_heap_at(h, 0)->when : 0;

	lockdep_assert_held(&base->lock);
	if (when && (!old || when < old)) {
		lowering_begin(base);
		atomic64_set(&base->timer0_when, when);		/* L1 */
		gotimer_base_lowered(base, when);
		lowering_end(base);
	} else {
		atomic64_set(&base->timer0_when, when);
	}
	atomic_set(&base->ntimers, h->len);
	if (unlikely(READ_ONCE(gotimer_verify_heaps)))
		gotimer_base_verify(base);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_changed, GOTIMER_INTERNAL);

/**
 * gotimer_base_verify() - check @base's heap now (Go: verifyTimers)
 * @base: the base, with its lock held
 *
 * Return: 0, or -EUCLEAN after a warning naming the CPU and slot.
 */
int gotimer_base_verify(struct gotimer_base *base)
{
	int bad;

	lockdep_assert_held(&base->lock);
	bad = gotimer_heap_verify(&base->heap);
	if (bad < 0)
		return 0;
	atomic_long_inc(&base->corrupt);
	atomic_long_inc(&gotimer_bad_timers);
	WARN_ONCE(1, "gotimer: cpu %d heap invariant broken at slot %d of %u\n",
		  base->cpu, bad, base->heap.len);
	return -EUCLEAN;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_verify, GOTIMER_INTERNAL);

/**
 * gotimer_base_note_modified() - lower modified_earliest to @when
 * @base: the owner of a timer just modified to fire earlier
 * @when: the timer's new time
 *
 * Called with the timer's status lock held, so with preemption off: the
 * wake-up it may issue cannot be delayed by the caller being preempted.
 */
void gotimer_base_note_modified(struct gotimer_base *base, s64 when)
{
	s64 old = atomic64_read(&base->modified_earliest);

	lowering_begin(base);
	do {
		if (old != 0 && old <= when)
			goto out;
	} while (!atomic64_try_cmpxchg(&base->modified_earliest, &old, when)); /* L1 */
	gotimer_base_lowered(base, when);
out:
	lowering_end(base);
}

/**
 * gotimer_base_next() - when does @base next need its worker?
 * @base: the base
 *
 * Two loads, not one snapshot: a concurrent adjust may clear
 * modified_earliest before it republishes timer0_when, so the result can
 * be later than the earliest timer for a moment.  The wake protocol below
 * does not depend on the two being read together.
 *
 * Return: the earlier of heap[0]'s when and modified_earliest, 0 if neither.
 */
s64 gotimer_base_next(struct gotimer_base *base)
{
	s64 next = atomic64_read(&base->timer0_when);
	s64 mod;

	gotimer_test_hook(GOTIMER_HOOK_NEXT_SPLIT, base);
	mod = atomic64_read(&base->modified_earliest);
	if (mod && (!next || mod < next))
		next = mod;
	return next;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_next, GOTIMER_INTERNAL);

/*
 * The worker's wake protocol.  A base's "earliest time" is what
 * gotimer_base_next() reads: min(timer0_when, modified_earliest).
 *
 * Worker, going to sleep (gotimer_base_sleep_begin()):
 *   W1  next = earliest time
 *   W2  wake_at = next (S64_MAX: none)
 *   W3  smp_mb()
 *   W4  if earliest time != next, or next is due: do not sleep
 *   W5  sleep until next; on waking, wake_at = 0 (awake) if it still holds
 *       next (a cmpxchg: after a take-over it may be another worker's)
 *
 * Every store that lowers the earliest time, to v (gotimer_base_lowered()):
 *   L1  timer0_when = v (gotimer_base_changed(), heap lock held) or
 *       modified_earliest = v (gotimer_base_note_modified(), status lock
 *       held, so preemption is off: the wake-up is not delayed)
 *   L2  smp_mb()
 *   L3  if wake_at != 0 and v < wake_at: cmpxchg wake_at to 0; the winner
 *       wakes the worker
 *
 * Why no wake-up is lost: W2/W3/W4 and L1/L2/L3 are the store-buffering
 * pattern, and the two smp_mb() forbid both loads missing the other side's
 * store.  So either W4 sees v (or a later value) and the worker does not
 * sleep, or L3 sees wake_at == next and wakes the worker if v < next; if it
 * sees 0, the worker is awake and W1 of its next round comes after L1.
 * Only lowering stores take part: a raise (a stop, a run, an adjust's
 * clearing of modified_earliest) cannot make the worker late, and every
 * raise that hides a due timer (the adjust clearing modified_earliest, a
 * clean head) is followed, under the same heap lock, by the republication
 * of timer0_when, itself a lowering store with its own L2/L3.  This is why
 * the comparison in L3 is with the value stored, never with the caller's
 * own timer: a republication after an adjust or a clean head may publish
 * a timer0_when far earlier than any timer the caller itself added.
 * The torn two-load read of gotimer_base_next() is covered by the same
 * argument: each of its loads is one side of a store-buffering pair.
 * tools/testing/gotimer/model/wake.pml checks this under sequential
 * consistency.
 */

/**
 * gotimer_base_lowered() - a store just lowered @base's earliest time to @v
 * @base: the base
 * @v: the value stored into timer0_when or modified_earliest
 *
 * Steps L2 and L3 of the wake protocol: wakes @base's worker if it sleeps,
 * or is about to sleep, past @v.
 */
void gotimer_base_lowered(struct gotimer_base *base, s64 v)
{
	s64 wake_at;

	/* L2: order L1 before the load of wake_at; pairs with W3. */
	smp_mb();
	wake_at = atomic64_read(&base->wake_at);
	if (wake_at && v < wake_at &&
	    atomic64_try_cmpxchg(&base->wake_at, &wake_at, 0))
		gotimer_wake_worker(base);
	/*
	 * An unpinned base's timers must be run by someone even if its worker
	 * cannot run: the steal timer looks at the new time a little after it
	 * (steal.c).  L2 above orders L1 before the steal timer's own look.
	 */
	if (base->unpinned)
		gotimer_steal_timer_arm(base, v);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_lowered, GOTIMER_INTERNAL);

/**
 * gotimer_base_kick() - wake @base's worker if it sleeps, whatever its deadline
 * @base: a base that needs its worker now (a forced adjust is due)
 *
 * As L2/L3 of the wake protocol, with a value below any deadline.
 */
void gotimer_base_kick(struct gotimer_base *base)
{
	s64 wake_at;

	/* Order the caller's change before the load; pairs with W3. */
	smp_mb();
	wake_at = atomic64_read(&base->wake_at);
	if (wake_at && atomic64_try_cmpxchg(&base->wake_at, &wake_at, 0))
		gotimer_wake_worker(base);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_kick, GOTIMER_INTERNAL);

/* The earlier of two earliest times, 0 meaning none. */
static s64 earlier(s64 a, s64 b)
{
	return a && (!b || a < b) ? a : b;
}

/**
 * gotimer_bases_sleep_begin() - may a worker of @n bases sleep, until when?
 * @bases: the bases the worker runs (a CPU's pinned and unpinned ones)
 * @n: how many, at most 2
 * @now: the current time
 *
 * Steps W1-W4 of the wake protocol, for every base at once: W1 reads each
 * base's earliest time, W2 stores the earliest of them in every base's
 * ->wake_at, and W4 rechecks each base against its own W1 value.  Each base
 * is then its own store-buffering pair with its lowering stores, as for
 * one base: a store that lowers any of them below the deadline wakes the
 * worker.  The worker has set its task state to sleeping before the call,
 * so a wake-up issued from here on is not lost.
 *
 * Return: 0 if the worker must not sleep (then every ->wake_at is 0 again);
 * otherwise the time to sleep until, S64_MAX for "no timer".
 */
s64 gotimer_bases_sleep_begin(struct gotimer_base *const *bases,
			      unsigned int n, s64 now)
{
	s64 seen[2], next = 0;
	unsigned int i;

	if (WARN_ON_ONCE(!n || n > ARRAY_SIZE(seen)))
		return 0;
	for (i = 0; i < n; i++) {
		seen[i] = gotimer_base_next(bases[i]);		/* W1 */
		next = earlier(next, seen[i]);
	}
	gotimer_test_hook(GOTIMER_HOOK_SLEEP_READ, bases[0]);
	for (i = 0; i < n; i++)
		atomic64_set(&bases[i]->wake_at, next ?: S64_MAX);	/* W2 */
	smp_mb();						/* W3 */
	for (i = 0; i < n; i++)					/* W4 */
		if (gotimer_base_next(bases[i]) != seen[i])
			break;
	if (i < n || (next && next <= now)) {
		for (i = 0; i < n; i++)
			atomic64_set(&bases[i]->wake_at, 0);
		return 0;
	}
	return next ?: S64_MAX;
}
EXPORT_SYMBOL_NS_GPL(gotimer_bases_sleep_begin, GOTIMER_INTERNAL);

/**
 * gotimer_base_sleep_begin() - may the worker sleep, and until when?
 * @base: the worker's base
 * @now: the current time
 *
 * gotimer_bases_sleep_begin() for one base.
 *
 * Return: as gotimer_bases_sleep_begin().
 */
s64 gotimer_base_sleep_begin(struct gotimer_base *base, s64 now)
{
	return gotimer_bases_sleep_begin(&base, 1, now);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_sleep_begin, GOTIMER_INTERNAL);

/**
 * gotimer_base_sleep_end() - the worker is awake (W5)
 * @base: the worker's base
 * @until: what gotimer_bases_sleep_begin() returned to this worker, the
 *	value it stored in ->wake_at (0: it did not sleep, nothing to undo)
 *
 * Sets ->wake_at back to 0 only if it still holds @until: a cmpxchg, not
 * a store.  ->wake_at is the deadline of the base's current worker, and
 * after a take-over (takeover.c) that can be another thread, which may have
 * published its own deadline while this one slept; a blind store of 0
 * would tell the lowering stores that it is awake, and none would wake it.
 * If the new worker published the same value, it sleeps until the same
 * time: clearing it can only miss a store due no earlier than that time.
 */
void gotimer_base_sleep_end(struct gotimer_base *base, s64 until)
{
	if (until)
		atomic64_try_cmpxchg(&base->wake_at, &until, 0);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_sleep_end, GOTIMER_INTERNAL);

/**
 * gotimer_base_add() - put a timer that has just become Waiting in the heap
 * @base: the base; its lock held, and @t->base == @base (Go: doaddtimer)
 * @t: the timer, unlocked: [S5] sets the owner, unlocks, then adds
 *
 * The caller guarantees a free slot (gotimer_base_has_room()).
 */
void gotimer_base_add(struct gotimer_base *base, struct gotimer *t)
{
	lockdep_assert_held(&base->lock);
	if (unlikely(READ_ONCE(t->base) != base)) {
		gotimer_bad_timer(base, t, "added to a heap it does not own");
		return;
	}
	if (WARN_ONCE(base->heap.len >= base->heap.cap,
		      "gotimer: cpu %d heap full on add\n", base->cpu)) {
		atomic_long_inc(&base->corrupt);
		t->idx = GOTIMER_IDX_NONE;	/* not in the heap: not [S5]'s window */
		return;
	}
	gotimer_heap_push(&base->heap, t);
	gotimer_base_changed(base);
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_add, GOTIMER_INTERNAL);

/**
 * gotimer_base_move() - move every timer of @from to @to (Go: moveTimers)
 * @from: the base of a CPU going down, called on that CPU in task context
 *	(or of a dead CPU: tests), so that no [S5] add to it is in flight
 * @to: a live base
 *
 * Takes both heap locks, lower address first, the only place two are held.
 * Rows [S13]-[S15]: each timer's new owner is set while it is locked, it is
 * unlocked, then appended; one heapify rebuilds @to in O(n).  No allocation:
 * the caller reserved room with gotimer_base_reserve().  Closes @from:
 * nothing is added to it until gotimer_base_online().
 *
 * Return: the number of timers moved, or -ENOSPC (nothing moved) if @to has
 * no room for all of them plus the one add its own CPU may have in flight
 * (see gotimer_base_has_room()).
 */
int gotimer_base_move(struct gotimer_base *from, struct gotimer_base *to)
{
	struct gotimer_base *first = from < to ? from : to;
	struct gotimer_base *second = from < to ? to : from;
	struct gotimer_heap *src = &from->heap;
	unsigned int i, moved = 0, dropped = 0;

	raw_spin_lock(&first->lock);
	raw_spin_lock_nested(&second->lock, SINGLE_DEPTH_NESTING);
	if (to->heap.cap < to->heap.len + src->len + 1) {
		raw_spin_unlock(&second->lock);
		raw_spin_unlock(&first->lock);
		return -ENOSPC;
	}
	for (i = 0; i < src->len; i++) {
		struct gotimer *t = gotimer_heap_at(src, i);
		enum gotimer_status s = gotimer_status_lock(t);

		src->slots[i] = NULL;
		if (s == GOTIMER_NR_STATUS)
			continue;
		if (unlikely(t->base != from ||
			     (s != GOTIMER_WAITING && s != GOTIMER_MODIFIED))) {
			gotimer_status_unlock(t, s);
			gotimer_bad_timer(from, t, "bad timer in a dying CPU's heap");
			continue;
		}
		if (s == GOTIMER_MODIFIED && t->nextwhen == 0) {
			/* [S15] */
			WRITE_ONCE(t->base, NULL);
			gotimer_status_unlock(t, GOTIMER_REMOVED);
			dropped++;
			continue;
		}
		if (s == GOTIMER_MODIFIED)
			gotimer_take_new_time(t);	/* [S14] */
		WRITE_ONCE(t->base, to);		/* [S13] */
		gotimer_status_unlock(t, GOTIMER_WAITING);
		gotimer_heap_append(&to->heap, t);
		moved++;
	}
	WRITE_ONCE(src->len, 0);
	/* Closed: [S17] and [S5] add to @to from now on (timer.c). */
	WRITE_ONCE(from->offline, true);
	WRITE_ONCE(from->adopter, to);
	atomic_sub(dropped, &from->deleted);
	atomic64_set(&from->modified_earliest, 0);
	from->moved_out += moved;
	to->moved_in += moved;
	gotimer_heap_heapify(&to->heap);
	gotimer_base_changed(from);
	gotimer_base_changed(to);
	raw_spin_unlock(&second->lock);
	raw_spin_unlock(&first->lock);
	trace_gotimer_move(from->cpu, to->cpu, moved, dropped);
	return moved;
}
EXPORT_SYMBOL_NS_GPL(gotimer_base_move, GOTIMER_INTERNAL);
