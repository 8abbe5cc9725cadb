// SPDX-License-Identifier: GPL-2.0
/*
 * The take-over: a CPU's callbacks go on while one of them sleeps.
 *
 * Take-over (head-of-line blocking): callbacks may sleep, and while one
 * does, every other timer of its CPU would wait behind it.  A per-CPU
 * hrtimer, the take-over timer, is armed when the runner starts a batch of callbacks
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

/**
 * gotimer_batch_begin() - a worker is about to run its first callback of a batch
 * @w: the worker (a test's worker, of no pool, too); no gotimer lock held
 *
 * Marks the worker as in a batch (->in_batch) and arms the take-over timer
 * unless it is armed: once per batch of callbacks, not once per callback,
 * so a burst of N due timers pays one full barrier, not N.  The take-over timer
 * treats a worker in a batch like one in a callback and re-arms itself
 * while it sees it there; between two callbacks of a batch the worker only
 * passes gotimer_between_callbacks(), where it may be preempted but never
 * sleeps, so the take-over timer's exact test (asleep in a callback, try_takeover()
 * under the heap lock) is unchanged.
 *
 * ->takeover_armed says who owns the arming: whoever moves it from 0 to 1
 * starts the timer (here) or forwards it (the handler), so the hrtimer is
 * never started while its handler forwards it.  The handler drops it to 0
 * when it sees the runner out of its batch, then looks again; this side
 * publishes ->in_batch and looks at ->takeover_armed after a full barrier.
 * Store buffering on the two sides: either the handler sees the batch and
 * keeps the take-over timer, or this side sees the take-over timer dropped and starts it.  A
 * standby that took the runner role (try_takeover()) wrote ->runner before
 * this barrier too: a handler whose drop this side's look missed reads
 * ->runner and then ->in_batch after its own barrier, so it sees the new
 * runner, in its batch.
 */
void gotimer_batch_begin(struct gotimer_worker *w)
{
	struct gotimer_pool *pool = w->pool;

	/* The thief is no runner: nothing to take over from it. */
	if (!pool || pool->nr < 2 || w == &pool->thief)
		return;
	WRITE_ONCE(w->in_batch, true);
	/* ->in_batch before ->takeover_armed; pairs with takeover_timer_fn()'s. */
	smp_mb();
	if (!atomic_read(&pool->takeover_armed) &&
	    !atomic_cmpxchg(&pool->takeover_armed, 0, 1)) {
		WRITE_ONCE(pool->takeover_fired, pool_fired(pool));
		hrtimer_start(&pool->takeover_timer, takeover_interval(),
			      HRTIMER_MODE_REL_PINNED_HARD);
	}
}

/**
 * gotimer_between_callbacks() - the scheduling point between two callbacks
 * @w: the worker
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
	if (w->pool)
		worker_check_budget(w);
	cond_resched();
}

/**
 * gotimer_batch_end() - a worker's batch of callbacks is over
 * @w: the worker
 *
 * The take-over timer's next look sees the worker out of its batch and stops.
 */
void gotimer_batch_end(struct gotimer_worker *w)
{
	if (w->in_batch)
		WRITE_ONCE(w->in_batch, false);
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

/*
 * The take-over timer (hard hrtimer, so a busy CPU cannot hold it back): wakes a
 * standby when the runner has sat in one callback for a whole interval
 * while a timer is due.  Only reads the base; the decision is retaken
 * under the heap lock by the standby (try_takeover()).  Stops when the
 * runner is out of its batch; gotimer_batch_begin() starts it again.
 */
enum hrtimer_restart takeover_timer_fn(struct hrtimer *timer)
{
	struct gotimer_pool *pool = container_of(timer, struct gotimer_pool, takeover_timer);
	struct gotimer_base *base = pool_base(pool);
	unsigned long fired = pool_fired(pool);
	unsigned int r = READ_ONCE(pool->runner), slot;
	char verdict;

	/* Only looks from beside the standby count (watchdog.c). */
	if (raw_smp_processor_id() == base->cpu)
		WRITE_ONCE(pool->takeover_looks, pool->takeover_looks + 1);
	if (!READ_ONCE(pool->workers[r].in_batch)) {
		atomic_set(&pool->takeover_armed, 0);
		/* ->takeover_armed before ->in_batch; pairs as said there. */
		smp_mb();
		r = READ_ONCE(pool->runner);
		if (!READ_ONCE(pool->workers[r].in_batch) ||
		    atomic_cmpxchg(&pool->takeover_armed, 0, 1)) {
			WRITE_ONCE(pool->takeover_verdict, 'o');
			return HRTIMER_NORESTART;
		}
		/* A batch began meanwhile and the take-over timer is still ours. */
	}
	/*
	 * Only a runner that sleeps in its callback is taken over from, as
	 * workqueue's concurrency management starts a worker only when one
	 * sleeps: a runner that computes (or is preempted) keeps its CPU
	 * anyway, the standby would only queue behind it at the same
	 * priority, and callbacks that do not sleep stay one at a time.
	 */
	if (fired != READ_ONCE(pool->takeover_fired)) {
		verdict = 'p';
	} else if (!runner_stuck(pool)) {
		verdict = 'r';
	} else if (!pool_due_by(pool, gotimer_now())) {
		verdict = 'n';
	} else {
		slot = first_standby(pool);
		verdict = 'b';
		/* None free: look again; a returning runner stands by. */
		if (slot < pool->nr && wake_up_process(pool->workers[slot].task))
			verdict = 'w';
	}
	WRITE_ONCE(pool->takeover_verdict, verdict);
	WRITE_ONCE(pool->takeover_fired, fired);
	hrtimer_forward_now(timer, takeover_interval());
	return HRTIMER_RESTART;
}

/**
 * gotimer_takeover_suspect() - is a take-over of @cpu's runner overdue?
 * @cpu: a CPU
 * @now: the current time
 * @fired: set to the base's callback count, which names the stuck callback
 * @looks: set to the number of times the take-over timer has looked so far
 *
 * For the missed-wake detector (watchdog.c): the runner is asleep in a
 * callback, a timer of the base has been due for more than two take-over
 * intervals, and a standby is asleep: the take-over timer should have woken it.
 * Like the detector's own test, this needs no threshold on lateness: each
 * condition is "asleep", not "slow".  The detector also requires the take-over timer
 * to have looked several times meanwhile from the base's own CPU (@looks):
 * a vCPU the host does not run, or an hrtimer interrupt the kernel's hang
 * detection put off, stalls the take-over timer and the standby alike, and is no
 * missed wake-up; a take-over timer that CPU hotplug left on another CPU does not
 * count.
 * Read without the heap lock.
 *
 * Return: true if so.
 */
bool gotimer_takeover_suspect(int cpu, s64 now, unsigned long *fired,
			      unsigned long *looks)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	struct gotimer_base *base = pool_base(pool);
	s64 grace = 2 * (s64)READ_ONCE(gotimer_takeover_us) * NSEC_PER_USEC;
	unsigned long standby;
	unsigned int slot;

	/*
	 * A CPU on its way down or up runs its hotplug callbacks at a higher
	 * priority than the standby, and the scheduler pushes tasks off an
	 * inactive CPU: no place to judge a take-over.
	 */
	if (!base || pool->nr < 2 || !cpu_active(cpu))
		return false;
	*fired = pool_fired(pool);
	*looks = READ_ONCE(pool->takeover_looks);
	if (!takeover_due(pool, now - grace))
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
 * each worker's scheduler state, and what the take-over timer's last look decided.
 * Read without locks, so a snapshot that may be torn; it is only printed.
 */
void gotimer_takeover_report(int cpu)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	unsigned int i;

	pr_err("gotimer: cpu %d take-over: runner %u, standby %#lx, steal_from %d, armed %d verdict %c looks %lu, fired %lu, takeovers %lu\n",
	       cpu, READ_ONCE(pool->runner), READ_ONCE(pool->standby),
	       atomic_read(&pool->steal_from), atomic_read(&pool->takeover_armed),
	       READ_ONCE(pool->takeover_verdict) ?: '-', READ_ONCE(pool->takeover_looks),
	       pool_fired(pool), READ_ONCE(pool->takeovers));
	for (i = 0; i < pool->nr; i++) {
		struct task_struct *task = pool->workers[i].task;

		pr_err("gotimer: cpu %d worker %u: state %c (%#x) on_rq %d on_cpu %d cpu %d, in %s callback\n",
		       cpu, i, task_state_to_char(task), READ_ONCE(task->__state),
		       READ_ONCE(task->on_rq),
		       READ_ONCE(task->on_cpu), task_cpu(task),
		       in_callback(pool, i) ? "a" : "no");
	}
}

/**
 * gotimer_runner_slot() - the slot of @cpu's runner, for debugfs
 * @cpu: a possible CPU
 * @busy: set to whether that worker is inside a callback
 *
 * A snapshot without the heap lock, where the role changes: it is only
 * printed.
 *
 * Return: the runner's slot in @cpu's pool.
 */
unsigned int gotimer_runner_slot(int cpu, bool *busy)
{
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, cpu);
	unsigned int r = READ_ONCE(pool->runner);

	*busy = r < pool->nr && in_callback(pool, r);
	return r;
}

/*
 * A standby's look: if the runner is still inside a callback and a timer is
 * due, become the runner.  Under the pinned base's heap lock, where
 * ->runner changes and where the runner pops, so the decision is exact:
 * the runner cannot leave its callback and pop a timer meanwhile, and two
 * standbys cannot both win.
 */
bool try_takeover(struct gotimer_worker *w)
{
	struct gotimer_base *base = w->base;
	struct gotimer_pool *pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	bool took = false;

	raw_spin_lock(&base->lock);
	/*
	 * Only from a runner asleep in its callback, as the take-over timer decides: a
	 * runner that computes, preempted by this standby (a demoted runner
	 * is SCHED_NORMAL), keeps its role, so that callbacks that do not
	 * sleep stay one at a time.
	 */
	if (pool->runner != w->slot && takeover_due(pool, gotimer_now())) {
		WRITE_ONCE(pool->runner, w->slot);
		/* Who the wake protocol wakes, for both bases. */
		WRITE_ONCE(pool->runner_task, w->task);
		WRITE_ONCE(pool->takeovers, pool->takeovers + 1);
		took = true;
	}
	raw_spin_unlock(&base->lock);
	return took;
}
