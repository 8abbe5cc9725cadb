// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU bases and their workers: one "gotimer/N" smpboot thread per
 * CPU runs its CPU's due timers (Go: checkTimers called from the scheduler)
 * and sleeps until the earliest of heap[0]'s when and modified_earliest.
 * Also gotimer_stop_sync(), which waits for their callbacks.
 */
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/smpboot.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>
#include "internal.h"

/**
 * struct gotimer_worker - a worker's own state, touched by its thread only
 * @budget_end: jiffies at which its FIFO budget since it last slept runs out
 * @demoted: it ran past its FIFO budget and runs SCHED_NORMAL until it sleeps
 */
struct gotimer_worker {
	unsigned long budget_end;
	bool demoted;
};

static DEFINE_PER_CPU(struct gotimer_base, gotimer_bases);
static DEFINE_PER_CPU(struct gotimer_worker, gotimer_workers);
static DEFINE_PER_CPU(struct task_struct *, gotimer_worker_task);

/* Parameters, see main.c and Documentation/gotimer.rst. */
bool gotimer_worker_fifo = true;
EXPORT_SYMBOL_NS_GPL(gotimer_worker_fifo, GOTIMER_INTERNAL);
unsigned int gotimer_fifo_budget_us = 2000;
unsigned long gotimer_slack_ns;
EXPORT_SYMBOL_NS_GPL(gotimer_slack_ns, GOTIMER_INTERNAL);
atomic_long_t gotimer_worker_demotions = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_NS_GPL(gotimer_worker_demotions, GOTIMER_INTERNAL);

/**
 * gotimer_now() - the time gotimer timers use
 *
 * Return: nanoseconds of the monotonic clock (ktime_get_ns()).
 */
s64 gotimer_now(void)
{
	return ktime_get_ns();
}
EXPORT_SYMBOL_GPL(gotimer_now);

/**
 * gotimer_cpu_base() - a CPU's base
 * @cpu: a possible CPU
 *
 * Return: its base.
 */
struct gotimer_base *gotimer_cpu_base(int cpu)
{
	return per_cpu_ptr(&gotimer_bases, cpu);
}
EXPORT_SYMBOL_NS_GPL(gotimer_cpu_base, GOTIMER_INTERNAL);

/**
 * gotimer_local_base() - the calling CPU's base; preemption must be off
 *
 * Return: this CPU's base.
 */
struct gotimer_base *gotimer_local_base(void)
{
	return this_cpu_ptr(&gotimer_bases);
}

/**
 * gotimer_wake_worker() - wake @base's worker
 * @base: a base whose earliest time fell below the worker's ->wake_at
 *
 * Called by the winner of the cmpxchg of ->wake_at to 0 in
 * gotimer_base_lowered(), with preemption off.
 */
void gotimer_wake_worker(struct gotimer_base *base)
{
	struct task_struct *worker = READ_ONCE(base->worker);

	if (worker)
		wake_up_process(worker);
}

/**
 * gotimer_wake_sync_waiters() - a callback that stop_sync waits for returned
 * @t: the timer's address, only hashed: the callback may have freed it
 *
 * Called by the worker, heap lock dropped, when it saw a waiter registered
 * in its base.  The full barrier orders the release of ->running before
 * wake_up_var()'s lockless look at the wait queue, pairing with the barrier
 * in the waiter's prepare_to_wait_event() (Documentation of wake_up_var()).
 * A callback nobody waits for costs neither barrier nor wake-up.
 */
void gotimer_wake_sync_waiters(struct gotimer *t)
{
	/* ->running's release before the wait queue look; pairs as above. */
	smp_mb();
	wake_up_var(t);
}

/*
 * Is @t's callback running?  Its timer records where it last ran
 * (->run_base, written under its status lock before each run), and that
 * base's ->running says whether it still does: O(1) whatever the number of
 * CPUs.  Since a callback never runs concurrently with itself (the re-arm
 * rule in timer.c), no earlier run of @t can still be going on elsewhere.
 */
static bool callback_running(struct gotimer_base *rb, struct gotimer *t)
{
	/* Acquire: pairs with the release in run_head(). */
	return rb && smp_load_acquire(&rb->running) == t;
}

/* Wait until @rb's worker is out of @t's callback. */
static void wait_for_callback(struct gotimer_base *rb, struct gotimer *t)
{
	raw_spin_lock(&rb->lock);
	if (READ_ONCE(rb->running) != t) {
		raw_spin_unlock(&rb->lock);
		return;
	}
	/* Under the heap lock: run_head() reads the count under it. */
	rb->sync_waiters++;
	raw_spin_unlock(&rb->lock);
	wait_var_event(t, !callback_running(rb, t));
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
 * free @t.  Two callbacks must not stop_sync each other's timers.  O(1) in
 * the number of CPUs: it looks only at the base where @t's callback last
 * ran, and waits on a wait queue keyed by @t.
 *
 * Context: task context; may sleep (except from @t's own callback, where it
 * does not).
 *
 * Return: true if @t was pending, as gotimer_stop() would return; false on
 * a call from interrupt context.
 */
bool gotimer_stop_sync(struct gotimer *t)
{
	struct gotimer_base *rb = READ_ONCE(t->run_base), *base;
	bool self, again, pending, running;
	enum gotimer_status s;

	if (!gotimer_context_ok())
		return false;
	self = callback_running(rb, t) && READ_ONCE(rb->worker) == current;
	if (!self)
		might_sleep();
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
		 * ->run_base and ->running in one section under that lock, so
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
		running = callback_running(rb, t);
		base = t->base;
		gotimer_status_unlock(t, s);
		if (!self && running)
			wait_for_callback(rb, t);
		else if (!base)
			break;
		/*
		 * Its callback may have armed it again: a re-arm sets ->base
		 * before the callback returns, and the acquire in
		 * callback_running() pairs with the release in run_head(), so
		 * a callback seen finished shows its re-arm here.
		 */
		pending |= gotimer_stop_lazy(t);
	}
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_stop_sync);

static int worker_should_run(unsigned int cpu)
{
	return 1;	/* the worker sleeps in worker_fn, with a deadline */
}

static void worker_set_fifo(struct gotimer_worker *w)
{
	if (!gotimer_worker_fifo)
		return;
	sched_set_fifo_low(current);
	w->demoted = false;
}

/*
 * The budget is kept in jiffies, as __do_softirq() keeps MAX_SOFTIRQ_TIME:
 * checking it between callbacks then costs no clock read.  At least one
 * tick, so up to one tick more than fifo_budget_us.
 */
static void worker_fresh_budget(struct gotimer_worker *w)
{
	w->budget_end = jiffies +
		max(usecs_to_jiffies(READ_ONCE(gotimer_fifo_budget_us)), 1UL);
}

static void worker_setup(unsigned int cpu)
{
	struct gotimer_worker *w = per_cpu_ptr(&gotimer_workers, cpu);

	worker_set_fifo(w);
	worker_fresh_budget(w);
	WRITE_ONCE(gotimer_cpu_base(cpu)->worker, current);
}

/*
 * The FIFO budget, as __do_softirq() bounds softirq processing: a SCHED_FIFO
 * worker that has run for gotimer_fifo_budget_us since it last slept would starve
 * every SCHED_NORMAL task of its CPU, so it drops to SCHED_NORMAL and goes
 * on there, competing fairly, until it has caught up (it sleeps).
 */
static void worker_check_budget(struct gotimer_worker *w)
{
	if (!gotimer_worker_fifo || w->demoted)
		return;
	if (time_before(jiffies, w->budget_end))
		return;
	sched_set_normal(current, 0);
	w->demoted = true;
	atomic_long_inc(&gotimer_worker_demotions);
}

/**
 * gotimer_after_callback() - the scheduling point between two callbacks
 * @base: the base whose callback just returned; no gotimer lock held
 *
 * On PREEMPT_NONE and PREEMPT_VOLUNTARY kernels nothing else yields in a
 * long run of due callbacks, or behind a periodic callback that outlasts
 * its period: cond_resched() here keeps the soft-lockup detector and RCU
 * quiet.  In the worker it also enforces the FIFO budget.
 */
void gotimer_after_callback(struct gotimer_base *base)
{
	if (READ_ONCE(base->worker) == current)
		worker_check_budget(this_cpu_ptr(&gotimer_workers));
	cond_resched();
}

static void worker_fn(unsigned int cpu)
{
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	struct gotimer_worker *w = per_cpu_ptr(&gotimer_workers, cpu);
	s64 until;
	ktime_t expires;

	gotimer_run_due(base, gotimer_now());
	gotimer_base_free_retired(base);	/* task context: vfree() may sleep */

	/*
	 * Caught up (nothing due): a demoted worker is FIFO again, with a
	 * fresh budget.  Done before the task state changes, since changing
	 * the scheduling class may sleep.
	 */
	if (w->demoted) {
		s64 next = gotimer_base_next(base);

		if (!next || next > gotimer_now()) {
			worker_set_fifo(w);
			worker_fresh_budget(w);
		}
	}

	set_current_state(TASK_INTERRUPTIBLE);
	until = gotimer_base_sleep_begin(base, gotimer_now());
	if (!until || kthread_should_park() || kthread_should_stop()) {
		__set_current_state(TASK_RUNNING);
		gotimer_base_sleep_end(base);
		worker_check_budget(w);
		cond_resched();
		return;
	}
	if (until == S64_MAX) {
		schedule();
	} else {
		expires = ns_to_ktime(until);
		schedule_hrtimeout_range(&expires, READ_ONCE(gotimer_slack_ns), HRTIMER_MODE_ABS);
	}
	gotimer_base_sleep_end(base);
	/* Only this thread writes it; sysfs reads a snapshot. */
	WRITE_ONCE(base->wakeups, base->wakeups + 1);
	worker_fresh_budget(w);		/* it slept */
}

static struct smp_hotplug_thread gotimer_threads = {
	.store			= &gotimer_worker_task,
	.thread_should_run	= worker_should_run,
	.thread_fn		= worker_fn,
	.setup			= worker_setup,
	.thread_comm		= "gotimer/%u",
};

/**
 * gotimer_workers_start() - set up every possible CPU's base and worker
 *
 * Return: 0 or a negative errno.
 */
int gotimer_workers_start(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		gotimer_base_init(gotimer_cpu_base(cpu), cpu);
		/* [S17] adds nothing to a CPU that is not up. */
		gotimer_cpu_base(cpu)->offline = !cpu_online(cpu);
	}
	return smpboot_register_percpu_thread(&gotimer_threads);
}

/**
 * gotimer_workers_stop() - stop the workers, free the (empty) bases
 */
void gotimer_workers_stop(void)
{
	int cpu;

	smpboot_unregister_percpu_thread(&gotimer_threads);
	for_each_possible_cpu(cpu) {
		WRITE_ONCE(gotimer_cpu_base(cpu)->worker, NULL);
		gotimer_base_destroy(gotimer_cpu_base(cpu));
	}
}
