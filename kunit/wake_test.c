// SPDX-License-Identifier: GPL-2.0
/*
 * "gotimer_wake": the workers' execution model against the real "gotimer/N"
 * threads: their scheduling class, the wake-up counter, and the missed-wake
 * detector (module/watchdog.c) catching a store that lowers a base's
 * earliest time without the wake protocol's L2/L3 steps (module/base.c).
 * The protocol itself is driven step by step natively, in
 * tools/testing/gotimer/test_wake.c.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include "stats.h"

#ifndef KUNIT_CASE_SLOW		/* before 6.6 every case ran at one speed */
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

#define FAR_FUTURE_NS	(3600LL * NSEC_PER_SEC)
#define POLL_MS		5
#define POLL_LIMIT	2000	/* 10 s: a bound on a wait, not a measurement */

static void noop_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
}

struct arm_on_req {
	struct gotimer *t;
	s64 when;
};

static long arm_here(void *data)
{
	struct arm_on_req *r = data;

	return gotimer_modify(r->t, r->when, 0, noop_fire, NULL, 0);
}

/* The last online CPU: its base is the one the cases watch. */
static int test_cpu(void)
{
	int cpu, last = -1;

	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

static bool worker_asleep(struct gotimer_base *base)
{
	struct task_struct *w = gotimer_runner_task(base->cpu);

	return w && atomic64_read(&base->wake_at) && !READ_ONCE(w->on_rq);
}

/*
 * The workers are SCHED_FIFO at the lowest RT priority unless told not.  A
 * worker past its FIFO budget runs SCHED_NORMAL until it has caught up, so
 * each is looked at once it sleeps.
 */
static void workers_are_fifo_low(struct kunit *test)
{
	int cpu, i;

	for_each_online_cpu(cpu) {
		struct gotimer_base *base = gotimer_cpu_base(cpu);
		struct task_struct *w = gotimer_runner_task(cpu);

		KUNIT_ASSERT_NOT_NULL(test, w);
		for (i = 0; i < POLL_LIMIT && !worker_asleep(base); i++)
			msleep(POLL_MS);
		KUNIT_ASSERT_TRUE(test, worker_asleep(base));
		if (gotimer_worker_fifo) {
			KUNIT_EXPECT_EQ(test, w->policy, SCHED_FIFO);
			KUNIT_EXPECT_EQ(test, w->rt_priority, 1);
		} else {
			KUNIT_EXPECT_EQ(test, w->policy, SCHED_NORMAL);
		}
	}
}

/*
 * A worker with nothing armed does not wake, and one timer costs one
 * wake-up: the counter moves by exactly what happened.
 */
static void wakeups_count_only_real_wakeups(struct kunit *test)
{
	int cpu = test_cpu();
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	struct gotimer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct arm_on_req r = { .t = t };
	unsigned long w0, w1;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	if (atomic_read(&base->ntimers))
		kunit_skip(test, "cpu %d has timers of someone else", cpu);
	for (i = 0; i < POLL_LIMIT && !worker_asleep(base); i++)
		msleep(POLL_MS);
	KUNIT_ASSERT_TRUE(test, worker_asleep(base));
	w0 = gotimer_stat(base->cpu, GOTIMER_STAT_WAKEUPS);
	msleep(200);	/* the window observed, not a synchronization */
	KUNIT_EXPECT_EQ(test, gotimer_stat(base->cpu, GOTIMER_STAT_WAKEUPS), w0);

	/* One timer 20 ms ahead: the arm wakes the worker to re-time its sleep. */
	r.when = gotimer_now() + 20 * NSEC_PER_MSEC;
	KUNIT_ASSERT_EQ(test, work_on_cpu(cpu, arm_here, &r), 0);
	for (i = 0; i < POLL_LIMIT && READ_ONCE(t->base); i++)
		msleep(POLL_MS);
	KUNIT_ASSERT_NULL(test, READ_ONCE(t->base));	/* it fired */
	for (i = 0; i < POLL_LIMIT && !worker_asleep(base); i++)
		msleep(POLL_MS);
	w1 = gotimer_stat(base->cpu, GOTIMER_STAT_WAKEUPS);
	/* Woken by the arm, then by its deadline: 2 (1 if armed mid-sleep-setup). */
	KUNIT_EXPECT_GE(test, w1 - w0, 1UL);
	KUNIT_EXPECT_LE(test, w1 - w0, 2UL);
	gotimer_stop_sync(t);
}

/*
 * The detector must see a worker asleep past a due timer.  Lower the
 * base's modified_earliest to "now" behind the protocol's back (no L2/L3,
 * the bug class of issue 12, defect 1) while the worker sleeps until a
 * timer an hour away: one sighting for that sleep, and only one.  Then
 * finish the lowering properly, which wakes the worker.
 */
static void detector_sees_worker_asleep_past_due(struct kunit *test)
{
	int cpu = test_cpu();
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	struct gotimer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct arm_on_req r = { .t = t };
	unsigned int period = gotimer_missed_wake_check();
	long before;
	s64 now;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	if (!period)
		kunit_skip(test, "detector off: load gotimer with missed_wake_check_us");
	r.when = gotimer_now() + FAR_FUTURE_NS;
	KUNIT_ASSERT_EQ(test, work_on_cpu(cpu, arm_here, &r), 0);
	for (i = 0; i < POLL_LIMIT; i++) {
		if (worker_asleep(base) && atomic64_read(&base->wake_at) == r.when)
			break;
		msleep(POLL_MS);
	}
	KUNIT_ASSERT_EQ(test, atomic64_read(&base->wake_at), r.when);

	before = atomic_long_read(&base->missed_wakes);
	now = gotimer_now();
	atomic64_set(&base->modified_earliest, now);	/* L1 without L2/L3 */
	for (i = 0; i < POLL_LIMIT &&
	     atomic_long_read(&base->missed_wakes) == before; i++)
		msleep(POLL_MS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&base->missed_wakes), before + 1);
	/* Reported once per sleep: still one after several more samples. */
	msleep(20 + 4 * period / 1000);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&base->missed_wakes), before + 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&base->wake_at), r.when);

	gotimer_base_lowered(base, now);	/* L2/L3: wakes it */
	for (i = 0; i < POLL_LIMIT && atomic64_read(&base->modified_earliest); i++)
		msleep(POLL_MS);
	/* The worker woke and its adjust consumed the stray earliest time. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&base->modified_earliest), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&base->missed_wakes), before + 1);
	gotimer_stop_sync(t);
}

static struct kunit_case wake_cases[] = {
	KUNIT_CASE(workers_are_fifo_low),
	KUNIT_CASE(wakeups_count_only_real_wakeups),
	KUNIT_CASE_SLOW(detector_sees_worker_asleep_past_due),
	{}
};

static struct kunit_suite wake_suite = {
	.name = "gotimer_wake",
	.test_cases = wake_cases,
};

kunit_test_suite(wake_suite);
