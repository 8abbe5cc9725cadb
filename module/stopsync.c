// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_stop_sync(), which waits for a callback in the workers.
 */
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/sched/isolation.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>
#include "pool.h"

/*
 * The slot of @rb in which worker @w (the caller, or NULL if it is no
 * worker) publishes its callbacks: its own slot, if @rb is a base of its
 * CPU; -1 otherwise.  A worker publishes every callback it runs in its own
 * slot of one of its CPU's two bases, a stolen one [S19] in its CPU's
 * unpinned base, and only it writes that slot.
 */
static int own_slot(struct gotimer_worker *w, struct gotimer_base *rb)
{
	return w && rb && rb->cpu >= 0 && rb->cpu == w->base->cpu ? w->slot : -1;
}

/*
 * Does worker slot @slot of @rb, if it is not @own (the caller's), run a
 * callback of the timer at @t's address?  @rb and @slot are @t's
 * ->run_base and ->run_slot, read together under its status lock: the
 * one slot where its callback can run (gotimer_callback_running()).  Slot
 * @own is left out, since a callback cannot wait for itself; but the
 * callback of a timer at @t's address in the caller's slot may have
 * stopped and freed it, made a new timer at the same address and armed
 * it, and the new one's callback, run in another slot, is waited for.
 */
static bool running_elsewhere(struct gotimer_base *rb, unsigned int slot,
			      struct gotimer *t, int own)
{
	return rb && (int)slot != own && gotimer_slot_runs(rb, slot, t);
}

/* Wait until worker slot @slot of @rb is out of @t's callback. */
static void wait_for_callback(struct gotimer_base *rb, unsigned int slot,
			      struct gotimer *t)
{
	raw_spin_lock(&rb->lock);
	if (!gotimer_slot_runs(rb, slot, t)) {
		raw_spin_unlock(&rb->lock);
		return;
	}
	/* Under the heap lock: finish_run() reads the count under it. */
	rb->sync_waiters++;
	raw_spin_unlock(&rb->lock);
	wait_var_event(t, !gotimer_slot_runs(rb, slot, t));
	raw_spin_lock(&rb->lock);
	rb->sync_waiters--;
	raw_spin_unlock(&rb->lock);
}

/**
 * gotimer_stop_sync() - stop a timer and wait until gotimer is done with it
 * @t: the timer
 *
 * Stops @t, takes it out of its heap, and waits until no callback of @t runs
 * on any CPU.  Afterwards gotimer holds no reference to @t and the caller may
 * free it, unless someone arms it again.  Called from @t's own callback it
 * stops @t and returns without waiting for itself; the callback may then
 * free @t.  "Itself" is the calling worker's own slot, not the address: a
 * callback that freed its timer and made a new one at the same address
 * still waits for the new one's callback running in another worker.  Two
 * callbacks must not stop_sync each other's timers.  O(1) in the number of
 * CPUs and of workers: it looks only at the worker slot where @t's callback
 * last ran (->run_base, ->run_slot), and waits on a wait queue keyed by @t.
 *
 * Context: task context; may sleep (from @t's own callback only to wait
 * for another worker's callback at @t's address, as just said).
 *
 * Return: true if @t was pending, as gotimer_stop() would return; false on
 * a call from interrupt context.
 */
bool gotimer_stop_sync(struct gotimer *t)
{
	struct gotimer_base *rb = READ_ONCE(t->run_base), *base;
	struct gotimer_worker *w;
	bool again, pending, running;
	enum gotimer_status s;
	unsigned int slot;
	int own;

	if (!gotimer_context_ok())
		return false;
	w = current_worker();
	own = own_slot(w, rb);
	if (own < 0 || !gotimer_slot_runs(rb, own, t))
		might_sleep();		/* not from its own callback */
	pending = gotimer_stop_lazy(t);
	for (;;) {
		pending |= gotimer_unheap(t, &again);
		if (again) {
			cpu_relax();
			continue;
		}
		/*
		 * "In no heap" and "its callback runs nowhere", read together
		 * under @t's status lock: [S11] and [S12] clear ->base and set
		 * ->run_base and ->running[] in one section under that lock, so
		 * a run cannot start between the two reads.  Read apart (first
		 * ->running, then ->base), a callback that re-armed @t and
		 * returned, and the run of that re-arm starting right after,
		 * made stop_sync return while the second callback ran (found by
		 * tools/testing/gotimer/model/stopsync.pml, NOWHERE).
		 */
		s = gotimer_status_lock(t);
		if (s == GOTIMER_NR_STATUS)
			break;		/* corrupt: reported, not locked */
		rb = t->run_base;
		slot = t->run_slot;
		own = own_slot(w, rb);
		running = running_elsewhere(rb, slot, t, own);
		base = t->base;
		gotimer_status_unlock(t, s);
		if (running)
			wait_for_callback(rb, slot, t);
		else if (!base)
			break;
		/*
		 * Its callback may have armed it again: a re-arm sets ->base
		 * before the callback returns, and the acquire in
		 * gotimer_slot_runs() pairs with the release in finish_run(),
		 * so a callback seen finished shows its re-arm here.
		 */
		pending |= gotimer_stop_lazy(t);
	}
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_stop_sync);
