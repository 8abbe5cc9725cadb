// SPDX-License-Identifier: GPL-2.0
/*
 * "gotimer_semantics": what every kernel developer assumes of a timer API,
 * against the real workers.  A callback never runs concurrently with
 * itself, even when other CPUs re-arm its timer while it runs (row [S17] of
 * the transition table in module/status.c), and no such re-arm is lost;
 * gotimer_stop_sync() finds a running callback through the timer alone.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "internal.h"

#ifndef KUNIT_CASE_SLOW		/* before 6.6 every case ran at one speed */
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

#define RUN_MS		20	/* each callback sleeps this long */
#define REARMS		400	/* re-arms per re-arming thread */
#define MAX_ARMS	(4 * REARMS + 1)
#define POLL_LIMIT	4000	/* 20 s in 5 ms steps: a bound, not a measure */

struct overlap {
	struct gotimer t;
	s64 period;
	atomic_t inside;		/* callbacks running now */
	atomic_t overlaps;		/* a callback started while one ran */
	atomic_t runs;
	atomic_t early;			/* a run before its arm's when */
	atomic_t arms_new;		/* modify() returned 0: a new instance */
	atomic_t rearms_during_run;	/* ... of which while a callback ran */
	atomic_t seq;			/* arm sequence numbers */
	atomic_t last_run_seq;
	atomic_t stop;
	s64 when_of[MAX_ARMS];
};

static void overlap_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct overlap *o = arg;

	if (atomic_inc_return(&o->inside) > 1)
		atomic_inc(&o->overlaps);
	if (gotimer_now() < READ_ONCE(o->when_of[seq]))
		atomic_inc(&o->early);
	atomic_inc(&o->runs);
	atomic_set(&o->last_run_seq, seq);
	msleep(RUN_MS);
	atomic_dec(&o->inside);
}

static void arm_next(struct overlap *o, s64 delay)
{
	int seq = atomic_inc_return(&o->seq);
	s64 when = gotimer_now() + delay;
	bool running;
	int ret;

	if (seq >= MAX_ARMS)
		return;
	WRITE_ONCE(o->when_of[seq], when);
	running = atomic_read(&o->inside) > 0;
	ret = gotimer_modify(&o->t, when, o->period, overlap_fire, o, seq);
	if (ret == 0) {
		atomic_inc(&o->arms_new);
		if (running)
			atomic_inc(&o->rearms_during_run);
	}
}

static int rearm_thread(void *arg)
{
	struct overlap *o = arg;
	int i;

	for (i = 0; i < REARMS && !atomic_read(&o->stop); i++) {
		arm_next(o, (s64)(i % 3) * NSEC_PER_MSEC);
		usleep_range(500, 1000);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * The callback sleeps RUN_MS; every other online CPU re-arms the timer in a
 * loop, so re-arms land while it runs, from CPUs whose workers are idle.
 * No run may start while another is inside; every arm that started a new
 * instance fires exactly once (one-shot: no stops here); the last arm's
 * instance fires, at or after its when.
 */
static void run_overlap_case(struct kunit *test, s64 period)
{
	struct overlap *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	struct task_struct *threads[NR_CPUS > 8 ? 8 : NR_CPUS] = { };
	int cpu, n = 0, i, last_seq;

	KUNIT_ASSERT_NOT_NULL(test, o);
	o->period = period;
	arm_next(o, 0);
	for_each_online_cpu(cpu) {
		struct task_struct *k;

		if (n == ARRAY_SIZE(threads))
			break;
		k = kthread_create_on_cpu(rearm_thread, o, cpu, "gotimer_rearm/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(k));
		threads[n++] = k;
		wake_up_process(k);
	}
	if (n < 2) {
		for (i = 0; i < n; i++)
			kthread_stop(threads[i]);
		gotimer_stop_sync(&o->t);
		kunit_skip(test, "needs two online CPUs");
	}
	/* Until every thread is done re-arming. */
	for (i = 0; i < POLL_LIMIT && atomic_read(&o->seq) < n * REARMS + 1; i++)
		usleep_range(5000, 6000);
	atomic_set(&o->stop, 1);
	for (i = 0; i < n; i++)
		kthread_stop(threads[i]);
	last_seq = min(atomic_read(&o->seq), MAX_ARMS - 1);

	if (!period) {
		/* Every new instance fires once; the last arm is not lost. */
		for (i = 0; i < POLL_LIMIT &&
		     atomic_read(&o->runs) < atomic_read(&o->arms_new); i++)
			usleep_range(5000, 6000);
		KUNIT_EXPECT_EQ(test, atomic_read(&o->runs), atomic_read(&o->arms_new));
		KUNIT_EXPECT_EQ(test, atomic_read(&o->last_run_seq), last_seq);
		KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&o->t));
	} else {
		/* Periodic: it keeps firing with the last arm's seq. */
		for (i = 0; i < POLL_LIMIT &&
		     atomic_read(&o->last_run_seq) != last_seq; i++)
			usleep_range(5000, 6000);
		KUNIT_EXPECT_EQ(test, atomic_read(&o->last_run_seq), last_seq);
		KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&o->t));
	}
	kunit_info(test, "period %lld: %d arms, %d new, %d of them while running, %d runs\n",
		   period, last_seq, atomic_read(&o->arms_new),
		   atomic_read(&o->rearms_during_run), atomic_read(&o->runs));
	KUNIT_EXPECT_EQ(test, atomic_read(&o->overlaps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->early), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->inside), 0);
	/* The case means something only if re-arms met a running callback. */
	if (!period)
		KUNIT_EXPECT_GT(test, atomic_read(&o->rearms_during_run), 0);
}

static void one_shot_never_runs_concurrently_with_itself(struct kunit *test)
{
	run_overlap_case(test, 0);
}

static void periodic_never_runs_concurrently_with_itself(struct kunit *test)
{
	run_overlap_case(test, 2 * NSEC_PER_MSEC);
}

/*
 * stop_sync of a timer whose callback runs elsewhere waits for it through
 * the timer's own record (->run_base), and returns once it is out.
 */
struct sync_probe {
	struct gotimer t;
	atomic_t entered;
	atomic_t left;
};

static void probe_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct sync_probe *p = arg;

	atomic_inc(&p->entered);
	msleep(RUN_MS);
	atomic_inc(&p->left);
}

static long probe_arm(void *arg)
{
	struct sync_probe *p = arg;

	return gotimer_modify(&p->t, gotimer_now(), 0, probe_fire, p, 0);
}

static void stop_sync_waits_through_run_base(struct kunit *test)
{
	struct sync_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	int cpu = cpumask_last(cpu_online_mask), i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, work_on_cpu(cpu, probe_arm, p), 0L);
	for (i = 0; i < POLL_LIMIT && !atomic_read(&p->entered); i++)
		usleep_range(100, 200);
	KUNIT_ASSERT_EQ(test, atomic_read(&p->entered), 1);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(p->t.run_base), gotimer_cpu_base(cpu));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&p->t));
	/* Returned only after the callback left. */
	KUNIT_EXPECT_EQ(test, atomic_read(&p->left), 1);
	KUNIT_ASSERT_NOT_NULL(test, READ_ONCE(p->t.run_worker));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->t.run_worker->sync_waiters), 0);
}

static struct kunit_case semantics_cases[] = {
	KUNIT_CASE_SLOW(one_shot_never_runs_concurrently_with_itself),
	KUNIT_CASE_SLOW(periodic_never_runs_concurrently_with_itself),
	KUNIT_CASE(stop_sync_waits_through_run_base),
	{}
};

static struct kunit_suite semantics_suite = {
	.name = "gotimer_semantics",
	.test_cases = semantics_cases,
};

kunit_test_suite(semantics_suite);
