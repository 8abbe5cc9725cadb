// SPDX-License-Identifier: GPL-2.0
/*
 * The API that stops without waiting: gotimer_stop (Go: deltimer, rows
 * [S1]-[S4]), the heap part of gotimer_stop_sync [S16], gotimer_pending.
 * Waiting for a running callback is in stopsync.c, beside the workers.
 * Row names [Sn] refer to the transition table in status.c.
 */
#include <linux/export.h>
#include "internal.h"
#include "gotimer_trace.h"

/* Go's deltimer, rows [S1]-[S4]. */
bool gotimer_stop_lazy(struct gotimer *t)
{
	enum gotimer_status s = gotimer_status_lock(t);

	bool pending;

	if (s == GOTIMER_NR_STATUS)
		return false;		/* corrupt: reported, not locked */
	pending = gotimer_stop_locked(t, s);
	trace_gotimer_stop(t, s, pending);
	return pending;
}
EXPORT_SYMBOL_NS_GPL(gotimer_stop_lazy, GOTIMER_INTERNAL);

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
	return gotimer_stop_lazy(t);
}
EXPORT_SYMBOL_GPL(gotimer_stop);

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
