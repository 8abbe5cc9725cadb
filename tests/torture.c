// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_torture.ko: hammer every gotimer path at once, in the manner of
 * kernel/locking/locktorture.c, and account for every timer.
 *
 * Load threads arm, modify (also timers of other threads, so on other CPUs'
 * heaps), stop and stop_sync+free+reallocate timers; callbacks re-arm or stop
 * other timers; an on/off thread takes random CPUs offline and back (down to
 * one online CPU).  Every arm that starts a pending instance (modify
 * returned 0) and every end of one (a one-shot fired, a stop returned true)
 * is counted per timer, so at the end:
 *
 *   lost       an instance that should have fired by the end and did not
 *   dup        more ends than instances (fired twice, stopped after firing)
 *   early      a callback before its time
 *   after_sync a callback of a timer after gotimer_stop_sync() returned
 *   overlap    a callback that started while the same timer's ran (some
 *              callbacks sleep, so standby workers take over: takeover.c)
 *   missed_wakes  sightings of gotimer's missed-wake detector (watchdog.c),
 *              which must be on (gotimer.missed_wake_check_us) for a pass
 *
 * and the last line says "End of test: SUCCESS" or "FAILURE".  Runs start
 * on load (autostart) or by writing 1 to /sys/kernel/gotimer_torture/start.
 *
 * Apart from runs, for the boot test of /sys/kernel/debug/gotimer: "park"
 * arms timers that stay put (an hour ahead) on one CPU, and "tick" a
 * periodic timer there, so that timer_list's content is known exactly.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "internal.h"
#include "param.h"

#define TORTURE_FLAG "gotimer-torture:"

/* Module parameters: validated on write, refused while a run is going on. */
static DEFINE_MUTEX(torture_mutex);	/* start, stop, parameters */
static bool torture_running;

#define torture_param(name, def, lo, hi, desc)				\
	gt_param_busy(name, def, lo, hi, &torture_mutex, &torture_running, \
		      0644, desc)

torture_param(nthreads, 0, 0, 256, "Load threads, 0 = one per online CPU");
torture_param(ntimers, 64, 1, 100000, "Shared timers per load thread");
torture_param(nsync, 4, 0, 1000, "Private timers per thread for stop_sync+free cycles");
torture_param(duration, 30, 0, 86400, "Run time in seconds, 0 = until stopped");
torture_param(max_delay_ms, 20, 1, 10000, "Timers are armed up to this far ahead");
torture_param(periodic_pct, 10, 0, 100, "Share of periodic shared timers, %");
torture_param(stop_pct, 20, 0, 100, "Share of operations that stop, %");
torture_param(cross_pct, 30, 0, 100, "Share of operations on other threads' timers, %");
torture_param(chain_pct, 10, 0, 100, "Share of callbacks that re-arm or stop another timer, %");
torture_param(sync_pct, 5, 0, 100, "Share of operations that stop_sync, free and reallocate, %");
torture_param(sleep_pct, 2, 0, 100, "Share of callbacks that sleep, %");
torture_param(unpinned_pct, 20, 0, 100, "Share of timers made GOTIMER_UNPINNED, %");
torture_param(sleep_max_ms, 5, 1, 1000, "A sleeping callback sleeps up to this long");
torture_param(onoff_interval_ms, 0, 0, 600000, "CPU offline/online every this many ms, 0 = off");
torture_param(min_onoff, 0, 0, 1000000, "Run past duration until this many CPU on/off operations");

static bool autostart = true;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "Start a run at load (default: Y)");

struct tt_timer {
	struct gotimer t;
	atomic_t activations;	/* pending instances begun */
	atomic_t ends;		/* instances ended: one-shot fired, stopped */
	atomic_t inside;	/* callbacks of it running now */
	bool periodic;
	bool unpinned;		/* GOTIMER_UNPINNED: may fire on any CPU */
	bool synced;		/* stop_sync'ed at the end: must not fire */
};

struct tt_thread {
	struct task_struct *task;
	struct tt_timer **sync;	/* private, stop_sync + free + realloc */
	struct rnd_state rnd;
	int id;
};

#define LAT_BUCKETS 512

static struct tt_timer *shared;
static unsigned int nshared;
static struct tt_thread *threads;
static unsigned int nthr;
static struct task_struct *onoff_task, *control_task;
static bool stop_load, chain_enabled;
static DECLARE_COMPLETION(run_done);
/* unsigned long: read from other CPUs while counted, whole also on 32-bit */
static DEFINE_PER_CPU(unsigned long [LAT_BUCKETS], lat_hist);
static atomic64_t lat_max;

static atomic_long_t st_armed, st_fired, st_stopped, st_lost, st_dup;
static atomic_long_t st_early, st_after_sync, st_enomem, st_onoff, st_onoff_err;
static atomic_long_t st_overlap, st_slept, st_unpinned_fired;
static long stolen_at_start;
static long bad_timers_at_start, missed_wakes_at_start;
static const char *result = "none";

/* Log-linear buckets (gotimer_log_bucket()): 8 per power of two from 8 ns. */
#define LAT_SHIFT	3
#define LAT_SUB		3

static unsigned int lat_bucket(s64 ns)
{
	return gotimer_log_bucket(ns, LAT_SHIFT, LAT_SUB, LAT_BUCKETS);
}

static u64 lat_bucket_floor(unsigned int idx)
{
	return gotimer_log_bucket_floor(idx, LAT_SHIFT, LAT_SUB);
}

static void record_lateness(s64 delay)
{
	s64 max = atomic64_read(&lat_max);

	this_cpu_inc(lat_hist[lat_bucket(delay)]);
	while (delay > max && !atomic64_try_cmpxchg(&lat_max, &max, delay))
		;
}

static u64 lateness_p99(void)
{
	u64 total = 0, seen = 0;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu)
		for (i = 0; i < LAT_BUCKETS; i++)
			total += per_cpu(lat_hist, cpu)[i];
	for (i = 0; i < LAT_BUCKETS; i++) {
		for_each_possible_cpu(cpu)
			seen += per_cpu(lat_hist, cpu)[i];
		if (total && seen * 100 >= total * 99)
			return lat_bucket_floor(i);
	}
	return 0;
}

static void tt_fire(void *arg, uintptr_t seq, s64 delay_ns);

static s64 pick_when(struct rnd_state *rnd)
{
	return gotimer_now() +
	       (s64)(prandom_u32_state(rnd) % (max_delay_ms * 1000U)) * NSEC_PER_USEC;
}

/* Arm @tt; seq carries the time so the callback can tell an early fire. */
static void tt_arm(struct tt_timer *tt, s64 when)
{
	int ret = gotimer_modify(&tt->t, when,
				 tt->periodic ? max_delay_ms * NSEC_PER_MSEC : 0,
				 tt_fire, tt, (uintptr_t)when);

	if (ret == 0) {
		atomic_inc(&tt->activations);
		atomic_long_inc(&st_armed);
	} else if (ret == -ENOMEM) {
		atomic_long_inc(&st_enomem);
	}
}

static void tt_stop(struct tt_timer *tt)
{
	if (gotimer_stop(&tt->t)) {
		atomic_inc(&tt->ends);
		atomic_long_inc(&st_stopped);
	}
}

static void tt_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct tt_timer *tt = arg;

	if (gotimer_now() < (s64)seq)
		atomic_long_inc(&st_early);
	if (READ_ONCE(tt->synced))
		atomic_long_inc(&st_after_sync);
	if (atomic_inc_return(&tt->inside) > 1)
		atomic_long_inc(&st_overlap);
	record_lateness(delay_ns);
	atomic_long_inc(&st_fired);
	if (tt->unpinned)
		atomic_long_inc(&st_unpinned_fired);
	if (!tt->periodic)
		atomic_inc(&tt->ends);

	if (READ_ONCE(chain_enabled) && get_random_u32_below(100) < chain_pct) {
		struct tt_timer *other = &shared[get_random_u32_below(nshared)];

		if (get_random_u32_below(2))
			tt_stop(other);
		else
			tt_arm(other, gotimer_now() +
			       get_random_u32_below(max_delay_ms * 1000) * NSEC_PER_USEC);
	}
	/* Hold the worker: the CPU's other timers must not wait for it. */
	if (get_random_u32_below(100) < sleep_pct) {
		atomic_long_inc(&st_slept);
		msleep(1 + get_random_u32_below(sleep_max_ms));
	}
	atomic_dec(&tt->inside);
}

/* Check a timer that is done with: every instance ended exactly once. */
static void tt_account(struct tt_timer *tt)
{
	int diff = atomic_read(&tt->ends) - atomic_read(&tt->activations);

	if (diff > 0)
		atomic_long_add(diff, &st_dup);
	else if (diff < 0)
		atomic_long_add(-diff, &st_lost);
}

/* A timer of either kind, unpinned_pct of them unpinned. */
static void tt_init(struct tt_timer *tt, bool unpinned)
{
	tt->unpinned = unpinned;
	WARN_ON_ONCE(gotimer_init_flags(&tt->t, unpinned ? GOTIMER_UNPINNED : 0));
}

static struct tt_timer *tt_alloc(void)
{
	struct tt_timer *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (tt)
		tt_init(tt, get_random_u32_below(100) < unpinned_pct);
	return tt;
}

/* Callbacks of every CPU's unpinned timers that another CPU's worker ran. */
static long stolen_sum(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(gotimer_cpu_unpinned_base(cpu)->stolen);
	return sum;
}

/* stop_sync + free + reallocate: a freed timer must never be touched. */
static void sync_cycle(struct tt_thread *th, unsigned int i)
{
	struct tt_timer *tt = th->sync[i], *fresh;

	if (gotimer_stop_sync(&tt->t)) {
		atomic_inc(&tt->ends);
		atomic_long_inc(&st_stopped);
	}
	WRITE_ONCE(tt->synced, true);
	tt_account(tt);
	fresh = tt_alloc();
	if (!fresh)
		return;		/* keep the old one, already stopped */
	kfree(tt);
	th->sync[i] = fresh;
}

/* A thread that stops early waits for kthread_stop(), which needs it alive. */
static void wait_for_kthread_stop(void)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
}

static int load_thread(void *arg)
{
	struct tt_thread *th = arg;
	unsigned long n = 0;

	while (!kthread_should_stop() && !READ_ONCE(stop_load)) {
		u32 r = prandom_u32_state(&th->rnd) % 100;
		struct tt_timer *tt;
		unsigned int owner = th->id;

		if (nsync && r < sync_pct) {
			unsigned int i = prandom_u32_state(&th->rnd) % nsync;

			sync_cycle(th, i);
			tt_arm(th->sync[i], pick_when(&th->rnd));
			goto next;
		}
		if (prandom_u32_state(&th->rnd) % 100 < cross_pct)
			owner = prandom_u32_state(&th->rnd) % nthr;
		tt = &shared[owner * ntimers + prandom_u32_state(&th->rnd) % ntimers];
		if (prandom_u32_state(&th->rnd) % 100 < stop_pct)
			tt_stop(tt);
		else
			tt_arm(tt, pick_when(&th->rnd));
next:
		if (!(++n % 64)) {
			/* pacing, so timers get to fire and the VM stays usable */
			schedule_timeout_interruptible(1);
		}
	}
	wait_for_kthread_stop();
	return 0;
}

static int onoff_thread(void *arg)
{
	struct rnd_state rnd;
	unsigned long ops = 0;
	int cpu, ret;

	prandom_seed_state(&rnd, 0x0ff0);
	while (!kthread_should_stop() && !READ_ONCE(stop_load)) {
		schedule_timeout_interruptible(msecs_to_jiffies(onoff_interval_ms));
		if (kthread_should_stop() || READ_ONCE(stop_load))
			break;
		if (++ops % 16 == 0) {
			/* down to a single online CPU, then on again */
			for_each_online_cpu(cpu) {
				if (cpu == 0)
					continue;
				ret = remove_cpu(cpu);
				atomic_long_inc(ret ? &st_onoff_err : &st_onoff);
			}
			continue;
		}
		cpu = 1 + prandom_u32_state(&rnd) % (nr_cpu_ids - 1);
		if (!cpu_possible(cpu) || !cpu_present(cpu))
			continue;
		ret = cpu_online(cpu) ? remove_cpu(cpu) : add_cpu(cpu);
		atomic_long_inc(ret ? &st_onoff_err : &st_onoff);
	}
	wait_for_kthread_stop();
	return 0;
}

static void online_all_cpus(void)
{
	int cpu;

	for_each_present_cpu(cpu)
		if (!cpu_online(cpu) && !add_cpu(cpu))
			atomic_long_inc(&st_onoff);
}

struct fence {
	struct gotimer t;
	struct completion done;
};

static void fence_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	complete(&((struct fence *)arg)->done);
}

static long fence_arm(void *arg)
{
	struct fence *f = arg;
	long ret;

	/* Under fault injection the heap may fail to grow: wait for memory. */
	while ((ret = gotimer_modify(&f->t, gotimer_now() +
				     2LL * max_delay_ms * NSEC_PER_MSEC,
				     0, fence_fire, f, 0)) == -ENOMEM)
		msleep(20);
	return ret;
}

/*
 * Per-CPU when order: once a fence armed on every CPU after the load
 * stopped has fired, every one-shot instance armed before (at most
 * max_delay_ms ahead) has had its turn.  The fences are pinned; an
 * unpinned instance due before a fence has been popped by then too (the
 * worker runs its CPU's unpinned base first, with the same clock read),
 * and the stop_sync of the accounting waits for a callback still running,
 * stolen or not.  Returns false if a fence never fired (itself a lost
 * timer).
 */
static bool fence_all_cpus(void)
{
	struct fence *f = kcalloc(nr_cpu_ids, sizeof(*f), GFP_KERNEL);
	bool ok = true;
	int cpu;

	if (!f)
		return false;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		init_completion(&f[cpu].done);
		if (work_on_cpu(cpu, fence_arm, &f[cpu]))
			ok = false;
	}
	for_each_online_cpu(cpu) {
		if (!wait_for_completion_timeout(&f[cpu].done, 120 * HZ)) {
			pr_err(TORTURE_FLAG " fence on cpu%d never fired\n", cpu);
			atomic_long_inc(&st_lost);
			ok = false;
		}
		gotimer_stop_sync(&f[cpu].t);
	}
	cpus_read_unlock();
	kfree(f);
	return ok;
}

static void report(bool fences_ok)
{
	long bad = atomic_long_read(&gotimer_bad_timers) - bad_timers_at_start;
	long missed = gotimer_missed_wakes() - missed_wakes_at_start;
	unsigned int detector = gotimer_missed_wake_check();
	bool fail = !fences_ok || bad || atomic_long_read(&st_lost) ||
		    atomic_long_read(&st_dup) || atomic_long_read(&st_early) ||
		    atomic_long_read(&st_after_sync) ||
		    atomic_long_read(&st_overlap) || missed || !detector;

	if (!detector)
		pr_err(TORTURE_FLAG " the missed-wake detector is off: load gotimer with missed_wake_check_us=1000\n");
	result = fail ? "FAILURE" : "SUCCESS";
	pr_alert(TORTURE_FLAG " missed_wakes=%ld missed_wake_check_us=%u overlap=%ld slept=%ld unpinned_fired=%ld stolen=%ld\n",
		 missed, detector, atomic_long_read(&st_overlap),
		 atomic_long_read(&st_slept), atomic_long_read(&st_unpinned_fired),
		 stolen_sum() - stolen_at_start);
	pr_alert(TORTURE_FLAG " armed=%ld fired=%ld stopped=%ld lost=%ld dup=%ld early=%ld after_sync=%ld enomem=%ld bad_timers=%ld lateness_p99_ns=%llu lateness_max_ns=%lld onoff=%ld onoff_errors=%ld End of test: %s\n",
		 atomic_long_read(&st_armed), atomic_long_read(&st_fired),
		 atomic_long_read(&st_stopped), atomic_long_read(&st_lost),
		 atomic_long_read(&st_dup), atomic_long_read(&st_early),
		 atomic_long_read(&st_after_sync), atomic_long_read(&st_enomem),
		 bad, lateness_p99(), atomic64_read(&lat_max),
		 atomic_long_read(&st_onoff), atomic_long_read(&st_onoff_err), result);
}

static void free_run(void)
{
	unsigned int i, j;

	if (threads) {
		for (i = 0; i < nthr; i++) {
			if (!threads[i].sync)
				continue;
			for (j = 0; j < nsync; j++)
				kfree(threads[i].sync[j]);
			kfree(threads[i].sync);
		}
		kfree(threads);
		threads = NULL;
	}
	kvfree(shared);
	shared = NULL;
}

/* Wind down: stop the load, drain, account for every timer, report. */
static void finish_run(void)
{
	unsigned int i, j;
	bool fences_ok;

	WRITE_ONCE(stop_load, true);
	if (onoff_task)
		kthread_stop(onoff_task);
	for (i = 0; i < nthr; i++)
		if (threads[i].task)
			kthread_stop(threads[i].task);
	online_all_cpus();

	WRITE_ONCE(chain_enabled, false);
	fences_ok = fence_all_cpus();
	/* One-shot instances still pending now were lost. */
	for (i = 0; i < nshared; i++) {
		struct tt_timer *tt = &shared[i];

		if (!tt->periodic &&
		    atomic_read(&tt->activations) > atomic_read(&tt->ends)) {
			pr_err(TORTURE_FLAG " timer %u lost (when %lld)\n", i, tt->t.when);
			atomic_long_inc(&st_lost);
			atomic_inc(&tt->ends);
		}
	}
	for (i = 0; i < nthr; i++)
		for (j = 0; j < nsync; j++) {
			struct tt_timer *tt = threads[i].sync[j];

			if (atomic_read(&tt->activations) > atomic_read(&tt->ends)) {
				atomic_long_inc(&st_lost);
				atomic_inc(&tt->ends);
			}
		}

	/* Stop everything, then no callback may run any more. */
	for (i = 0; i < nshared; i++) {
		if (gotimer_stop_sync(&shared[i].t) && shared[i].periodic)
			atomic_inc(&shared[i].ends);
		WRITE_ONCE(shared[i].synced, true);
		tt_account(&shared[i]);
	}
	for (i = 0; i < nthr; i++)
		for (j = 0; j < nsync; j++) {
			struct tt_timer *tt = threads[i].sync[j];

			gotimer_stop_sync(&tt->t);
			WRITE_ONCE(tt->synced, true);
			tt_account(tt);
		}
	fences_ok &= fence_all_cpus();
	for (i = 0; i < nshared; i++)
		if (READ_ONCE(shared[i].t.base))
			atomic_long_inc(&st_after_sync);

	report(fences_ok);
	free_run();
}

static int control_thread(void *arg)
{
	unsigned long end = jiffies + duration * HZ;

	while (!kthread_should_stop() && !READ_ONCE(stop_load) &&
	       (!duration || time_before(jiffies, end) ||
		(onoff_task && atomic_long_read(&st_onoff) < min_onoff)))
		schedule_timeout_interruptible(HZ / 10);
	finish_run();
	mutex_lock(&torture_mutex);
	torture_running = false;
	mutex_unlock(&torture_mutex);
	complete_all(&run_done);
	wait_for_kthread_stop();
	return 0;
}

static void reset_stats(void)
{
	int cpu;

	atomic_long_set(&st_armed, 0);
	atomic_long_set(&st_fired, 0);
	atomic_long_set(&st_stopped, 0);
	atomic_long_set(&st_lost, 0);
	atomic_long_set(&st_dup, 0);
	atomic_long_set(&st_early, 0);
	atomic_long_set(&st_after_sync, 0);
	atomic_long_set(&st_overlap, 0);
	atomic_long_set(&st_slept, 0);
	atomic_long_set(&st_unpinned_fired, 0);
	stolen_at_start = stolen_sum();
	atomic_long_set(&st_enomem, 0);
	atomic_long_set(&st_onoff, 0);
	atomic_long_set(&st_onoff_err, 0);
	atomic64_set(&lat_max, 0);
	for_each_possible_cpu(cpu)
		memset(per_cpu(lat_hist, cpu), 0, sizeof(per_cpu(lat_hist, cpu)));
	bad_timers_at_start = atomic_long_read(&gotimer_bad_timers);
	missed_wakes_at_start = gotimer_missed_wakes();
}

/* Called with torture_mutex held. */
static int torture_start(void)
{
	unsigned int i, j;
	int ret = -ENOMEM;

	if (torture_running)
		return -EBUSY;
	if (control_task) {		/* reap the previous run */
		kthread_stop(control_task);
		control_task = NULL;
	}
	reset_stats();
	nthr = nthreads ?: num_online_cpus();
	nshared = nthr * ntimers;
	shared = kvcalloc(nshared, sizeof(*shared), GFP_KERNEL);
	threads = kcalloc(nthr, sizeof(*threads), GFP_KERNEL);
	if (!shared || !threads)
		goto err;
	for (i = 0; i < nshared; i++) {
		shared[i].periodic = (i * 100 / nshared) < periodic_pct;
		/* Spread over both periodic and one-shot timers. */
		tt_init(&shared[i], (i * 37 % 100) < unpinned_pct);
	}
	for (i = 0; i < nthr; i++) {
		threads[i].id = i;
		prandom_seed_state(&threads[i].rnd, 0x6071 + i);
		threads[i].sync = kcalloc(nsync, sizeof(*threads[i].sync), GFP_KERNEL);
		if (nsync && !threads[i].sync)
			goto err;
		for (j = 0; j < nsync; j++) {
			threads[i].sync[j] = tt_alloc();
			if (!threads[i].sync[j])
				goto err;
		}
	}

	WRITE_ONCE(stop_load, false);
	WRITE_ONCE(chain_enabled, true);
	reinit_completion(&run_done);
	for (i = 0; i < nthr; i++) {
		threads[i].task = kthread_run(load_thread, &threads[i],
					      "gotimer_torture/%u", i);
		if (IS_ERR(threads[i].task)) {
			ret = PTR_ERR(threads[i].task);
			threads[i].task = NULL;
			goto err_threads;
		}
	}
	onoff_task = NULL;
	if (onoff_interval_ms && num_possible_cpus() > 1) {
		onoff_task = kthread_run(onoff_thread, NULL, "gotimer_torture_onoff");
		if (IS_ERR(onoff_task)) {
			ret = PTR_ERR(onoff_task);
			onoff_task = NULL;
			goto err_threads;
		}
	}
	control_task = kthread_run(control_thread, NULL, "gotimer_torture_ctl");
	if (IS_ERR(control_task)) {
		ret = PTR_ERR(control_task);
		control_task = NULL;
		goto err_threads;
	}
	torture_running = true;
	result = "running";
	pr_alert(TORTURE_FLAG " start: nthreads=%u ntimers=%d nsync=%d duration=%d max_delay_ms=%d periodic_pct=%d stop_pct=%d cross_pct=%d chain_pct=%d sync_pct=%d unpinned_pct=%d onoff_interval_ms=%d min_onoff=%d\n",
		 nthr, ntimers, nsync, duration, max_delay_ms, periodic_pct,
		 stop_pct, cross_pct, chain_pct, sync_pct, unpinned_pct,
		 onoff_interval_ms, min_onoff);
	return 0;

err_threads:
	finish_run();
	return ret;
err:
	free_run();
	return ret;
}

/* Called with torture_mutex held; returns with it held. */
static int torture_stop(void)
{
	if (!torture_running)
		return -ESRCH;
	WRITE_ONCE(stop_load, true);
	mutex_unlock(&torture_mutex);
	wait_for_completion(&run_done);
	mutex_lock(&torture_mutex);
	return 0;
}

/*
 * Parked timers: writing "N CPU" to park arms N one-shot timers on CPU, an
 * hour ahead, one nanosecond apart, with tt_park_fire() (which counts a
 * fire that should not happen); reading it gives how many are parked;
 * writing 0 stops and frees them.  Writing "PERIOD_US CPU" to tick arms a
 * periodic timer there, tt_tick_fire(), whose calls ticks counts; 0 stops
 * it.  Independent of torture runs, under park_mutex.
 */
static DEFINE_MUTEX(park_mutex);
static struct gotimer *park;
static unsigned int nparked;
static atomic_long_t st_park_fired, st_ticks;
static struct gotimer tick_timer;
static bool tick_armed;

#define PARK_MAX	2000000
#define PARK_AHEAD_NS	(3600LL * NSEC_PER_SEC)

static void tt_park_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_long_inc(&st_park_fired);
}

static void tt_tick_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_long_inc(&st_ticks);
}

struct park_arm_args {
	unsigned int n;
	unsigned int done;
	s64 period;
	bool unpinned;
};

/* On the target CPU (work_on_cpu()): gotimer_modify() arms on its own CPU. */
static long park_arm_fn(void *arg)
{
	struct park_arm_args *a = arg;
	s64 when = gotimer_now() + PARK_AHEAD_NS;
	long ret;

	for (a->done = 0; a->done < a->n; a->done++) {
		if (a->unpinned)
			gotimer_init_flags(&park[a->done], GOTIMER_UNPINNED);
		/* Later and later: each add lands at the heap's tail. */
		ret = gotimer_modify(&park[a->done], when + a->done, 0,
				     tt_park_fire, &park[a->done], a->done);
		if (ret)
			return ret;
		if (!(a->done % 1024))
			cond_resched();
	}
	return 0;
}

static long tick_arm_fn(void *arg)
{
	struct park_arm_args *a = arg;

	return gotimer_modify(&tick_timer, gotimer_now() + a->period, a->period,
			      tt_tick_fire, NULL, 0);
}

/* Called with park_mutex held. */
static void unpark(void)
{
	unsigned int i;

	/* From the tail: each stop_sync takes out the heap's last slot. */
	for (i = nparked; i-- > 0;) {
		gotimer_stop_sync(&park[i]);
		if (!(i % 1024))
			cond_resched();
	}
	kvfree(park);
	park = NULL;
	nparked = 0;
}

/*
 * "N CPU" with N in 1..max and CPU online, or "0" alone; with @unpinned,
 * also "N CPU u" (the timers GOTIMER_UNPINNED).
 */
static int parse_n_cpu(const char *buf, unsigned int max, unsigned int *n,
		       unsigned int *cpu, bool *unpinned)
{
	char kind, extra;
	int got = sscanf(buf, "%u %u %c %c", n, cpu, &kind, &extra);

	if (got == 1 && *n == 0 && sysfs_streq(buf, "0"))
		return 0;
	if (got == 3 && unpinned && kind == 'u')
		*unpinned = true;
	else if (got != 2)
		return -EINVAL;
	if (!*n || *n > max || *cpu >= nr_cpu_ids)
		return -EINVAL;
	return 0;
}

static ssize_t park_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct park_arm_args a = {};
	unsigned int cpu;
	long ret;

	ret = parse_n_cpu(buf, PARK_MAX, &a.n, &cpu, &a.unpinned);
	if (ret)
		return ret;
	mutex_lock(&park_mutex);
	if (!a.n) {
		unpark();
		goto out;
	}
	ret = -EBUSY;
	if (nparked)
		goto out;
	ret = -ENOMEM;
	park = kvcalloc(a.n, sizeof(*park), GFP_KERNEL);
	if (!park)
		goto out;
	cpus_read_lock();
	ret = -EINVAL;
	if (cpu_online(cpu)) {
		struct gotimer_base *base = a.unpinned ? gotimer_cpu_unpinned_base(cpu) :
							 gotimer_cpu_base(cpu);

		/* Room first: no growth, and no copy, in the middle. */
		ret = gotimer_base_reserve(base, READ_ONCE(base->heap.len) + a.n + 1,
					   GFP_KERNEL);
		if (!ret)
			ret = work_on_cpu(cpu, park_arm_fn, &a);
	}
	cpus_read_unlock();
	nparked = a.done;
	if (ret)
		unpark();
out:
	mutex_unlock(&park_mutex);
	return ret ?: count;
}

static ssize_t park_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	/* benign: a snapshot of a count written under park_mutex */
	return sysfs_emit(buf, "%u\n", data_race(nparked));
}

static ssize_t tick_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct park_arm_args a = {};
	unsigned int period_us, cpu;
	long ret;

	ret = parse_n_cpu(buf, 1000000, &period_us, &cpu, NULL);
	if (ret)
		return ret;
	mutex_lock(&park_mutex);
	if (!period_us) {
		gotimer_stop_sync(&tick_timer);
		tick_armed = false;
		goto out;
	}
	ret = -EBUSY;
	if (tick_armed)
		goto out;
	a.period = (s64)period_us * NSEC_PER_USEC;
	cpus_read_lock();
	ret = cpu_online(cpu) ? work_on_cpu(cpu, tick_arm_fn, &a) : -EINVAL;
	cpus_read_unlock();
	tick_armed = !ret;
out:
	mutex_unlock(&park_mutex);
	return ret ?: count;
}

static ssize_t tick_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	/* benign: a snapshot of a flag written under park_mutex */
	return sysfs_emit(buf, "%d\n", data_race(tick_armed));
}

static int parse_one(const char *buf)
{
	unsigned int v;
	int ret = kstrtouint(buf, 10, &v);

	if (ret)
		return ret;
	return v == 1 ? 0 : -EINVAL;
}

static ssize_t start_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int ret = parse_one(buf);

	if (ret)
		return ret;
	mutex_lock(&torture_mutex);
	ret = torture_start();
	mutex_unlock(&torture_mutex);
	return ret ?: count;
}

static ssize_t stop_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int ret = parse_one(buf);

	if (ret)
		return ret;
	mutex_lock(&torture_mutex);
	ret = torture_stop();
	mutex_unlock(&torture_mutex);
	return ret ?: count;
}

static ssize_t running_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(torture_running));
}

static ssize_t result_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(result));
}

static ssize_t lateness_p99_ns_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", lateness_p99());
}

static ssize_t lateness_max_ns_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&lat_max));
}

struct counter_attr {
	struct kobj_attribute attr;
	atomic_long_t *counter;
};

static ssize_t counter_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct counter_attr *c = container_of(attr, struct counter_attr, attr);

	return sysfs_emit(buf, "%ld\n", atomic_long_read(c->counter));
}

#define COUNTER_ATTR(name, var) \
	static struct counter_attr name##_attr = { __ATTR(name, 0444, counter_show, NULL), &(var) }

COUNTER_ATTR(armed, st_armed);
COUNTER_ATTR(fired, st_fired);
COUNTER_ATTR(stopped, st_stopped);
COUNTER_ATTR(lost, st_lost);
COUNTER_ATTR(dup, st_dup);
COUNTER_ATTR(early, st_early);
COUNTER_ATTR(after_sync, st_after_sync);
COUNTER_ATTR(overlap, st_overlap);
COUNTER_ATTR(slept, st_slept);
COUNTER_ATTR(unpinned_fired, st_unpinned_fired);
COUNTER_ATTR(enomem, st_enomem);
COUNTER_ATTR(onoff, st_onoff);
COUNTER_ATTR(onoff_errors, st_onoff_err);
COUNTER_ATTR(park_fired, st_park_fired);
COUNTER_ATTR(ticks, st_ticks);

static struct kobj_attribute start_attr = __ATTR_WO(start);
static struct kobj_attribute stop_attr = __ATTR_WO(stop);
static struct kobj_attribute running_attr = __ATTR_RO(running);
static struct kobj_attribute result_attr = __ATTR_RO(result);
static struct kobj_attribute lateness_p99_ns_attr = __ATTR_RO(lateness_p99_ns);
static struct kobj_attribute lateness_max_ns_attr = __ATTR_RO(lateness_max_ns);
static struct kobj_attribute park_attr = __ATTR_RW(park);
static struct kobj_attribute tick_attr = __ATTR_RW(tick);

static struct attribute *torture_attrs[] = {
	&start_attr.attr, &stop_attr.attr, &running_attr.attr, &result_attr.attr,
	&lateness_p99_ns_attr.attr, &lateness_max_ns_attr.attr,
	&armed_attr.attr.attr, &fired_attr.attr.attr, &stopped_attr.attr.attr,
	&lost_attr.attr.attr, &dup_attr.attr.attr, &early_attr.attr.attr,
	&after_sync_attr.attr.attr, &overlap_attr.attr.attr, &slept_attr.attr.attr,
	&unpinned_fired_attr.attr.attr,
	&enomem_attr.attr.attr, &onoff_attr.attr.attr,
	&onoff_errors_attr.attr.attr,
	&park_attr.attr, &tick_attr.attr, &park_fired_attr.attr.attr,
	&ticks_attr.attr.attr,
	NULL,
};

static const struct attribute_group torture_group = {
	.attrs = torture_attrs,
};

static struct kobject *torture_kobj;

static int __init gotimer_torture_init(void)
{
	int ret;

	torture_kobj = kobject_create_and_add("gotimer_torture", kernel_kobj);
	if (!torture_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(torture_kobj, &torture_group);
	if (ret)
		goto err;
	if (autostart) {
		mutex_lock(&torture_mutex);
		ret = torture_start();
		mutex_unlock(&torture_mutex);
		if (ret)
			goto err;
	}
	return 0;
err:
	kobject_put(torture_kobj);
	return ret;
}

static void __exit gotimer_torture_exit(void)
{
	kobject_put(torture_kobj);	/* no more start/stop writes */
	mutex_lock(&torture_mutex);
	torture_stop();
	mutex_unlock(&torture_mutex);
	if (control_task)
		kthread_stop(control_task);
	mutex_lock(&park_mutex);
	unpark();
	gotimer_stop_sync(&tick_timer);
	mutex_unlock(&park_mutex);
}

module_init(gotimer_torture_init);
module_exit(gotimer_torture_exit);

MODULE_IMPORT_NS(GOTIMER_INTERNAL);
MODULE_DESCRIPTION("gotimer torture test");
MODULE_LICENSE("GPL");
