// SPDX-License-Identifier: GPL-2.0
/*
 * The API that stops without waiting: gotimer_stop (Go: deltimer, rows
 * [S1]-[S4]), gotimer_shutdown [S20], the heap part of gotimer_stop_sync
 * [S16], gotimer_pending.
 * Waiting for a running callback is in stopsync.c, beside the workers.
 * Row names [Sn] refer to the transition table in status.c.
 */
#include <linux/export.h>
#include "internal.h"
#include "gotimer_trace.h"

/*
 * Rows [S1]-[S4] on @t, locked with a valid status @s; unlocks it.
 *
 * Return: whether @t was pending.
 */
static __always_inline bool stop_locked(struct gotimer *t,
					enum gotimer_status s)
{
	bool pending = false;

	switch (s) {
	case GOTIMER_WAITING:		/* [S1] */
	case GOTIMER_MODIFIED:		/* [S2], [S3] */
		if (unlikely(!t->base)) {
			gotimer_status_unlock(t, s);
			gotimer_bad_timer(NULL, t, "pending timer without a heap");
			return false;
		}
		pending = gotimer_was_pending(t, s);
		if (pending) {
			t->nextwhen = 0;
			atomic_inc(&t->base->deleted);
		}
		gotimer_status_unlock(t, GOTIMER_MODIFIED);
		break;
	default:			/* [S4] */
		gotimer_status_unlock(t, s);
		break;
	}
	return pending;
}

/**
 * gotimer_stop_as() - stop @t (Go: deltimer, rows [S1]-[S4]), setting @flag
 * @t: the timer
 * @flag: 0 (gotimer_stop()), or GOTIMER_SHUT_DOWN (gotimer_shutdown(), row
 *	[S20]): set in @t->flags in the same status-lock section
 *
 * One function, so that the stop tracepoint has one site (and stays
 * inline) for both.
 *
 * Return: whether @t was pending.
 */
bool gotimer_stop_as(struct gotimer *t, unsigned int flag)
{
	enum gotimer_status s = gotimer_status_lock(t);
	bool pending;

	if (s == GOTIMER_NR_STATUS)
		return false;		/* corrupt: reported, not locked */
	if (flag)
		t->flags |= flag;	/* read under this lock */
	pending = stop_locked(t, s);
	trace_gotimer_stop(t, s, pending);
	return pending;
}
EXPORT_SYMBOL_NS_GPL(gotimer_stop_as, GOTIMER_INTERNAL);

/*
 * @t claims @base (its lock held) but is not in its heap: either it is in
 * [S5]'s window between unlock and add (look again), or it changed meanwhile
 * (look again), or it is corrupt: a bad-timer path dropped its slot and left
 * it claiming the heap (Waiting or Modified and not being added, or
 * Removed, which never has an owner).  Then it is reported and made Removed, so that
 * gotimer_stop_sync() terminates.  It is the caller's own timer, not one
 * found in a heap, so writing it is safe.
 */
static bool unheap_absent(struct gotimer_base *base, struct gotimer *t,
			  bool *again)
{
	enum gotimer_status s = gotimer_status_lock(t);
	bool pending;

	if (s == GOTIMER_NR_STATUS)
		return false;		/* reported; stop_sync gives up */
	if (t->base != base ||
	    (s != GOTIMER_REMOVED && t->idx == GOTIMER_IDX_ADDING)) {
		gotimer_status_unlock(t, s);
		*again = true;
		return false;
	}
	/* Removed with an owner, or in no heap and not being added. */
	pending = gotimer_was_pending(t, s);
	WRITE_ONCE(t->base, NULL);
	gotimer_status_unlock(t, GOTIMER_REMOVED);
	gotimer_bad_timer(base, t, "timer claims a heap that does not hold it");
	return pending;
}

/**
 * gotimer_unheap() - take @t out of its heap if it sits in one [S16]
 * @t: the timer, stopped or not
 * @again: set to true if @t is on its way into a heap or moved meanwhile
 *	   ([S5]'s window between unlock and add): call again
 *
 * The heap part of gotimer_stop_sync(); the waiting for a running callback
 * is the worker's business.  Takes @t's heap lock.
 *
 * Return: true if @t was pending in the heap (Waiting, or Modified with a
 * new time); it is Removed and in no heap afterwards unless *@again.
 */
bool gotimer_unheap(struct gotimer *t, bool *again)
{
	struct gotimer_base *base = READ_ONCE(t->base);
	enum gotimer_status s;
	bool pending = false;

	*again = false;
	if (!base)
		return false;
	raw_spin_lock(&base->lock);
	if (READ_ONCE(t->base) != base) {
		*again = true;		/* moved meanwhile */
	} else if (t->idx >= base->heap.len || gotimer_heap_at(&base->heap, t->idx) != t) {
		pending = unheap_absent(base, t, again);
	} else {
		s = gotimer_status_lock(t);
		if (s == GOTIMER_WAITING || s == GOTIMER_MODIFIED) {
			pending = gotimer_was_pending(t, s);
			if (!pending)
				atomic_dec(&base->deleted);
			gotimer_heap_delete(&base->heap, t->idx);
			WRITE_ONCE(t->base, NULL);
			gotimer_status_unlock(t, GOTIMER_REMOVED);
			gotimer_base_changed(base);
		} else if (s != GOTIMER_NR_STATUS) {
			gotimer_status_unlock(t, s);
			gotimer_bad_timer(base, t, "Removed timer in a heap");
			gotimer_heap_delete(&base->heap, t->idx);
			gotimer_base_changed(base);
		}
	}
	raw_spin_unlock(&base->lock);
	return pending;
}
EXPORT_SYMBOL_NS_GPL(gotimer_unheap, GOTIMER_INTERNAL);

/**
 * gotimer_stop() - stop a timer (Go: deltimer)
 * @t: the timer
 *
 * O(1) and lazy: a stopped timer may stay in its heap until its owner's
 * worker drops it, so @t must not be freed after this; use
 * gotimer_stop_sync() for that.
 *
 * Context: as gotimer_modify().
 *
 * Return: true if @t was pending and is now stopped; false if it was not,
 * or on a call from interrupt context.
 */
bool gotimer_stop(struct gotimer *t)
{
	if (!gotimer_context_ok())
		return false;
	return gotimer_stop_as(t, 0);
}
EXPORT_SYMBOL_GPL(gotimer_stop);

/**
 * gotimer_shutdown() - stop a timer and refuse every later arm
 * @t: the timer
 *
 * As gotimer_stop(), and in the same status-lock section @t is marked shut
 * down (row S20): from then on gotimer_modify(), gotimer_reset() and
 * gotimer_modify_on() return -ESHUTDOWN and change nothing (S21), also
 * from @t's own callback, until gotimer_init() or gotimer_init_flags()
 * makes @t usable again.  As timer_shutdown() after 6.2: a teardown can
 * no longer race a re-arm from another path.  Lazy and O(1) like
 * gotimer_stop(): @t may still sit in its heap, and its callback may
 * still run; use gotimer_shutdown_sync() before freeing @t.
 *
 * Context: as gotimer_modify().
 *
 * Return: true if @t was pending; false if not, or on a call from
 * interrupt context (which shuts nothing down).
 */
bool gotimer_shutdown(struct gotimer *t)
{
	if (!gotimer_context_ok())
		return false;
	return gotimer_stop_as(t, GOTIMER_SHUT_DOWN);	/* [S20] */
}
EXPORT_SYMBOL_GPL(gotimer_shutdown);

/**
 * gotimer_pending() - is @t armed, neither run nor stopped?
 * @t: the timer
 *
 * "Pending" as gotimer_modify() and gotimer_stop() report it: Waiting, or
 * Modified with a new time (status.c).  Read under @t's status lock (O(1),
 * preemption off for a few loads, never a heap lock), because a Modified
 * timer's answer is in two words that a lock-free reader could see from
 * two moments (a head settled by its worker [S9] and modified again [S6]
 * in between would look stopped).  The answer is exact at one moment;
 * a caller racing with an arm, a stop or the timer's own run sees the
 * state before or after it, as with timer_pending().  A periodic timer
 * stays pending while its callback runs; a one-shot one is not pending
 * once its run has begun.
 *
 * Context: task context, as gotimer_stop().
 *
 * Return: true if @t is pending; false if not, or on a call from interrupt
 * context.
 */
bool gotimer_pending(const struct gotimer *t)
{
	/* Only the status word changes, and is restored: @t is not written. */
	struct gotimer *lt = (struct gotimer *)t;
	enum gotimer_status s;
	bool pending;

	if (!gotimer_context_ok())
		return false;
	s = gotimer_status_lock(lt);
	if (s == GOTIMER_NR_STATUS)
		return false;		/* corrupt: reported, not locked */
	pending = gotimer_was_pending(lt, s);
	gotimer_status_unlock(lt, s);
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_pending);
