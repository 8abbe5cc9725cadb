// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU bases and their workers (Go: checkTimers called from the
 * scheduler), and gotimer_stop_sync(), which waits for their callbacks.
 *
 * Each CPU has a pool of gotimer.workers_per_cpu kernel threads, "gotimer/N"
 * and "gotimer/N:1".. (at most GOTIMER_WORKERS_MAX).  One of them, the
 * base's runner (base->runner, under the heap lock), runs the due timers
 * one at a time in when order and sleeps until the earliest of heap[0]'s
 * when and modified_earliest.  The others stand by, asleep.
 *
 * Take-over (head-of-line blocking): callbacks may sleep, and while one
 * does, every other timer of its CPU would wait behind it.  A per-CPU
 * hrtimer, the watch, is armed when the runner enters a callback (unless it
 * is already armed) and looks every gotimer.takeover_us: if the runner is
 * still in a callback, has started none since the last look, is asleep in
 * it (not on a runqueue), and a timer of the base is due, it wakes a
 * standby.  The standby takes the heap lock and,
 * if that all still holds, makes itself the runner.  The old runner, when
 * its callback returns, finds it is no longer the runner and stands by.
 * The role changes only under the heap lock and only while the runner is
 * inside a callback, so at most one worker pops timers at any time; a timer
 * whose callback still runs in a worker is never started again [S18].  A
 * CPU thus keeps firing on time while up to workers_per_cpu - 1 of its
 * callbacks sleep; beyond that the rest wait, as they do with one worker.
 * Callbacks of one CPU start in when order and run one at a time, except
 * that the ones after a callback that sleeps longer than takeover_us start
 * while it sleeps.
 *
 * CPU hotplug: the workers are bound to their CPU while it is online
 * (gotimer_workers_bind()) and unbound, not parked, when it goes down
 * (gotimer_workers_unbind(), as workqueue's unbind_workers()): nothing in
 * CPU offline waits for a callback, so a callback may sleep or take
 * cpus_read_lock() while its CPU goes down.  A dying CPU's timers that
 * fall due before its heap moves (hotplug.c) run on whatever CPU its
 * unbound workers get.
 */
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>
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
 */
struct gotimer_worker {
	struct task_struct *task;
	struct gotimer_base *base;
	unsigned int slot;
	unsigned long budget_end;
	bool demoted;
};

/**
 * struct gotimer_pool - a CPU's workers and the take-over watch
 * @workers: the threads, @nr of them
 * @nr: gotimer_workers_per_cpu when the pool was made
 * @standby: bit per slot: that worker stands by, asleep, and may be woken
 *	to take over
 * @watch: the hrtimer that looks for a runner stuck in a callback
 * @watch_armed: 1 while @watch is armed or its handler will re-arm it
 * @watch_looks: runs of @watch's handler (for the missed-wake detector)
 * @watch_fired: base->fired at the watch's last look
 * @base: the CPU's base
 */
struct gotimer_pool {
	struct gotimer_worker workers[GOTIMER_WORKERS_MAX];
	unsigned int nr;
	unsigned long standby;
	struct hrtimer watch;
	atomic_t watch_armed;
	unsigned long watch_looks;
	unsigned long watch_fired;
	struct gotimer_base *base;
};

static DEFINE_PER_CPU(struct gotimer_base, gotimer_bases);
static DEFINE_PER_CPU(struct gotimer_pool, gotimer_pools);

/* Parameters, see main.c and Documentation/gotimer.rst. */
unsigned int gotimer_workers_per_cpu = 2;
EXPORT_SYMBOL_NS_GPL(gotimer_workers_per_cpu, GOTIMER_INTERNAL);
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

/* The task of worker @slot of @base's pool. */
static struct task_struct *pool_worker_task(struct gotimer_base *base,
					    unsigned int slot)
{
	return per_cpu_ptr(&gotimer_pools, base->cpu)->workers[slot].task;
}

/*
 * Is @base's runner inside a callback and asleep in it (off its runqueue)?
 * The take-over's condition, read by the watch without the heap lock and
 * by try_takeover() under it.
 */
static bool runner_sleeps_in_callback(struct gotimer_base *base)
{
	unsigned int r = READ_ONCE(base->runner);

	return READ_ONCE(base->running[r]) &&
	       !READ_ONCE(pool_worker_task(base, r)->on_rq);
}

/* The pool worker that runs @t's callback, if it is the calling thread. */
static bool in_own_callback(struct gotimer_base *rb, struct gotimer *t)
{
	int slot = gotimer_running_slot(rb, t);

	if (slot < 0 || rb->cpu < 0)
		return false;
	return pool_worker_task(rb, slot) == current;
}

/* Wait until no worker of @rb is in @t's callback. */
static void wait_for_callback(struct gotimer_base *rb, struct gotimer *t)
{
	raw_spin_lock(&rb->lock);
	if (!gotimer_callback_running(rb, t)) {
		raw_spin_unlock(&rb->lock);
		return;
	}
	/* Under the heap lock: run_head() reads the count under it. */
	rb->sync_waiters++;
	raw_spin_unlock(&rb->lock);
	wait_var_event(t, !gotimer_callback_running(rb, t));
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
 * ran (its GOTIMER_WORKERS_MAX worker slots), and waits on a wait queue
 * keyed by @t.
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
	self = in_own_callback(rb, t);
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
		running = gotimer_callback_running(rb, t);
		base = t->base;
		gotimer_status_unlock(t, s);
		if (!self && running)
			wait_for_callback(rb, t);
		else if (!base)
			break;
		/*
		 * Its callback may have armed it again: a re-arm sets ->base
		 * before the callback returns, and the acquire in
		 * gotimer_running_slot() pairs with the release in run_head(),
		 * so a callback seen finished shows its re-arm here.
		 */
		pending |= gotimer_stop_lazy(t);
	}
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_stop_sync);

/**
 * gotimer_reserve() - make room for @n more timers on every online CPU
 * @n: timers the caller is about to arm
 *
 * gotimer's heaps grow by themselves, mostly in the workers (task context),
 * but a burst of arms faster than they run, from a context that cannot
 * sleep, may find a heap full and then grows it with GFP_ATOMIC, or gets
 * -ENOMEM.  A caller about to arm many timers can grow every online CPU's
 * heap first, with GFP_KERNEL, as radix_tree_preload() does for its tree.
 *
 * Context: task context, may sleep.
 *
 * Return: 0, or -ENOMEM if some heap could not grow (the others keep what
 * they got).
 */
int gotimer_reserve(unsigned int n)
{
	int cpu, err = 0;

	might_sleep();
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct gotimer_base *base = gotimer_cpu_base(cpu);
		unsigned int len = READ_ONCE(base->heap.len);

		if (n > UINT_MAX - len - 1 ||
		    gotimer_base_reserve(base, len + n + 1, GFP_KERNEL))
			err = -ENOMEM;
	}
	cpus_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(gotimer_reserve);

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

static int worker_thread(void *data);

/* The calling thread's pool entry, if it is a gotimer worker. */
static struct gotimer_worker *current_worker(void)
{
	if (!(current->flags & PF_KTHREAD) || kthread_func(current) != worker_thread)
		return NULL;
	return kthread_data(current);
}

/**
 * gotimer_current_worker_cpu() - is the caller a gotimer worker, and whose?
 *
 * Return: the CPU whose pool the calling thread belongs to, or -1 if it is
 * not a gotimer worker (for tests: "ran on a worker of its CPU").
 */
int gotimer_current_worker_cpu(void)
{
	struct gotimer_worker *w = current_worker();

	return w ? w->base->cpu : -1;
}
EXPORT_SYMBOL_NS_GPL(gotimer_current_worker_cpu, GOTIMER_INTERNAL);

static ktime_t takeover_interval(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC);
}

/**
 * gotimer_before_callback() - a worker is about to call a callback
 * @base: its base; no gotimer lock held
 *
 * Arms the take-over watch unless it is armed: once per batch of callbacks,
 * not once per callback (the watch re-arms itself while it sees the runner
 * in callbacks).  ->watch_armed says who owns the arming: whoever moves it
 * from 0 to 1 starts the timer (here) or forwards it (the handler), so the
 * hrtimer is never started while its handler forwards it.  The handler
 * drops it to 0 when it sees the runner out of callbacks, then looks
 * again; this side published ->running[] (under the heap lock, before the
 * call) and looks at ->watch_armed after a full barrier.  Store buffering
 * on the two sides: either the handler sees this callback and keeps the
 * watch, or this side sees the watch dropped and starts it.
 */
void gotimer_before_callback(struct gotimer_base *base)
{
	struct gotimer_pool *pool;

	if (base->cpu < 0)
		return;
	pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	if (pool->nr < 2)
		return;
	/* ->running[] before ->watch_armed; pairs with watch_fn()'s. */
	smp_mb();
	if (atomic_read(&pool->watch_armed) ||
	    atomic_cmpxchg(&pool->watch_armed, 0, 1))
		return;
	WRITE_ONCE(pool->watch_fired, READ_ONCE(base->fired));
	hrtimer_start(&pool->watch, takeover_interval(),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

/**
 * gotimer_after_callback() - the scheduling point between two callbacks
 * @base: the base whose callback just returned; no gotimer lock held
 *
 * On PREEMPT_NONE and PREEMPT_VOLUNTARY kernels nothing else yields in a
 * long run of due callbacks, or behind a periodic callback that outlasts
 * its period: cond_resched() here keeps the soft-lockup detector and RCU
 * quiet.  In a worker it also enforces the FIFO budget.
 */
void gotimer_after_callback(struct gotimer_base *base)
{
	struct gotimer_worker *w = current_worker();

	if (w && w->base == base)
		worker_check_budget(w);
	cond_resched();
}

/* Is a timer of @base due?  Either of its earliest times passed. */
static bool base_due(struct gotimer_base *base)
{
	s64 next = gotimer_base_next(base);

	return next && next <= gotimer_now();
}

/*
 * The watch (hard hrtimer, so a busy CPU cannot hold it back): wakes a
 * standby when the runner has sat in one callback for a whole interval
 * while a timer is due.  Only reads the base; the decision is retaken
 * under the heap lock by the standby (try_takeover()).  Stops when the
 * runner is out of callbacks; gotimer_before_callback() starts it again.
 */
static enum hrtimer_restart watch_fn(struct hrtimer *timer)
{
	struct gotimer_pool *pool = container_of(timer, struct gotimer_pool, watch);
	struct gotimer_base *base = pool->base;
	unsigned long fired = READ_ONCE(base->fired);
	unsigned int r = READ_ONCE(base->runner), slot;

	/* Only looks from beside the standby count (watchdog.c). */
	if (raw_smp_processor_id() == base->cpu)
		WRITE_ONCE(pool->watch_looks, pool->watch_looks + 1);
	if (!READ_ONCE(base->running[r])) {
		atomic_set(&pool->watch_armed, 0);
		/* ->watch_armed before ->running[]; pairs as said there. */
		smp_mb();
		r = READ_ONCE(base->runner);
		if (!READ_ONCE(base->running[r]) ||
		    atomic_cmpxchg(&pool->watch_armed, 0, 1))
			return HRTIMER_NORESTART;
		/* A callback began meanwhile and the watch is still ours. */
	}
	/*
	 * Only a runner that sleeps in its callback is taken over from, as
	 * workqueue's concurrency management starts a worker only when one
	 * sleeps: a runner that computes (or is preempted) keeps its CPU
	 * anyway, the standby would only queue behind it at the same
	 * priority, and callbacks that do not sleep stay one at a time.
	 */
	if (fired == READ_ONCE(pool->watch_fired) &&
	    !READ_ONCE(pool->workers[r].task->on_rq) && base_due(base)) {
		slot = find_first_bit(&pool->standby, GOTIMER_WORKERS_MAX);
		if (slot < pool->nr)
			wake_up_process(pool->workers[slot].task);
		/* None free: look again; a returning runner stands by. */
	}
	WRITE_ONCE(pool->watch_fired, fired);
	hrtimer_forward_now(timer, takeover_interval());
	return HRTIMER_RESTART;
}

/**
 * gotimer_takeover_suspect() - is a take-over of @cpu's runner overdue?
 * @cpu: a CPU
 * @now: the current time
 * @fired: set to the base's callback count, which names the stuck callback
 * @looks: set to the number of times the watch has looked so far
 *
 * For the missed-wake detector (watchdog.c): the runner is asleep in a
 * callback, a timer of the base has been due for more than two watch
 * intervals, and a standby is asleep: the watch should have woken it.
 * Like the detector's own test, this needs no threshold on lateness: each
 * condition is "asleep", not "slow".  The detector also requires the watch
 * to have looked several times meanwhile from the base's own CPU (@looks):
 * a vCPU the host does not run, or an hrtimer interrupt the kernel's hang
 * detection put off, stalls the watch and the standby alike, and is no
 * missed wake-up; a watch that CPU hotplug left on another CPU does not
 * count.
 * Read without the heap lock.
 *
 * Return: true if so.
 */
bool gotimer_takeover_suspect(int cpu, s64 now, unsigned long *fired,
			      unsigned long *looks)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	struct gotimer_base *base = pool->base;
	s64 grace = 2 * (s64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC;
	unsigned int slot;
	s64 next;

	/*
	 * A CPU on its way down or up runs its hotplug callbacks at a higher
	 * priority than the standby, and the scheduler pushes tasks off an
	 * inactive CPU: no place to judge a take-over.
	 */
	if (!base || pool->nr < 2 || !cpu_active(cpu))
		return false;
	*fired = READ_ONCE(base->fired);
	*looks = READ_ONCE(pool->watch_looks);
	if (!runner_sleeps_in_callback(base))
		return false;
	next = gotimer_base_next(base);
	if (!next || next > now - grace)
		return false;
	for_each_set_bit(slot, &pool->standby, pool->nr)
		if (!READ_ONCE(pool->workers[slot].task->on_rq))
			return true;
	return false;
}
EXPORT_SYMBOL_NS_GPL(gotimer_takeover_suspect, GOTIMER_INTERNAL);

/*
 * A standby's look: if the runner is still inside a callback and a timer is
 * due, become the runner.  Under the heap lock, where ->runner and
 * ->running[] change, so the decision is exact: the runner cannot leave its
 * callback and pop a timer meanwhile, and two standbys cannot both win.
 */
static bool try_takeover(struct gotimer_worker *w)
{
	struct gotimer_base *base = w->base;
	bool took = false;

	raw_spin_lock(&base->lock);
	/*
	 * Only from a runner asleep in its callback, as the watch decides: a
	 * runner that computes, preempted by this standby (a demoted runner
	 * is SCHED_NORMAL), keeps its role, so that callbacks that do not
	 * sleep stay one at a time.
	 */
	if (base->runner != w->slot && runner_sleeps_in_callback(base) &&
	    base_due(base)) {
		WRITE_ONCE(base->runner, w->slot);
		WRITE_ONCE(base->worker, w->task);
		WRITE_ONCE(base->takeovers, base->takeovers + 1);
		took = true;
	}
	raw_spin_unlock(&base->lock);
	return took;
}

/*
 * A standby sleeps until the watch (or kthread_stop()) wakes it.  The state
 * is set before the standby bit is published, so a wake-up that reads the
 * bit cannot be lost; a watch that looked before the bit was set looks
 * again one interval later.
 */
static void standby_round(struct gotimer_worker *w)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, w->base->cpu);

	if (try_takeover(w))
		return;
	set_current_state(TASK_IDLE);
	set_bit(w->slot, &pool->standby);
	if (!kthread_should_stop())
		schedule();
	__set_current_state(TASK_RUNNING);
	clear_bit(w->slot, &pool->standby);
}

/*
 * The runner: run what is due, then sleep by the wake protocol (base.c).
 * It can lose the role only inside a callback (try_takeover()), so once
 * gotimer_run_due_slot() is back and it is still the runner, it stays the
 * runner until it next calls a callback.
 */
static void runner_round(struct gotimer_worker *w)
{
	struct gotimer_base *base = w->base;
	s64 until;
	ktime_t expires;

	gotimer_run_due_slot(base, gotimer_now(), w->slot);
	if (READ_ONCE(base->runner) != w->slot)
		return;		/* taken over while in a callback: stand by */
	gotimer_base_free_retired(base);	/* task context: vfree() may sleep */
	gotimer_base_keep_room(base);		/* and GFP_KERNEL is fine */

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
	if (!until || kthread_should_stop()) {
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
		schedule_hrtimeout_range(&expires, READ_ONCE(gotimer_slack_ns),
					 HRTIMER_MODE_ABS);
	}
	gotimer_base_sleep_end(base);
	/* Only the runner writes it; sysfs reads a snapshot. */
	WRITE_ONCE(base->wakeups, base->wakeups + 1);
	worker_fresh_budget(w);		/* it slept */
}

static int worker_thread(void *data)
{
	struct gotimer_worker *w = data;

	worker_set_fifo(w);
	worker_fresh_budget(w);
	while (!kthread_should_stop()) {
		if (READ_ONCE(w->base->runner) == w->slot)
			runner_round(w);
		else
			standby_round(w);
	}
	return 0;
}

/**
 * gotimer_workers_bind() - bind a CPU's workers to it; it is coming online
 * @cpu: the CPU
 *
 * Called from the CPU-online callback (hotplug.c), and for every online CPU
 * when gotimer loads.  A worker still in a callback is moved too; the
 * callback then goes on there.
 */
void gotimer_workers_bind(unsigned int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	unsigned int i;

	for (i = 0; i < pool->nr; i++)
		WARN_ON_ONCE(set_cpus_allowed_ptr(pool->workers[i].task,
						  cpumask_of(cpu)));
	/*
	 * The watch is pinned, and the CPU's going down moved it to another
	 * CPU (pinned hrtimers do not come back).  This runs on @cpu: if it
	 * is queued, take it off (then it is ours: ->watch_armed stays 1 and
	 * neither its handler nor a callback's start can touch it) and queue
	 * it here again, beside the standby it wakes.
	 */
	if (pool->nr > 1 && hrtimer_try_to_cancel(&pool->watch) == 1)
		hrtimer_start(&pool->watch, takeover_interval(),
			      HRTIMER_MODE_REL_PINNED_HARD);
}

/**
 * gotimer_workers_unbind() - let a CPU's workers run anywhere; it goes down
 * @cpu: the CPU
 *
 * Called from the CPU-offline callback (hotplug.c) on @cpu, which is no
 * longer active.  Unlike parking, this does not wait for a callback to
 * return, so a callback that sleeps or takes cpus_read_lock() cannot hold
 * the offline up or deadlock it (workqueue's unbind_workers() does the
 * same for the same reason).
 */
void gotimer_workers_unbind(unsigned int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	unsigned int i;

	for (i = 0; i < pool->nr; i++)
		WARN_ON_ONCE(set_cpus_allowed_ptr(pool->workers[i].task,
						  cpu_possible_mask));
}

static int pool_start(unsigned int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	unsigned int i;

	pool->base = base;
	hrtimer_init(&pool->watch, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	pool->watch.function = watch_fn;
	for (i = 0; i < gotimer_workers_per_cpu; i++) {
		struct gotimer_worker *w = &pool->workers[i];
		struct task_struct *task;

		w->base = base;
		w->slot = i;
		if (i)
			task = kthread_create_on_node(worker_thread, w, cpu_to_node(cpu),
						      "gotimer/%u:%u", cpu, i);
		else
			task = kthread_create_on_node(worker_thread, w, cpu_to_node(cpu),
						      "gotimer/%u", cpu);
		if (IS_ERR(task))
			return PTR_ERR(task);
		/* PF_NO_SETAFFINITY; unbound until gotimer_workers_bind(). */
		kthread_bind(task, cpu);
		WARN_ON_ONCE(set_cpus_allowed_ptr(task, cpu_possible_mask));
		w->task = task;
		pool->nr = i + 1;
	}
	WRITE_ONCE(base->worker, pool->workers[0].task);
	for (i = 0; i < pool->nr; i++)
		wake_up_process(pool->workers[i].task);
	return 0;
}

/**
 * gotimer_workers_start() - set up every possible CPU's base and workers
 *
 * Called with cpus_read_lock() held, before the hotplug callbacks are
 * registered (which bind the online CPUs' workers): the online mask holds
 * still meanwhile.
 *
 * Return: 0 or a negative errno (nothing left running).
 */
int gotimer_workers_start(void)
{
	int cpu, ret;

	for_each_possible_cpu(cpu) {
		gotimer_base_init(gotimer_cpu_base(cpu), cpu);
		/* [S17] adds nothing to a CPU that is not up. */
		gotimer_cpu_base(cpu)->offline = !cpu_online(cpu);
	}
	for_each_possible_cpu(cpu) {
		ret = pool_start(cpu);
		if (ret) {
			gotimer_workers_stop();
			return ret;
		}
	}
	return 0;
}

/**
 * gotimer_workers_stop() - stop the workers, free the (empty) bases
 *
 * The hotplug callbacks are gone by then.  A worker still in a callback is
 * waited for (kthread_stop()): the callbacks' modules are still loaded, as
 * they hold references to gotimer.
 */
void gotimer_workers_stop(void)
{
	unsigned int cpu, i;

	for_each_possible_cpu(cpu) {
		struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);

		for (i = 0; i < pool->nr; i++)
			kthread_stop(pool->workers[i].task);
		if (pool->base)
			hrtimer_cancel(&pool->watch);
		pool->nr = 0;
		WRITE_ONCE(gotimer_cpu_base(cpu)->worker, NULL);
		gotimer_base_destroy(gotimer_cpu_base(cpu));
	}
}
