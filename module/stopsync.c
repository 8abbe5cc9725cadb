// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_stop_sync() and gotimer_shutdown_sync(), which wait for a
 * callback in the workers.
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
#include "gotimer_trace.h"

/*
 * Does a worker other than @own (the caller's, or NULL) run a callback of
 * the timer at @t's address?  @rw is @t's ->run_worker, read with
 * ->run_base under its status lock: the one worker where its callback can
 * run (gotimer_callback_running()).  The caller's own worker is left out,
 * since a callback cannot wait for itself; but the callback of a timer at
 * @t's address in the caller may have stopped and freed it, made a new
 * timer at the same address and armed it, and the new one's callback, run
 * in another worker, is waited for.
 */
static bool running_elsewhere(struct gotimer_worker *rw, struct gotimer *t,
			      struct gotimer_worker *own)
{
	return rw && rw != own && gotimer_worker_runs(rw, t);
}

/*
 * The idle fast path: @t Removed, in no heap, and its callback running in
 * no worker but the caller's (@own), all read in one section under its
 * status lock, where neither an arm nor a run can start: stop_sync's
 * postcondition holds already, and @t was not pending ([S4]).  One status
 * lock section, not [S4]'s and then the decision's; none for a timer whose
 * status is not Removed at a first look (a hint only: the decision is the
 * locked one).  A corrupt status word (reported by the lock) ends
 * stop_sync here too, as it does below.
 *
 * Return: true if stop_sync is done.
 */
static bool stopped_idle(struct gotimer *t, struct gotimer_worker *own)
{
	enum gotimer_status s;
	bool idle;

	/* A pending timer goes the long way at once, without a section. */
	if (atomic_read(&t->status) != GOTIMER_REMOVED)
		return false;
	s = gotimer_status_lock(t);
	if (s == GOTIMER_NR_STATUS)
		return true;
	idle = s == GOTIMER_REMOVED && !t->base &&
	       !running_elsewhere(t->run_worker, t, own);
	gotimer_status_unlock(t, s);
	if (idle)
		trace_gotimer_stop(t, s, false);
	return idle;
}

/*
 * Wait until worker @rw, whose runs of @t are published in @rb, is out of
 * @t's callback.
 */
static void wait_for_callback(struct gotimer_base *rb,
			      struct gotimer_worker *rw, struct gotimer *t)
{
	raw_spin_lock(&rb->lock);
	if (!gotimer_worker_runs(rw, t)) {
		raw_spin_unlock(&rb->lock);
		return;
	}
	/* Under the heap lock: finish_run() reads the count under it. */
	atomic_inc(&rw->sync_waiters);
	raw_spin_unlock(&rb->lock);
	wait_var_event(t, !gotimer_worker_runs(rw, t));
	atomic_dec(&rw->sync_waiters);
}

/**
 * gotimer_stop_sync() - stop a timer and wait until gotimer is done with it
 * @t: the timer
 *
 * Stops @t, takes it out of its heap, and waits until no callback of @t runs
 * on any CPU.  Afterwards gotimer holds no reference to @t and the caller may
 * free it, unless someone arms it again.  Called from @t's own callback it
 * stops @t and returns without waiting for itself; the callback may then
 * free @t.  "Itself" is the calling worker, not the address: a callback
 * that freed its timer and made a new one at the same address still waits
 * for the new one's callback running in another worker.  Two callbacks
 * must not stop_sync each other's timers.  O(1) in the number of CPUs and
 * of workers: it looks only at the worker that last ran @t's callback
 * (->run_worker), and waits on a wait queue keyed by @t.
 *
 * Context: task context; may sleep (from @t's own callback only to wait
 * for another worker's callback at @t's address, as just said).
 *
 * Return: true if @t was pending, as gotimer_stop() would return; false on
 * a call from interrupt context.
 */
bool gotimer_stop_sync(struct gotimer *t)
{
	struct gotimer_worker *own, *rw;
	struct gotimer_base *rb, *base;
	bool again, pending, running;
	enum gotimer_status s;

	if (!gotimer_context_ok())
		return false;
	own = current_worker();
	if (!own || !gotimer_worker_runs(own, t)) {
		might_sleep();		/* not from its own callback */
		gotimer_lockdep_wait(t);
	}
	if (stopped_idle(t, own))
		return false;
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
		 * ->run_base, ->run_worker and the worker's ->current_timer in
		 * one section under that lock, so a run cannot start between
		 * the two reads.  Read apart (first the worker, then ->base), a
		 * callback that re-armed @t and returned, and the run of that
		 * re-arm starting right after, made stop_sync return while the
		 * second callback ran (found by
		 * tools/testing/gotimer/model/stopsync.pml, NOWHERE).
		 */
		s = gotimer_status_lock(t);
		if (s == GOTIMER_NR_STATUS)
			break;		/* corrupt: reported, not locked */
		rb = t->run_base;
		rw = t->run_worker;
		running = running_elsewhere(rw, t, own);
		base = t->base;
		gotimer_status_unlock(t, s);
		if (running)
			wait_for_callback(rb, rw, t);
		else if (!base)
			break;
		/*
		 * Its callback may have armed it again: a re-arm sets ->base
		 * before the callback returns, and the acquire in
		 * gotimer_worker_runs() pairs with the release in finish_run(),
		 * so a callback seen finished shows its re-arm here.
		 */
		pending |= gotimer_stop_lazy(t);
	}
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_stop_sync);

/**
 * gotimer_shutdown_sync() - shut a timer down and wait until gotimer is done with it
 * @t: the timer
 *
 * gotimer_shutdown(), then gotimer_stop_sync(): @t refuses every later arm
 * (-ESHUTDOWN), also a re-arm from its own callback, so that a self
 * re-arming callback cannot survive; when this returns no callback of @t
 * runs, none will, and the caller may free @t (as after
 * timer_shutdown_sync()).  From @t's own callback it does not wait for
 * itself, as gotimer_stop_sync().  gotimer_init() makes @t usable again.
 *
 * Context: task context; may sleep (as gotimer_stop_sync()).
 *
 * Return: true if @t was pending; false if not, or on a call from
 * interrupt context (which shuts nothing down).
 */
bool gotimer_shutdown_sync(struct gotimer *t)
{
	bool pending;

	if (!gotimer_context_ok())
		return false;
	pending = gotimer_shutdown(t);
	return gotimer_stop_sync(t) || pending;
}
EXPORT_SYMBOL_GPL(gotimer_shutdown_sync);
