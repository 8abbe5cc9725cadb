// SPDX-License-Identifier: GPL-2.0
/*
 * Stealing: unpinned timers escape a CPU that does not run them.
 *
 * Unpinned timers (GOTIMER_UNPINNED) live in a second base per CPU, the
 * unpinned base, which the same workers run.  It has no runner role: when
 * its timers have been due for gotimer.steal_us and still have not run
 * (the CPU's workers are busy, asleep in callbacks, or kept off the CPU by
 * a higher-priority task), its steal timer, a hard hrtimer, asks another
 * CPU for help, and that CPU's thief runs them [S19], as workqueue's mayday
 * timer calls a rescuer.  The thief ("gotimer/N:t") is a thread of its
 * own, never one of the pool's workers: stealing takes nothing from the
 * take-over, so "up to workers_per_cpu - 1 callbacks of one CPU may sleep
 * at once without delaying the rest" holds whatever other CPUs' unpinned
 * callbacks do, and a CPU with workers_per_cpu=1 steals too.  The steal timer is
 * armed by every store that lowers the unpinned base's earliest time
 * (base.c), so it costs nothing while no unpinned timer is queued, and one
 * hrtimer expiry per earliest time while some are.
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

static ktime_t steal_grace(void)
{
	return ns_to_ktime((u64)READ_ONCE(gotimer_steal_us) * NSEC_PER_USEC);
}

/*
 * Queue @pool's steal timer for @at unless it is queued no later.  Not for
 * S64_MAX, the end of time (gotimer_time_add()): nothing falls due there,
 * and ->steal_at stays 0, so the next lowering store queues the steal timer.
 */
static void steal_timer_start(struct gotimer_pool *pool, s64 at)
{
	s64 queued = pool_steal_at(pool);
	unsigned long flags;

	if (at == S64_MAX || (queued && queued <= at))
		return;
	raw_spin_lock_irqsave(&pool->steal_lock, flags);
	queued = pool_steal_at(pool);
	if (!queued || at < queued) {
		pool_set_steal_at(pool, at);
		hrtimer_start(&pool->steal_timer, ns_to_ktime(at),
			      HRTIMER_MODE_ABS_HARD);
	}
	raw_spin_unlock_irqrestore(&pool->steal_lock, flags);
}

/**
 * gotimer_steal_timer_arm() - an unpinned base's earliest time fell to @when
 * @base: the unpinned base
 * @when: the value just stored (step L1 of the wake protocol, base.c)
 *
 * Makes sure @base's steal timer looks at it by @when + steal_us.  Called
 * after L2's smp_mb(); the fast path (the steal timer is queued early enough)
 * reads one word.  Why no due unpinned timer is left without a steal timer: the
 * handler clears ->steal_at, then (smp_mb()) reads the base's earliest
 * time, and this side stores that time, then (L2) reads ->steal_at: store
 * buffering again, so either this side sees the steal timer gone and queues it,
 * or the handler sees the new time and queues itself for it.  A steal timer seen
 * queued (->steal_at set) will run its handler, which looks after this
 * store.  Modelled in tools/testing/gotimer/model/stealtimer.pml.
 */
void gotimer_steal_timer_arm(struct gotimer_base *base, s64 when)
{
	struct gotimer_pool *pool;

	if (base->cpu < 0)
		return;
	pool = per_cpu_ptr(&gotimer_pools, base->cpu);
	if (!pool->started)
		return;		/* not started yet */
	steal_timer_start(pool, gotimer_time_add(when, ktime_to_ns(steal_grace())));
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
	unsigned int self = pool_base(pool)->cpu, cpu;
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
	WRITE_ONCE(pool->steal_requests, pool->steal_requests + 1);
	wake_up_process(thief);
	return true;
}

/*
 * The steal timer (hard hrtimer: a CPU hogged by a SCHED_FIFO task still
 * takes it; any CPU may host it).  If the unpinned base's earliest time
 * has been due for steal_us, ask another CPU and look again steal_us
 * later; otherwise look again at that time plus steal_us, or stop if the
 * base is empty.  Once a look had to ask (eager), the CPU's workers are
 * known not to keep up: the steal timer then looks at each next time itself and
 * asks at once unless the runner is on its CPU, so that while a CPU stays
 * hogged its unpinned timers are only as late as a thief's wake-up.  It
 * stays eager until the CPU's own workers run one of those timers again
 * (they win the race for it once they run: they are woken on the spot), or
 * until a look finds nothing due.
 */
enum hrtimer_restart steal_timer_fn(struct hrtimer *timer)
{
	struct gotimer_pool *pool = container_of(timer, struct gotimer_pool,
						 steal_timer);
	struct gotimer_base *ubase = pool_ubase(pool);
	s64 grace = ktime_to_ns(steal_grace()), now = gotimer_now(), next;
	unsigned long own = pool_fired(pool);
	bool ask;

	raw_spin_lock(&pool->steal_lock);
	/* A start since the expiry is queued and stays. */
	if (pool_steal_at(pool) <= now)
		pool_set_steal_at(pool, 0);
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
		steal_timer_start(pool, pool->steal_eager ? next :
				  gotimer_time_add(next, grace));
		return HRTIMER_NORESTART;
	}
	ask = steal_due(pool, next, now, grace);
	pool->steal_eager = ask;
	if (!ask) {
		steal_timer_start(pool, gotimer_time_add(next, grace));
		return HRTIMER_NORESTART;
	}
	/*
	 * No other CPU to ask: stop; the CPU's own workers run the timers
	 * when they can, and the next lowering store queues the steal timer again.
	 */
	if (!steal_request(pool)) {
		pool->steal_eager = false;
		return HRTIMER_NORESTART;
	}
	steal_timer_start(pool, gotimer_time_add(now, grace));
	return HRTIMER_NORESTART;
}

/*
 * The thief [S19] (workqueue's rescuer): asked by another CPU's steal
 * timer (->steal_from), it runs what is due in that CPU's unpinned base,
 * publishing the callbacks in slot GOTIMER_THIEF_SLOT of its own CPU's
 * unpinned base, then looks for the next request.  set_current_state()
 * is a full barrier between the task state and the look at ->steal_from:
 * a request posted after the look wakes the thief (steal_request()), one
 * posted before it is seen, so none is lost.  It keeps the workers' FIFO
 * budget.
 */
int thief_thread(void *data)
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
					   gotimer_now(), pool_ubase(pool), w);
	}
	return 0;
}
