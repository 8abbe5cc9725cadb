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
 * hrtimer, the watch, is armed when the runner starts a batch of callbacks
 * (unless it is already armed) and looks every gotimer.takeover_us: if the
 * runner is
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
 * Unpinned timers (GOTIMER_UNPINNED) live in a second base per CPU, the
 * unpinned base, which the same workers run.  It has no runner role: when
 * its timers have been due for gotimer.steal_us and still have not run
 * (the CPU's workers are busy, asleep in callbacks, or kept off the CPU by
 * a higher-priority task), its steal watch, a hard hrtimer, asks another
 * CPU for help, and that CPU's thief runs them [S19], as workqueue's mayday
 * timer calls a rescuer.  The thief ("gotimer/N:t") is a thread of its
 * own, never one of the pool's workers: stealing takes nothing from the
 * take-over, so "up to workers_per_cpu - 1 callbacks of one CPU may sleep
 * at once without delaying the rest" holds whatever other CPUs' unpinned
 * callbacks do, and a CPU with workers_per_cpu=1 steals too.  The watch is
 * armed by every store that lowers the unpinned base's earliest time
 * (base.c), so it costs nothing while no unpinned timer is queued, and one
 * hrtimer expiry per earliest time while some are.
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
 * @in_batch: it is between gotimer_batch_begin() and gotimer_batch_end():
 *	running callbacks (written by the thread, read by the watch)
 */
struct gotimer_worker {
	struct task_struct *task;
	struct gotimer_base *base;
	unsigned int slot;
	unsigned long budget_end;
	bool demoted;
	bool in_batch;
};

/**
 * struct gotimer_pool - a CPU's workers and its two watches
 * @workers: the threads, @nr of them
 * @nr: gotimer_workers_per_cpu when the pool was made
 * @standby: bit per slot: that worker stands by, asleep, and may be woken
 *	to take over
 * @watch: the hrtimer that looks for a runner stuck in a callback
 * @watch_armed: 1 while @watch is armed or its handler will re-arm it
 * @watch_looks: runs of @watch's handler (for the missed-wake detector)
 * @watch_fired: callbacks run by the CPU's bases at the watch's last look
 * @watch_verdict: what that look found, for gotimer_takeover_report(): 'p'
 *	progress since the look before, 'r' the runner not asleep, 'n'
 *	nothing due, 'w' a standby woken, 'b' no standby to wake, 'o' the
 *	runner out of its batch (the watch stopped)
 * @steal_watch: the hrtimer that looks for unpinned timers nobody ran
 * @steal_lock: serializes the starts of @steal_watch
 * @steal_at: the time @steal_watch is queued for, 0 if none; written under
 *	@steal_lock, read without it
 * @steal_next: the CPU the steal watch asked last (its handler only)
 * @steal_eager: a look found the CPU's workers not running its due
 *	unpinned timers, and they have run none since: look at the next one's
 *	own time (its handler only)
 * @steal_own_runs: the callbacks the CPU's own workers had run (pool_fired()) at
 *	the last look (its handler only)
 * @steal_from: a CPU whose unpinned timers this pool's thief was asked to
 *	run, -1 if none
 * @thief: the thread that runs them, in slot GOTIMER_THIEF_SLOT of @ubase
 * @base: the CPU's base
 * @ubase: the CPU's unpinned base
 */
struct gotimer_pool {
	struct gotimer_worker workers[GOTIMER_WORKERS_MAX];
	unsigned int nr;
	unsigned long standby;
	struct hrtimer watch;
	atomic_t watch_armed;
	unsigned long watch_looks;
	unsigned long watch_fired;
	char watch_verdict;
	struct hrtimer steal_watch;
	raw_spinlock_t steal_lock;
	s64 steal_at;
	unsigned int steal_next;
	bool steal_eager;
	unsigned long steal_own_runs;
	atomic_t steal_from;
	struct gotimer_worker thief;
	struct gotimer_base *base;
	struct gotimer_base *ubase;
};

static DEFINE_PER_CPU(struct gotimer_base, gotimer_bases);
static DEFINE_PER_CPU(struct gotimer_base, gotimer_unpinned_bases);
static DEFINE_PER_CPU(struct gotimer_pool, gotimer_pools);

/*
 * The housekeeping CPUs, online or not: those in the timer, domain and
 * workqueue housekeeping masks, the masks timer_list (nohz_full=) and
 * unbound workqueues (isolcpus=, nohz_full=) keep to.  Set once by
 * gotimer_workers_start(); the masks do not change after boot.
 */
static cpumask_var_t gotimer_hk_cpus;

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
	return per_cpu_ptr(&gotimer_bases, cpu);
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
	return per_cpu_ptr(&gotimer_unpinned_bases, cpu);
}
EXPORT_SYMBOL_NS_GPL(gotimer_cpu_unpinned_base, GOTIMER_INTERNAL);

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
 * gotimer_local_unpinned_base() - the calling CPU's unpinned base
 *
 * Preemption must be off.
 *
 * Return: this CPU's unpinned base.
 */
struct gotimer_base *gotimer_local_unpinned_base(void)
{
	return this_cpu_ptr(&gotimer_unpinned_bases);
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

/* Worker @slot of @pool: one of its workers, or its thief. */
static struct gotimer_worker *pool_worker(struct gotimer_pool *pool,
					  unsigned int slot)
{
	return slot == GOTIMER_THIEF_SLOT ? &pool->thief : &pool->workers[slot];
}

/* The task of worker @slot of @base's pool. */
static struct task_struct *pool_worker_task(struct gotimer_base *base,
					    unsigned int slot)
{
	return pool_worker(per_cpu_ptr(&gotimer_pools, base->cpu), slot)->task;
}

/*
 * Is worker @slot of @pool inside a callback, of either base?  Read
 * without the unpinned base's lock: a worker that has just left an
 * unpinned callback can be taken for one still in it, which at worst makes
 * a take-over that was not needed; the pinned base's runner role itself is
 * exact (gotimer_run_due_as() checks it under the heap lock).
 */
static bool in_callback(struct gotimer_pool *pool, unsigned int slot)
{
	return READ_ONCE(pool->base->running[slot]) ||
	       READ_ONCE(pool->ubase->running[slot]);
}

/*
 * Callbacks the CPU's own workers have started from its two bases, for the
 * watch.  Not the ones thieves ran from its unpinned base: those go on while
 * its runner sleeps in a callback, and must not look like the runner's
 * progress (the missed-take-over check caught that).  The pinned base's
 * ->fired counts only its own workers' callbacks (nothing steals pinned
 * timers); the unpinned base keeps ->own_fired for them.  A snapshot a
 * little stale is fine for a count of progress.
 */
static unsigned long pool_fired(struct gotimer_pool *pool)
{
	/*
	 * Two counters that only grow, each one word: the sum is unchanged
	 * only if neither changed.  (fired - stolen, read as two words, could
	 * look like progress when a thief's run was half counted.)
	 */
	return READ_ONCE(pool->base->fired) + READ_ONCE(pool->ubase->own_fired);
}

/* The earliest time of either of the CPU's bases, 0 if none. */
static s64 pool_next(struct gotimer_pool *pool)
{
	s64 a = gotimer_base_next(pool->base), b = gotimer_base_next(pool->ubase);

	return a && (!b || a < b) ? a : b;
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
 * the scheduler, not for gotimer.  (Debian's 6.1 kernel, under CPU hotplug
 * churn, showed a standby in TASK_WAKING for longer than the missed-wake
 * margin while the watch's wake_up_process() calls found it already
 * woken: two false "missed take-over" reports before this test.)
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
 * Is @base's runner inside a callback and asleep in it (off its runqueue)?
 * The take-over's condition, read by the watch without the heap lock and
 * by try_takeover() under it.
 */
static bool runner_sleeps_in_callback(struct gotimer_base *base)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	unsigned int r = READ_ONCE(base->runner);

	return in_callback(pool, r) &&
	       gotimer_task_asleep(pool_worker_task(base, r));
}

static struct gotimer_worker *current_worker(void);

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
 * Does a worker of @rb other than slot @own run a callback of the timer at
 * @t's address?  Slot @own, the caller's, is left out: a callback cannot
 * wait for itself.  Not "the first slot that holds @t, and is it mine":
 * the callback of a timer at @t's address, in the caller's slot, may have
 * stopped and freed it, made a new timer at the same address and armed it,
 * and the new one's callback may run in another slot; that one is waited
 * for.
 */
static bool running_elsewhere(struct gotimer_base *rb, struct gotimer *t,
			      int own)
{
	int i;

	if (!rb)
		return false;
	for (i = 0; i < GOTIMER_SLOTS; i++)
		if (i != own && gotimer_slot_runs(rb, i, t))
			return true;
	return false;
}

/* Wait until no worker of @rb but slot @own is in @t's callback. */
static void wait_for_callback(struct gotimer_base *rb, struct gotimer *t,
			      int own)
{
	raw_spin_lock(&rb->lock);
	if (!running_elsewhere(rb, t, own)) {
		raw_spin_unlock(&rb->lock);
		return;
	}
	/* Under the heap lock: run_head() reads the count under it. */
	rb->sync_waiters++;
	raw_spin_unlock(&rb->lock);
	wait_var_event(t, !running_elsewhere(rb, t, own));
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
 * CPUs: it looks only at the base where @t's callback last ran (its
 * GOTIMER_SLOTS worker slots), and waits on a wait queue keyed by @t.
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
		own = own_slot(w, rb);
		running = running_elsewhere(rb, t, own);
		base = t->base;
		gotimer_status_unlock(t, s);
		if (running)
			wait_for_callback(rb, t, own);
		else if (!base)
			break;
		/*
		 * Its callback may have armed it again: a re-arm sets ->base
		 * before the callback returns, and the acquire in
		 * gotimer_slot_runs() pairs with the release in run_head(),
		 * so a callback seen finished shows its re-arm here.
		 */
		pending |= gotimer_stop_lazy(t);
	}
	return pending;
}
EXPORT_SYMBOL_GPL(gotimer_stop_sync);

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
	int cpu, err = 0;

	might_sleep();
	if (n >= GOTIMER_HEAP_MAX_SLOTS)
		return -E2BIG;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (!reserve_fits(gotimer_cpu_base(cpu), n) ||
		    !reserve_fits(gotimer_cpu_unpinned_base(cpu), n)) {
			cpus_read_unlock();
			return -E2BIG;
		}
	}
	for_each_online_cpu(cpu) {
		if (reserve_base(gotimer_cpu_base(cpu), n))
			err = -ENOMEM;
		if (reserve_base(gotimer_cpu_unpinned_base(cpu), n))
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
static int thief_thread(void *data);

/* The calling thread's pool entry, if it is a gotimer worker or thief. */
static struct gotimer_worker *current_worker(void)
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

static ktime_t takeover_interval(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC);
}

/**
 * gotimer_batch_begin() - a worker is about to run its first callback of a batch
 * @rb: the base whose worker slot @slot publishes the callbacks; no gotimer
 *	lock held
 * @slot: the worker's slot
 *
 * Return: the calling worker, for gotimer_between_callbacks(); NULL if the
 * caller is not @rb's worker @slot (a test, or a base of no CPU).
 *
 * Marks the worker as in a batch (->in_batch) and arms the take-over watch
 * unless it is armed: once per batch of callbacks, not once per callback,
 * so a burst of N due timers pays one full barrier, not N.  The watch
 * treats a worker in a batch like one in a callback and re-arms itself
 * while it sees it there; between two callbacks of a batch the worker only
 * passes gotimer_between_callbacks(), where it may be preempted but never
 * sleeps, so the watch's exact test (asleep in a callback, try_takeover()
 * under the heap lock) is unchanged.
 *
 * ->watch_armed says who owns the arming: whoever moves it from 0 to 1
 * starts the timer (here) or forwards it (the handler), so the hrtimer is
 * never started while its handler forwards it.  The handler drops it to 0
 * when it sees the runner out of its batch, then looks again; this side
 * publishes ->in_batch and looks at ->watch_armed after a full barrier.
 * Store buffering on the two sides: either the handler sees the batch and
 * keeps the watch, or this side sees the watch dropped and starts it.  A
 * standby that took the runner role (try_takeover()) wrote ->runner before
 * this barrier too: a handler whose drop this side's look missed reads
 * ->runner and then ->in_batch after its own barrier, so it sees the new
 * runner, in its batch.
 */
struct gotimer_worker *gotimer_batch_begin(struct gotimer_base *rb,
					   unsigned int slot)
{
	struct gotimer_worker *w;
	struct gotimer_pool *pool;

	if (rb->cpu < 0)
		return NULL;
	pool = per_cpu_ptr(&gotimer_pools, rb->cpu);
	w = pool_worker(pool, slot);
	/* The thief is no runner: nothing to take over from it. */
	if (pool->nr >= 2 && slot != GOTIMER_THIEF_SLOT) {
		WRITE_ONCE(w->in_batch, true);
		/* ->in_batch before ->watch_armed; pairs with watch_fn()'s. */
		smp_mb();
		if (!atomic_read(&pool->watch_armed) &&
		    !atomic_cmpxchg(&pool->watch_armed, 0, 1)) {
			WRITE_ONCE(pool->watch_fired, pool_fired(pool));
			hrtimer_start(&pool->watch, takeover_interval(),
				      HRTIMER_MODE_REL_PINNED_HARD);
		}
	}
	/* Not the worker itself: a test running a live base by hand. */
	return w->task == current ? w : NULL;
}

/**
 * gotimer_between_callbacks() - the scheduling point between two callbacks
 * @w: what gotimer_batch_begin() returned: the worker, or NULL
 *
 * On PREEMPT_NONE and PREEMPT_VOLUNTARY kernels nothing else yields in a
 * long run of due callbacks, or behind a periodic callback that outlasts
 * its period: cond_resched() here keeps the soft-lockup detector and RCU
 * quiet.  In a worker it also enforces the FIFO budget (a jiffies
 * compare).  run_head() calls it only when a reschedule is due or a tick
 * went by since its last call.
 */
void gotimer_between_callbacks(struct gotimer_worker *w)
{
	if (w)
		worker_check_budget(w);
	cond_resched();
}

/**
 * gotimer_batch_end() - a worker's batch of callbacks is over
 * @rb: as for gotimer_batch_begin()
 * @slot: the worker's slot
 *
 * The watch's next look sees the worker out of its batch and stops.
 */
void gotimer_batch_end(struct gotimer_base *rb, unsigned int slot)
{
	struct gotimer_pool *pool;

	if (rb->cpu < 0)
		return;
	pool = per_cpu_ptr(&gotimer_pools, rb->cpu);
	if (pool->nr >= 2 && slot != GOTIMER_THIEF_SLOT)
		WRITE_ONCE(pool->workers[slot].in_batch, false);
}

/*
 * The slot of a worker of @pool that stands by, @pool->nr if none.  The
 * standbys set and clear their bits with atomic bitops; this is one marked
 * read of the word, from any CPU (find_first_bit() reads it plain: KCSAN).
 */
static unsigned int first_standby(struct gotimer_pool *pool)
{
	unsigned long bits = READ_ONCE(pool->standby);

	return bits ? min_t(unsigned int, __ffs(bits), pool->nr) : pool->nr;
}

/* Is a timer of @pool's CPU due?  An earliest time of its bases passed. */
static bool pool_due(struct gotimer_pool *pool)
{
	s64 next = pool_next(pool);

	return next && next <= gotimer_now();
}

/*
 * The watch (hard hrtimer, so a busy CPU cannot hold it back): wakes a
 * standby when the runner has sat in one callback for a whole interval
 * while a timer is due.  Only reads the base; the decision is retaken
 * under the heap lock by the standby (try_takeover()).  Stops when the
 * runner is out of its batch; gotimer_batch_begin() starts it again.
 */
static enum hrtimer_restart watch_fn(struct hrtimer *timer)
{
	struct gotimer_pool *pool = container_of(timer, struct gotimer_pool, watch);
	struct gotimer_base *base = pool->base;
	unsigned long fired = pool_fired(pool);
	unsigned int r = READ_ONCE(base->runner), slot;
	char verdict;

	/* Only looks from beside the standby count (watchdog.c). */
	if (raw_smp_processor_id() == base->cpu)
		WRITE_ONCE(pool->watch_looks, pool->watch_looks + 1);
	if (!READ_ONCE(pool->workers[r].in_batch)) {
		atomic_set(&pool->watch_armed, 0);
		/* ->watch_armed before ->in_batch; pairs as said there. */
		smp_mb();
		r = READ_ONCE(base->runner);
		if (!READ_ONCE(pool->workers[r].in_batch) ||
		    atomic_cmpxchg(&pool->watch_armed, 0, 1)) {
			WRITE_ONCE(pool->watch_verdict, 'o');
			return HRTIMER_NORESTART;
		}
		/* A batch began meanwhile and the watch is still ours. */
	}
	/*
	 * Only a runner that sleeps in its callback is taken over from, as
	 * workqueue's concurrency management starts a worker only when one
	 * sleeps: a runner that computes (or is preempted) keeps its CPU
	 * anyway, the standby would only queue behind it at the same
	 * priority, and callbacks that do not sleep stay one at a time.
	 */
	if (fired != READ_ONCE(pool->watch_fired)) {
		verdict = 'p';
	} else if (!gotimer_task_asleep(pool->workers[r].task)) {
		verdict = 'r';
	} else if (!pool_due(pool)) {
		verdict = 'n';
	} else {
		slot = first_standby(pool);
		verdict = 'b';
		/* None free: look again; a returning runner stands by. */
		if (slot < pool->nr && wake_up_process(pool->workers[slot].task))
			verdict = 'w';
	}
	WRITE_ONCE(pool->watch_verdict, verdict);
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
	unsigned long standby;
	unsigned int slot;
	s64 next;

	/*
	 * A CPU on its way down or up runs its hotplug callbacks at a higher
	 * priority than the standby, and the scheduler pushes tasks off an
	 * inactive CPU: no place to judge a take-over.
	 */
	if (!base || pool->nr < 2 || !cpu_active(cpu))
		return false;
	*fired = pool_fired(pool);
	*looks = READ_ONCE(pool->watch_looks);
	if (!runner_sleeps_in_callback(base))
		return false;
	next = pool_next(pool);
	if (!next || next > now - grace)
		return false;
	standby = READ_ONCE(pool->standby);
	for_each_set_bit(slot, &standby, pool->nr)
		if (gotimer_task_asleep(pool->workers[slot].task))
			return true;
	return false;
}
EXPORT_SYMBOL_NS_GPL(gotimer_takeover_suspect, GOTIMER_INTERNAL);

/**
 * gotimer_takeover_report() - log the state of @cpu's take-over
 * @cpu: a CPU that gotimer_takeover_suspect() found suspect
 *
 * For the missed-wake detector's report: the runner, the standby bits and
 * each worker's scheduler state, and what the watch's last look decided.
 * Read without locks, so a snapshot that may be torn; it is only printed.
 */
void gotimer_takeover_report(int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	struct gotimer_base *base = pool->base;
	unsigned int i;

	pr_err("gotimer: cpu %d take-over: runner %u, standby %#lx, steal_from %d, watch armed %d verdict %c looks %lu, fired %lu, takeovers %lu\n",
	       cpu, READ_ONCE(base->runner), READ_ONCE(pool->standby),
	       atomic_read(&pool->steal_from), atomic_read(&pool->watch_armed),
	       READ_ONCE(pool->watch_verdict) ?: '-', READ_ONCE(pool->watch_looks),
	       pool_fired(pool), READ_ONCE(base->takeovers));
	for (i = 0; i < pool->nr; i++) {
		struct task_struct *task = pool->workers[i].task;

		pr_err("gotimer: cpu %d worker %u: state %c (%#x) on_rq %d on_cpu %d cpu %d, in %s callback\n",
		       cpu, i, task_state_to_char(task), READ_ONCE(task->__state),
		       READ_ONCE(task->on_rq),
		       READ_ONCE(task->on_cpu), task_cpu(task),
		       READ_ONCE(base->running[i]) ? "a pinned" :
		       READ_ONCE(pool->ubase->running[i]) ? "an unpinned" : "no");
	}
}

/*
 * A standby's look: if the runner is still inside a callback and a timer is
 * due, become the runner.  Under the heap lock, where ->runner and
 * ->running[] change, so the decision is exact: the runner cannot leave its
 * callback and pop a timer meanwhile, and two standbys cannot both win.
 */
static bool try_takeover(struct gotimer_worker *w)
{
	struct gotimer_base *base = w->base;
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	bool took = false;

	raw_spin_lock(&base->lock);
	/*
	 * Only from a runner asleep in its callback, as the watch decides: a
	 * runner that computes, preempted by this standby (a demoted runner
	 * is SCHED_NORMAL), keeps its role, so that callbacks that do not
	 * sleep stay one at a time.
	 */
	if (base->runner != w->slot && runner_sleeps_in_callback(base) &&
	    pool_due(pool)) {
		WRITE_ONCE(base->runner, w->slot);
		/* Who the wake protocol wakes, for both bases. */
		WRITE_ONCE(base->worker, w->task);
		WRITE_ONCE(pool->ubase->worker, w->task);
		WRITE_ONCE(base->takeovers, base->takeovers + 1);
		took = true;
	}
	raw_spin_unlock(&base->lock);
	return took;
}

static ktime_t steal_grace(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_steal_us) * NSEC_PER_USEC);
}

/*
 * Queue @pool's steal watch for @at unless it is queued no later.  Not for
 * S64_MAX, the end of time (gotimer_time_add()): nothing falls due there,
 * and ->steal_at stays 0, so the next lowering store queues the watch.
 */
static void steal_watch_start(struct gotimer_pool *pool, s64 at)
{
	s64 queued = READ_ONCE(pool->steal_at);
	unsigned long flags;

	if (at == S64_MAX || (queued && queued <= at))
		return;
	raw_spin_lock_irqsave(&pool->steal_lock, flags);
	if (!pool->steal_at || at < pool->steal_at) {
		WRITE_ONCE(pool->steal_at, at);
		hrtimer_start(&pool->steal_watch, ns_to_ktime(at),
			      HRTIMER_MODE_ABS_HARD);
	}
	raw_spin_unlock_irqrestore(&pool->steal_lock, flags);
}

/**
 * gotimer_steal_watch_arm() - an unpinned base's earliest time fell to @when
 * @base: the unpinned base
 * @when: the value just stored (step L1 of the wake protocol, base.c)
 *
 * Makes sure @base's steal watch looks at it by @when + steal_us.  Called
 * after L2's smp_mb(); the fast path (the watch is queued early enough)
 * reads one word.  Why no due unpinned timer is left unwatched: the
 * handler clears ->steal_at, then (smp_mb()) reads the base's earliest
 * time, and this side stores that time, then (L2) reads ->steal_at: store
 * buffering again, so either this side sees the watch gone and queues it,
 * or the handler sees the new time and queues itself for it.  A watch seen
 * queued (->steal_at set) will run its handler, which looks after this
 * store.  Modelled in tools/testing/gotimer/model/stealwatch.pml.
 */
void gotimer_steal_watch_arm(struct gotimer_base *base, s64 when)
{
	struct gotimer_pool *pool;

	if (base->cpu < 0)
		return;
	pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	if (!pool->ubase)
		return;		/* not started yet */
	steal_watch_start(pool, gotimer_time_add(when, ktime_to_ns(steal_grace())));
}

/*
 * Ask the next online housekeeping CPU after the last one asked for help:
 * one candidate per look, so no look scans the CPUs' state.  The candidate
 * takes the request if it has none pending, and its thief is woken; if it
 * cannot take it (its thief is still busy), the next look asks the next
 * CPU.  The cmpxchg is a full barrier: the request before the wake-up,
 * which pairs with the thief's look after setting its task state
 * (thief_thread()).
 */
static unsigned int next_thief(unsigned int cpu)
{
	cpu = cpumask_next_and(cpu, gotimer_hk_cpus, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first_and(gotimer_hk_cpus, cpu_online_mask);
	return cpu;
}

/* Return: false if no other housekeeping CPU is online to ask. */
static bool steal_request(struct gotimer_pool *pool)
{
	unsigned int self = pool->base->cpu, cpu;
	struct task_struct *thief;
	struct gotimer_pool *tp;

	cpu = next_thief(pool->steal_next);
	if (cpu == self)
		cpu = next_thief(cpu);
	pool->steal_next = cpu;
	if (cpu >= nr_cpu_ids || cpu == self)
		return false;	/* no other housekeeping CPU online */
	tp = per_cpu_ptr(&gotimer_pools, cpu);
	thief = READ_ONCE(tp->thief.task);
	if (!thief || atomic_cmpxchg(&tp->steal_from, -1, self) != -1)
		return true;
	WRITE_ONCE(pool->ubase->steal_requests, pool->ubase->steal_requests + 1);
	wake_up_process(thief);
	return true;
}

/* Is the CPU's runner on a CPU now (not asleep, not waiting to run)? */
static bool runner_on_cpu(struct gotimer_pool *pool)
{
	unsigned int r = READ_ONCE(pool->base->runner);

	return READ_ONCE(pool->workers[r].task->on_cpu);
}

/*
 * The steal watch (hard hrtimer: a CPU hogged by a SCHED_FIFO task still
 * takes it; any CPU may host it).  If the unpinned base's earliest time
 * has been due for steal_us, ask another CPU and look again steal_us
 * later; otherwise look again at that time plus steal_us, or stop if the
 * base is empty.  Once a look had to ask (eager), the CPU's workers are
 * known not to keep up: the watch then looks at each next time itself and
 * asks at once unless the runner is on its CPU, so that while a CPU stays
 * hogged its unpinned timers are only as late as a thief's wake-up.  It
 * stays eager until the CPU's own workers run one of those timers again
 * (they win the race for it once they run: they are woken on the spot), or
 * until a look finds nothing due.
 */
static enum hrtimer_restart steal_watch_fn(struct hrtimer *timer)
{
	struct gotimer_pool *pool = container_of(timer, struct gotimer_pool,
						 steal_watch);
	struct gotimer_base *ubase = pool->ubase;
	s64 grace = ktime_to_ns(steal_grace()), now = gotimer_now(), next;
	unsigned long own = pool_fired(pool);
	bool ask;

	raw_spin_lock(&pool->steal_lock);
	/* A start since the expiry is queued and stays. */
	if (pool->steal_at <= now)
		WRITE_ONCE(pool->steal_at, 0);
	raw_spin_unlock(&pool->steal_lock);
	/* ->steal_at before the base's time; pairs with L2 (see above). */
	smp_mb();
	if (own != pool->steal_own_runs) {
		pool->steal_own_runs = own;
		pool->steal_eager = false;	/* the CPU runs its own again */
	}
	next = gotimer_base_next(ubase);
	if (!next) {
		pool->steal_eager = false;
		return HRTIMER_NORESTART;
	}
	if (next > now) {
		steal_watch_start(pool, pool->steal_eager ? next :
				  gotimer_time_add(next, grace));
		return HRTIMER_NORESTART;
	}
	ask = next <= now - grace || (pool->steal_eager && !runner_on_cpu(pool));
	pool->steal_eager = ask;
	if (!ask) {
		steal_watch_start(pool, gotimer_time_add(next, grace));
		return HRTIMER_NORESTART;
	}
	/*
	 * No other CPU to ask: stop; the CPU's own workers run the timers
	 * when they can, and the next lowering store queues the watch again.
	 */
	if (!steal_request(pool)) {
		pool->steal_eager = false;
		return HRTIMER_NORESTART;
	}
	steal_watch_start(pool, gotimer_time_add(now, grace));
	return HRTIMER_NORESTART;
}

/*
 * A standby sleeps until the watch (or kthread_stop()) wakes it.  The
 * state is set before the standby bit is published, so a wake-up that
 * reads the bit cannot be lost; a watch that looked before the bit was
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
 * The thief [S19] (workqueue's rescuer): asked by another CPU's steal
 * watch (->steal_from), it runs what is due in that CPU's unpinned base,
 * publishing the callbacks in slot GOTIMER_THIEF_SLOT of its own CPU's
 * unpinned base, then looks for the next request.  set_current_state()
 * is a full barrier between the task state and the look at ->steal_from:
 * a request posted after the look wakes the thief (steal_request()), one
 * posted before it is seen, so none is lost.  It keeps the workers' FIFO
 * budget.
 */
static int thief_thread(void *data)
{
	struct gotimer_worker *w = data;
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, w->base->cpu);
	int from;

	worker_set_fifo(w);
	worker_fresh_budget(w);
	while (!kthread_should_stop()) {
		if (w->demoted)
			worker_set_fifo(w);	/* may sleep: before the state changes */
		set_current_state(TASK_IDLE);
		if (atomic_read(&pool->steal_from) < 0 && !kthread_should_stop()) {
			schedule();
			worker_fresh_budget(w);
		}
		__set_current_state(TASK_RUNNING);
		from = atomic_xchg(&pool->steal_from, -1);
		if (from >= 0)
			gotimer_run_due_as(gotimer_cpu_unpinned_base(from),
					   gotimer_now(), pool->ubase,
					   GOTIMER_THIEF_SLOT);
	}
	return 0;
}

/*
 * The runner: run what is due, then sleep by the wake protocol (base.c).
 * It can lose the role only inside a callback (try_takeover()), so once
 * gotimer_run_due_slot() is back and it is still the runner, it stays the
 * runner until it next calls a callback.
 */
static void runner_round(struct gotimer_worker *w)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, w->base->cpu);
	struct gotimer_base *base = w->base;
	struct gotimer_base *bases[2] = { base, pool->ubase };
	s64 until, now = gotimer_now();
	unsigned int i;
	ktime_t expires;

	/*
	 * One clock read for both bases, the unpinned one first: once a
	 * pinned timer has run, every unpinned timer of this CPU due no later
	 * has been popped, its callback finished or running (the torture's
	 * fences rely on it).
	 */
	gotimer_run_due_slot(pool->ubase, now, w->slot);
	if (READ_ONCE(base->runner) != w->slot)
		return;		/* taken over while in a callback: stand by */
	gotimer_run_due_slot(base, now, w->slot);
	if (READ_ONCE(base->runner) != w->slot)
		return;
	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		/* task context: vfree() may sleep, GFP_KERNEL is fine */
		gotimer_base_free_retired(bases[i]);
		gotimer_base_keep_room(bases[i]);
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
	WARN_ON_ONCE(set_cpus_allowed_ptr(pool->thief.task, cpumask_of(cpu)));
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

	pool->base = base;
	pool->ubase = gotimer_cpu_unpinned_base(cpu);
	hrtimer_init(&pool->watch, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	pool->watch.function = watch_fn;
	hrtimer_init(&pool->steal_watch, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	pool->steal_watch.function = steal_watch_fn;
	raw_spin_lock_init(&pool->steal_lock);
	atomic_set(&pool->steal_from, -1);
	pool->steal_next = cpu;
	for (i = 0; i < gotimer_workers_per_cpu; i++) {
		struct gotimer_worker *w = &pool->workers[i];

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
	kthread_bind(task, cpu);
	WARN_ON_ONCE(set_cpus_allowed_ptr(task, gotimer_hk_cpus));
	/* Read by other CPUs' steal watches (steal_request()). */
	WRITE_ONCE(pool->thief.task, task);
	WRITE_ONCE(base->worker, pool->workers[0].task);
	WRITE_ONCE(pool->ubase->worker, pool->workers[0].task);
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
	int cpu, ret;

	if (!zalloc_cpumask_var(&gotimer_hk_cpus, GFP_KERNEL))
		return -ENOMEM;
	hk_cpus_init();
	for_each_possible_cpu(cpu) {
		struct gotimer_base *ubase = gotimer_cpu_unpinned_base(cpu);

		gotimer_base_init(gotimer_cpu_base(cpu), cpu);
		gotimer_base_init(ubase, cpu);
		ubase->unpinned = true;
		/* [S17] adds nothing to a CPU that is not up. */
		gotimer_cpu_base(cpu)->offline = !cpu_online(cpu);
		ubase->offline = !cpu_online(cpu);
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

	/* Every watch first: a steal watch wakes other CPUs' thieves. */
	for_each_possible_cpu(cpu) {
		struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);

		if (pool->base) {
			hrtimer_cancel(&pool->watch);
			hrtimer_cancel(&pool->steal_watch);
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
		WRITE_ONCE(gotimer_cpu_base(cpu)->worker, NULL);
		WRITE_ONCE(gotimer_cpu_unpinned_base(cpu)->worker, NULL);
		gotimer_base_destroy(gotimer_cpu_base(cpu));
		gotimer_base_destroy(gotimer_cpu_unpinned_base(cpu));
	}
	free_cpumask_var(gotimer_hk_cpus);
}
