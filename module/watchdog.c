// SPDX-License-Identifier: GPL-2.0
/*
 * The missed-wake detector: a worker that is asleep while its base holds a
 * timer that is already due is a bug whatever the load.  Under load a worker
 * is late because it is runnable and waiting for a CPU, not because it is
 * asleep; so "asleep past a due timer" needs no wall-clock threshold on
 * lateness, only a margin for the wake-up's own path.
 *
 * An hrtimer samples every online CPU's base every missed_wake_check_us
 * (module parameter, 0 = off; the test guests run with it on).  A base is
 * suspect when all of these hold, read in this order:
 *
 *   - its worker set ->wake_at = D != 0 (W2 of the wake protocol, base.c),
 *   - the worker task is asleep (gotimer_task_asleep(): off its runqueue
 *     and not being woken; a worker preempted between W2 and schedule() is
 *     still on its runqueue, one whose wake-up is in flight is WAKING),
 *   - the base's earliest time v = gotimer_base_next() is below D and due,
 *   - and no store that lowers it is between its L1 and its L3 (counted in
 *     base->lowering while the detector runs): a waker stalled there, its
 *     vCPU preempted by the host, say, has a wake-up on its way.
 *
 * In the protocol a store that lowers the earliest time below D is followed
 * by a cmpxchg of ->wake_at from D to 0 (L3), so a suspect state lasts only
 * from L1 to L3, a few instructions with preemption off.  The detector
 * counts a sighting when the same sleep (same D, same ->wakeups) stays
 * suspect for missed_wake_margin_us, and reports each sleep once.  Sightings
 * are counted in the base (sysfs cpuN/missed_wakes) and logged.
 *
 * The same sampler watches the take-over (takeover.c): a runner asleep in a
 * callback while a timer is due and a standby is asleep as well, past two
 * take-over intervals and then the same margin, during which the take-over
 * timer looked three times (so its CPU was not stalled by the host),
 * is a missed wake-up of the standby, counted alike.
 */
#include <linux/hrtimer.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include "stats.h"

/*
 * One suspect state as the detector follows it, touched by the hrtimer
 * only: @key names the sleep (or the stuck callback) it was first seen in.
 */
struct sighting {
	u64 key[2];
	s64 since;		/* first seen suspect; 0 = not suspect */
	unsigned long progress;	/* the caller's progress count then */
	bool reported;
};

/* What the detector last saw of one base. */
struct detector_state {
	/* the worker's sleep past a due timer of each base (pinned, unpinned) */
	struct sighting sleep[GOTIMER_NR_BASES];
	struct sighting takeover;	/* a take-over that is overdue */
};

static DEFINE_PER_CPU(struct detector_state, detector_states);
static struct hrtimer detector_timer;
static unsigned int detector_period_us;	/* 0: off */
static unsigned int detector_margin_us = 5000;
static DEFINE_MUTEX(detector_mutex);	/* start/stop of detector_timer */
static bool detector_inited;

static bool base_suspect(struct gotimer_base *base, s64 now, s64 *wake_at,
			 s64 *next)
{
	struct task_struct *worker = gotimer_runner_task(base->cpu);

	if (!worker)
		return false;
	*wake_at = atomic64_read(&base->wake_at);
	if (!*wake_at || !gotimer_task_asleep(worker))
		return false;
	*next = gotimer_base_next(base);
	if (!*next || *next >= *wake_at || *next > now)
		return false;
	/*
	 * Read last, after the view: a lowering store seen above whose L3 has
	 * not run yet is still counted here (base.c), and is not a miss.
	 */
	smp_rmb();
	return !atomic_read(&base->lowering);
}

/*
 * Follow one suspect state: true once it has lasted missed_wake_margin_us
 * under the same key (the same sleep, or the same stuck callback), and the
 * caller's @progress count has moved by @min_progress since it was first
 * seen, once per key.
 */
static bool sighting_due(struct sighting *sg, bool suspect, u64 key0,
			 u64 key1, unsigned long progress,
			 unsigned long min_progress, s64 now)
{
	if (!suspect) {
		sg->since = 0;
		return false;
	}
	if (!sg->since || sg->key[0] != key0 || sg->key[1] != key1) {
		/* A new suspect state: follow it. */
		sg->since = now;
		sg->key[0] = key0;
		sg->key[1] = key1;
		sg->progress = progress;
		sg->reported = false;
		return false;
	}
	if (sg->reported || progress - sg->progress < min_progress ||
	    now - sg->since < (s64)READ_ONCE(detector_margin_us) * NSEC_PER_USEC)
		return false;
	sg->reported = true;
	return true;
}

/*
 * @base is @cpu's pinned or unpinned base; the worker's wake-up count
 * (kept in the pinned one) tells a new sleep from the same one.
 */
static void detector_check_base(int cpu, struct gotimer_base *base,
				struct sighting *sg, s64 now)
{
	unsigned long wakeups = gotimer_stat(cpu, GOTIMER_STAT_WAKEUPS);
	s64 wake_at = 0, next = 0;
	bool suspect = base_suspect(base, now, &wake_at, &next);

	if (!sighting_due(sg, suspect, wake_at, wakeups, 0, 0, now))
		return;
	atomic_long_inc(&gotimer_cpu_base(cpu)->missed_wakes);
	pr_err("gotimer: missed wake-up: cpu %d worker asleep until %lld while a%s timer is due at %lld (now %lld)\n",
	       cpu, wake_at, base->unpinned ? "n unpinned" : "", next, now);
}

/*
 * The take-over's counterpart: a runner asleep in a callback while a timer
 * is due and a standby sleeps too (gotimer_takeover_suspect()), for the
 * same callback (same ->fired) for missed_wake_margin_us, is a missed
 * wake-up of the standby.
 */
static void detector_check_takeover(int cpu, s64 now)
{
	struct detector_state *ws = per_cpu_ptr(&detector_states, cpu);
	unsigned long fired = 0, looks = 0;
	bool suspect = gotimer_takeover_suspect(cpu, now, &fired, &looks);

	/* Three looks of the take-over timer that each should have woken a standby. */
	if (!sighting_due(&ws->takeover, suspect, fired, 0, looks, 3, now))
		return;
	atomic_long_inc(&gotimer_cpu_base(cpu)->missed_wakes);
	pr_err("gotimer: missed take-over: cpu %d runner asleep in a callback, a timer due and a standby asleep (now %lld)\n",
	       cpu, now);
	gotimer_takeover_report(cpu);
}

static enum hrtimer_restart detector_timer_fn(struct hrtimer *timer)
{
	unsigned int period = READ_ONCE(detector_period_us);
	s64 now = gotimer_now();
	int cpu;

	if (!period)
		return HRTIMER_NORESTART;
	for_each_online_cpu(cpu) {
		struct detector_state *ws = per_cpu_ptr(&detector_states, cpu);
		struct sighting *sg = ws->sleep;
		struct gotimer_base *b;

		for_each_cpu_base(b, cpu)
			detector_check_base(cpu, b, sg++, now);
		detector_check_takeover(cpu, now);
	}
	hrtimer_forward_now(timer, ns_to_ktime((u64)period * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* Apply detector_period_us: start, re-time or stop the sampler. */
static void detector_apply(void)
{
	lockdep_assert_held(&detector_mutex);
	if (!detector_inited)
		return;		/* module init starts it */
	hrtimer_cancel(&detector_timer);
	if (detector_period_us)
		hrtimer_start(&detector_timer, ns_to_ktime((u64)detector_period_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
}

static int uint_range_set(const char *val, const struct kernel_param *kp,
			  unsigned int min, unsigned int max, bool zero_ok)
{
	unsigned int v;
	int ret = kstrtouint(val, 10, &v);

	if (ret)
		return ret;
	if (!(zero_ok && v == 0) && (v < min || v > max))
		return -ERANGE;
	mutex_lock(&detector_mutex);
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	WRITE_ONCE(gotimer_detector_on, !!detector_period_us);
	detector_apply();
	mutex_unlock(&detector_mutex);
	return 0;
}

static int period_set(const char *val, const struct kernel_param *kp)
{
	return uint_range_set(val, kp, 100, 1000000, true);
}

static int margin_set(const char *val, const struct kernel_param *kp)
{
	return uint_range_set(val, kp, 100, 10000000, false);
}

static const struct kernel_param_ops period_ops = {
	.set = period_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops margin_ops = {
	.set = margin_set,
	.get = param_get_uint,
};

module_param_cb(missed_wake_check_us, &period_ops, &detector_period_us, 0644);
MODULE_PARM_DESC(missed_wake_check_us,
		 "Sample every worker for a missed wake-up this often, 0 = off, else 100..1000000 (default: 0)");
module_param_cb(missed_wake_margin_us, &margin_ops, &detector_margin_us, 0644);
MODULE_PARM_DESC(missed_wake_margin_us,
		 "A sleeping worker past a due timer is a missed wake-up once seen for this long, 100..10000000 (default: 5000)");

/**
 * gotimer_missed_wakes() - missed wake-ups the detector has seen
 *
 * Return: the sum over every CPU since load.
 */
long gotimer_missed_wakes(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += atomic_long_read(&gotimer_cpu_base(cpu)->missed_wakes);
	return sum;
}
EXPORT_SYMBOL_NS_GPL(gotimer_missed_wakes, GOTIMER_INTERNAL);

/**
 * gotimer_missed_wake_check() - is the detector sampling?
 *
 * Return: its period in microseconds, 0 if it is off.
 */
unsigned int gotimer_missed_wake_check(void)
{
	return READ_ONCE(detector_period_us);
}
EXPORT_SYMBOL_NS_GPL(gotimer_missed_wake_check, GOTIMER_INTERNAL);

/**
 * gotimer_watchdog_init() - start the detector if the parameter asks for it
 *
 * Called after the workers exist.
 *
 * Return: 0.
 */
int gotimer_watchdog_init(void)
{
	hrtimer_setup(&detector_timer, detector_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
	mutex_lock(&detector_mutex);
	detector_inited = true;
	WRITE_ONCE(gotimer_detector_on, !!detector_period_us);
	detector_apply();
	mutex_unlock(&detector_mutex);
	return 0;
}

/**
 * gotimer_watchdog_exit() - stop it, before the workers go away
 */
void gotimer_watchdog_exit(void)
{
	mutex_lock(&detector_mutex);
	detector_inited = false;
	hrtimer_cancel(&detector_timer);
	mutex_unlock(&detector_mutex);
}
