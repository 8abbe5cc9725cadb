// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU pools, each with its two bases and its workers (Go:
 * checkTimers called from the scheduler).
 *
 * Each CPU has a pool of gotimer.workers_per_cpu kernel threads, "gotimer/N"
 * and "gotimer/N:1".. (at most GOTIMER_WORKERS_MAX).  One of them, the
 * pool's runner (pool->runner, under the pinned base's heap lock), runs
 * the due timers one at a time in when order and sleeps until the earliest
 * of heap[0]'s when and modified_earliest.  The others stand by, asleep.
 *
 * Take-over (takeover.c) and stealing (steal.c) add to these rounds;
 * gotimer_stop_sync() (stopsync.c) waits for their callbacks.
 *
 * CPU hotplug: the workers are bound to their CPU while it is online
 * (gotimer_workers_bind()) and unbound, not parked, when it goes down
 * (gotimer_workers_unbind(), as workqueue's unbind_workers()): nothing in
 * CPU offline waits for a callback, so a callback may sleep or take
 * cpus_read_lock() while its CPU goes down.  Its heaps move to an online
 * housekeeping CPU before its workers are unbound (hotplug.c).
 *
 * CPU isolation (isolcpus=, nohz_full=): only housekeeping CPUs (below)
 * run other CPUs' timers.  A steal request goes to a housekeeping CPU
 * only, unbound workers may run on housekeeping CPUs only, and a departing
 * CPU's timers go to a housekeeping CPU.  An isolated CPU's own workers
 * run the timers armed there, as timer_list runs the timers armed on it.
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

/* Each CPU's pool, which holds its two bases. */
DEFINE_PER_CPU_SHARED_ALIGNED(struct gotimer_pool, gotimer_pools);

/*
 * The housekeeping CPUs, online or not: those in the timer, domain and
 * workqueue housekeeping masks, the masks timer_list (nohz_full=) and
 * unbound workqueues (isolcpus=, nohz_full=) keep to.  Set once by
 * gotimer_workers_start(); the masks do not change after boot.
 */
cpumask_var_t gotimer_hk_cpus;

static void hk_cpus_init(void)
{
	cpumask_copy(gotimer_hk_cpus, housekeeping_cpumask(HK_TYPE_TIMER));
	cpumask_and(gotimer_hk_cpus, gotimer_hk_cpus,
		    housekeeping_cpumask(HK_TYPE_DOMAIN));
	cpumask_and(gotimer_hk_cpus, gotimer_hk_cpus,
		    housekeeping_cpumask(HK_TYPE_WQ));
	/* Each mask has a CPU that stays online, not always a common one. */
	if (!cpumask_intersects(gotimer_hk_cpus, cpu_online_mask))
		cpumask_copy(gotimer_hk_cpus, housekeeping_cpumask(HK_TYPE_TIMER));
}

/**
 * gotimer_housekeeping_cpu() - may @cpu run other CPUs' timers?
 * @cpu: a CPU
 *
 * Return: true if @cpu is a housekeeping CPU (see gotimer_hk_cpus).
 */
bool gotimer_housekeeping_cpu(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, gotimer_hk_cpus);
}
EXPORT_SYMBOL_NS_GPL(gotimer_housekeeping_cpu, GOTIMER_INTERNAL);

/**
 * gotimer_adopter_cpu() - the CPU that takes @cpu's timers when it goes down
 * @cpu: an online CPU going down, with CPU hotplug held
 *
 * Return: the first online housekeeping CPU other than @cpu, or if there
 * is none, the first online CPU other than @cpu.
 */
unsigned int gotimer_adopter_cpu(unsigned int cpu)
{
	unsigned int to;

	for_each_cpu_and(to, gotimer_hk_cpus, cpu_online_mask)
		if (to != cpu)
			return to;
	return cpumask_any_but(cpu_online_mask, cpu);
}

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
unsigned int gotimer_steal_us = 200;
EXPORT_SYMBOL_NS_GPL(gotimer_steal_us, GOTIMER_INTERNAL);

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
	return pool_base(per_cpu_ptr(&gotimer_pools, cpu));
}
EXPORT_SYMBOL_NS_GPL(gotimer_cpu_base, GOTIMER_INTERNAL);

/**
 * gotimer_cpu_unpinned_base() - a CPU's base of unpinned timers
 * @cpu: a possible CPU
 *
 * Return: its unpinned base.
 */
struct gotimer_base *gotimer_cpu_unpinned_base(int cpu)
{
	return pool_ubase(per_cpu_ptr(&gotimer_pools, cpu));
}
EXPORT_SYMBOL_NS_GPL(gotimer_cpu_unpinned_base, GOTIMER_INTERNAL);

/**
 * gotimer_cpu_bases() - a CPU's GOTIMER_NR_BASES bases, for for_each_cpu_base()
 * @cpu: a possible CPU
 *
 * Return: the first of them (its pinned base); the others follow it.
 */
struct gotimer_base *gotimer_cpu_bases(int cpu)
{
	return per_cpu_ptr(&gotimer_pools, cpu)->bases;
}
EXPORT_SYMBOL_NS_GPL(gotimer_cpu_bases, GOTIMER_INTERNAL);

/**
 * gotimer_local_base() - the calling CPU's base; preemption must be off
 *
 * Return: this CPU's base.
 */
struct gotimer_base *gotimer_local_base(void)
{
	return this_cpu_ptr(&gotimer_pools.bases[GOTIMER_PINNED_BASE]);
}

/**
 * gotimer_local_unpinned_base() - the calling CPU's unpinned base
 *
 * Preemption must be off.
 *
 * Return: this CPU's unpinned base.
 */
struct gotimer_base *gotimer_local_unpinned_base(void)
{
	return this_cpu_ptr(&gotimer_pools.bases[GOTIMER_UNPINNED_BASE]);
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
	struct task_struct *runner;

	if (base->cpu < 0)
		return;		/* a private base (tests): nobody to wake */
	runner = READ_ONCE(per_cpu_ptr(&gotimer_pools, base->cpu)->runner_task);
	if (runner)
		wake_up_process(runner);
}

/**
 * gotimer_runner_task() - the task of @cpu's runner
 * @cpu: a possible CPU
 *
 * Return: the task the wake protocol wakes for @cpu's bases, NULL while
 * the workers are not started.  A snapshot: a take-over may change it.
 */
struct task_struct *gotimer_runner_task(int cpu)
{
	return READ_ONCE(per_cpu_ptr(&gotimer_pools, cpu)->runner_task);
}
EXPORT_SYMBOL_NS_GPL(gotimer_runner_task, GOTIMER_INTERNAL);

/**
 * gotimer_wake_sync_waiters() - a callback that stop_sync waits for returned
 * @t: the timer's address, only hashed: the callback may have freed it
 *
 * Called by the worker, heap lock dropped, when it saw a waiter registered
 * on it.  The full barrier orders the release of ->current_timer before
 * wake_up_var()'s lockless look at the wait queue, pairing with the barrier
 * in the waiter's prepare_to_wait_event() (Documentation of wake_up_var()).
 * A callback nobody waits for costs neither barrier nor wake-up.
 */
void gotimer_wake_sync_waiters(struct gotimer *t)
{
	/* ->current_timer's release before the wait queue look; as above. */
	smp_mb();
	wake_up_var(t);
}

/*
 * Is @task queued to run?  From 6.12 on, EEVDF's delayed dequeue (the
 * DELAY_DEQUEUE feature) leaves a fair task that blocks while ineligible
 * on its runqueue, with se.sched_delayed set, until it is picked again or
 * woken (task_is_runnable() in <linux/sched.h>): that task sleeps all the
 * same.  Kbuild defines GOTIMER_HAVE_SCHED_DELAYED where the field exists
 * (not in Debian 12's stock 6.1).
 */
static bool task_queued(struct task_struct *task)
{
	if (!READ_ONCE(task->on_rq))
		return false;
#ifdef GOTIMER_HAVE_SCHED_DELAYED
	if (READ_ONCE(task->se.sched_delayed))
		return false;
#endif
	return true;
}

/**
 * gotimer_task_asleep() - is @task asleep, and not being woken?
 * @task: a worker
 *
 * Not queued on a runqueue (off every runqueue, or left on one only by
 * delayed dequeue, see task_queued()), and its state not TASK_RUNNING or
 * TASK_WAKING.  A
 * task whose wake-up is in flight (TASK_WAKING: try_to_wake_up() queued it
 * on its CPU's wake list and the IPI has not been taken yet) is off its
 * runqueue too, but it has been woken: like a runnable task it waits for
 * the scheduler, not for gotimer; under CPU hotplug churn a task can stay
 * TASK_WAKING for longer than the missed-wake margin.
 *
 * Return: true if so.  Read without locks: a sample.
 */
bool gotimer_task_asleep(struct task_struct *task)
{
	unsigned int state;

	if (task_queued(task))
		return false;
	state = READ_ONCE(task->__state);
	return state != TASK_RUNNING && state != TASK_WAKING;
}
EXPORT_SYMBOL_NS_GPL(gotimer_task_asleep, GOTIMER_INTERNAL);

/*
 * Can @base hold @n more timers than it does now, plus the one add of its
 * CPU that may be in flight, within GOTIMER_HEAP_MAX_SLOTS?
 */
static bool reserve_fits(struct gotimer_base *base, unsigned int n)
{
	return n < GOTIMER_HEAP_MAX_SLOTS - READ_ONCE(base->heap.len);
}

/* Room in @base for @n more adds than it holds now, plus the one in flight. */
static int reserve_base(struct gotimer_base *base, unsigned int n)
{
	unsigned int len = READ_ONCE(base->heap.len);

	if (n >= GOTIMER_HEAP_MAX_SLOTS - len)
		return -ENOMEM;		/* it grew since reserve_fits() */
	return gotimer_base_reserve(base, len + n + 1, GFP_KERNEL);
}

/**
 * gotimer_reserve() - make room for @n more timers on every online CPU
 * @n: timers the caller is about to arm
 *
 * gotimer's heaps grow by themselves, mostly in the workers (task context),
 * but a burst of arms faster than they run, from a context that cannot
 * sleep, may find a heap full and then grows it with GFP_ATOMIC, or gets
 * -ENOMEM.  A caller about to arm many timers can grow every online CPU's
 * heaps first, with GFP_KERNEL, as radix_tree_preload() does for its tree:
 * both bases of each CPU, the pinned one and the one of GOTIMER_UNPINNED
 * timers, so that @n arms of either kind on any one CPU need no allocation.
 *
 * A heap holds at most GOTIMER_HEAP_MAX_SLOTS timers (its array stays
 * within what kvmalloc() accepts): an @n that would take some heap past
 * that is refused before anything is allocated.
 *
 * Context: task context, may sleep.
 *
 * Return: 0; -E2BIG if some online CPU's heap cannot hold @n more timers
 * (then nothing changed); or -ENOMEM if some heap could not grow (the
 * others keep what they got).
 */
int gotimer_reserve(unsigned int n)
{
	struct gotimer_base *b;
	int cpu, err = 0;

	might_sleep();
	if (n >= GOTIMER_HEAP_MAX_SLOTS)
		return -E2BIG;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		for_each_cpu_base(b, cpu) {
			if (!reserve_fits(b, n)) {
				cpus_read_unlock();
				return -E2BIG;
			}
		}
	}
	for_each_online_cpu(cpu) {
		for_each_cpu_base(b, cpu) {
			if (reserve_base(b, n))
				err = -ENOMEM;
		}
	}
	cpus_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(gotimer_reserve);

void worker_set_fifo(struct gotimer_worker *w)
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
void worker_fresh_budget(struct gotimer_worker *w)
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
void worker_check_budget(struct gotimer_worker *w)
{
	if (!worker_over_budget(w))
		return;
	sched_set_normal(current, 0);
	w->demoted = true;
	atomic_long_inc(&gotimer_worker_demotions);
}

static int worker_thread(void *data);

/* The calling thread's pool entry, if it is a gotimer worker or thief. */
struct gotimer_worker *current_worker(void)
{
	void *fn;

	if (!(current->flags & PF_KTHREAD))
		return NULL;
	fn = kthread_func(current);
	return fn == worker_thread || fn == thief_thread ? kthread_data(current) : NULL;
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

/*
 * A standby sleeps until the take-over timer (or kthread_stop()) wakes it.  The
 * state is set before the standby bit is published, so a wake-up that
 * reads the bit cannot be lost; a take-over timer that looked before the bit was
 * set looks again one interval later.
 */
static void standby_round(struct gotimer_worker *w)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, w->base->cpu);

	if (try_takeover(w))
		return;
	if (w->demoted)
		worker_set_fifo(w);	/* may sleep: before the state changes */
	set_current_state(TASK_IDLE);
	set_bit(w->slot, &pool->standby);
	if (!kthread_should_stop())
		schedule();
	__set_current_state(TASK_RUNNING);
	clear_bit(w->slot, &pool->standby);
	worker_fresh_budget(w);
}

/*
 * The runner: run what is due, then sleep by the wake protocol (base.c).
 * It can lose the role only inside a callback (try_takeover()), so once
 * gotimer_run_due() is back and it is still the runner, it stays the
 * runner until it next calls a callback.
 */
static void runner_round(struct gotimer_worker *w)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, w->base->cpu);
	struct gotimer_base *base = w->base;
	/* Both bases, as the wake protocol takes them (base.c). */
	struct gotimer_base *bases[GOTIMER_NR_BASES] = {
		pool_base(pool), pool_ubase(pool),
	};
	struct gotimer_base *b;
	s64 until, now = gotimer_now();
	unsigned int i;
	ktime_t expires;

	/*
	 * One clock read for both bases, the unpinned one first: once a
	 * pinned timer has run, every unpinned timer of this CPU due no later
	 * has been popped, its callback finished or running (the torture's
	 * fences rely on it).
	 */
	gotimer_run_due(pool_ubase(pool), now, w);
	if (!worker_is_runner(w))
		return;		/* taken over while in a callback: stand by */
	gotimer_run_due(base, now, w);
	if (!worker_is_runner(w))
		return;
	for_each_pool_base(b, pool) {
		/* task context: vfree() may sleep, GFP_KERNEL is fine */
		gotimer_base_free_retired(b);
		gotimer_base_keep_room(b);
	}

	/*
	 * Caught up (nothing due): a demoted worker is FIFO again, with a
	 * fresh budget.  Done before the task state changes, since changing
	 * the scheduling class may sleep.
	 */
	if (w->demoted) {
		s64 next = pool_next(pool);

		if (!next || next > gotimer_now()) {
			worker_set_fifo(w);
			worker_fresh_budget(w);
		}
	}

	set_current_state(TASK_INTERRUPTIBLE);
	until = gotimer_bases_sleep_begin(bases, ARRAY_SIZE(bases), gotimer_now());
	if (!until || kthread_should_stop()) {
		__set_current_state(TASK_RUNNING);
		for (i = 0; i < ARRAY_SIZE(bases); i++)
			gotimer_base_sleep_end(bases[i], until);
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
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		gotimer_base_sleep_end(bases[i], until);
	/* Only the runner writes it; sysfs reads a snapshot. */
	WRITE_ONCE(pool->wakeups, pool->wakeups + 1);
	worker_fresh_budget(w);		/* it slept */
}

static int worker_thread(void *data)
{
	struct gotimer_worker *w = data;

	worker_set_fifo(w);
	worker_fresh_budget(w);
	while (!kthread_should_stop()) {
		if (worker_is_runner(w))
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
	WARN_ON_ONCE(set_cpus_allowed_ptr(pool->thief.task, cpumask_of(cpu)));
	/*
	 * The take-over timer is pinned, and the CPU's going down moved it to another
	 * CPU (pinned hrtimers do not come back).  This runs on @cpu: if it
	 * is queued, take it off (then it is ours: ->takeover_armed stays 1 and
	 * neither its handler nor a callback's start can touch it) and queue
	 * it here again, beside the standby it wakes.
	 */
	if (pool->nr > 1 && hrtimer_try_to_cancel(&pool->takeover_timer) == 1)
		hrtimer_start(&pool->takeover_timer, takeover_interval(),
			      HRTIMER_MODE_REL_PINNED_HARD);
}

/**
 * gotimer_workers_unbind() - let a departing CPU's workers run elsewhere
 * @cpu: the CPU
 *
 * They may then run on any online housekeeping CPU.  Called from the
 * CPU-offline callback (hotplug.c) on @cpu, which is no longer active,
 * after its heaps moved.  Unlike parking, this does not wait for a
 * callback to return, so a callback that sleeps or takes cpus_read_lock()
 * cannot hold the offline up or deadlock it (workqueue's unbind_workers()
 * does the same for the same reason).
 */
void gotimer_workers_unbind(unsigned int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	unsigned int i;

	for (i = 0; i < pool->nr; i++)
		WARN_ON_ONCE(set_cpus_allowed_ptr(pool->workers[i].task,
						  gotimer_hk_cpus));
	WARN_ON_ONCE(set_cpus_allowed_ptr(pool->thief.task, gotimer_hk_cpus));
}

static int pool_start(unsigned int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	struct task_struct *task;
	unsigned int i;

	pool->started = true;
	hrtimer_setup(&pool->takeover_timer, takeover_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_HARD);
	hrtimer_setup(&pool->steal_timer, steal_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_HARD);
	raw_spin_lock_init(&pool->steal_lock);
	atomic_set(&pool->steal_from, -1);
	pool->steal_next = cpu;
	for (i = 0; i < gotimer_workers_per_cpu; i++) {
		struct gotimer_worker *w = &pool->workers[i];

		w->base = base;
		w->slot = i;
		w->pool = pool;
		w->runner = &pool->runner;
		if (i)
			task = kthread_create_on_node(worker_thread, w, cpu_to_node(cpu),
						      "gotimer/%u:%u", cpu, i);
		else
			task = kthread_create_on_node(worker_thread, w, cpu_to_node(cpu),
						      "gotimer/%u", cpu);
		if (IS_ERR(task))
			return PTR_ERR(task);
		/*
		 * PF_NO_SETAFFINITY; on the housekeeping CPUs until
		 * gotimer_workers_bind().
		 */
		kthread_bind(task, cpu);
		WARN_ON_ONCE(set_cpus_allowed_ptr(task, gotimer_hk_cpus));
		w->task = task;
		pool->nr = i + 1;
	}
	task = kthread_create_on_node(thief_thread, &pool->thief, cpu_to_node(cpu),
				      "gotimer/%u:t", cpu);
	if (IS_ERR(task))
		return PTR_ERR(task);
	pool->thief.base = base;
	pool->thief.slot = GOTIMER_THIEF_SLOT;
	pool->thief.pool = pool;
	pool->thief.runner = &pool->runner;
	kthread_bind(task, cpu);
	WARN_ON_ONCE(set_cpus_allowed_ptr(task, gotimer_hk_cpus));
	/* Read by other CPUs' steal timers (steal_request()). */
	WRITE_ONCE(pool->thief.task, task);
	WRITE_ONCE(pool->runner_task, pool->workers[0].task);
	for (i = 0; i < pool->nr; i++)
		wake_up_process(pool->workers[i].task);
	wake_up_process(task);
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
	struct gotimer_base *b;
	int cpu, ret;

	if (!zalloc_cpumask_var(&gotimer_hk_cpus, GFP_KERNEL))
		return -ENOMEM;
	hk_cpus_init();
	for_each_possible_cpu(cpu) {
		for_each_cpu_base(b, cpu) {
			gotimer_base_init(b, cpu);
			b->unpinned = b == gotimer_cpu_unpinned_base(cpu);
			/* [S17] adds nothing to a CPU that is not up. */
			b->offline = !cpu_online(cpu);
		}
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
	struct gotimer_base *b;
	unsigned int cpu, i;

	/* Both hrtimers first: a steal timer wakes other CPUs' thieves. */
	for_each_possible_cpu(cpu) {
		struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);

		if (pool->started) {
			hrtimer_cancel(&pool->takeover_timer);
			hrtimer_cancel(&pool->steal_timer);
		}
	}
	for_each_possible_cpu(cpu) {
		struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);

		for (i = 0; i < pool->nr; i++)
			kthread_stop(pool->workers[i].task);
		if (pool->thief.task)
			kthread_stop(pool->thief.task);
		WRITE_ONCE(pool->thief.task, NULL);
		pool->nr = 0;
		WRITE_ONCE(pool->runner_task, NULL);
		for_each_pool_base(b, pool)
			gotimer_base_destroy(b);
	}
	free_cpumask_var(gotimer_hk_cpus);
}
